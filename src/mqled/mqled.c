/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqled - drive an LED from a message queue: "mqled run" is the controller
 * that owns the LED and the queue (controller.c), every other command is a
 * client that sends one command and waits for the answer (client.c,
 * client-mqtt.c). main is parse -> check -> run: parse_args() fills a
 * struct mqled_control, check_args() refuses what cannot work together and
 * reads the credentials, then the controller or the client runs; failures
 * below main come back as values and are worded here. */
#include "config.h"
#include "cli/caps-cli.h"
#include "cli/cli.h"
#include "cli/cli-file.h"
#include "cli/cli-parse.h"
#include "mqled/client.h"
#include "mqled/protocol.h"
#include "mqled/controller.h"
#include "mqled/mqtt-topics.h"
#include "mqled/transport.h"
#include "cli/queue-cli.h"
#include "cli/stdfds.h"
#include "lib/mqtt-url.h"

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the command line asks for. */
struct mqled_control {
	struct controller_options controller; /* with the queue, the client's too */
	bool run;                             /* "mqled run": the controller; else a client */
	char **words;                         /* the client's command, as given */
	int n_words;
	char command[PROTOCOL_MAX_LEN + 1]; /* ...joined by check_args */
	struct protocol_command cmd;        /* ...and parsed */
	int64_t timeout_ns;                 /* the client's wait for the answer */
	const char *password_file;
	const char *controller_only; /* a controller's option that was given */
	struct cli_given given;
};

enum {
	OPT_CHIP = QUEUE_OPT_FIRST_FREE,
	OPT_LINE,
	OPT_ACTIVE_LOW,
	OPT_BIAS,
	OPT_DRIVE,
	OPT_LED,
	OPT_CONSOLE,
	OPT_HA_DISCOVERY,
};

/* The names and specs of -L, which the controller uses for its whole life:
 * held here, a static root, so that leak checkers do not count them. */
static char *volatile led_strings[2 *
	CONTROLLER_MAX_LEDS]; /* volatile: never read, so an optimiser would drop the stores */

/* -L NAME=SPEC into the next of CTL's LEDs. */
static void add_led(struct controller_options *ctl, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct controller_led *l = &ctl->leds[ctl->n_leds];
	struct parse_error e;

	if (!eq || !protocol_valid_name(arg, (size_t)(eq - arg)))
		cli_usage_error(
			"-L %s: give NAME=SPEC, NAME a letter then up to %d letters, digits, - or _, not a command",
			arg, PROTOCOL_NAME_MAX - 1);
	if (ctl->n_leds == CONTROLLER_MAX_LEDS)
		cli_usage_error("-L %s: a controller drives at most %d LEDs", arg, CONTROLLER_MAX_LEDS);
	char *name = strndup(arg, (size_t)(eq - arg)), *spec = strdup(eq + 1);
	led_strings[2 * ctl->n_leds] = name;
	led_strings[2 * ctl->n_leds + 1] = spec;
	if (!name || !spec)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	for (size_t i = 0; i < ctl->n_leds; i++)
		if (!strcmp(ctl->leds[i].name, name))
			cli_usage_error("-L %s: there is already an LED named %s", arg, name);
	if (led_spec_parse(spec, &l->led, &e) < 0)
		cli_usage_error("-L %s: %s", arg, e.msg);
	for (size_t i = 0; i < ctl->n_leds; i++)
		if (l->led.kind == LED_CONSOLE && ctl->leds[i].led.kind == LED_CONSOLE)
			cli_usage_error("-L %s: the terminal shows one LED (%s already)", arg, ctl->leds[i].name);
	l->name = name;
	ctl->n_leds++;
}

/* The credentials of the mqtt:// address TEXT (MQTOOLS_PASSWORD or
 * PASSWORD_FILE, MQTOOLS_CAFILE, MQTOOLS_CERT, MQTOOLS_KEY), checked
 * against it. */
