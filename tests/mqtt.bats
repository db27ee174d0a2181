#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqsend and mqrecv on mqtt:// against a real mosquitto (tests/mosquitto.bash),
# with mosquitto_pub and mosquitto_sub as the independent peer.

load helper
load mosquitto

setup_file() {
	mosquitto_installed && tools_speak mqtt || return 0
	mosquitto_start
}

teardown_file() {
	mosquitto_stop
}

setup() {
	mosquitto_test_setup
	U=mqtt://127.0.0.1:$MQTT_PORT
}

# Background a consumer and wait until the broker has its subscription.
consume() { # FILTER OUTFILE mqrecv-args...
	local filter=$1 out=$2
	shift 2
	local before
	before=$(awk -v f="$filter" '$NF == f' "$MQTT_DIR/log" | wc -l)
	mqrecv "$@" >"$out" 2>"$out.err" &
	CONSUMER=$!
	mqtt_wait_subscribed "$filter" $((before + 1))
}

@test "mqsend publishes at QoS 1 to mosquitto_sub: lines, and binary data byte for byte (--whole)" {
	timeout 10 mosquitto_sub -p "$MQTT_PORT" -h 127.0.0.1 -t "$T/lines" -C 3 >lines &
	local sub1=$!
	timeout 10 mosquitto_sub -p "$MQTT_PORT" -h 127.0.0.1 -t "$T/bin" -C 1 -N >binout &
	local sub2=$!
	mqtt_wait_subscribed "$T/lines"
	mqtt_wait_subscribed "$T/bin"
	printf 'one\ntwo\nthree\n' | mqsend "$U/$T/lines"
	head -c 70000 /dev/urandom >data
	printf '\0\n\r\xff' >>data
	mqsend --whole "$U/$T/bin" <data
	wait "$sub1"
	wait "$sub2"
	[ "$(cat lines)" = $'one\ntwo\nthree' ]
	cmp data binout
}

@test "mqrecv takes what mosquitto_pub publishes: byte for byte (--raw), -n, in order" {
	head -c 5000 /dev/urandom >data
	consume "\$share/mqtools/$T" got -r -n 1 "$U/$T"
	mosquitto_pub -p "$MQTT_PORT" -h 127.0.0.1 -q 1 -t "$T" -f data
	wait "$CONSUMER"
	cmp data got
	consume "\$share/mqtools/$T" lines -n 3 "$U/$T"
	for m in a b c; do mosquitto_pub -p "$MQTT_PORT" -h 127.0.0.1 -q 1 -t "$T" -m "$m"; done
	wait "$CONSUMER"
	[ "$(cat lines)" = $'a\nb\nc' ]
}

@test "two competing consumers (the default shared subscription) get disjoint messages, all of them" {
	consume "\$share/mqtools/$T" c1 -f "$U/$T"
	local p1=$CONSUMER
	consume "\$share/mqtools/$T" c2 -f "$U/$T"
	local p2=$CONSUMER
	seq 1 200 | mqsend "$U/$T"
	# every message reached one of them
	for _ in $(seq 250); do
		[ "$(cat c1 c2 | wc -l)" -ge 200 ] && break
		sleep 0.02
	done
	kill -TERM "$p1" "$p2"
	wait "$p1"
	wait "$p2"
	[ "$(sort -n c1 c2)" = "$(seq 1 200)" ]
	[ "$(sort c1 c2 | uniq -d)" = "" ]
	[ -s c1 ] && [ -s c2 ]
}

@test "--group names the share; --fanout gives every subscriber every message" {
	consume "\$share/g1/$T" g -n 2 --group g1 "$U/$T"
	local pg=$CONSUMER
	consume "$T" f1 -n 2 --fanout "$U/$T"
	local p1=$CONSUMER
	consume "$T" f2 -n 2 --fanout "$U/$T"
	local p2=$CONSUMER
	mqsend "$U/$T" x y
	wait "$pg"
	wait "$p1"
	wait "$p2"
	[ "$(cat g)" = $'x\ny' ]
	[ "$(cat f1)" = $'x\ny' ]
	[ "$(cat f2)" = $'x\ny' ]
}

