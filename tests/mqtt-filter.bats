#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqtt-filter.bats - mqrecv subscribes with an MQTT topic filter (issue 26):
# '+' and '#' against a real mosquitto (tests/mosquitto.bash) fed by
# mosquitto_pub; --json names each message's topic; what goes back, or to
# the dead letter, keeps its own topic; mqsend and --to still want one
# topic.

load helper
load mosquitto

setup_file() { ! mosquitto_installed || mosquitto_start; }
teardown_file() { mosquitto_stop; }
setup() {
	mosquitto_test_setup
	require_command jq
	U=mqtt://127.0.0.1:$MQTT_PORT
}

pub() { # TOPIC MESSAGE
	mosquitto_pub -p "$MQTT_PORT" -h 127.0.0.1 -q 1 -t "$1" -m "$2"
}

# Start mqrecv ARGS... in the background, its output in OUT (its errors in
# the file of OUT's name and .err, here), and wait until the broker has its
# subscription to FILTER.
subscriber() { # FILTER OUT ARGS...
	local filter=$1 out=$2 before
	shift 2
	before=$(awk -v f="$filter" '$NF == f' "$MQTT_DIR/log" | wc -l)
	mqrecv "$@" >"$out" 2>"${out##*/}.err" &
	READER=$!
	mqtt_wait_subscribed "$filter" $((before + 1))
}

@test "a '+' filter takes the messages of every topic it matches, and --json names each one's topic" {
	subscriber "\$share/mqtools/$T/+/temp" out -n 3 --json "$U/$T/+/temp"
	pub "$T/hall/temp" 21.5
	pub "$T/hall/humidity" 40
	pub "$T/kitchen/temp" 23
	pub "$T/cellar/temp" 12
	wait "$READER"
	run jq -r '"\(.topic) \(.data) \(.qos)"' out
	assert_output "$T/hall/temp 21.5 1
$T/kitchen/temp 23 1
$T/cellar/temp 12 1"
	run jq -r .queue out
	assert_line "$U/$T/+/temp"
}

@test "a '#' filter (written %23 in the URL) takes the topic and every level below it; --fanout with a filter too" {
	subscriber "\$share/mqtools/$T/a/#" out -n 3 -J "$U/$T/a/%23"
	pub "$T/a" top
	pub "$T/b" other
	pub "$T/a/b" one
	pub "$T/a/b/c" two
	wait "$READER"
	run jq -r '"\(.topic) \(.data)"' out
	assert_output "$T/a top
$T/a/b one
$T/a/b/c two"
	subscriber "$T/+" fan -n 1 -J --fanout "$U/$T/+"
	pub "$T/x" fanned
	wait "$READER"
	run jq -r '"\(.topic) \(.data)"' fan
	assert_output "$T/x fanned"
}

@test "what mqrecv took with a filter and could not write goes back to the message's own topic" {
	[ -w /dev/full ] || skip "no /dev/full"
	timeout 20 mosquitto_sub -p "$MQTT_PORT" -h 127.0.0.1 -t "$T/#" -v -C 2 >seen &
	local watcher=$!
	mqtt_wait_subscribed "$T/#"
	subscriber "\$share/mqtools/$T/+" /dev/full "$U/$T/+"
	pub "$T/a" m1
	wait_status "$READER"
	assert_equal "$status" 1
	wait "$watcher" || fail "seen: $(cat seen); mqrecv said: $(cat full.err)"
	# seen as published, then again as put back: on its own topic, not the filter
	assert_equal "$(cat seen)" "$T/a m1
$T/a m1"
	run cat full.err
	assert_output --partial "1 message put back on $U/$T/+"
}

@test "the dead letter of a filter's messages keeps their topics" {
	subscriber "\$share/mqtools/$T/+" out -n 2 --retries 0 --dead-letter dl "$U/$T/+" --exec false
	pub "$T/a" m1
	pub "$T/b" m2
	wait_status "$READER"
	assert_equal "$status" 5
	run jq -r '"\(.topic) \(.data)"' dl
	assert_output "$T/a m1
$T/b m2"
}

@test "mqsend and --to still want one topic: a filter is a usage error" {
	run mqsend "$U/$T/+/temp" x
	assert_failure 2
	assert_output --partial "wildcards"
	run mqsend "$U/$T/%23" x
	assert_failure 2
	mqsend -c /q x
	run mqrecv /q --to "$U/$T/+"
	assert_failure 2
	assert_output --partial "wildcards"
	run mqrecv --drain /q
	assert_output x
}

@test "a filter forwards with --to: each message of the matching topics to a kernel queue" {
	mqsend -c key:0x91 </dev/null
	subscriber "\$share/mqtools/$T/+/temp" fwd -f --idle 2s "$U/$T/+/temp" --to key:0x91
	pub "$T/hall/temp" 21
	pub "$T/hall/x" no
	pub "$T/attic/temp" 30
	wait_until _sysv_holds 0x00000091 2
	kill -TERM "$READER"
	wait_status "$READER"
	assert_equal "$status" 0
	run mqrecv --drain key:0x91
	assert_output $'21\n30'
}

_sysv_holds() {
	[ "$(sysv_count "$1")" -ge "$2" ]
}
