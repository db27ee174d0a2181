/* SPDX-License-Identifier: GPL-2.0-or-later */
/* led-class.c - a kernel LED class device, /sys/class/leds/NAME (the Pi's
 * ACT and PWR). While mqled holds it the LED's trigger is "none", so that
 * the kernel (mmc activity, heartbeat...) does not drive it too; the trigger
 * it had is put back at exit. Blinking is the kernel's: the timer trigger
 * for a blink for ever, the pattern trigger for a counted one, when the
 * kernel has them (else the controller blinks it).
 *
 * The trigger to put back is also kept in a state file beside the LED's
 * lock, in the controller's private lock directory, from start to a clean
 * exit: a controller killed while the trigger is none, timer or pattern
 * leaves the file, and the next one restores the board's trigger (mmc0 on
 * a Pi) from it instead of taking mqled's own for the LED's. The directory
 * standing for /sys/class/leds can be changed with $MQLED_SYS_CLASS_LEDS,
 * for tests. */
#include "config.h"
#include "mqled/led/backend.h"
#include "lib/file.h"
#include "lib/lockfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct led_class {
	struct led base;
	int dirfd;
	char path[4096];
	char lock_path[4096];
	int lock_fd;                 /* the lock at lock_path, which holds the LED for mqled; or -1 */
	char state_path[4096];       /* the trigger to restore, kept for a crash */
	char saved_trigger[64];      /* "" when the LED has no trigger file */
	bool saved_from_state;       /* saved_trigger came from a killed controller */
	bool has_timer, has_pattern; /* the kernel's blink triggers are there */
	char max_brightness[24];
};

/* The triggers a controller leaves on the LED while it holds it. */
static const char *const own_triggers[] = { "none", "timer", "pattern" };

/* Read what the file at DIRFD/PATH holds, NUL-terminated: its length, or
 * -errno. */
static ssize_t read_text(int dirfd, const char *path, int flags, char *buf, size_t len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | flags);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	return n;
}

static int read_attr(struct led_class *c, const char *attr, char *buf, size_t len)
{
	ssize_t n = read_text(c->dirfd, attr, 0, buf, len);
	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_attr(struct led_class *c, const char *attr, const char *value, struct led_error *e)
{
	size_t len = strlen(value);
	int fd = openat(c->dirfd, attr, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || write(fd, value, len) != (ssize_t)len) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return led_fail(e, err, "writing '%s' to %.300s/%s: %s%s", value, c->path, attr, strerror(err),
			err == EACCES || err == EPERM ? " (run as root, or give the controller's user write access)" :
							"");
	}
	close(fd);
	return 0;
}

/* The selected trigger in "none [mmc0] timer heartbeat". */
static void selected_trigger(const char *list, char *out, size_t len)
{
	const char *open = strchr(list, '['), *close = open ? strchr(open, ']') : NULL;
	size_t n = open && close ? (size_t)(close - open - 1) : 0;
	if (n >= len)
		n = 0;
	memcpy(out, open ? open + 1 : "", n);
	out[n] = '\0';
	if (!n)
		snprintf(out, len, "none");
}

/* Whether WORD is one of LIST's words, "[word]" (the selected one) too. */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n) {
		bool starts = p == list || p[-1] == ' ' || p[-1] == '[';
		bool ends = p[n] == '\0' || p[n] == ' ' || p[n] == ']' || p[n] == '\n';
		if (starts && ends)
			return true;
	}
	return false;
}

static int class_set(struct led *led, bool on, struct led_error *e)
{
	struct led_class *c = LED_BACKEND_OF(led, struct led_class);
	/* a lit brightness written under the timer trigger would only change
	 * its blinking brightness: the trigger goes first */
	if (led->blinking) {
		int r = write_attr(c, "trigger", "none", e);
		if (r < 0)
			return r;
	}
	return write_attr(c, "brightness", on ? c->max_brightness : "0", e);
}