@test "--session keeps a persistent session: messages published while the consumer is away wait for it" {
	run mqrecv --session "s$T" -T 300ms "$U/$T"
	assert_failure 4 # nothing yet; the session now exists
	mqsend "$U/$T" while away
	mosquitto_pub -p "$MQTT_PORT" -h 127.0.0.1 -q 1 -t "$T" -m gone
	run mqrecv --session "s$T" -n 3 -T 5s "$U/$T"
	assert_success
	assert_output $'while\naway\ngone'
	# without a session, what was published meanwhile is the broker's to drop
	mqsend "$U/$T" dropped
	run mqrecv -T 300ms "$U/$T"
	assert_failure 4
}

@test "--json: topic, QoS and the retained flag, with the data" {
	mosquitto_pub -p "$MQTT_PORT" -h 127.0.0.1 -q 1 -r -t "$T" -m 'kept "state"'
	consume "$T" out --json --fanout -n 2 "$U/$T"
	mqsend "$U/$T?qos=2" $'live\x01'
	wait "$CONSUMER"
	run jq -c '[.topic, .qos, .retained, .data]' out
	assert_line -n 0 "[\"$T\",1,true,\"kept \\\"state\\\"\"]"
	assert_line -n 1 "[\"$T\",1,false,\"live\\u0001\"]"
	mosquitto_pub -p "$MQTT_PORT" -h 127.0.0.1 -r -n -t "$T"
}

@test "qos=0 and qos=2 publish; the subscription's QoS caps what arrives" {
	consume "\$share/mqtools/$T" out -n 2 "$U/$T?qos=2"
	mqsend "$U/$T?qos=0" zero
	mqsend "$U/$T?qos=2" two
	wait "$CONSUMER"
	[ "$(cat out)" = $'zero\ntwo' ]
}

@test "refusals: what MQTT has no meaning for is a usage error with the reason" {
	run mqsend -p 3 "$U/$T" x
	assert_failure 2
	assert_output --partial "no priority"
	run mqsend -t 2 "$U/$T" x
	assert_failure 2
	assert_output --partial "no type"
	run mqsend --nonblock "$U/$T" x
	assert_failure 2
	assert_output --partial "never full or empty to a client"
	run mqsend -c "$U/$T" x
	assert_failure 2
	assert_output --partial "needs no creating"
	run mqrecv --peek "$U/$T"
	assert_failure 2
	assert_output --partial "--peek"
	run mqrecv --drain "$U/$T"
	assert_failure 2
	assert_output --partial "--drain"
	run mqrecv --nonblock "$U/$T"
	assert_failure 2
	run mqrecv -t 1 "$U/$T"
	assert_failure 2
	run mqrecv --wait "$U/$T"
	assert_failure 2
	run mqrecv -v "$U/$T"
	assert_failure 2
	assert_output --partial "--json shows the QoS"
	run mqrecv --group g --fanout "$U/$T"
	assert_failure 2
	assert_output --partial "exclusive"
	run mqrecv --group 'a/b' "$U/$T"
	assert_failure 2
	run mqrecv --session s /q
	assert_failure 2
	assert_output --partial "--session is for mqtt://"
	# a topic is no queue: nothing to make, show or remove
	run ns "$MQTOOLS_BIN/mqmk" "$U/$T"
	assert_failure 1
	assert_output --partial "needs no creating"
	run ns "$MQTOOLS_BIN/mqrm" "$U/$T"
	assert_failure 1
	assert_output --partial "not a queue"
}

