#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# forward.bats - mqrecv SRC --to DST (issue 26): queue to queue between
# kinds, a message leaving SRC only once DST took it; store-and-forward
# with -f through a broker's outage; SIGKILLs lose at most the window of a
# kernel SRC and nothing of an amqp:// SRC; the options that mean nothing
# with --to refused. RabbitMQ and mosquitto on 127.0.0.1 and random ports,
# started once for the file; their tests are skipped without them.

load helper
load brokers

setup_file() { brokers_start; }
teardown_file() { brokers_stop; }
setup() {
	brokers_test_setup
	A=$RMQ_URL/t$BATS_TEST_NUMBER
}

# Messages of every sort: binary with a NUL, text, empty; with priorities.
seed() {
	printf '%s\n' '{"priority":5,"encoding":"base64","data":"AP/+AQ=="}' '{"priority":2,"data":"two"}' \
		'{"priority":0,"data":""}'
}

# "RANK ENCODING DATA" per message of QUEUE, drained (rank: a priority, or
# a type less 1).
drained_ranks() {
	mqrecv --drain --json "$1" |
		jq -r '"\(if .type then .type - 1 else .priority end) \(.encoding) \(.data)"'
}

@test "--to moves every message between POSIX and System V, bytes, order and priorities kept" {
	seed | mqsend -c --json /src
	mqsend -c key:0x51 </dev/null
	run mqrecv --drain /src --to key:0x51
	assert_success
	assert_output ''
	run mqrecv --nonblock /src
	assert_failure 4
	run drained_ranks key:0x51
	assert_output $'5 base64 AP/+AQ==\n2 text two\n0 text '
	# and back, with a type the other way
	seed | mqsend --json key:0x51
	mqrecv --drain key:0x51 --to /src
	run drained_ranks /src
	assert_output $'5 base64 AP/+AQ==\n2 text two\n0 text '
}

@test "--to with -n moves that many and leaves the rest; --batch bounds the window" {
	mqsend -c --maxmsg 10 /src m1 m2 m3 m4 m5 m6 m7
	mqsend -c /dst </dev/null
	run mqrecv -n 5 --batch 2 /src --to /dst
	assert_success
	run mqrecv --drain /dst
	assert_output $'m1\nm2\nm3\nm4\nm5'
	run mqrecv --drain /src
	assert_output $'m6\nm7'
}

@test "--to: DEST must exist (exit 3, nothing taken); options that mean nothing with it are refused" {
	mqsend -c /src keep
	run mqrecv /src --to /nosuch
	assert_failure 3
	assert_output --partial '/nosuch: no such queue (--to does not create it'
	run mqrecv --to /src /src
	assert_failure 2
	assert_output --partial 'names the queue it would take the messages from'
	local opt
	for opt in -0 -r '-d :' -J -j -v --peek --wait; do
		# shellcheck disable=SC2086 # the option's words
		run mqrecv $opt /src --to /dst
		assert_failure 2
		assert_output --partial '--to gives each message to the queue DEST'
	done
	run mqrecv /src --to /dst --exec cat
	assert_failure 2
	assert_output --partial '--to gives each message'
	run mqrecv /src --to 'bad address'
	assert_failure 2
	run mqrecv --drain /src
	assert_output keep
}

@test "--to -f: DEST removed while the forwarder waits: exit 3, the message it took back on SRC" {
	local q
	for q in /dst key:0x52; do
		mqsend -c /src </dev/null
		mqsend -c "$q" </dev/null
		start_bg mqrecv -f /src --to "$q"
		local fwd=$BG_PID
		wait_until _blocked_mqrecv
		mqrm "$q"
		mqsend /src after-removal
		wait_status "$fwd"
		assert_equal "$status" 3
		run mqrecv --drain /src
		assert_output after-removal
		mqrm /src
	done
}

_blocked_mqrecv() {
	local pid
	pid=$(ns_pid_of mqrecv) && process_waiting "$pid"
}

@test "--to -f: SRC removed ends forwarding with exit 3, after what it took was delivered" {
	mqsend -c /src one
	mqsend -c /dst </dev/null
	start_bg mqrecv -f /src --to /dst
	local fwd=$BG_PID
	wait_until _dst_has /dst 1
	wait_until _blocked_mqrecv
	mqrm /src
	wait_status "$fwd"
	assert_equal "$status" 3
	run mqrecv --drain /dst
	assert_output one
}

# The messages a kernel queue holds.
count_of() {
	mqstat -l --noheadings -o MSGS "$1" | tr -d ' '
}

_dst_has() { # QUEUE N: QUEUE holds N messages or more
	[ "$(count_of "$1")" -ge "$2" ]
}

