#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# json.bats - mqsend --json (issue 26): the JSON lines of mqrecv --json and
# of the dead letters go back on a queue of any kind, bytes, order and
# priority or type kept (mapped across kinds as mqtools(7) says); a line
# that is not such an object stops mqsend there. The network kinds against
# a real RabbitMQ and mosquitto on 127.0.0.1 and random ports, started once
# for the file; their tests are skipped without them.

load helper
load brokers

setup_file() { brokers_start; }
teardown_file() { brokers_stop; }
setup() { brokers_test_setup; }

# The four messages of every round trip: binary with a NUL, text, text
# with a newline and non-ASCII, and empty; each with its own priority, the
# highest first, so that a queue that delivers by priority keeps the order
# they were sent in (the mapping test reorders).
seed() {
	cat <<-'EOF'
		{"priority":5,"encoding":"base64","data":"AP/+AQ=="}
		{"priority":2,"data":"hello"}
		{"priority":1,"data":"a\nb \u00e9\ud83d\ude00"}
		{"priority":0,"data":""}
	EOF
}

need_kind() {
	case $1 in
	amqp) need_amqp ;;
	mqtt) need_mqtt ;;
	esac
	return 0
}

# A queue of KIND for this test, named by SUFFIX.
address() { # KIND SUFFIX
	case $1 in
	posix) echo "/$2" ;;
	sysv) printf 'key:0x%08x\n' "$(cksum <<<"$2" | cut -c1-6)" ;;
	amqp) echo "$RMQ_URL/t$BATS_TEST_NUMBER-$2" ;;
	mqtt) echo "mqtt://127.0.0.1:$MQTT_PORT/t$BATS_TEST_NUMBER/$2" ;;
	esac
}