@test "bad mqtt:// addresses are usage errors naming the part" {
	run mqsend "$U/a/+/b" x
	assert_failure 2
	assert_output --partial "wildcards"
	run mqsend "$U/a/%2B" x
	assert_failure 2
	assert_output --partial "wildcards"
	run mqrecv "$U/a/#"
	assert_failure 2
	assert_output --partial "'#' must be written %23"
	# mqrecv takes a filter, its wildcards whole levels, '#' the last
	run mqrecv "$U/a/b%23"
	assert_failure 2
	assert_output --partial "('#') must be a whole level"
	run mqrecv "$U/a/%23/b"
	assert_failure 2
	assert_output --partial "'#' must be the last level"
	run mqsend "$U/a?qos=3" x
	assert_failure 2
	assert_output --partial "qos '3'"
	run mqsend "$U/a?retain=1" x
	assert_failure 2
	assert_output --partial "'retain'"
	run mqsend "$U/" x
	assert_failure 2
	assert_output --partial "topic: missing"
	run mqsend "$U/\$SYS/x" x
	assert_failure 2
	assert_output --partial "broker's own"
	run mqsend "$U/a%ffb" x
	assert_failure 2
	assert_output --partial "UTF-8"
	run mqsend "$U/a%1b[31mb" x
	assert_failure 2
	assert_output --partial "control character"
	run mqsend "mqtt://u:pw@127.0.0.1:$MQTT_PORT/a" x
	assert_failure 2
}

@test "broker down: exit 1, naming host:port and what to check" {
	local port
	port=$(mqtt_free_port)
	run mqsend "mqtt://127.0.0.1:$port/a" x
	assert_failure 1
	assert_output --partial "127.0.0.1:$port"
	assert_output --partial "Connection refused"
	run mqrecv "mqtt://127.0.0.1:$port/a"
	assert_failure 1
	assert_output --partial "127.0.0.1:$port"
	# failover: the first host down, the second serves
	run mqsend "mqtt://127.0.0.1:$port,127.0.0.1:$MQTT_PORT/$T" x
	assert_success
}

@test "--timeout: exit 4 when no message comes in time; what came is written" {
	run mqrecv -T 200ms "$U/$T"
	assert_failure 4
	assert_output --partial "timed out"
	consume "\$share/mqtools/$T" out -n 3 -T 1s "$U/$T"
	mqsend "$U/$T" only
	status=0
	wait "$CONSUMER" || status=$?
	[ "$status" = 4 ]
	[ "$(cat out)" = only ]
}

@test "SIGTERM stops a blocked mqrecv at once; a sender waiting for a stopped broker's PUBACK within 2 s" {
	consume "\$share/mqtools/$T" out -f "$U/$T"
	local start=$SECONDS
	kill -TERM "$CONSUMER"
	status=0
	wait "$CONSUMER" || status=$?
	[ "$status" = 0 ] # --follow ends cleanly on a stop signal
	consume "\$share/mqtools/$T" out -n 1 "$U/$T"
	kill -INT "$CONSUMER"
	status=0
	wait "$CONSUMER" || status=$?
	[ "$status" = 1 ]
	grep -q interrupted out.err
	# the broker frozen: mqsend is connected, its PUBACK never comes
	mqsend "$U/$T" 2>err < <({ sleep 0.3; echo x; sleep 0.5; echo y; sleep 3; } 3>&-) &
	local sender=$!
	sleep 0.6
	kill -STOP "$MQTT_PID"
	sleep 0.5
	local t0=$SECONDS
	kill -TERM "$sender"
	status=0
	wait "$sender" || status=$?
	kill -CONT "$MQTT_PID"
	[ $((SECONDS - t0)) -le 2 ]
	# y, read and never acknowledged, is in the dead letter (stderr)
	[ "$status" = 5 ]
	grep -q "1 message was sent before it" err
	grep -q '"data":"y"' err
	[ $((SECONDS - start)) -le 8 ]
}