static void mqtt_credentials(const char *text, const char *password_file, struct mqled_credentials *out)
{
	struct queue_credentials read = { 0 };
	struct mqtt_url url;
	struct parse_error e;

	if (mqtt_url_parse(text, MQTT_TOPIC_NAME, &url, &e) < 0)
		cli_usage_error("%s", e.msg);
	queue_cli_credentials(&read, password_file);
	if (!url.net.has_user && read.password)
		cli_usage_error("%s: a password was given (MQTOOLS_PASSWORD or --password-file) but no user: "
				"write it in the address, mqtt://USER@host/topic",
			text);
	if (!url.net.tls && (read.tls_cert || read.tls_key))
		cli_usage_error("%s: MQTOOLS_CERT and MQTOOLS_KEY are for mqtts://, not mqtt://", text);
	*out = (struct mqled_credentials){ .password = read.password,
		.tls_cafile = read.tls_cafile,
		.tls_cert = read.tls_cert,
		.tls_key = read.tls_key };
}

/* The index of ARG among WORDS (NULL-terminated), or a usage error. */
static int word_option(const char *option, const char *arg, const char *const *words, const char *choices)
{
	for (int i = 0; words[i]; i++)
		if (!strcmp(arg, words[i]))
			return i;
	cli_usage_error("%s %s: choose %s", option, arg, choices);
}

