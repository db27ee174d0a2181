#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqled over MQTT, end to end against a real mosquitto (tests/mosquitto.bash)
# on 127.0.0.1 and a random port, with the console LED (its output
# checked) and mosquitto_pub/mosquitto_sub as the independent peer:
# Home Assistant's ON/OFF, the retained state, the client's commands by
# MQTT 5 request/response, the broker going away under a running
# controller, the Last Will after a SIGKILL, the broker's ACL keeping
# forged answers out, and Home Assistant: its discovery config, and what
# it sends from it (tests/ha-light.py) done on a kernel LED laid out in a
# directory like /sys/class/leds ($MQLED_SYS_CLASS_LEDS).
#
# The broker takes no anonymous client: the controller is user ledctl,
# clients are alice, and mallory may read commands but not answer them
# (the ACL of mqled(1), MQTT). Each test has topics of its own, tN/led,
# since the broker and its retained messages live for the whole file.

load helper
load mosquitto
# helper.bash's teardown, which ours calls last
eval "$(declare -f teardown | sed '1s/^teardown/helper_teardown/')"

PW=secret-for-tests

setup_file() {
	mosquitto_installed && tools_speak mqtt || return 0
	_mosquitto_dir
	mosquitto_with_password ledctl "$PW" || return 1
	mosquitto_passwd -b "$MQTT_PASSWORD_FILE" alice "$PW" >/dev/null 2>&1 || return 1
	mosquitto_passwd -b "$MQTT_PASSWORD_FILE" mallory "$PW" >/dev/null 2>&1 || return 1
	# what mqled(1) asks of the broker's ACL, for topics +/led
	cat >"$MQTT_DIR/acl" <<-'ACL'
	user ledctl
	topic read +/led
	topic read +/led/+
	topic write +/led/state
	topic write +/led/+/state
	topic write +/led/brightness
	topic write +/led/+/brightness
	topic write +/led/effect
	topic write +/led/+/effect
	topic write +/led/availability
	topic write +/led/reply/#
	topic write homeassistant/light/#
	topic read homeassistant/status

	user alice
	topic write +/led
	topic write +/led/+
	topic read +/led/state
	topic read +/led/+/state
	topic read +/led/brightness
	topic read +/led/+/brightness
	topic read +/led/effect
	topic read +/led/+/effect
	topic read +/led/availability
	topic read +/led/reply/#
	topic read homeassistant/light/#
	topic write homeassistant/status

	user mallory
	topic read +/led
	topic read +/led/availability
	topic read +/led/reply/#
	topic write +/led
	ACL
	mosquitto_with_acl "$MQTT_DIR/acl"
	mosquitto_with_tls || return 1
	mosquitto_start
}

# The broker's pid is read from its pid file: a test that restarts it runs
# in a subshell of its own, so the MQTT_PID exported by setup_file is the
# first broker's, not the one running now.
broker_stop() {
	MQTT_PID=$(cat "$MQTT_DIR/pid" 2>/dev/null) || MQTT_PID=
	mosquitto_stop
}
broker_running() {
	kill -0 "$(cat "$MQTT_DIR/pid" 2>/dev/null)" 2>/dev/null
}

teardown_file() {
	broker_stop
}

setup() {
	mosquitto_require
	require_tool mqled
	require_scheme mqtt
	require_command mosquitto_sub mosquitto-clients
	ns_setup
	T=t$BATS_TEST_NUMBER/led
	URL=mqtt://ledctl@127.0.0.1:$MQTT_PORT/$T
	CLIENT=mqtt://alice@127.0.0.1:$MQTT_PORT/$T
	export MQTOOLS_PASSWORD=$PW
}

teardown() {
	# the controller and the peers this test started, by pid
	local pid
	for pid in ${CTL_PID:-} ${PEER_PIDS:-}; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in ${CTL_PID:-} ${PEER_PIDS:-}; do
		wait "$pid" 2>/dev/null || true
	done
	# the broker may have been stopped by the test (restart): bring it back
	# for the next one (when the file started one: not for skipped tests)
	[ -z "${MQTT_PORT:-}" ] || broker_running || _mosquitto_run
	helper_teardown
}

