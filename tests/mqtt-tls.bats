#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqtt:// and mqtts:// with a password file and TLS, against a real mosquitto
# whose CA and server certificate are made by openssl for this file.

load helper
load mosquitto

setup_file() {
	mosquitto_installed && tools_speak mqtt || return 0
	mosquitto_with_password alice 's3cret pass'
	mosquitto_with_tls
	mosquitto_start
}

teardown_file() {
	mosquitto_stop
}

setup() {
	mosquitto_test_setup
	printf 's3cret pass\n' >pw
	chmod 600 pw
}

@test "auth: the password from --password-file or MQTOOLS_PASSWORD; none or a wrong one is refused, naming the broker" {
	U=mqtt://alice@127.0.0.1:$MQTT_PORT/$T
	timeout 10 mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -u alice -P 's3cret pass' -t "$T" -C 2 >seen &
	local sub=$!
	mqtt_wait_subscribed "$T"
	run mqsend --password-file pw "$U" one
	assert_success
	MQTOOLS_PASSWORD='s3cret pass' run mqsend "$U" two
	assert_success
	wait "$sub"
	[ "$(cat seen)" = $'one\ntwo' ]
	run mqsend "$U" x
	assert_failure 1
	assert_output --partial "127.0.0.1:$MQTT_PORT refused the connection"
	assert_output --partial "MQTOOLS_PASSWORD"
	MQTOOLS_PASSWORD=wrong run mqrecv -T 1s "$U"
	assert_failure 1
	assert_output --partial "refused the connection"
	chmod 644 pw
	run mqsend --password-file pw "$U" x
	assert_failure 1
	assert_output --partial "chmod 600"
}

@test "TLS: mqtts:// with the test CA in MQTOOLS_CAFILE both ways; without it the server is not trusted" {
	U=mqtts://alice@localhost:$MQTT_TLS_PORT/$T
	export MQTOOLS_PASSWORD='s3cret pass'
	local before
	before=$(awk -v f="\$share/mqtools/$T" '$NF == f' "$MQTT_DIR/log" | wc -l)
	MQTOOLS_CAFILE=$MQTT_CA mqrecv -n 1 -r "$U" >got &
	local consumer=$!
	mqtt_wait_subscribed "\$share/mqtools/$T" $((before + 1))
	head -c 3000 /dev/urandom >data
	mosquitto_pub -h localhost -p "$MQTT_TLS_PORT" --cafile "$MQTT_CA" -u alice -P 's3cret pass' -q 1 -t "$T" -f data
	wait "$consumer"
	cmp data got
	timeout 10 mosquitto_sub -h localhost -p "$MQTT_TLS_PORT" --cafile "$MQTT_CA" -u alice -P 's3cret pass' -t "$T/x" -C 1 >seen &
	local sub=$!
	mqtt_wait_subscribed "$T/x"
	MQTOOLS_CAFILE=$MQTT_CA run mqsend "$U/x" secure
	assert_success
	wait "$sub"
	[ "$(cat seen)" = secure ]
	# the system CAs do not know the test CA
	run mqsend "$U/x" nope
	assert_failure 1
	assert_output --partial "localhost:$MQTT_TLS_PORT"
}