static noreturn void usage(void)
{
	printf("Usage:\n"
	       " %s [options] run                          start the controller\n"
	       " %s [options] on|off|toggle|status|stop|exit\n"
	       " %s [options] blink [ON_MS [OFF_MS [COUNT]]]\n"
	       " %s [options] pulse MS\n"
	       " %s [options] pattern MS,MS[,MS,MS...] [COUNT]\n"
	       " %s [options] brightness N|N%%\n\n",
		cli_program, cli_program, cli_program, cli_program, cli_program, cli_program);
	fputs("Drive an LED (a GPIO line, a kernel LED or the terminal) through a message queue.\n"
	      "Commands are plain text messages: 'mqsend /mqled on' works too.\n\nOptions:\n",
		stdout);
	fputs(" -q, --queue QUEUE        the controller's queue (default /mqled), or its MQTT topic,\n"
	      "                          mqtt[s]://[user@]host[:port]/topic/levels\n"
	      " -T, --timeout DURATION   client: wait this long for the answer (default 2s)\n" QUEUE_CLI_NETWORK_USAGE
	      "\nController (run):\n"
	      "     --chip CHIP          GPIO chip: name, number or path (default: the one with the line)\n"
	      "     --line LINE          GPIO line: offset or name (default GPIO17)\n"
	      "     --active-low         the LED lights when the line is low\n"
	      "     --bias BIAS          GPIO line bias: pull-up, pull-down, disable or as-is\n"
	      "     --drive DRIVE        GPIO line drive: push-pull, open-drain or open-source\n"
	      "     --led NAME           a kernel LED, /sys/class/leds/NAME (ACT, PWR)\n"
	      "     --console            show the LED in the terminal\n"
	      " -L, --leds NAME=SPEC     one of several LEDs, each named (repeat it); SPEC is console,\n"
	      "                          led:NAME or gpio:[CHIP:]LINE[,active-low][,bias=B][,drive=D]\n"
	      " -m, --mode MODE          permissions of the queue it creates (default 0620)\n"
	      " -k, --keep               leave the LED as it is at exit\n"
	      " -d, --daemon             detach, log to syslog, write a pidfile\n"
	      " -p, --pidfile FILE       write the pid there (default with --daemon: /run/mqled.pid)\n"
	      "     --ha-discovery       mqtt://: publish Home Assistant's discovery config, so that\n"
	      "                          the LED appears there as a light\n",
		stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	cli_usage_footer("mqled(1)");
	fputs("With mqled, exit status 3 means that no controller runs on the queue.\n", stdout);
	exit(MQ_EXIT_OK);
}

/* --- parse ------------------------------------------------------------------ */

/* An option of the controller's LED (--chip ... --console), into CTL. */
static bool led_option(struct mqled_control *ctl, int c, const char *arg)
{
	struct led_options *led = &ctl->controller.led;

	switch (c) {
	case OPT_CHIP: led->chip = arg; break;
	case OPT_LINE: led->line = arg; break;
	case OPT_ACTIVE_LOW: led->active_low = true; break;
	case OPT_BIAS:
		led->bias = (enum led_bias)word_option("--bias", arg, led_bias_names,
			"pull-up, pull-down, disable or as-is");
		break;
	case OPT_DRIVE:
		led->drive = (enum led_drive)word_option("--drive", arg, led_drive_names,
			"push-pull, open-drain or open-source");
		break;
	case OPT_LED:
		led->kind = LED_CLASS;
		led->led_name = arg;
		break;
	case OPT_CONSOLE: led->kind = LED_CONSOLE; break;
	case 'L': add_led(&ctl->controller, arg); break;
	default: return false;
	}
	return true;
}

/* Any other option of the command line, into CTL. */
static void option(struct mqled_control *ctl, int c, const char *arg)
{
	struct controller_options *con = &ctl->controller;

	switch (c) {
	case 'q': con->queue_text = arg; break;
	case 'T': ctl->timeout_ns = cli_duration("--timeout", arg); break;
	case 'm':
		con->mode = cli_mode("--mode", arg);
		if (con->mode & 044)
			cli_usage_error(
				"--mode %s: the controller's queue must not be readable by group or others "
				"(commands carry their client's secret nonce); give write bits only, e.g. 0620 or 0622",
				arg);
		break;
	case 'k': con->keep = true; break;
	case 'd': con->daemon = true; break;
	case 'p': con->pidfile = arg; break;
	case OPT_HA_DISCOVERY: con->ha_discovery = true; break;
	case QUEUE_OPT_PASSWORD_FILE: ctl->password_file = arg; break;
	default:
		if (!led_option(ctl, c, arg))
			cli_common_option(c, usage);
	}
}

static void parse_args(struct mqled_control *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "queue", required_argument, NULL, 'q' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "chip", required_argument, NULL, OPT_CHIP },
		{ "line", required_argument, NULL, OPT_LINE },
		{ "active-low", no_argument, NULL, OPT_ACTIVE_LOW },
		{ "bias", required_argument, NULL, OPT_BIAS },
		{ "drive", required_argument, NULL, OPT_DRIVE },
		{ "led", required_argument, NULL, OPT_LED },
		{ "console", no_argument, NULL, OPT_CONSOLE },
		{ "leds", required_argument, NULL, 'L' },
		{ "mode", required_argument, NULL, 'm' },
		{ "keep", no_argument, NULL, 'k' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "ha-discovery", no_argument, NULL, OPT_HA_DISCOVERY },
		QUEUE_CLI_NETWORK_LONGOPTS,
		CLI_LONGOPTS_HELP_VERSION,
	};
	int c;

	while ((c = getopt_long(argc, argv, "q:T:L:m:kdp:hV", longopts, NULL)) != -1) {
		cli_given_note(&ctl->given, c);
		option(ctl, c, optarg);
		/* all but the queue, the client's wait and the password are the
		 * controller's */
		for (const struct option *o = longopts; o->name; o++)
			if (o->val == c && c != 'q' && c != 'T' && c != QUEUE_OPT_PASSWORD_FILE)
				ctl->controller_only = o->name;
	}
	if (optind >= argc)
		cli_usage_error(
			"no command given: run, on, off, toggle, blink, pulse, pattern, brightness, status or stop");
	ctl->run = !strcmp(argv[optind], "run");
	ctl->words = argv + optind;
	ctl->n_words = argc - optind;
}

/* --- check ------------------------------------------------------------------ */

#define GPIO_OPTIONS OPT_CHIP, OPT_LINE, OPT_ACTIVE_LOW, OPT_BIAS, OPT_DRIVE
#define GPIO_OPTIONS_NOT_WITH "--chip, --line, --active-low, --bias and --drive are for a GPIO line, not with "