# mosquitto_pub / mosquitto_sub as USER on the test's broker.
pub() {
	local user=$1
	shift
	mosquitto_pub -V 5 -h 127.0.0.1 -p "$MQTT_PORT" -u "$user" -P "$PW" -q 1 "$@"
}
sub() {
	local user=$1
	shift
	mosquitto_sub -V 5 -h 127.0.0.1 -p "$MQTT_PORT" -u "$user" -P "$PW" "$@"
}
# The retained value of TOPIC (as alice), or nothing within a second.
retained() {
	sub alice -t "$1" -C 1 -W 1 2>/dev/null || true
}
retained_is() {
	[ "$(retained "$1")" = "$2" ]
}

# Start the controller (arguments added to "mqled -q URL run --console"),
# its stdout in "out" and its log in "log"; wait until it is online.
start_controller() {
	start_bg bash -c 'exec mqled -q "$0" run "$@" >out 2>log' "$URL" "$@"
	CTL_PID=$BG_PID
	wait_until retained_is "$T/availability" online
}
led_state_is() {
	[ "$(tail -n 1 out)" = "$1" ]
}
wait_controller() {
	CTL_STATUS=0
	wait "$CTL_PID" || CTL_STATUS=$?
	CTL_PID=
}

# --- Home Assistant's payloads and the retained state -------------------------

@test "mqtt: mosquitto_pub ON turns the LED on, OFF off; the state is retained on TOPIC/state" {
	start_controller --console
	assert_equal "$(retained "$T/state")" OFF
	pub alice -t "$T" -m ON
	wait_until led_state_is "LED on"
	wait_until retained_is "$T/state" ON
	pub alice -t "$T" -m OFF
	wait_until led_state_is "LED off"
	wait_until retained_is "$T/state" OFF
	# the controller's own words too, and a refusal leaves the LED as it was
	pub alice -t "$T" -m 'blink 50'
	wait_until retained_is "$T/state" ON
	pub alice -t "$T" -m $'on\x1b[2J'
	wait_until grep -q 'rejected' log
	run grep -c $'\x1b' log
	assert_output 0
	pub alice -t "$T" -m off
	wait_until retained_is "$T/state" OFF
}

@test "mqtt: mqled on/off/status/stop over MQTT, with the client's exit statuses" {
	start_controller --console
	run mqled -q "$CLIENT" on
	assert_success
	assert_output ''
	assert_equal "$(tail -n 1 out)" "LED on"
	assert_equal "$(retained "$T/state")" ON
	run mqled -q "$CLIENT" status
	assert_success
	assert_line --index 0 'LED: on'
	assert_line --index 2 "controller: pid $(ns_pid_of mqled), topic $T on mqtt://127.0.0.1:$MQTT_PORT"
	run mqled -q "$CLIENT" off
	assert_success
	assert_equal "$(tail -n 1 out)" "LED off"
	run mqled -q "$CLIENT" brightness 50%
	assert_failure 1
	assert_output --partial "the controller refused 'brightness 50%'"
	run mqled -q "$CLIENT" stop
	assert_success
	wait_controller
	assert_equal "$CTL_STATUS" 0
	# a clean stop says offline itself; then there is no controller: 3
	assert_equal "$(retained "$T/availability")" offline
	run mqled -q "$CLIENT" -T 1s on
	assert_failure 3
	assert_output --partial "no controller: $T/availability says offline"
}

@test "mqtt: a topic no controller ever served is exit 3 after --timeout; a controller that does not answer is exit 4" {
	run mqled -q "$CLIENT" -T 300ms on
	assert_failure 3
	assert_output --partial 'has no value'
	# online, but nobody answers (a stand-in for a stuck controller)
	pub ledctl -r -t "$T/availability" -m online
	local start=$(now_ms)
	run mqled -q "$CLIENT" -T 300ms on
	assert_failure 4
	assert_output --partial 'no answer from the controller within 0.3 s'
	[ $(( $(now_ms) - start )) -lt 2000 ]
	pub ledctl -r -t "$T/availability" -m ''
}

