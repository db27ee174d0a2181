/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-dl.c - libmosquitto loaded with dlopen on first use (mqtt-dl.h). */
#include "config.h"
#include "queue/mqtt/mqtt-dl.h"
#include "queue/backend.h"

#include <dlfcn.h>
#include <errno.h>
#include <string.h>

static struct mqtt_dl table;
static bool loaded;
static void *library; /* kept open for the life of the process */

int mqtt_dl_load(const struct mqtt_dl **out, struct queue_detail *why)
{
	struct mqtt_dl t;
	void *lib;

	if (loaded) {
		*out = &table;
		return 0;
	}
	/* RTLD_LOCAL: its symbols (and libssl's) stay out of the global
	 * namespace; the handle is kept for the life of the process, as a
	 * linked library would be. */
	lib = dlopen(MQTT_DL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		queue_detail_set(why, "mqtt:// needs %s, which could not be loaded (%s): install libmosquitto1",
			MQTT_DL_SONAME, dlerror());
		return -ELIBACC;
	}
/* clang-format off */
#define MQTT_DL_RESOLVE(name) \
	*(void **)&t.name = dlsym(lib, "mosquitto_" #name); \
	if (!t.name) { \
		queue_detail_set(why, "%s has no mosquitto_%s: libmosquitto 2.0 or later is needed", \
			MQTT_DL_SONAME, #name); \
		dlclose(lib); \
		return -ELIBACC; \
	}
	/* clang-format on */
	MQTT_DL_FUNCTIONS(MQTT_DL_RESOLVE)
#undef MQTT_DL_RESOLVE
	if (t.lib_init() != MOSQ_ERR_SUCCESS) {
		queue_detail_set(why, "%s did not initialise (mosquitto_lib_init)", MQTT_DL_SONAME);
		dlclose(lib);
		return -ELIBACC;
	}
	table = t;
	library = lib;
	loaded = true;
	*out = &table;
	return 0;
}