/* The pattern trigger's steps for SEQ: "MAX ON MAX 0 0 OFF 0 0 ...", each
 * duration a level held and then a jump (a 0 ms step), not a ramp. */
static int pattern_text(const struct led_class *c, const struct led_sequence *seq, char *buf, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < seq->n; i++) {
		const char *level = i % 2 ? "0" : c->max_brightness;
		int n = snprintf(buf + o, len - o, "%s%s %u %s 0", o ? " " : "", level, seq->ms[i], level);
		if (n < 0 || (size_t)n >= len - o)
			return -ENOTSUP; /* longer than a sysfs write: the controller blinks it */
		o += (size_t)n;
	}
	return 0;
}

static int class_blink(struct led *led, const struct led_sequence *seq, struct led_error *e)
{
	struct led_class *c = LED_BACKEND_OF(led, struct led_class);
	bool timer = seq->n == 2 && seq->repeat == 0;
	char text[4096], on[16], off[16], repeat[16];
	int r;

	if (timer ? !c->has_timer : !c->has_pattern)
		return -ENOTSUP;
	if (!timer && pattern_text(c, seq, text, sizeof(text)) < 0)
		return -ENOTSUP;
	/* off first, so that the trigger starts with the on phase (0 also
	 * ends a trigger running before) */
	if ((r = write_attr(c, "brightness", "0", e)) < 0)
		return r;
	if (timer) {
		snprintf(on, sizeof(on), "%u", seq->ms[0]);
		snprintf(off, sizeof(off), "%u", seq->ms[1]);
		if ((r = write_attr(c, "trigger", "timer", e)) == 0 && (r = write_attr(c, "delay_on", on, e)) == 0)
			r = write_attr(c, "delay_off", off, e);
	} else {
		/* repeat before pattern: writing either starts it */
		snprintf(repeat, sizeof(repeat), "%d", seq->repeat ? (int)seq->repeat : -1);
		if ((r = write_attr(c, "trigger", "pattern", e)) == 0 && (r = write_attr(c, "repeat", repeat, e)) == 0)
			r = write_attr(c, "pattern", text, e);
	}
	if (r < 0) {
		struct led_error ignored;
		write_attr(c, "trigger", "none", &ignored);
		/* the trigger took but made no delay_on or pattern file: not one
		 * mqled knows how to drive; the controller blinks the LED itself */
		if (r == -ENOENT)
			return -ENOTSUP;
	}
	return r;
}

static int class_level(struct led *led, unsigned value, bool percent, unsigned *set, struct led_error *e)
{
	struct led_class *c = LED_BACKEND_OF(led, struct led_class);
	unsigned long long max = (unsigned long long)atoi(c->max_brightness);
	unsigned long long v = percent ? (max * value + 50) / 100 : value;
	char text[24];
	int r;

	if (max <= 1)
		return led_fail(e, ENOTSUP,
			"%.300s has max_brightness %llu: it is on or off only, brightness needs more levels", c->path,
			max);
	if (v > max)
		return led_fail(e, ERANGE,
			"brightness %u is over %.300s's max_brightness %llu (or give a percentage, N%%)", value,
			c->path, max);
	if (led->blinking && (r = write_attr(c, "trigger", "none", e)) < 0)
		return r;
	snprintf(text, sizeof(text), "%llu", v);
	if ((r = write_attr(c, "brightness", text, e)) < 0)
		return r;
	*set = (unsigned)v;
	return 0;
}

static bool class_lit(struct led *led)
{
	struct led_class *c = LED_BACKEND_OF(led, struct led_class);
	char value[24];
	return read_attr(c, "brightness", value, sizeof(value)) == 0 && atoi(value) > 0;
}

/* --- the state file ------------------------------------------------------- */

/* Beside the lock: led-X.lock -> led-X.trigger */
static int state_path(const char *lock_path, char *out, size_t len)
{
	size_t n = strlen(lock_path);
	if (n < 5 || strcmp(lock_path + n - 5, ".lock") != 0 || n - 5 + sizeof(".trigger") > len)
		return -ENAMETOOLONG;
	memcpy(out, lock_path, n - 5);
	memcpy(out + n - 5, ".trigger", sizeof(".trigger"));
	return 0;
}