# "mqled run & mqled on" over MQTT: the availability says offline (the
# round before stopped cleanly) or nothing, and the client waits for the
# controller's online, which comes once it is subscribed.
@test "mqtt: a client started with its controller waits for it: the first command of 30 starts is served" {
	local i
	for i in $(seq 30); do
		start_bg bash -c 'exec mqled -q "$0" run --console >out 2>log' "$URL"
		CTL_PID=$BG_PID
		run mqled -q "$CLIENT" -T 20s on
		[ "$status" = 0 ] || fail "round $i: status $status: $output; log: $(cat log)"
		run mqled -q "$CLIENT" stop
		assert_success
		wait_controller
		assert_equal "$CTL_STATUS" 0
		assert_equal "$(cat out)" $'LED off\nLED on\nLED off'
	done
}

@test "mqtt: systemd's notify socket: READY=1 once subscribed and online, STOPPING=1 at stop" {
	require_command python3
	NOTIFY_SOCKET=$BATS_TEST_TMPDIR/notify.sock
	start_bg python3 "$BATS_TEST_DIRNAME/notify-listener.py" "$NOTIFY_SOCKET" notify.log \
		bash -c "[ \"\$(mosquitto_sub -V 5 -h 127.0.0.1 -p $MQTT_PORT -u alice -P $PW -t $T/availability -C 1 -W 2)\" = online ]"
	PEER_PIDS=$BG_PID
	wait_until test -e "$NOTIFY_SOCKET.up"
	NOTIFY_SOCKET=$NOTIFY_SOCKET start_controller --console
	wait_until grep -q '^READY=1' notify.log
	run cat notify.log
	assert_output "READY=1 STATUS=serving topic $T on mqtt://127.0.0.1:$MQTT_PORT yes"
	run mqled -q "$CLIENT" stop
	assert_success
	wait_controller
	wait_until grep -q '^STOPPING=1' notify.log
}

@test "mqtt: systemd's notify socket with no broker: READY=1 after a few seconds, saying it is trying" {
	require_command python3
	local port
	port=$(free_loopback_port)
	NOTIFY_SOCKET=$BATS_TEST_TMPDIR/notify.sock
	start_bg python3 "$BATS_TEST_DIRNAME/notify-listener.py" "$NOTIFY_SOCKET" notify.log true
	PEER_PIDS=$BG_PID
	wait_until test -e "$NOTIFY_SOCKET.up"
	start_bg env NOTIFY_SOCKET="$NOTIFY_SOCKET" mqled -q "mqtt://alice@127.0.0.1:$port/nobroker/led" run --console
	CTL_PID=$BG_PID
	wait_until grep -q '^READY=1' notify.log
	run cat notify.log
	assert_output "READY=1 STATUS=not connected yet, trying: topic nobroker/led on mqtt://127.0.0.1:$port yes"
	# a client says where the fault is: the broker, not the controller
	run mqled -q "mqtt://alice@127.0.0.1:$port/nobroker/led" -T 1s on
	assert_failure 1
	assert_output --partial "cannot reach the broker at mqtt://127.0.0.1:$port"
	kill -TERM "$CTL_PID"
	wait_controller
	assert_equal "$CTL_STATUS" 0
	wait_until grep -q '^STOPPING=1' notify.log
}

@test "mqtt: the broker stopped and restarted under a running controller: it reconnects, serves again, its state right" {
	start_controller --console
	run mqled -q "$CLIENT" on
	assert_success
	broker_stop
	wait_until grep -q 'lost the broker' log
	# the LED keeps its state while the broker is away
	assert_equal "$(tail -n 1 out)" "LED on"
	run mqled -q "$CLIENT" -T 1s off
	assert_failure 1
	assert_output --partial 'cannot reach the broker'
	_mosquitto_run
	# persistence is off: the broker forgot every retained message, and the
	# controller publishes them again
	wait_until retained_is "$T/availability" online
	wait_until retained_is "$T/state" ON
	grep -q 'connected again' log
	run mqled -q "$CLIENT" status
	assert_success
	assert_line --index 0 'LED: on'
	pub alice -t "$T" -m OFF
	wait_until led_state_is "LED off"
	wait_until retained_is "$T/state" OFF
}