@test "--to: SIGTERM while DEST is full puts the window back on SRC, exit 0 with -f (nothing lost)" {
	mqsend -c --maxmsg 10 /src </dev/null
	mqsend -c --maxmsg 2 /dst full1 full2
	mqsend /src a b c d e
	start_bg mqrecv -f --batch 4 /src --to /dst
	local fwd=$BG_PID
	# it took a window and waits for room in /dst
	wait_until _src_left /src 1
	wait_until _blocked_mqrecv
	kill -TERM "$fwd"
	wait_status "$fwd"
	assert_equal "$status" 0
	run mqrecv --drain /dst
	assert_output $'full1\nfull2'
	run mqrecv --drain /src
	# POSIX puts back behind what is queued: every message is there
	assert_equal "$(sort <<<"$output" | tr '\n' ' ')" 'a b c d e '
}

_src_left() { # QUEUE N: QUEUE holds N messages or fewer
	[ "$(count_of "$1")" -le "$2" ]
}

@test "--to: a message too large for DEST goes to the dead letter, the others on; exit 5" {
	mqsend -c --msgsize 100 /src small "$(head -c 50 /dev/zero | tr '\0' x)" after
	mqsend -c --msgsize 10 /dst </dev/null
	run mqrecv --drain --dead-letter dl /src --to /dst
	assert_failure 5
	assert_output --partial 'over the limit of /dst (10 bytes)'
	run mqrecv --drain /dst
	assert_output $'small\nafter'
	run jq -r '.size' dl
	assert_output 50
}

@test "--to kernel -> amqp:// and amqp:// -> kernel: bytes, order and priorities kept" {
	need_amqp
	seed | mqsend -c --json /src
	mqsend -c --max-priority 10 "$A" </dev/null
	run mqrecv --drain /src --to "$A"
	assert_success
	run mqrecv --nonblock /src
	assert_failure 4
	mqsend -c key:0x53 </dev/null
	run mqrecv --drain "$A" --to key:0x53
	assert_success
	run drained_ranks key:0x53
	assert_output $'5 base64 AP/+AQ==\n2 text two\n0 text '
	run mqrecv --drain "$A"
	assert_output ''
}

