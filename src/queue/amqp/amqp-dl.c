/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-dl.c - load rabbitmq-c on first use (see amqp-dl.h). */
#include "config.h"
#include "queue/amqp/amqp-dl.h"
#include "queue/backend.h"

#include <dlfcn.h>
#include <stdio.h>

static struct amqp_dl table;
static void *handle; /* kept until exit: the tools open one broker per run */
static int loaded;   /* 0 not tried, 1 loaded, -1 failed */
static char failure[200];

static int load(void)
{
	void *h = handle = dlopen(AMQP_DL_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *missing = NULL;

	if (!h) {
		snprintf(failure, sizeof(failure), "amqp:// needs %s (install librabbitmq4): %s", AMQP_DL_SONAME,
			dlerror());
		return -1;
	}
/* clang-format off */
#define AMQP_DL_LOAD(name) \
	if (!missing && !(*(void **)&table.name = dlsym(h, #name))) \
		missing = #name;
	/* clang-format on */
	AMQP_DL_FUNCTIONS(AMQP_DL_LOAD)
#undef AMQP_DL_LOAD
	if (!missing && !(table.empty_table = dlsym(h, "amqp_empty_table")))
		missing = "amqp_empty_table";
	if (missing) {
		snprintf(failure, sizeof(failure), "%s lacks %s: rabbitmq-c 0.10 or later is needed", AMQP_DL_SONAME,
			missing);
		dlclose(h);
		handle = NULL;
		return -1;
	}
	return 1;
}

const struct amqp_dl *amqp_dl_get(struct queue_detail *why)
{
	if (!loaded)
		loaded = load();
	if (loaded < 0) {
		queue_detail_set(why, "%s", failure);
		return NULL;
	}
	return &table;
}