@test "mqtt: the Last Will marks the controller offline after a SIGKILL" {
	start_controller --console
	assert_equal "$(retained "$T/availability")" online
	kill -KILL "$(ns_pid_of mqled)"
	wait_controller
	wait_until retained_is "$T/availability" offline
	run mqled -q "$CLIENT" -T 1s status
	assert_failure 3
}

@test "mqtt: SIGTERM stops the controller at once, offline published, the LED off" {
	start_controller --console
	run mqled -q "$CLIENT" on
	kill -TERM "$(ns_pid_of mqled)"
	wait_controller
	assert_equal "$CTL_STATUS" 0
	assert_equal "$(retained "$T/availability")" offline
	assert_equal "$(retained "$T/state")" OFF
	grep -q 'stopping on Terminated' log
}

@test "mqtt: a controller started while the broker is down keeps trying, and serves once it is up" {
	broker_stop
	start_bg bash -c 'exec mqled -q "$0" run --console >out 2>log' "$URL"
	CTL_PID=$BG_PID
	wait_until grep -q 'cannot reach the broker' log
	wait_until grep -q 'controller started: .*not connected yet' log
	_mosquitto_run
	wait_until retained_is "$T/availability" online
	run mqled -q "$CLIENT" on
	assert_success
	assert_equal "$(tail -n 1 out)" "LED on"
}

@test "mqtt: a retained command is not executed, at start or at any reconnect" {
	pub alice -r -t "$T" -m stop
	start_controller --console
	wait_until grep -q 'ignored a retained command' log
	run mqled -q "$CLIENT" on
	assert_success
	pub alice -r -t "$T" -m ''
}

@test "mqtts: the controller and the client over TLS, the broker checked against MQTOOLS_CAFILE" {
	URL=mqtts://ledctl@127.0.0.1:$MQTT_TLS_PORT/$T
	CLIENT=mqtts://alice@127.0.0.1:$MQTT_TLS_PORT/$T
	export MQTOOLS_CAFILE=$MQTT_CA
	start_controller --console
	grep -q "mqtts://127.0.0.1:$MQTT_TLS_PORT: connected" log
	run mqled -q "$CLIENT" on
	assert_success
	assert_equal "$(tail -n 1 out)" "LED on"
	# without the test CA the system's CAs do not know the broker
	MQTOOLS_CAFILE= run mqled -q "$CLIENT" -T 1s off
	assert_failure 1
	assert_equal "$(tail -n 1 out)" "LED on"
}

@test "mqtt: the credentials are checked against the address, for the client and the controller" {
	local anonymous=mqtt://127.0.0.1:$MQTT_PORT/$T
	# MQTOOLS_PASSWORD (set by setup) with no user to give it to
	run mqled -q "$anonymous" on
	assert_failure 2
	assert_output --partial 'a password was given (MQTOOLS_PASSWORD or --password-file) but no user'
	run mqled -q "$anonymous" run --console
	assert_failure 2
	assert_output --partial 'but no user'
	# a client certificate is for mqtts://
	MQTOOLS_CERT=/dev/null run mqled -q "$CLIENT" on
	assert_failure 2
	assert_output --partial 'MQTOOLS_CERT and MQTOOLS_KEY are for mqtts://'
	MQTOOLS_KEY=/dev/null run mqled -q "$URL" run --console
	assert_failure 2
	assert_output --partial 'are for mqtts://'
	# a CA file that cannot be read: the TLS setup fails, naming it
	MQTOOLS_CAFILE=/nonexistent/ca.pem run mqled -q "mqtts://alice@127.0.0.1:$MQTT_TLS_PORT/$T" on
	assert_failure 1
	assert_output --partial 'TLS setup failed'
	assert_output --partial 'MQTOOLS_CAFILE'
	MQTOOLS_CAFILE=/nonexistent/ca.pem run mqled -q "mqtts://ledctl@127.0.0.1:$MQTT_TLS_PORT/$T" run --console
	assert_failure 1
	assert_output --partial 'TLS setup failed'
	refute_output --partial 'controller started'
}

# --- who may answer ------------------------------------------------------------

