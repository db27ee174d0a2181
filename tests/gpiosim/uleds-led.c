/* SPDX-License-Identifier: GPL-2.0-or-later */
/* uleds-led - a real kernel LED class device for the gpiosim guest, through
 * the uleds driver (tests/gpiosim/README.md, "LED class").
 *
 *   uleds-led NAME MAX_BRIGHTNESS
 *
 * creates /sys/class/leds/NAME with MAX_BRIGHTNESS, prints "ready" once it
 * exists, then one line "MS BRIGHTNESS" for each brightness the kernel sets
 * (MS: CLOCK_BOOTTIME in milliseconds, the clock of /proc/uptime), until
 * killed; the LED goes away with the process. Whatever drives the LED (a
 * write to its brightness file, a trigger) shows here as the kernel did it.
 * Output is flushed line by line, so a test can read it while it runs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/uleds.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long boot_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct uleds_user_dev dev;
	int fd, brightness;

	if (argc != 3 || strlen(argv[1]) >= sizeof(dev.name) || atoi(argv[2]) <= 0) {
		fprintf(stderr, "usage: uleds-led NAME MAX_BRIGHTNESS\n");
		return 2;
	}
	memset(&dev, 0, sizeof(dev));
	strcpy(dev.name, argv[1]);
	dev.max_brightness = atoi(argv[2]);
	if ((fd = open("/dev/uleds", O_RDWR)) < 0) {
		perror("uleds-led: /dev/uleds");
		return 1;
	}
	if (write(fd, &dev, sizeof(dev)) != (ssize_t)sizeof(dev)) {
		perror("uleds-led: creating the LED");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	for (;;) {
		ssize_t n = read(fd, &brightness, sizeof(brightness));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(brightness)) {
			perror("uleds-led: read");
			return 1;
		}
		printf("%lld %d\n", boot_ms(), brightness);
	}
}
