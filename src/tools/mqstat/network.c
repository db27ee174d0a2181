/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network.c - mqstat of network addresses: an amqp:// queue as its broker
 * tells of it, without the kernel's columns; an mqtt:// topic, of which
 * there is nothing to show, refused with why. Listing a broker's every
 * queue needs its management plugin's HTTP API, which mqstat does not
 * speak: the queues are named. */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "cli/amqp-cli.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"

#include <errno.h>

void network_check(const struct mqstat_control *ctl)
{
	for (int i = 0; i < ctl->nargs; i++) {
		struct queue_address addr;
		char why[256];
		cli_address(ctl->args[i], &addr);
		const struct queue_caps *caps = queue_kind_caps(addr.kind);
		if (!(caps->can & QUEUE_CAN_STAT))
			cli_usage_error("%s: %s", ctl->args[i],
				queue_strerror(why, sizeof(why), -EOPNOTSUPP, addr.kind, "show", NULL));
		if (caps->family) /* the kernel's, which the other path lists */
			cli_usage_error(
				"%s: amqp:// and kernel queues cannot be shown together: run mqstat once for each",
				ctl->args[i]);
	}
	if (ctl->check || ctl->watch || ctl->limits || ctl->baseline || ctl->new_since || ctl->output ||
		ctl->output_all || ctl->kinds)
		cli_usage_error(
			"amqp:// queues take only --json and --password-file: --check, --watch, --output, "
			"--output-all, --limits, --baseline, --new-since, --posix and --sysv are for kernel queues");
}

int stat_network(const struct mqstat_control *ctl)
{
	int status = MQ_EXIT_OK;
	for (int i = 0; i < ctl->nargs; i++) {
		struct queue_address addr;
		cli_address(ctl->args[i], &addr);
		int st = amqp_cli_stat(ctl->args[i], &addr, ctl->password_file, ctl->json);
		if (st > status)
			status = st;
	}
	return status;
}