# Forge an answer as USER: read the next command on the test's topic (its
# response topic and correlation data) and publish "ok LED: FORGED" there
# with that correlation data; "forged" is written once it was tried.
start_forger() {
	local user=$1
	(
		line=$(sub "$user" -t "$T" -C 1 -W 5 -F '%R %D') || exit 1
		pub "$user" -t "${line%% *}" -D publish correlation-data "${line#* }" -m 'ok LED: FORGED' \
			>forger.log 2>&1
		echo tried >forged
	) 3>&- &
	PEER_PIDS="${PEER_PIDS:-} $!"
	mqtt_wait_subscribed "$T"
}

@test "mqtt: an ACL that forbids a user to publish answers is honoured: a forged answer is refused and never shown" {
	# a controller stand-in that is online but never answers
	pub ledctl -r -t "$T/availability" -m online
	start_forger mallory
	run mqled -q "$CLIENT" -T 2s status
	[ -e forged ] # the forgery was tried
	assert_failure 4
	refute_output --partial FORGED
	pub ledctl -r -t "$T/availability" -m ''
}

@test "mqtt: the same forgery by a user the ACL lets answer is taken: the ACL is what keeps it out" {
	pub ledctl -r -t "$T/availability" -m online
	start_forger ledctl
	run mqled -q "$CLIENT" -T 3s status
	# the client may have its answer before the forger's publish returns
	wait_until test -e forged
	assert_success
	assert_output 'LED: FORGED'
	pub ledctl -r -t "$T/availability" -m ''
}

@test "mqtt: an answer without the command's correlation data is ignored, counted, and never shown" {
	pub ledctl -r -t "$T/availability" -m online
	(
		line=$(sub mallory -t "$T" -C 1 -W 5 -F '%R') || exit 1
		pub ledctl -t "$line" -D publish correlation-data 00000000000000000000000000000000 -m 'ok LED: WRONG'
		echo tried >forged
	) 3>&- &
	PEER_PIDS=$!
	mqtt_wait_subscribed "$T"
	run mqled -q "$CLIENT" -T 1500ms status
	[ -e forged ]
	assert_failure 4
	refute_output --partial WRONG
	assert_output --partial 'ignored 1 message on the reply topic without this command'
	pub ledctl -r -t "$T/availability" -m ''
}

@test "mqtt: the controller answers only under TOPIC/reply/, whatever response topic a command names" {
	start_controller --console
	sub alice -t "$T/state" -C 3 -W 2 >seen &
	PEER_PIDS=$!
	mqtt_wait_subscribed "$T/state"
	pub alice -t "$T" -D publish response-topic "$T/state" -m on
	wait_until grep -q "no answer sent to response topic $T/state" log
	wait "$PEER_PIDS" || true
	PEER_PIDS=
	# the retained OFF, then ON: the answer did not go there
	assert_equal "$(cat seen)" $'OFF\nON'
}

@test "mqtt: a wrong password is refused by the broker, and said, for the controller and the client" {
	MQTOOLS_PASSWORD=wrong run mqled -q "$URL" run --console
	assert_failure 1
	assert_output --partial 'refused the connection'
	assert_output --partial 'MQTOOLS_PASSWORD'
	MQTOOLS_PASSWORD=wrong run mqled -q "$CLIENT" on
	assert_failure 1
	assert_output --partial 'refused the connection'
}

# --- several LEDs, Home Assistant discovery --------------------------------------

@test "mqtt: -L LEDs have their own command and state topics" {
	start_controller -L red=console
	pub alice -t "$T/red" -m ON
	wait_until retained_is "$T/red/state" ON
	run mqled -q "$CLIENT" red off
	assert_success
	wait_until retained_is "$T/red/state" OFF
	pub alice -t "$T/red" -m stop
	wait_until grep -q "'stop' is for the whole controller" log
	run mqled -q "$URL" run -L state=console
	assert_failure 2
	assert_output --partial 'uses itself'
}

