/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ha-discovery.h - Home Assistant's MQTT discovery for an mqled controller
 * (--ha-discovery): for each LED, a retained config on
 *   homeassistant/light/OBJECT_ID/config
 * that makes it a light with the controller's command and state topics,
 * ON/OFF payloads and the availability topic of the Last Will
 * (mqtt-topics.h), so that it appears in Home Assistant with no
 * configuration. Pure: no I/O. */
#ifndef MQTOOLS_LED_HA_DISCOVERY_H
#define MQTOOLS_LED_HA_DISCOVERY_H

#include <stddef.h>

#define HA_DISCOVERY_PREFIX "homeassistant"
/* An object id: "mqled_", the topic's letters and digits with '_' for the
 * rest, then "_NAME" for a named LED; a long one is cut and ends in a hash
 * of the whole, so that two topics never share one. */
#define HA_OBJECT_ID_MAX 80

/* The object id of LED (NAME, or "" the only one) of the controller on
 * TOPIC, into OUT (HA_OBJECT_ID_MAX + 1 bytes). */
void ha_discovery_object_id(const char *topic, const char *led, char out[HA_OBJECT_ID_MAX + 1]);
/* Its config topic into OUT: 0, or -ENAMETOOLONG. */
int ha_discovery_config_topic(const char *object_id, char *out, size_t len);
/* Its config payload, a JSON object, into OUT: its length, or
 * -ENAMETOOLONG when it does not fit. TOPIC is the controller's command
 * topic (valid UTF-8, as an MQTT topic is). */
int ha_discovery_payload(const char *topic, const char *led, char *out, size_t len);
/* Room enough for the payload of TOPIC's LEDs. */
size_t ha_discovery_payload_size(const char *topic);

#endif
