/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqled - drive an LED from a message queue: "mqled run" is the controller
 * that owns the LED and the queue (controller.c), every other command is a
 * client that sends one command and waits for the answer (client.c). */
#include "config.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"
#include "mqled/client.h"
#include "mqled/protocol.h"
#include "mqled/controller.h"
#include "mqled/mqtt-topics.h"
#include "cli/queue-cli.h"
#include "lib/mqtt-url.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static char *volatile led_strings[2 * CONTROLLER_MAX_LEDS]; /* volatile: never read, so an optimiser would drop the stores */

/* -L NAME=SPEC into the next of CTL's LEDs. */
static void add_led(struct controller_options *ctl, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct controller_led *l = &ctl->leds[ctl->n_leds];
	struct parse_error e;

	if (!eq || !protocol_valid_name(arg, (size_t)(eq - arg)))
		cli_usage_error("-L %s: give NAME=SPEC, NAME a letter then up to %d letters, digits, - or _, not a command",
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
	struct queue_open_options read = { 0 };
	struct mqtt_url url;
	struct parse_error e;

	if (mqtt_url_parse(text, MQTT_TOPIC_NAME, &url, &e) < 0)
		cli_usage_error("%s", e.msg);
	queue_cli_credentials(&read, password_file);
	if (!url.net.has_user && read.password)
		cli_usage_error("%s: a password was given (MQTOOLS_PASSWORD or --password-file) but no user: "
			"write it in the address, mqtt://USER@host/topic", text);
	if (!url.net.tls && (read.tls_cert || read.tls_key))
		cli_usage_error("%s: MQTOOLS_CERT and MQTOOLS_KEY are for mqtts://, not mqtt://", text);
	*out = (struct mqled_credentials){ .password = read.password, .tls_cafile = read.tls_cafile,
		.tls_cert = read.tls_cert, .tls_key = read.tls_key };
}

/* ERR of the controller of CTL said (unless its log said it), and its
 * exit status. */
static int failure_status(const struct controller_options *ctl, const struct mqled_error *err)
{
	if (err->action)
		return queue_cli_error(ctl->queue_text, ctl->addr.kind, err->err, err->action,
			err->detail.text[0] ? &err->detail : NULL);
	if (err->msg[0])
		cli_warn("%s", err->msg);
	return MQ_EXIT_FAILURE;
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
	      "Commands are plain text messages: 'mqsend /mqled on' works too.\n\nOptions:\n", stdout);
	fputs(" -q, --queue QUEUE        the controller's queue (default /mqled), or its MQTT topic,\n"
	      "                          mqtt[s]://[user@]host[:port]/topic/levels\n"
	      " -T, --timeout DURATION   client: wait this long for the answer (default 2s)\n"
	      QUEUE_CLI_NETWORK_USAGE
	      "\nController (run):\n"
	      "     --chip CHIP          GPIO chip: name, number or path (default: the one with the line)\n"
	      "     --line LINE          GPIO line: offset or name (default GPIO17)\n"
	      "     --active-low         the LED lights when the line is low\n"
	      "     --bias BIAS          GPIO line bias: pull-up, pull-down or disable\n"
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
	      "                          the LED appears there as a light\n", stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	cli_usage_footer("mqled(1)");
	fputs("With mqled, exit status 3 means that no controller runs on the queue.\n", stdout);
	exit(MQ_EXIT_OK);
}

int main(int argc, char **argv)
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
	struct controller_options ctl = {
		.queue_text = PROTOCOL_DEFAULT_QUEUE,
		.mode = CONTROLLER_DEFAULT_MODE,
		.led = { .kind = LED_GPIO },
	};
	const char *controller_only = NULL, *timeout_opt = NULL, *mode_opt = NULL, *password_file = NULL;
	int64_t timeout_ns = LEDCLIENT_DEFAULT_TIMEOUT_NS;
	int c, backends = 0;

	cli_init(argc, argv);
	while ((c = getopt_long(argc, argv, "q:T:L:m:kdp:hV", longopts, NULL)) != -1) {
		const char *name = NULL;
		for (const struct option *o = longopts; o->name; o++)
			if (o->val == c)
				name = o->name;
		switch (c) {
		case 'q':
			ctl.queue_text = optarg;
			break;
		case 'T':
			timeout_ns = cli_duration("--timeout", optarg);
			timeout_opt = "--timeout";
			break;
		case OPT_CHIP:
			ctl.led.chip = optarg;
			break;
		case OPT_LINE:
			ctl.led.line = optarg;
			break;
		case OPT_ACTIVE_LOW:
			ctl.led.active_low = true;
			break;
		case OPT_BIAS:
			ctl.led.bias = (enum led_bias)word_option("--bias", optarg, led_bias_names,
				"pull-up, pull-down, disable or as-is");
			break;
		case OPT_DRIVE:
			ctl.led.drive = (enum led_drive)word_option("--drive", optarg, led_drive_names,
				"push-pull, open-drain or open-source");
			break;
		case OPT_LED:
			ctl.led.kind = LED_CLASS;
			ctl.led.led_name = optarg;
			backends++;
			break;
		case OPT_CONSOLE:
			ctl.led.kind = LED_CONSOLE;
			backends++;
			break;
		case 'L':
			add_led(&ctl, optarg);
			break;
		case 'm':
			mode_opt = optarg;
			ctl.mode = cli_mode("--mode", optarg);
			if (ctl.mode & 044)
				cli_usage_error("--mode %s: the controller's queue must not be readable by group or others "
					"(commands carry their client's secret nonce); give write bits only, e.g. 0620 or 0622",
					optarg);
			break;
		case 'k':
			ctl.keep = true;
			break;
		case 'd':
			ctl.daemon = true;
			break;
		case 'p':
			ctl.pidfile = optarg;
			break;
		case OPT_HA_DISCOVERY:
			ctl.ha_discovery = true;
			break;
		case QUEUE_OPT_PASSWORD_FILE:
			password_file = optarg;
			break;
		default:
			cli_common_option(c, usage);
		}
		if (name && c != 'q' && c != 'T' && c != QUEUE_OPT_PASSWORD_FILE)
			controller_only = name;
	}
	if (optind >= argc)
		cli_usage_error("no command given: run, on, off, toggle, blink, pulse, pattern, brightness, status or stop");
	cli_address(ctl.queue_text, &ctl.addr);
	bool mqtt = ctl.addr.kind == QUEUE_MQTT;
	if (password_file && !mqtt)
		cli_usage_error("--password-file is for an mqtt:// controller; %s is a kernel queue", ctl.queue_text);

	if (!strcmp(argv[optind], "run")) {
		if (optind + 1 < argc)
			cli_usage_error("'run' takes no argument, but '%s' followed", argv[optind + 1]);
		if (timeout_opt)
			cli_usage_error("--timeout is for the client commands; the controller waits for commands forever");
		if (ctl.n_leds && (backends || ctl.led.chip || ctl.led.line || ctl.led.active_low || ctl.led.bias ||
			ctl.led.drive))
			cli_usage_error("-L gives every LED with its settings: no --led, --console, --chip, --line, "
				"--active-low, --bias or --drive with it");
		for (size_t i = 0; i < ctl.n_leds; i++)
			if (ctl.daemon && ctl.leds[i].led.kind == LED_CONSOLE)
				cli_usage_error("-L %s=console shows the LED in the terminal, which --daemon leaves",
					ctl.leds[i].name);
		if (backends > 1)
			cli_usage_error("--led and --console are exclusive: the controller drives one LED");
		if (ctl.led.kind != LED_GPIO && (ctl.led.chip || ctl.led.line || ctl.led.active_low || ctl.led.bias ||
			ctl.led.drive))
			cli_usage_error("--chip, --line, --active-low, --bias and --drive are for a GPIO line, not with %s",
				ctl.led.kind == LED_CLASS ? "--led" : "--console");
		if (ctl.daemon && ctl.led.kind == LED_CONSOLE)
			cli_usage_error("--console shows the LED in the terminal, which --daemon leaves");
		if (ctl.ha_discovery && !mqtt)
			cli_usage_error("--ha-discovery publishes on an MQTT broker: give the controller an mqtt:// topic "
				"with -q");
		if (mode_opt && mqtt)
			cli_usage_error("--mode %s: an mqtt:// controller makes no queue; who may send commands is the "
				"broker's ACL (mqled(1), MQTT)", mode_opt);
		for (size_t i = 0; mqtt && i < ctl.n_leds; i++)
			if (mqtt_topics_reserved_name(ctl.leds[i].name))
				cli_usage_error("-L %s: over MQTT an LED's commands are on TOPIC/%s, which the controller "
					"uses itself; choose another name", ctl.leds[i].name, ctl.leds[i].name);
		if (ctl.daemon && !ctl.pidfile)
			ctl.pidfile = CONTROLLER_DEFAULT_PIDFILE;
		if (mqtt)
			mqtt_credentials(ctl.queue_text, password_file, &ctl.credentials);
		struct mqled_error err = { 0 };
		if (controller_run(&ctl, &err) == 0)
			return MQ_EXIT_OK;
		return failure_status(&ctl, &err);
	}

	if (controller_only)
		cli_usage_error("--%s is an option of the controller, 'mqled run'", controller_only);
	/* the command is checked here, so that a typo is a usage error, not
	 * something the controller has to refuse */
	char command[PROTOCOL_MAX_LEN + 1];
	size_t len = 0;
	for (int i = optind; i < argc; i++) {
		int n = snprintf(command + len, sizeof(command) - len, "%s%s", i > optind ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(command) - len)
			cli_usage_error("the command is longer than %d bytes", PROTOCOL_MAX_LEN);
		len += (size_t)n;
	}
	struct protocol_command cmd;
	struct parse_error e;
	if (protocol_parse(command, len, &cmd, &e) < 0)
		cli_usage_error("%s", e.msg);
	if (cmd.reply[0])
		cli_usage_error("reply= is added by mqled itself");
	if (mqtt) {
#ifdef HAVE_MQTT
		mqtt_credentials(ctl.queue_text, password_file, &ctl.credentials);
		return ledclient_mqtt_run(&ctl.addr, ctl.queue_text, command, cmd.verb == PROTOCOL_STATUS, timeout_ns,
			&ctl.credentials);
#else
		return queue_cli_error(ctl.queue_text, ctl.addr.kind, -EPROTONOSUPPORT, "send to", NULL);
#endif
	}
	return ledclient_run(&ctl.addr, ctl.queue_text, command, cmd.verb == PROTOCOL_STATUS, timeout_ns);
}
