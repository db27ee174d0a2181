/* SPDX-License-Identifier: GPL-2.0-or-later */
/* format.h - how mqstat and mqrm write sizes, times, durations, modes
 * and owners: one wording for both. Each writes into BUF and returns it. */
#ifndef MQTOOLS_QFORMAT_H
#define MQTOOLS_QFORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* 512B, 8K, 1.5M (powers of 1024, as util-linux writes them). */
char *format_size_human(unsigned long long bytes, char *buf, size_t len);
/* 45s, 3m12s, 2h5m, 3d4h. */
char *format_duration(int64_t seconds, char *buf, size_t len);
/* ISO 8601 with the local offset: 2026-11-22T03:59:20+01:00. */
char *format_time_iso(int64_t t, char *buf, size_t len);
/* For a table: HH:MM:SS today, else YYYY-MM-DD HH:MM. */
char *format_time_short(int64_t t, int64_t now, char *buf, size_t len);
/* As asctime(3) writes it, without the newline: Sun Nov 22 03:59:20 2026
 * (lsipc's "full"). */
char *format_time_full(int64_t t, char *buf, size_t len);
/* How long before NOW: "3m12s ago" (format_duration's units); "in 5s" for
 * a time after NOW (a clock set back). */
char *format_time_relative(int64_t t, int64_t now, char *buf, size_t len);
/* rw-r----- */
char *format_perms(mode_t mode, char *buf, size_t len);
/* 0640: the permission bits in octal, as lsipc -P and chmod write them. */
char *format_mode_octal(mode_t mode, char *buf, size_t len);
/* The user or group name, or the number when it has none. */
char *format_user(uid_t uid, char *buf, size_t len);
char *format_group(gid_t gid, char *buf, size_t len);

#endif
