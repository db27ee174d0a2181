/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ha-discovery.h - Home Assistant's MQTT discovery for an mqled controller
 * (--ha-discovery): for each LED, a retained config on
 *   homeassistant/light/OBJECT_ID/config
 * that makes it a light of Home Assistant's default schema with the
 * controller's topics (mqtt-topics.h), so that it appears there with no
 * configuration. Everything Home Assistant sends is one of mqled's own
 * commands on the LED's command topic, by the config's command templates:
 *   ON, OFF                   the light switched (on_command_type "first")
 *   brightness N              an LED with levels (max_brightness above 1):
 *                             N of brightness_scale, its max_brightness,
 *                             which Home Assistant sends instead of ON
 *                             (on_command_type "brightness")
 *   an effect of effect_list  the mqled command of HA_EFFECTS, e.g.
 *                             "blink 500 500" for "blink"
 * and it reads back T/state, T/brightness and T/effect. Pure: no I/O. */
#ifndef MQTOOLS_LED_HA_DISCOVERY_H
#define MQTOOLS_LED_HA_DISCOVERY_H

#include <stddef.h>

#define HA_DISCOVERY_PREFIX "homeassistant"
/* Home Assistant says "online" here when it starts (its birth message):
 * the controller publishes its configs and state again. */
#define HA_DISCOVERY_STATUS_TOPIC HA_DISCOVERY_PREFIX "/status"
#define HA_DISCOVERY_ONLINE "online"
/* An object id: "mqled_", the topic's letters and digits with '_' for the
 * rest, then "_NAME" for a named LED; a long one is cut and ends in a hash
 * of the whole, so that two topics never share one. It is the light's
 * unique_id, and its default_entity_id is "light." and it. */
#define HA_OBJECT_ID_MAX 80
/* The effect state when the LED shows none of the effects (on, off, a
 * level, or a blink of its own timing): Home Assistant's EFFECT_OFF. */
#define HA_EFFECT_OFF "off"

/* The object id of LED (NAME, or "" the only one) of the controller on
 * TOPIC, into OUT (HA_OBJECT_ID_MAX + 1 bytes). */
void ha_discovery_object_id(const char *topic, const char *led, char out[HA_OBJECT_ID_MAX + 1]);
/* Its config topic into OUT: 0, or -ENAMETOOLONG. */
int ha_discovery_config_topic(const char *object_id, char *out, size_t len);
/* Its config payload, a JSON object, into OUT: its length, or
 * -ENAMETOOLONG when it does not fit. TOPIC is the controller's command
 * topic (valid UTF-8, as an MQTT topic is); MAX_LEVEL the LED's
 * max_brightness (0 or 1: on and off only, no brightness in the config). */
int ha_discovery_payload(const char *topic, const char *led, unsigned max_level, char *out, size_t len);
/* Room enough for the payload of TOPIC's LEDs. */
size_t ha_discovery_payload_size(const char *topic);
/* The effect of effect_list whose command is COMMAND (an mqled command as
 * the controller describes a running blink, "blink 500 500"), or
 * HA_EFFECT_OFF for NULL (no blink) or any other. */
const char *ha_discovery_effect(const char *command);

#endif