@test "mqtt: --ha-discovery publishes Home Assistant's light config, its fields right" {
	require_command python3
	start_controller --console --ha-discovery
	local id=mqled_t${BATS_TEST_NUMBER}_led
	sub alice -t "homeassistant/light/$id/config" -C 1 -W 2 >config.json
	T=$T ID=$id python3 - config.json <<-'PY'
	import json, os, sys
	c = json.load(open(sys.argv[1]))
	t, i = os.environ["T"], os.environ["ID"]
	want = {"command_topic": t, "state_topic": t + "/state", "payload_on": "ON", "payload_off": "OFF",
		"availability_topic": t + "/availability", "payload_available": "online",
		"payload_not_available": "offline", "unique_id": i, "default_entity_id": "light." + i,
		"name": "LED", "on_command_type": "first", "effect_command_topic": t,
		"effect_state_topic": t + "/effect", "effect_list": ["blink", "fast blink", "heartbeat", "pulse"]}
	for k, v in want.items():
	    assert c.get(k) == v, (k, c.get(k), v)
	# the console has no levels; object_id is deprecated
	for k in ("object_id", "brightness_command_topic", "brightness_scale"):
	    assert k not in c, k
	assert c["device"]["identifiers"] == ["mqled_t" + t.split("/")[0][1:] + "_led"], c["device"]
	assert c["device"]["model"] == "mqled"
	assert c["origin"]["name"] == "mqled"
	PY
	assert_equal "$(retained "$T/effect")" off
	# and what it names works: Home Assistant's ON on the command topic
	pub alice -t "$T" -m ON
	wait_until retained_is "$T/state" ON
	run mqled run --console --ha-discovery
	assert_failure 2
	assert_output --partial '--ha-discovery is for mqtt:// topics'
}

@test "mqtt: usage errors: wildcards in the topic, --mode, reply=" {
	run mqled -q "mqtt://alice@127.0.0.1:$MQTT_PORT/home/+/led" on
	assert_failure 2
	run mqled -q "$URL" run --console -m 0620
	assert_failure 2
	assert_output --partial "broker's ACL"
	run mqled --password-file /dev/null on
	assert_failure 2
}

# A kernel LED NAME with max_brightness MAX and the kernel's timer and
# pattern triggers, in a directory laid out like /sys/class/leds.
fake_kernel_led() {
	local d=leds/$1
	mkdir -p "$d"
	echo 0 >"$d/brightness"
	echo "$2" >"$d/max_brightness"
	echo "none [mmc0] timer pattern" >"$d/trigger"
	: >"$d/delay_on"
	: >"$d/delay_off"
	: >"$d/pattern"
	: >"$d/repeat"
	export MQLED_SYS_CLASS_LEDS=$PWD/leds
}
# True when the LED's sysfs file ATTR holds WANT.
sysfs_is() {
	[ "$(cat "leds/$1/$2")" = "$3" ]
}
# Home Assistant's side (tests/ha-light.py): ha CONFIG ACTION...; ha_do
# publishes, as alice, what it would for ACTION.
ha() {
	python3 "$BATS_TEST_DIRNAME/ha-light.py" "$@"
}
ha_do() {
	local topic payload
	ha "$@" >ha.out || return 1
	while IFS=$'\t' read -r topic payload; do
		pub alice -t "$topic" -m "$payload" || return 1
	done <ha.out
}
require_ha_templates() {
	require_command python3
	python3 -c 'import jinja2' 2>/dev/null ||
		skip "python3-jinja2 (Home Assistant's template engine) is not installed"
}