@test "signal matrix, broker sample: every stop signal ends mqrecv -f subscribed (0) and mqsend connected, waiting for input (1)" {
	local sig n=0 st
	for sig in HUP INT TERM QUIT USR1 USR2; do
		consume "\$share/mqtools/$T" out -f "$U/$T"
		kill -"$sig" "$CONSUMER"
		st=0
		wait "$CONSUMER" || st=$?
		[ "$st" = 0 ] || fail "mqrecv -f, SIG$sig: status $st"
		# a sender that published one line and waits for the next
		n=$((n + 1))
		timeout 10 mosquitto_sub -p "$MQTT_PORT" -h 127.0.0.1 -t "$T/s" -C 1 >seen &
		local observer=$!
		mqtt_wait_subscribed "$T/s" "$n"
		rm -f fifo over && mkfifo fifo
		{ echo "line $sig"; until [ -e over ]; do sleep 0.05; done; } >fifo 3>&- &
		local producer=$!
		env --default-signal mqsend "$U/$T/s" <fifo 2>err &
		local sender=$!
		wait "$observer"
		[ "$(cat seen)" = "line $sig" ]
		kill -"$sig" "$sender"
		st=0
		wait "$sender" || st=$?
		touch over
		wait "$producer" || true
		[ "$st" = 1 ] || fail "mqsend, SIG$sig: status $st: $(cat err)"
		grep -q "stopped by SIG$sig" err || fail "mqsend, SIG$sig: $(cat err)"
	done
}

@test "output that fails gives the message back: published again, as an observer sees" {
	timeout 10 mosquitto_sub -p "$MQTT_PORT" -h 127.0.0.1 -t "$T" -C 2 >seen &
	local observer=$!
	mqtt_wait_subscribed "$T"
	local before
	before=$(awk -v f="\$share/mqtools/$T" '$NF == f' "$MQTT_DIR/log" | wc -l)
	mqrecv -n 1 "$U/$T" >/dev/full 2>err &
	local consumer=$!
	mqtt_wait_subscribed "\$share/mqtools/$T" $((before + 1))
	mqsend "$U/$T" precious
	status=0
	wait "$consumer" || status=$?
	[ "$status" = 1 ]
	grep -q "put back" err
	wait "$observer"
	[ "$(cat seen)" = $'precious\nprecious' ]
}

@test "the broker going away under mqrecv -f and mqsend: exit 1, naming the broker" {
	consume "\$share/mqtools/$T" out -f "$U/$T"
	mqsend "$U/$T" before
	mqtools_wait_lines() { for _ in $(seq 250); do [ "$(wc -l <"$1")" -ge "$2" ] && return; sleep 0.02; done; false; }
	mqtools_wait_lines out 1
	mosquitto_restart
	status=0
	wait "$CONSUMER" || status=$?
	[ "$status" = 1 ]
	grep -q "connection to the MQTT broker at 127.0.0.1:$MQTT_PORT was lost" out.err
	[ "$(cat out)" = before ]
}

@test "the kernel-queue path does not load libmosquitto or libssl" {
	mqsend -c /q x
	run env LD_DEBUG=libs mqsend /q y
	assert_success
	refute_output --partial libmosquitto
	refute_output --partial libssl
	run env LD_DEBUG=libs mqrecv -n 2 /q
	refute_output --partial libmosquitto
	run env LD_DEBUG=libs mqsend "$U/$T" z
	assert_output --partial libmosquitto
}

@test "mqrecv -n 1 with standard output closed: exit 1, saying so, and its persistent session keeps the message" {
	# the session exists, and holds a message published while it is away
	run mqrecv --session "s$T" -T 300ms "$U/$T"
	assert_failure 4
	mqsend "$U/$T" kept
	local before
	before=$(grep -cw "s$T" "$MQTT_DIR/log" || true)
	run bash -c "mqrecv --session 's$T' -n 1 '$U/$T' >&-"
	assert_failure 1
	assert_output --partial 'standard output is closed: nothing was taken'
	# it did not even connect: the broker logged nothing of the session
	assert_equal "$(grep -cw "s$T" "$MQTT_DIR/log" || true)" "$before"
	run mqrecv --session "s$T" -n 1 -T 5s "$U/$T"
	assert_success
	assert_output kept
	# without a session, and under -f, the same refusal
	run bash -c "mqrecv -n 1 '$U/$T' >&-"
	assert_failure 1
	assert_output --partial 'standard output is closed: nothing was taken'
	run bash -c "mqrecv -f '$U/$T' >&-"
	assert_failure 1
	assert_output --partial 'standard output is closed'
}
