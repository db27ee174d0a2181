/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sdnotify.h - telling systemd a service's state (sd_notify(3)'s protocol),
 * written here instead of linking libsystemd: one datagram of
 * "KEY=VALUE\n" lines to the AF_UNIX socket named in $NOTIFY_SOCKET. A
 * path starting with '@' is in the abstract namespace. */
#ifndef MQTOOLS_SDNOTIFY_H
#define MQTOOLS_SDNOTIFY_H

/* Sends STATE (e.g. "READY=1" or "STOPPING=1") to the service manager.
 * Returns 1 when it was sent, 0 when no manager asked for it
 * ($NOTIFY_SOCKET unset or empty), or -errno (-EINVAL for a socket name
 * that is neither a path nor abstract, or too long). */
int sdnotify(const char *state);

#endif
