/* led-class.c - a kernel LED class device, /sys/class/leds/NAME (the Pi's
 * ACT and PWR). While mqled holds it the LED's trigger is "none", so that
 * the kernel (mmc activity, heartbeat...) does not drive it too; the trigger
 * it had is put back at exit. The directory standing for /sys/class/leds can
 * be changed with $MQLED_SYS_CLASS_LEDS, for tests. */
#include "config.h"
#include "led/led.h"
#include "led/lock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct led_class {
	struct led led;
	int dirfd;
	char path[4096];
	char lock_path[4096];
	char saved_trigger[64]; /* "" when the LED has no trigger file */
	char max_brightness[24];
};

#define FAIL(e, err, ...) (snprintf((e)->msg, sizeof((e)->msg), __VA_ARGS__), -(err))

static int read_attr(struct led_class *c, const char *attr, char *buf, size_t len)
{
	int fd = openat(c->dirfd, attr, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_attr(struct led_class *c, const char *attr, const char *value, struct parse_error *e)
{
	size_t len = strlen(value);
	int fd = openat(c->dirfd, attr, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || write(fd, value, len) != (ssize_t)len) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return FAIL(e, err, "writing '%s' to %.300s/%s: %s%s", value, c->path, attr, strerror(err),
			err == EACCES || err == EPERM ? " (run as root, or give the controller's user write access)" : "");
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

static int class_set(struct led *led, bool on, struct parse_error *e)
{
	struct led_class *c = (struct led_class *)led;
	return write_attr(c, "brightness", on ? c->max_brightness : "0", e);
}

static void class_close(struct led *led, bool keep)
{
	struct led_class *c = (struct led_class *)led;
	struct parse_error ignored;
	/* --keep leaves the LED lit as it is: giving it back to its trigger
	 * would let the kernel change it at once. */
	if (!keep && c->saved_trigger[0])
		write_attr(c, "trigger", c->saved_trigger, &ignored);
	close(c->dirfd);
	ledlock_release(c->lock_path, c->led.lock_fd);
	free(c);
}

static const struct led_ops class_ops = { .set = class_set, .close = class_close };

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

int led_class_open(const struct led_options *opt, struct led **out, struct parse_error *e)
{
	const char *root = getenv(LED_CLASS_ROOT_ENV);
	struct led_class *c;
	char triggers[4096], names[256];
	pid_t holder = 0; /* set by ledlock_take, not when ledlock_led_path fails */
	int r;

	if (!root || !*root)
		root = LED_CLASS_ROOT;
	if (!opt->led_name[0] || strchr(opt->led_name, '/') || !strcmp(opt->led_name, ".") || !strcmp(opt->led_name, ".."))
		return FAIL(e, EINVAL, "'%s' is not an LED name (a name under %s, such as ACT)", opt->led_name, root);
	if (!(c = calloc(1, sizeof(*c))))
		return -ENOMEM;
	c->led.ops = &class_ops;
	c->led.lock_fd = -1;
	snprintf(c->path, sizeof(c->path), "%s/%s", root, opt->led_name);
	c->dirfd = open(c->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->dirfd < 0) {
		int err = errno;
		list_leds(root, names, sizeof(names));
		free(c);
		if (err == ENOENT)
			return FAIL(e, err, "no LED named '%s' in %s%s%s", opt->led_name, root,
				names[0] ? "; there are: " : " (it has none)", names);
		return FAIL(e, err, "%s/%s: %s", root, opt->led_name, strerror(err));
	}
	/* the kernel lets any number of writers share an LED: mqled must not */
	r = ledlock_led_path(c->path, c->lock_path, sizeof(c->lock_path));
	if (r == 0)
		r = ledlock_take(c->lock_path, &c->led.lock_fd, &holder);
	if (r < 0) {
		close(c->dirfd);
		free(c);
		if (r == -EBUSY)
			return FAIL(e, EBUSY, "LED %s is already driven by another mqled controller (pid %ld); stop that one first",
				opt->led_name, (long)holder);
		return FAIL(e, -r, "cannot lock LED %s in the lock directory ($RUNTIME_DIRECTORY, else /run/mqled "
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
		selected_trigger(triggers, c->saved_trigger, sizeof(c->saved_trigger));
		if ((r = write_attr(c, "trigger", "none", e)) < 0) {
			c->saved_trigger[0] = '\0';
			goto fail;
		}
	}
	if ((r = class_set(&c->led, false, e)) < 0)
		goto fail;
	snprintf(c->led.description, sizeof(c->led.description), "led %.40s (%.150s), trigger %.40s at exit",
		opt->led_name, c->path, c->saved_trigger[0] ? c->saved_trigger : "none");
	*out = &c->led;
	return 0;
fail:
	if (c->saved_trigger[0]) {
		struct parse_error ignored;
		write_attr(c, "trigger", c->saved_trigger, &ignored);
	}
	close(c->dirfd);
	ledlock_release(c->lock_path, c->led.lock_fd);
	free(c);
	return r;
}