# Send the JSON lines of file IN to the queue of KIND at ADDR with mqsend
# --json, and write what comes out of it with mqrecv --json to file OUT. An
# MQTT topic keeps nothing: its subscriber is there before the first send.
through() { # KIND ADDR IN OUT
	local kind=$1 addr=$2 in=$3 out=$4 n
	n=$(wc -l <"$in")
	if [ "$kind" = mqtt ]; then
		local topic=${addr#mqtt://*/} before
		before=$(awk -v f="\$share/mqtools/$topic" '$NF == f' "$MQTT_DIR/log" | wc -l)
		mqrecv -n "$n" --json "$addr" >"$out" &
		local reader=$!
		mqtt_wait_subscribed "\$share/mqtools/$topic" $((before + 1))
		mqsend --json "$addr" <"$in" || return 1
		wait "$reader" || return 1
		return 0
	fi
	local create=(-c)
	[ "$kind" = amqp ] && create+=(--max-priority 10)
	mqsend --json "${create[@]}" "$addr" <"$in" || return 1
	mqrecv --drain --json "$addr" >"$out"
}

# Each line of a JSON file as "RANK ENCODING DATA" (rank: a priority, or a
# type less 1, as mqtools(7) maps them; "-" for an MQTT message), or with
# NORANK without the rank.
ranks() { # FILE [norank]
	if [ "${2:-}" = norank ]; then
		jq -r '"\(.encoding) \(.data | @json)"' "$1"
	else
		jq -r '"\(if .type then .type - 1 elif .priority then .priority else 0 end) \(.encoding) \(.data | @json)"' "$1"
	fi
}

# A to B and back to A: A's messages come back byte for byte, in the order
# A gave them, with their priorities; B holds them with theirs mapped. A
# topic carries no priority: through one, the messages keep bytes and order.
round_trip() { # KIND-A KIND-B
	local a=$1 b=$2 qa qb
	need_kind "$a"
	need_kind "$b"
	qa=$(address "$a" "a-$a$b")
	qb=$(address "$b" "b-$a$b")
	seed >seed.json
	through "$a" "$qa" seed.json first.json || fail "$a: mqsend --json or mqrecv failed"
	through "$b" "$qb" first.json middle.json || fail "$a -> $b failed"
	through "$a" "$qa" middle.json last.json || fail "$a -> $b -> $a failed"
	[ "$(wc -l <first.json)" = 4 ] || fail "$a holds $(wc -l <first.json) messages, not 4"
	local keep=
	if [ "$a" = mqtt ] || [ "$b" = mqtt ]; then keep=norank; fi
	diff <(ranks first.json $keep) <(ranks middle.json $keep) || fail "$a -> $b changed messages"
	diff <(ranks first.json $keep) <(ranks last.json $keep) || fail "$a -> $b -> $a changed messages"
	# the binary message as bytes, whatever the JSON
	jq -r 'select(.encoding == "base64") | .data' last.json | base64 -d | od -An -tx1 >bytes
	[ "$a" = mqtt ] || assert_equal "$(tr -d ' \n' <bytes)" 00fffe01
}

# round_trip from kind A to every kind there is a server for, and back.
round_trips_from() { # KIND-A
	local b
	need_kind "$1"
	for b in posix sysv amqp mqtt; do
		if [ "$b" = amqp ] && [ -z "${RMQ_URL:-}" ]; then continue; fi
		if [ "$b" = mqtt ] && [ -z "${MQTT_PORT:-}" ]; then continue; fi
		round_trip "$1" "$b"
	done
}

@test "--json round trips from POSIX to every kind and back, binary data and priorities kept" {
	round_trips_from posix
}

@test "--json round trips from System V to every kind and back, binary data and types kept" {
	round_trips_from sysv
}

@test "--json round trips from amqp:// to every kind and back, binary data and priorities kept" {
	round_trips_from amqp
}

@test "--json round trips from mqtt:// to every kind and back, binary data and order kept" {
	round_trips_from mqtt
}

@test "--json maps priorities and types across kinds: type = priority + 1, clamped to the destination's highest" {
	printf '%s\n' '{"priority":0,"data":"p0"}' '{"priority":7,"data":"p7"}' '{"priority":40000,"data":"big"}' \
		'{"type":1,"data":"t1"}' '{"type":9,"data":"t9"}' '{"data":"none"}' \
		'{"type":3,"priority":4,"data":"both"}' '{"qos":1,"retained":true,"data":"mqtt"}' >in.json
	mqsend -c --json key:0x71 <in.json
	run drain_with key:0x71 type
	assert_output $'1 p0\n8 p7\n40001 big\n1 t1\n9 t9\n1 none\n3 both\n1 mqtt'
	mqsend -c --json /m <in.json
	run drain_with /m priority
	assert_output $'32767 big\n8 t9\n7 p7\n4 both\n0 p0\n0 t1\n0 none\n0 mqtt'
	# -p and -t give a line without one its priority or type
	printf '%s\n' '{"data":"default"}' '{"priority":2,"data":"own"}' | mqsend --json -p 3 /m
	run drain_with /m priority
	assert_output $'3 default\n2 own'
	printf '%s\n' '{"data":"default"}' '{"type":2,"data":"own"}' | mqsend --json -t 5 key:0x71
	run drain_with key:0x71 type
	assert_output $'5 default\n2 own'
}

@test "--json to amqp:// clamps a priority at 255 and keeps the order a priority queue gives" {
	need_amqp
	local q=$RMQ_URL/t$BATS_TEST_NUMBER
	printf '%s\n' '{"priority":1,"data":"low"}' '{"priority":300,"data":"high"}' '{"type":6,"data":"mid"}' >in.json
	mqsend -c --max-priority 255 --json "$q" <in.json
	run drain_with "$q" priority
	assert_output $'255 high\n5 mid\n1 low'
}

@test "mqrecv's dead letter goes back with mqsend --json, each message with its priority or type (POSIX, System V)" {
	local q field
	for q in /jobs key:0x72; do
		field=priority
		[ "$q" = /jobs ] || field=type
		printf '%s\n' "{\"$field\":3,\"data\":\"three\"}" "{\"$field\":2,\"encoding\":\"base64\",\"data\":\"AP8=\"}" \
			"{\"$field\":1,\"data\":\"one\"}" | mqsend -c --json "$q"
		rm -f dl
		# every command fails at once: every message goes to the dead letter
		run mqrecv --drain --retries 0 --dead-letter dl "$q" --exec false
		assert_failure 5
		[ "$(wc -l <dl)" = 3 ] || fail "the dead letter holds $(wc -l <dl) lines"
		run mqrecv --nonblock "$q"
		assert_failure 4
		run mqsend --json "$q" <dl
		assert_success
		run mqrecv --drain --json "$q"
		assert_success
		run jq -r "\"\(.$field) \(.encoding) \(.data)\"" <<<"$output"
		assert_output $'3 text three\n2 base64 AP8=\n1 text one'
	done
}

@test "mqrecv's dead letter on standard error goes back too: its JSON lines are the lines starting with {" {
	[ -w /dev/full ] || skip "no /dev/full"
	mqsend -c -m 0644 -p 4 /ro "$(printf 'evil\033[2J')"
	run --separate-stderr ns env -C / setpriv --reuid=65534 --regid=65534 --clear-groups \
		sh -c "'$MQTOOLS_BIN/mqrecv' /ro >/dev/full"
	assert_equal "$status" 5
	grep '^{' <<<"$stderr" | mqsend --json /ro
	run drain_with /ro priority
	assert_output "4 $(printf 'evil\033[2J')"
}

@test "a bad line stops mqsend --json there: its number, column and fault, the count before it, exit 1, nothing after" {
	local bad
	mqsend -c /q </dev/null
	while IFS= read -r bad; do
		printf '%s\n' '{"data":"one"}' '{"data":"two"}' "$bad" '{"data":"after"}' >in.json
		run mqsend --json /q <in.json
		assert_failure 1
		assert_output --partial "standard input, line 3, column "
		assert_output --partial "nothing after it was sent, 2 messages were sent before it"
		run mqrecv --drain /q
		assert_output $'one\ntwo'
	done <<-'EOF'
		not json
		{"data":"x"} trailing
		{"data":"x"
		{"data":1}
		{"size":1}
		{"data":"x","data":"y"}
		{"data":"x","size":2}
		{"data":"x","priority":-1}
		{"data":"x","priority":1.5}
		{"data":"x","type":0}
		{"data":"\ud800"}
		{"data":"\q"}
		{"data":"x","encoding":"hex"}
		{"data":"AB=","encoding":"base64"}
		{"data":"x",}
		[{"data":"x"}]
	EOF
	# the fault in words, at its column
	printf '%s\n' '{"data":"ok"}' '{"data":"x","size":2}' >in.json
	run mqsend --json /q <in.json
	assert_failure 1
	assert_output --partial 'line 2, column 20: "size" is 2, but "data" holds 1 byte'
	assert_output --partial '1 message was sent before it'
	printf '%s\n' '{"data":"x"}' '' '{"data":"y"}' >in.json
	run mqsend --json /q <in.json
	assert_failure 1
	assert_output --partial 'line 2, column 1: an empty line, not a JSON object'
	printf '%s\n' '{"data":"\udc00"}' >in.json
	run mqsend --json /q <in.json
	assert_failure 1
	assert_output --partial 'line 1, column 10: \udc00 is the second half of a surrogate pair'
	printf '{"data":"\xff"}\n' >in.json
	run mqsend --json /q <in.json
	assert_failure 1
	assert_output --partial 'not UTF-8'
	run mqrecv --drain /q
	assert_output $'ok\nx'
}

@test "--json: a message over the queue's limit, and a line too long for any, are refused with the count sent" {
	mqsend -c --msgsize 8 /small </dev/null
	printf '%s\n' '{"data":"12345678"}' '{"data":"123456789"}' '{"data":"after"}' >in.json
	run --separate-stderr mqsend --json --dead-letter dl.json /small <in.json
	# it, as a message, and the line read after it, never sent, as it was
	# read: ready for mqsend --json again (exit 5)
	assert_failure 5
	[[ $stderr == *"the message of line 2 is 9 bytes, over the queue's limit of 8 bytes"* ]] || fail "$stderr"
	[[ $stderr == *"1 message was sent before it"* ]] || fail "$stderr"
	assert_equal "$(cat dl.json)" $'{"queue":"/small","priority":0,"size":9,"encoding":"text","data":"123456789"}\n{"data":"after"}'
	{ printf '{"data":"'; head -c 200000 /dev/zero | tr '\0' a; printf '"}\n{"data":"after"}\n'; } >long.json
	run mqsend --json /small <long.json
	assert_failure 1
	assert_output --partial "line 1: the line is 200011 bytes long, over the limit"
	run mqrecv --drain /small
	assert_output 12345678
}

@test "--json to amqp://: a bad line reports the messages the broker confirmed before it" {
	need_amqp
	local q=$RMQ_URL/t$BATS_TEST_NUMBER
	printf '%s\n' '{"data":"a"}' '{"data":"b"}' '{"data":"c"}' '{oops}' '{"data":"after"}' >in.json
	run mqsend -c --json "$q" <in.json
	assert_failure 1
	assert_output --partial 'line 4, column 2'
	assert_output --partial '3 messages were sent before it'
	run mqrecv --drain "$q"
	assert_output $'a\nb\nc'
}

@test "--json is refused with --null, --delimiter, --whole and message arguments; -J is --json" {
	run mqsend -c --json -0 /q
	assert_failure 2
	assert_output --partial "--json reads one JSON object a line"
	run mqsend -J -w /q
	assert_failure 2
	run mqsend -J /q '{"data":"x"}'
	assert_failure 2
	assert_output --partial "--json applies to standard input"
	echo '{"data":"short"}' | mqsend -c -J /q
	run mqrecv /q
	assert_output short
}

@test "mqrecv: -J, -j and --json are one option; --delimiter ends each message with its byte, as mqsend -d reads" {
	mqsend -c -p 2 /q 'a b' c
	run mqrecv -J /q
	assert_output '{"queue":"/q","priority":2,"size":3,"encoding":"text","data":"a b"}'
	run mqrecv -j /q
	assert_output --partial '"data":"c"'
	run mqrecv -J --json /q
	assert_failure 2
	assert_output --partial "choose one output format"
	mqsend /q one two three
	mqrecv --drain --delimiter : /q >out
	assert_equal "$(cat out)" 'one:two:three:'
	mqsend -d : /q <out
	mqrecv -n 3 -d '\x00' /q >out
	run od -An -c out
	assert_output --regexp 'o +n +e +\\0 +t +w +o +\\0 +t +h +r +e +e +\\0'
	mqsend /q x
	run mqrecv -v -d '\t' /q
	assert_output $'0\tx\t'
	for bad in '-0 -d :' '-r -d :' '-J -d :' '-d ab'; do
		# shellcheck disable=SC2086 # the options' words
		run mqrecv $bad /q
		assert_failure 2
	done
	run mqrecv -d : /q --exec cat
	assert_failure 2
	assert_output --partial "--delimiter"
}