/* The trigger a killed controller saved, or -errno (-ENOENT: none). Only a
 * plain word is taken: the file is the controller's own, in a directory no
 * one else may write, but a torn write must not become a trigger. */
static int read_state(const char *path, char *out, size_t len)
{
	ssize_t n = read_text(AT_FDCWD, path, O_NOFOLLOW, out, len);
	if (n < 0)
		return (int)n;
	if (n == 0 || out[n - 1] != '\n')
		return -EINVAL;
	out[--n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if (out[i] <= ' ' || out[i] >= 0x7f || out[i] == '[' || out[i] == ']')
			return -EINVAL;
	return n ? 0 : -EINVAL;
}

/* Write TRIGGER to the state file, whole or not at all (a new file renamed
 * over the old one). */
static int write_state(const char *path, const char *trigger)
{
	struct file_detail d;
	size_t len = strlen(trigger);
	char *tmp;
	int r;

	int fd = file_replace_start(path, &tmp, &d);
	if (fd < 0)
		return fd;
	if ((r = file_write_all(fd, trigger, len)) == 0)
		r = file_write_all(fd, "\n", 1);
	r = file_replace_finish(fd, tmp, path, r);
	free(tmp);
	return r;
}

/* The trigger to restore: the LED's own now, unless it is one a controller
 * leaves (none, timer, pattern) and a killed controller's state file names
 * the one it had. */
static void choose_trigger(struct led_class *c, const char *current)
{
	char state[64];
	bool own = false;

	for (size_t i = 0; i < sizeof(own_triggers) / sizeof(own_triggers[0]); i++)
		own |= !strcmp(current, own_triggers[i]);
	snprintf(c->saved_trigger, sizeof(c->saved_trigger), "%s", current);
	if (own && read_state(c->state_path, state, sizeof(state)) == 0) {
		snprintf(c->saved_trigger, sizeof(c->saved_trigger), "%s", state);
		c->saved_from_state = strcmp(state, current) != 0;
	}
}

static void class_close(struct led *led, bool keep)
{
	struct led_class *c = LED_BACKEND_OF(led, struct led_class);
	struct led_error ignored;
	/* --keep leaves the LED lit as it is: giving it back to its trigger
	 * would let the kernel change it at once. */
	if (!keep && c->saved_trigger[0] && write_attr(c, "trigger", c->saved_trigger, &ignored) == 0)
		unlink(c->state_path);
	/* with --keep the state file stays: the next controller still knows
	 * the board's trigger */
	close(c->dirfd);
	lockfile_release(c->lock_path, c->lock_fd);
	free(c);
}

static const struct led_ops class_ops = {
	.set = class_set,
	.blink = class_blink,
	.lit = class_lit,
	.level = class_level,
	.close = class_close,
};

/* The names under ROOT, for an error message. */
static void list_leds(const char *root, char *out, size_t len)
{
	DIR *d = opendir(root);
	struct dirent *de;
	size_t o = 0;

	out[0] = '\0';
	if (!d)
		return;
	while ((de = readdir(d)) && o + 2 < len) {
		if (de->d_name[0] == '.')
			continue;
		o += (size_t)snprintf(out + o, len - o, "%s%s", o ? ", " : "", de->d_name);
	}
	closedir(d);
	if (o >= len)
		out[len - 1] = '\0';
}

int led_class_open(const struct led_options *opt, struct led **out, struct led_error *e)
{
	const char *root = getenv(LED_CLASS_ROOT_ENV);
	struct led_class *c;
	char triggers[4096], names[256];
	pid_t holder = 0; /* set by lockfile_take, not when the lock path fails */
	int r;

	if (!root || !*root)
		root = LED_CLASS_ROOT;
	if (!opt->led_name[0] || strchr(opt->led_name, '/') || !strcmp(opt->led_name, ".") ||
		!strcmp(opt->led_name, ".."))
		return led_fail(e, EINVAL, "'%s' is not an LED name (a name under %s, such as ACT)", opt->led_name,
			root);
	if (!(c = calloc(1, sizeof(*c))))
		return -ENOMEM;
	c->base.ops = &class_ops;
	c->lock_fd = -1;
	snprintf(c->path, sizeof(c->path), "%s/%s", root, opt->led_name);
	c->dirfd = open(c->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->dirfd < 0) {
		int err = errno;
		list_leds(root, names, sizeof(names));
		free(c);
		if (err == ENOENT)
			return led_fail(e, err, "no LED named '%s' in %s%s%s", opt->led_name, root,
				names[0] ? "; there are: " : " (it has none)", names);
		return led_fail(e, err, "%s/%s: %s", root, opt->led_name, strerror(err));
	}
	/* the kernel lets any number of writers share an LED: mqled must not */
	r = opt->lock_path ? opt->lock_path(c->path, c->lock_path, sizeof(c->lock_path)) : -EINVAL;
	if (r == 0)
		r = lockfile_take(c->lock_path, &c->lock_fd, &holder);
	if (r < 0) {
		close(c->dirfd);
		free(c);
		if (r == -EBUSY)
			return led_fail(e, EBUSY,
				"LED %s is already driven by another mqled controller (pid %ld); stop that one first",
				opt->led_name, (long)holder);
		return led_fail(e, -r,
			"cannot lock LED %s in the lock directory ($RUNTIME_DIRECTORY, else /run/mqled "
			"for root, else $XDG_RUNTIME_DIR/mqled; it must be the user's own, writable by no one else): %s",
			opt->led_name, strerror(-r));
	}
	if ((r = read_attr(c, "max_brightness", c->max_brightness, sizeof(c->max_brightness))) < 0 ||
		atoi(c->max_brightness) <= 0) {
		if (r == 0)
			r = -EINVAL;
		snprintf(e->msg, sizeof(e->msg), "%.400s is not an LED: no usable max_brightness", c->path);
		goto fail;
	}
	if (read_attr(c, "trigger", triggers, sizeof(triggers)) == 0) {
		char current[64];
		selected_trigger(triggers, current, sizeof(current));
		c->has_timer = has_word(triggers, "timer");
		c->has_pattern = has_word(triggers, "pattern");
		if ((r = state_path(c->lock_path, c->state_path, sizeof(c->state_path))) < 0) {
			snprintf(e->msg, sizeof(e->msg), "%.400s: the state file's name is too long", c->lock_path);
			goto fail;
		}
		choose_trigger(c, current);
		if ((r = write_state(c->state_path, c->saved_trigger)) < 0) {
			snprintf(e->msg, sizeof(e->msg), "cannot keep LED %s's trigger in %.400s: %s", opt->led_name,
				c->state_path, strerror(-r));
			c->saved_trigger[0] = '\0';
			goto fail;
		}
		if ((r = write_attr(c, "trigger", "none", e)) < 0)
			goto fail;
	}
	if ((r = class_set(&c->base, false, e)) < 0)
		goto fail;
	c->base.max_level = (unsigned)atoi(c->max_brightness);
	snprintf(c->base.description, sizeof(c->base.description), "led %.40s (%.110s), trigger %.40s at exit%s",
		opt->led_name, c->path, c->saved_trigger[0] ? c->saved_trigger : "none",
		c->saved_from_state ? " (saved by a killed controller)" : "");
	*out = &c->base;
	return 0;
fail:
	if (c->saved_trigger[0]) {
		struct led_error ignored;
		if (write_attr(c, "trigger", c->saved_trigger, &ignored) == 0)
			unlink(c->state_path);
	}
	close(c->dirfd);
	lockfile_release(c->lock_path, c->lock_fd);
	free(c);
	return r;
}
