#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Home Assistant's side of an MQTT light, for the mqled tests.

ha-light.py CONFIG check
    CONFIG (a discovery config, JSON) is one Home Assistant takes as a light
    of the default schema: every key is one of that schema's (Home Assistant
    drops an unknown key without a word, so a misspelt one would be lost),
    unique_id and default_entity_id ("light.<id>") are there, the
    deprecated object_id is not. Prints "brightness" and "effects" when the
    light has them.
ha-light.py CONFIG turn_on [--brightness N] [--effect NAME] [--last-brightness PAYLOAD]
ha-light.py CONFIG turn_off
    The MQTT messages Home Assistant publishes for light.turn_on and
    light.turn_off, one "TOPIC<TAB>PAYLOAD" line each, in its order: as its
    default schema does (components/mqtt/light/schema_basic.py), with
    on_command_type, brightness_scale and the command templates rendered by
    Jinja's sandbox, as Home Assistant renders them. N is Home Assistant's
    0..255; PAYLOAD what it last read on brightness_state_topic.
ha-light.py CONFIG read_brightness PAYLOAD
    The 0..255 brightness Home Assistant shows for PAYLOAD read on
    brightness_state_topic.
"""
import argparse
import json
import sys

from jinja2.sandbox import ImmutableSandboxedEnvironment

# The keys of a default-schema light's discovery config that Home Assistant
# knows: the light's own, and those every MQTT entity has.
KNOWN = {
    "availability", "availability_mode", "availability_template", "availability_topic",
    "brightness_command_template", "brightness_command_topic", "brightness_scale",
    "brightness_state_topic", "brightness_value_template",
    "color_mode_state_topic", "color_mode_value_template",
    "color_temp_command_template", "color_temp_command_topic", "color_temp_kelvin",
    "color_temp_state_topic", "color_temp_value_template",
    "command_topic", "default_entity_id", "device", "effect_command_template",
    "effect_command_topic", "effect_list", "effect_state_topic", "effect_value_template",
    "enabled_by_default", "encoding", "entity_category", "entity_picture",
    "hs_command_template", "hs_command_topic", "hs_state_topic", "hs_value_template",
    "icon", "json_attributes_template", "json_attributes_topic",
    "max_kelvin", "max_mireds", "min_kelvin", "min_mireds", "name", "on_command_type",
    "optimistic", "origin", "payload_available", "payload_not_available", "payload_off",
    "payload_on", "platform", "qos", "retain", "schema", "state_topic", "state_value_template",
    "unique_id", "white_command_topic", "white_scale",
    "xy_command_template", "xy_command_topic", "xy_state_topic", "xy_value_template",
}
ON_COMMAND_TYPES = ("first", "last", "brightness")


def fail(why):
    sys.exit("ha-light.py: Home Assistant would not take this config: " + why)


def render(template, value):
    if template is None:
        return str(value)
    return ImmutableSandboxedEnvironment().from_string(template).render(value=value)


def check(c):
    unknown = sorted(set(c) - KNOWN)
    if unknown:
        fail("unknown keys " + ", ".join(unknown))
    if "object_id" in c:
        fail("object_id is deprecated (default_entity_id)")
    if not c.get("unique_id"):
        fail("no unique_id")
    if c.get("default_entity_id") != "light." + c["unique_id"]:
        fail("default_entity_id is %r, not light.<unique_id>" % c.get("default_entity_id"))
    if c.get("schema", "default") != "default":
        fail("not the default schema")
    if c.get("on_command_type", "last") not in ON_COMMAND_TYPES:
        fail("on_command_type %r" % c.get("on_command_type"))
    scale = c.get("brightness_scale", 255)
    if not isinstance(scale, int) or scale < 1:
        fail("brightness_scale %r" % scale)
    if "effect_command_topic" in c and not c.get("effect_list"):
        fail("effects without effect_list")
    if "brightness_command_topic" in c:
        print("brightness")
    if "effect_command_topic" in c:
        print("effects")


def device_brightness(c, brightness):
    scale = c.get("brightness_scale", 255)
    return max(min(round(brightness / 255 * scale), scale), 1)


def read_brightness(c, payload):
    if not payload or float(payload) == 0:
        return None  # ignored
    return min(round(float(payload) / c.get("brightness_scale", 255) * 255), 255)


def turn_on(c, brightness, effect, last):
    out = []
    how = c.get("on_command_type", "last")
    if how == "first":
        out.append((c["command_topic"], c.get("payload_on", "ON")))
    elif how == "brightness" and brightness is None:
        brightness = (read_brightness(c, last) if last else None) or 255
    if brightness is not None and c.get("brightness_command_topic"):
        out.append((c["brightness_command_topic"],
                    render(c.get("brightness_command_template"), device_brightness(c, brightness))))
    if effect is not None and c.get("effect_command_topic") and effect in c.get("effect_list", []):
        out.append((c["effect_command_topic"], render(c.get("effect_command_template"), effect)))
    if how == "last":
        out.append((c["command_topic"], c.get("payload_on", "ON")))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("config")
    p.add_argument("action", choices=["check", "turn_on", "turn_off", "read_brightness"])
    p.add_argument("payload", nargs="?")
    p.add_argument("--brightness", type=int)
    p.add_argument("--effect")
    p.add_argument("--last-brightness")
    a = p.parse_args()
    with open(a.config) as f:
        c = json.load(f)
    if a.action == "check":
        check(c)
        return
    if a.action == "read_brightness":
        print(read_brightness(c, a.payload))
        return
    if a.action == "turn_on":
        out = turn_on(c, a.brightness, a.effect, a.last_brightness)
    else:
        out = [(c["command_topic"], c.get("payload_off", "OFF"))]
    for topic, payload in out:
        print(topic + "\t" + payload)


main()