/* The controller's options that cannot go together. */
static const struct cli_excl controller_conflicts[] = {
	{ { 'L' }, { OPT_LED, OPT_CONSOLE, GPIO_OPTIONS }, CLI_EXCL_TOGETHER,
		"-L gives every LED with its settings: no --led, --console, --chip, --line, "
		"--active-low, --bias or --drive with it" },
	{ { OPT_LED, OPT_CONSOLE }, { 0 }, CLI_EXCL_REPEAT,
		"--led and --console are exclusive: the controller drives one LED" },
	{ { GPIO_OPTIONS }, { OPT_LED }, CLI_EXCL_TOGETHER, GPIO_OPTIONS_NOT_WITH "--led" },
	{ { GPIO_OPTIONS }, { OPT_CONSOLE }, CLI_EXCL_TOGETHER, GPIO_OPTIONS_NOT_WITH "--console" },
	{ { 'd' }, { OPT_CONSOLE }, CLI_EXCL_TOGETHER,
		"--console shows the LED in the terminal, which --daemon leaves" },
	{ .message = NULL },
};

/* What the controller's queue must be able to do for an option. */
static const struct cli_need controller_needs[] = {
	{ OPT_HA_DISCOVERY, QUEUE_CAN_RETAIN, "--ha-discovery" },
	{ 'm', QUEUE_CAN_MODE, "--mode" },
	{ 0, 0, NULL },
};

/* The controller's options, together. */
static void check_controller(struct mqled_control *ctl)
{
	struct controller_options *con = &ctl->controller;
	bool mqtt = con->addr.kind == QUEUE_MQTT;

	if (ctl->n_words > 1)
		cli_usage_error("'run' takes no argument, but '%s' followed", ctl->words[1]);
	if (cli_given(&ctl->given, 'T'))
		cli_usage_error("--timeout is for the client commands; the controller waits for commands forever");
	cli_excl_check(controller_conflicts, &ctl->given);
	for (size_t i = 0; i < con->n_leds; i++)
		if (con->daemon && con->leds[i].led.kind == LED_CONSOLE)
			cli_usage_error("-L %s=console shows the LED in the terminal, which --daemon leaves",
				con->leds[i].name);
	cli_need_check(controller_needs, &ctl->given, con->addr.kind);
	bool console = con->led.kind == LED_CONSOLE;
	for (size_t i = 0; i < con->n_leds; i++)
		console |= con->leds[i].led.kind == LED_CONSOLE;
	if (console && cli_stdfd_was_closed(STDOUT_FILENO))
		cli_die(MQ_EXIT_FAILURE,
			"standard output is closed, and the console LED is drawn there: no queue was taken");
	for (size_t i = 0; mqtt && i < con->n_leds; i++)
		if (mqtt_topics_reserved_name(con->leds[i].name))
			cli_usage_error("-L %s: over MQTT an LED's commands are on TOPIC/%s, which the controller "
					"uses itself; choose another name",
				con->leds[i].name, con->leds[i].name);
	if (con->daemon && !con->pidfile)
		con->pidfile = CONTROLLER_DEFAULT_PIDFILE;
}

/* The client's command, checked here so that a typo is a usage error, not
 * something the controller has to refuse. */
static void check_client(struct mqled_control *ctl)
{
	struct parse_error e;
	size_t len = 0;

	if (ctl->controller_only)
		cli_usage_error("--%s is an option of the controller, 'mqled run'", ctl->controller_only);
	for (int i = 0; i < ctl->n_words; i++) {
		int n = snprintf(ctl->command + len, sizeof(ctl->command) - len, "%s%s", i ? " " : "", ctl->words[i]);
		if (n < 0 || (size_t)n >= sizeof(ctl->command) - len)
			cli_usage_error("the command is longer than %d bytes", PROTOCOL_MAX_LEN);
		len += (size_t)n;
	}
	if (protocol_parse(ctl->command, len, &ctl->cmd, &e) < 0)
		cli_usage_error("%s", e.msg);
	if (ctl->cmd.reply[0])
		cli_usage_error("reply= is added by mqled itself");
}

