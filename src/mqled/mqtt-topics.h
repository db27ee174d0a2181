/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-topics.h - the topics of an mqled controller on an MQTT broker,
 * all under its command topic T (mqled(1), MQTT):
 *   T                  commands for the controller (an LED's name first, or none)
 *   T/NAME             commands for LED NAME of -L NAME=SPEC
 *   T/state            ON or OFF, retained: the LED (without -L)
 *   T/NAME/state       ON or OFF, retained: LED NAME
 *   T/brightness, T/NAME/brightness   with --ha-discovery, for an LED with
 *                      brightness levels: its level while lit, retained
 *   T/effect, T/NAME/effect   with --ha-discovery: the Home Assistant
 *                      effect it shows, or "off", retained (ha-discovery.h)
 *   T/availability     online or offline, retained; offline is the Last Will
 *   T/reply/ID         a client's answers (MQTT 5 response topic); only the
 *                      controller's MQTT user may publish under T/reply/
 * Pure string work: no I/O. */
#ifndef MQTOOLS_LED_MQTT_TOPICS_H
#define MQTOOLS_LED_MQTT_TOPICS_H

#include <stdbool.h>
#include <stddef.h>

#define MQTT_TOPICS_STATE "state"
#define MQTT_TOPICS_BRIGHTNESS "brightness"
#define MQTT_TOPICS_EFFECT "effect"
#define MQTT_TOPICS_AVAILABILITY "availability"
#define MQTT_TOPICS_REPLY "reply"
#define MQTT_TOPICS_ONLINE "online"
#define MQTT_TOPICS_OFFLINE "offline"
#define MQTT_TOPICS_ON "ON"
#define MQTT_TOPICS_OFF "OFF"

/* Each writes the topic into OUT (LEN bytes); -ENAMETOOLONG when it does
 * not fit, else 0. LED is "" for the unnamed LED. */
int mqtt_topics_command(const char *base, const char *led, char *out, size_t len);
int mqtt_topics_state(const char *base, const char *led, char *out, size_t len);
int mqtt_topics_brightness(const char *base, const char *led, char *out, size_t len);
int mqtt_topics_effect(const char *base, const char *led, char *out, size_t len);
int mqtt_topics_availability(const char *base, char *out, size_t len);
/* The prefix of every reply topic: "T/reply/". */
int mqtt_topics_reply_prefix(const char *base, char *out, size_t len);
/* Whether TOPIC is a reply topic of BASE: "T/reply/" and one level of
 * letters, digits, '-' or '_' (what the client draws), nothing else. */
bool mqtt_topics_is_reply(const char *base, const char *topic);
/* Whether NAME, an LED's name, would collide with the controller's own
 * levels (state, brightness, effect, availability, reply) as T/NAME. */
bool mqtt_topics_reserved_name(const char *name);

#endif
