/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transport.c - the controller's transport for its address's kind. */
#include "config.h"
#include "mqled/transport.h"
#include "mqled/controller.h"
#include "cli/cli.h"
#include "cli/queue-cli.h"

#include <errno.h>
#include <stdlib.h>

struct transport *transport_open(const struct controller_options *opt)
{
	switch (opt->addr.kind) {
	case QUEUE_POSIX:
	case QUEUE_SYSV:
		return transport_kernel_open(opt);
	case QUEUE_MQTT:
#ifdef HAVE_MQTT
		return transport_mqtt_open(opt);
#else
		break;
#endif
	default:
		break;
	}
	/* words "built without ..." or "not a kind mqled serves" */
	exit(queue_cli_error(opt->queue_text, opt->addr.kind, -EPROTONOSUPPORT, "serve", NULL));
}