static void check_args(struct mqled_control *ctl)
{
	struct controller_options *con = &ctl->controller;

	static const struct cli_need needs[] = {
		{ QUEUE_OPT_PASSWORD_FILE, QUEUE_CAN_LOGIN, "--password-file" },
		{ 0, 0, NULL },
	};

	cli_address(con->queue_text, &con->addr);
	if (!transport_serves(con->addr.kind)) {
		const struct queue_caps *caps = queue_kind_caps(con->addr.kind);
		cli_usage_error("%s: mqled serves kernel queues and mqtt:// topics, not %s %s", con->queue_text,
			caps->name, caps->noun);
	}
	cli_need_check(needs, &ctl->given, con->addr.kind);
	if (ctl->run)
		check_controller(ctl);
	else
		check_client(ctl);
	if (queue_kind_caps(con->addr.kind)->can & QUEUE_CAN_LOGIN)
		mqtt_credentials(con->queue_text, ctl->password_file, &con->credentials);
}

/* --- run -------------------------------------------------------------------- */

static int run_controller(const struct mqled_control *ctl)
{
	const struct controller_options *con = &ctl->controller;
	struct mqled_error err = { 0 };

	int r = controller_run(con, &err);
	if (r == CONTROLLER_DETACHED) {
		/* --daemon's parent, the daemon serving: what it took (the queue
		 * and its lock, the broker's session, the pidfile, the LEDs) is
		 * the daemon's now. Releasing it here would unlink the lock and
		 * the pidfile, remove a queue it made or end the daemon's TLS
		 * session; so leave as daemon(3)'s parent does, by _exit, with
		 * nothing run at exit (controller_run flushed stdio before the
		 * fork). */
		_exit(MQ_EXIT_OK);
	}
	if (r == 0)
		return MQ_EXIT_OK;
	if (err.action)
		return queue_cli_error(con->queue_text, con->addr.kind, err.err, err.action,
			err.detail.text[0] ? &err.detail : NULL);
	if (err.file_option) {
		char why[PATH_MAX + 160];
		cli_warn("%s %s", err.file_option, cli_file_error(why, sizeof(why), err.file_path, err.err, &err.file));
		return MQ_EXIT_FAILURE;
	}
	if (err.msg[0]) /* else the log said it */
		cli_warn("%s", err.msg);
	return MQ_EXIT_FAILURE;
}

static int run_client(const struct mqled_control *ctl)
{
	const struct controller_options *con = &ctl->controller;
	bool show_answer = ctl->cmd.verb == PROTOCOL_STATUS;

	if (con->addr.kind != QUEUE_MQTT)
		return ledclient_run(&con->addr, con->queue_text, ctl->command, show_answer, ctl->timeout_ns);
#ifdef HAVE_MQTT
	return ledclient_mqtt_run(&con->addr, con->queue_text, ctl->command, show_answer, ctl->timeout_ns,
		&con->credentials);
#else
	struct queue_detail why = { "" };
	return queue_cli_error(con->queue_text, con->addr.kind, queue_kind_built(QUEUE_MQTT, &why), "send to", &why);
#endif
}

int main(int argc, char **argv)
{
	struct mqled_control ctl = {
		.controller = {
			.queue_text = PROTOCOL_DEFAULT_QUEUE,
			.mode = CONTROLLER_DEFAULT_MODE,
			.led = { .kind = LED_GPIO },
		},
		.timeout_ns = LEDCLIENT_DEFAULT_TIMEOUT_NS,
	};

	cli_init(argc, argv);
	parse_args(&ctl, argc, argv);
	check_args(&ctl);
	return ctl.run ? run_controller(&ctl) : run_client(&ctl);
}