@test "mqtt: what Home Assistant sends from the config does what it says on a kernel LED: on, off, brightness scaled, each effect" {
	require_ha_templates
	fake_kernel_led ACT 1000
	fake_kernel_led PWR 1
	start_controller -L act=led:ACT -L pwr=led:PWR --ha-discovery
	local act=mqled_t${BATS_TEST_NUMBER}_led_act pwr=mqled_t${BATS_TEST_NUMBER}_led_pwr
	sub alice -t "homeassistant/light/$act/config" -C 1 -W 2 >act.json
	sub alice -t "homeassistant/light/$pwr/config" -C 1 -W 2 >pwr.json
	run ha act.json check
	assert_success
	assert_output $'brightness\neffects'
	run ha pwr.json check
	assert_success
	assert_output effects
	grep -q '"brightness_scale":1000' act.json

	# on, nothing known yet: Home Assistant's full 255, the LED's 1000
	ha_do act.json turn_on
	wait_until sysfs_is ACT brightness 1000
	wait_until retained_is "$T/act/state" ON
	wait_until retained_is "$T/act/brightness" 1000
	# 128 of Home Assistant's 255 is 502 of 1000, which it reads back as 128
	ha_do act.json turn_on --brightness 128
	wait_until sysfs_is ACT brightness 502
	wait_until retained_is "$T/act/brightness" 502
	run ha act.json read_brightness 502
	assert_output 128
	# off; on again at the level it had, which the retained level says
	ha_do act.json turn_off
	wait_until sysfs_is ACT brightness 0
	wait_until retained_is "$T/act/state" OFF
	ha_do act.json turn_on --last-brightness "$(retained "$T/act/brightness")"
	wait_until sysfs_is ACT brightness 502
	run mqled -q "$CLIENT" act status
	assert_line --index 0 'LED act: on, brightness 502 of 1000'

	# each effect is the kernel's trigger that its command says
	ha_do act.json turn_on --effect blink
	wait_until sysfs_is ACT trigger timer
	sysfs_is ACT delay_on 500
	sysfs_is ACT delay_off 500
	wait_until retained_is "$T/act/effect" blink
	ha_do act.json turn_on --effect "fast blink"
	wait_until sysfs_is ACT delay_on 100
	sysfs_is ACT delay_off 100
	wait_until retained_is "$T/act/effect" "fast blink"
	ha_do act.json turn_on --effect heartbeat
	wait_until sysfs_is ACT trigger pattern
	sysfs_is ACT repeat -1
	sysfs_is ACT pattern "1000 100 1000 0 0 150 0 0 1000 100 1000 0 0 650 0 0"
	wait_until retained_is "$T/act/effect" heartbeat
	# a pulse is one: its effect ends with it (the retained heartbeat, the
	# level Home Assistant sends first, then pulse, then off)
	sub alice -t "$T/act/effect" -C 4 -W 10 >effects &
	PEER_PIDS=$!
	wait_until test -s effects
	ha_do act.json turn_on --effect pulse
	wait "$PEER_PIDS"
	PEER_PIDS=
	assert_equal "$(cat effects)" $'heartbeat\noff\npulse\noff'
	sysfs_is ACT repeat 1
	sysfs_is ACT pattern "1000 1000 1000 0 0 1 0 0"
	wait_until sysfs_is ACT trigger none
	ha_do act.json turn_off
	wait_until retained_is "$T/act/state" OFF

	# the one-level LED: ON, and ON before an effect, which replaces it
	ha_do pwr.json turn_on
	wait_until sysfs_is PWR brightness 1
	wait_until retained_is "$T/pwr/state" ON
	ha_do pwr.json turn_on --effect blink
	wait_until sysfs_is PWR trigger timer
	sysfs_is PWR delay_on 500
	wait_until retained_is "$T/pwr/effect" blink
	ha_do pwr.json turn_off
	wait_until sysfs_is PWR trigger none
	sysfs_is PWR brightness 0
	wait_until retained_is "$T/pwr/effect" off
	wait_until retained_is "$T/pwr/state" OFF
}

@test "mqtt: Home Assistant's birth message (online on homeassistant/status): config, state and online published again" {
	start_controller --console --ha-discovery
	local config=homeassistant/light/mqled_t${BATS_TEST_NUMBER}_led/config
	pub alice -t "$T" -m ON
	wait_until retained_is "$T/state" ON
	# a broker without persistence that restarted has forgotten them
	pub ledctl -r -t "$config" -m ''
	pub ledctl -r -t "$T/state" -m ''
	pub ledctl -r -t "$T/availability" -m ''
	[ -z "$(retained "$config")" ]
	pub alice -t homeassistant/status -m online
	wait_until retained_is "$T/availability" online
	retained_is "$T/state" ON
	retained "$config" | grep -q '"unique_id":"mqled_t'
	run grep -c 'Home Assistant is online' log
	assert_output 1
	# its last will, offline, asks for nothing
	pub alice -t homeassistant/status -m offline
	pub alice -t "$T" -m OFF
	wait_until retained_is "$T/state" OFF
	run grep -c 'Home Assistant is online' log
	assert_output 1
}