@test "--to amqp:// with --password-file: the password is the broker end's, whichever end it is" {
	need_amqp
	local url=${A/amqp:\/\//amqp://guest@}
	printf 'guest\n' >pw && chmod 600 pw
	mqsend -c /src one two
	mqsend -c "$A" </dev/null
	run mqrecv --drain /src --to "$url" --password-file pw
	assert_success
	mqsend -c /back </dev/null
	run mqrecv --drain "$url" --to /back --password-file pw
	assert_success
	run mqrecv --drain /back
	assert_output $'one\ntwo'
	# between kernel queues there is no password to give
	run mqrecv --drain /src --to /back --password-file pw
	assert_failure 2
	assert_output --partial 'a kernel queue has no password'
	# a wrong one is said as the broker's refusal, nothing taken
	printf 'wrong\n' >pw
	mqsend /src three
	run mqrecv --drain /src --to "$url" --password-file pw
	assert_failure
	run mqrecv --drain /src
	assert_output three
}

@test "--to amqp://: a missing destination queue is exit 3, and the source keeps its messages" {
	need_amqp
	mqsend -c /src keep
	run mqrecv /src --to "$A"
	assert_failure 3
	run mqrecv --drain /src
	assert_output keep
}

# --- store-and-forward against a real broker --------------------------------

# The lines M-00001.. M-N sent to QUEUE, FROM the first.
produce() { # QUEUE FROM TO
	seq -f 'm-%05g' "$2" "$3" | mqsend "$1"
}

# The distinct messages an amqp:// queue holds, drained, one a line, sorted.
amqp_drained_unique() {
	mqrecv --drain "$1" | sort -u
}

_stderr_says() { # FILE TEXT
	grep -qF -- "$2" "$1"
}

@test "store-and-forward: kernel -> amqp:// with the broker down longer than the reconnect window, a producer filling SRC: nothing lost" {
	need_amqp
	ns sh -c 'echo 1048576 > /proc/sys/kernel/msgmnb'
	mqsend -c --qbytes 1M key:0x61 </dev/null
	mqsend -c "$A" </dev/null
	start_bg mqrecv -f --batch 64 key:0x61 --to "$A" 2>fwd.err
	local fwd=$BG_PID
	produce key:0x61 1 1000
	wait_until sysv_empty_key 0x00000061
	# the broker goes away; the producer goes on
	rmq_kill_wait "$(cat "$RMQ_DIR/server.pid")"
	produce key:0x61 1001 2000
	# the backend's own reconnect window passes: the forwarder holds on
	for ((i = 0; i < 120; i++)); do _stderr_says fwd.err 'trying again until it answers' && break; sleep 1; done
	_stderr_says fwd.err 'trying again until it answers' || fail "the forwarder never said it holds on: $(cat fwd.err)"
	kill -0 "$fwd" || fail "the forwarder ended: $(cat fwd.err)"
	produce key:0x61 2001 3000
	# all but the window it holds wait in SRC
	[ "$(sysv_count 0x00000061)" -ge $((2000 - 64)) ] || fail "SRC holds $(sysv_count 0x00000061)"
	rabbitmq_respawn
	for ((i = 0; i < 120; i++)); do sysv_empty_key 0x00000061 && break; sleep 1; done
	sysv_empty_key 0x00000061 || fail "SRC still holds $(sysv_count 0x00000061) messages: $(cat fwd.err)"
	kill -TERM "$fwd"
	wait_status "$fwd"
	assert_equal "$status" 0
	run amqp_drained_unique "$A"
	assert_equal "$(wc -l <<<"$output")" 3000
	assert_equal "$output" "$(seq -f 'm-%05g' 1 3000)"
	run cat fwd.err
	assert_output --partial 'answers again: forwarding goes on'
}

# SIGKILL the forwarder FWD once COUNT-CMD... says it moved enough.
kill_when() { # PID CMD...
	local pid=$1
	shift
	wait_until "$@"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
}

_sysv_at_most() { # KEY N
	[ "$(sysv_count "$1")" -le "$2" ]
}

_sysv_at_least() { # KEY N
	[ "$(sysv_count "$1")" -ge "$2" ]
}

@test "forwarder SIGKILLed three times, then run again: a kernel SRC loses at most the window per kill" {
	need_amqp
	ns sh -c 'echo 1048576 > /proc/sys/kernel/msgmnb'
	mqsend -c --qbytes 1M key:0x62 </dev/null
	mqsend -c "$A" </dev/null
	produce key:0x62 1 3000
	local kill left=3000
	for kill in 1 2 3; do
		start_bg mqrecv -f --batch 50 key:0x62 --to "$A"
		left=$((left - 400))
		kill_when "$BG_PID" _sysv_at_most 0x00000062 "$left"
	done
	run mqrecv --drain --batch 50 key:0x62 --to "$A"
	assert_success
	sysv_empty_key 0x00000062
	amqp_drained_unique "$A" >got
	local n
	n=$(wc -l <got)
	[ "$n" -ge $((3000 - 3 * 50)) ] || fail "$((3000 - n)) messages lost in 3 kills of a window of 50"
	# nothing but what was sent
	comm -23 got <(seq -f 'm-%05g' 1 3000) >extra
	[ ! -s extra ] || fail "unknown messages: $(head -3 extra)"
}

@test "forwarder SIGKILLed three times, then run again: an amqp:// SRC loses nothing" {
	need_amqp
	ns sh -c 'echo 1048576 > /proc/sys/kernel/msgmnb'
	mqsend -c key:0x63 --qbytes 1M </dev/null
	mqsend -c "$A" </dev/null
	produce "$A" 1 3000
	local kill
	for kill in 1 2 3; do
		start_bg mqrecv -f --batch 50 "$A" --to key:0x63
		kill_when "$BG_PID" _sysv_at_least 0x00000063 $((kill * 600))
	done
	run mqrecv --drain --batch 50 "$A" --to key:0x63
	assert_success
	run mqrecv --drain "$A"
	assert_output ''
	mqrecv --drain key:0x63 | sort -u >got
	assert_equal "$(cat got)" "$(seq -f 'm-%05g' 1 3000)"
}

@test "--to mqtt:// publishes each message, counted once the broker acknowledged it; mqtt:// -> kernel from mosquitto_pub" {
	need_mqtt
	local U=mqtt://127.0.0.1:$MQTT_PORT/t$BATS_TEST_NUMBER
	timeout 20 mosquitto_sub -p "$MQTT_PORT" -h 127.0.0.1 -t "t$BATS_TEST_NUMBER/out" -C 3 >sub &
	local sub=$!
	mqtt_wait_subscribed "t$BATS_TEST_NUMBER/out"
	mqsend -c /src one two three
	run mqrecv --drain /src --to "$U/out"
	assert_success
	wait "$sub"
	assert_equal "$(cat sub)" $'one\ntwo\nthree'
	# and from a topic into a kernel queue
	mqsend -c key:0x64 </dev/null
	start_bg mqrecv -f "$U/in" --to key:0x64
	local fwd=$BG_PID
	mqtt_wait_subscribed "\$share/mqtools/t$BATS_TEST_NUMBER/in"
	local m
	for m in a b c; do
		mosquitto_pub -p "$MQTT_PORT" -h 127.0.0.1 -q 1 -t "t$BATS_TEST_NUMBER/in" -m "$m"
	done
	wait_until _sysv_at_least 0x00000064 3
	kill -TERM "$fwd"
	wait_status "$fwd"
	assert_equal "$status" 0
	run mqrecv --drain key:0x64
	assert_output $'a\nb\nc'
}

@test "completions: --to takes a queue (bash offers the live ones; zsh and fish know it)" {
	require_bash_completion
	mqsend -c /jobs </dev/null
	mqsend -c /logs </dev/null
	run bash_complete 'mqrecv /jobs --to /l'
	assert_success
	assert_output /logs
	run bash_complete 'mqrecv --t'
	assert_line -- --to
	assert_line -- --timeout
	grep -q -- "--to=\[send each message to this queue\]:queue:_mqtools queues" "$BATS_TEST_DIRNAME/../completions/_mqrecv"
	grep -q -- "option mqrecv '' to queue" "$BATS_TEST_DIRNAME/../completions/mqrecv.fish"
}
