/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/queue/kernel-text.c
 * fuzz-kernel-text.c - what mqstat reads from the kernel as text
 * (lib/queue/kernel-text.c): a line of /proc/sysvipc/msg, a /dev/mqueue/NAME file,
 * /proc/PID/syscall. The first input byte picks the parser; the rest is
 * handed over in a buffer of exactly its size, with no NUL after it, so
 * that reading past LEN is an AddressSanitizer report. A refused input
 * leaves the output untouched; an accepted line is a System V queue by id. */
#include "config.h"
#include "queue/kernel-text.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t len = size - 1;
	char *buf = malloc(len ? len : 1);
	CHECK(buf);
	memcpy(buf, data + 1, len);

	switch (data[0] % 3) {
	case 0: {
		struct queue_info info, before;
		memset(&info, 0xa5, sizeof(info));
		before = info;
		if (ktext_sysvipc_msg_line(buf, len, &info) == 0) {
			CHECK(info.addr.kind == QUEUE_SYSV && info.addr.form == ADDR_SYSV_ID);
			CHECK(info.addr.id >= 0);
		} else {
			CHECK(!memcmp(&info, &before, sizeof(info)));
		}
		break;
	}
	case 1: {
		struct mqueue_file f, before;
		memset(&f, 0xa5, sizeof(f));
		before = f;
		if (ktext_mqueue_file(buf, len, &f) != 0)
			CHECK(!memcmp(&f, &before, sizeof(f)));
		break;
	}
	default: {
		long nr = -7;
		unsigned long long arg1 = 7;
		if (ktext_proc_syscall(buf, len, &nr, &arg1) == 0)
			CHECK(nr >= 0);
		break;
	}
	}
	free(buf);
	return 0;
}
