#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# amqp://: mqsend and mqrecv against a real RabbitMQ node, started once for
# this file on 127.0.0.1 and random ports (tests/rabbitmq.bash). Skipped
# only when rabbitmq-server is not installed or the tools were built
# without amqp://.

load helper
load rabbitmq

setup_file() {
	rabbitmq_file_setup
}

teardown_file() {
	rabbitmq_stop
}

setup() {
	amqp_test_setup
	Q=$RMQ_URL/t$BATS_TEST_NUMBER
}

@test "messages from arguments and standard input arrive in order, and --drain ends" {
	run mqsend -c "$Q" one 'two words'
	assert_success
	printf 'three\n\nfive\n' | mqsend "$Q"
	run mqrecv --drain "$Q"
	assert_success
	assert_output $'one\ntwo words\nthree\n\nfive'
	run mqrecv --nonblock "$Q"
	assert_failure 4
	assert_output --partial "empty"
}

@test "a missing queue is exit 3, for mqsend and mqrecv, naming the queue and --create" {
	run mqsend "$Q" x
	assert_failure 3
	assert_output --partial "no queue 't$BATS_TEST_NUMBER' in vhost '/'"
	assert_output --partial "--create"
	run mqrecv "$Q"
	assert_failure 3
}

@test "connection refused, failed login and a missing vhost name the broker and the fix" {
	local port
	port=$(rmq_freeport)
	run mqsend "amqp://127.0.0.1:$port/q" x
	assert_failure 1
	assert_output --partial "amqp://127.0.0.1:$port: cannot connect"
	run mqsend "amqp://bob@127.0.0.1:$RMQ_PORT/q" x
	assert_failure 1
	assert_output --partial "authentication failed for user 'bob'"
	run env MQTOOLS_PASSWORD=wrong mqsend "$Q" x
	assert_failure 1
	assert_output --partial "authentication failed for user 'guest'"
	run mqsend "$RMQ_URL/novhost/q" x
	assert_failure 1
	assert_output --partial "vhost 'novhost' does not exist"
}

@test "--password-file gives the password; one that others may read is refused" {
	printf 'guest\n' >pw
	chmod 600 pw
	run mqsend -c --password-file pw "$RMQ_URL/%2F/t$BATS_TEST_NUMBER" x
	assert_success
	chmod 644 pw
	run mqrecv --password-file pw "$Q"
	assert_failure 1
	assert_output --partial "other users may read it"
}

@test "bad amqp:// URLs are usage errors naming the part" {
	run mqsend "$RMQ_URL/" x
	assert_failure 2
	assert_output --partial "needs a queue name"
	run mqsend "$RMQ_URL/a/b/c" x
	assert_failure 2
	assert_output --partial "one '/' at most"
	run mqrecv "$RMQ_URL/q?x=1"
	assert_failure 2
	assert_output --partial "takes no"
	run mqsend "$RMQ_URL/%zz" x
	assert_failure 2
	assert_output --partial "two hex digits"
}

@test "options that do not apply to amqp:// are usage errors saying why" {
	run mqrecv -t 1 "$Q"
	assert_failure 2
	assert_output --partial "System V"
	run mqrecv --peek "$Q"
	assert_failure 2
	run mqrecv --wait "$Q"
	assert_failure 2
	run mqrecv "$Q" --exec cat
	assert_failure 2
	assert_output --partial "--exec is for kernel queues"
	run mqsend -c --mode 600 "$Q" x
	assert_failure 2
	assert_output --partial "RabbitMQ's"
	run mqsend -c --msgsize 10 "$Q" x
	assert_failure 2
	run mqsend -t 2 "$Q" x
	assert_failure 2
	run mqsend -p 256 "$Q" x
	assert_failure 2
	run mqsend -c --max-priority 5 /k x
	assert_failure 2
	assert_output --partial "for amqp://"
	run mqsend --replicated -c /k x
	assert_failure 2
}

@test "--create on a queue that exists unlike it asks names what differs, in one sentence, and the way out" {
	# a non-durable queue, which mqsend -c never declares: made on the node itself
	rmqctl eval "rabbit_amqqueue:declare(rabbit_misc:r(<<\"/\">>, queue, <<\"t$BATS_TEST_NUMBER\">>), false, false, [], none, <<\"guest\">>)." >/dev/null
	run mqsend -c "$Q" x
	assert_failure 1
	assert_output --partial "$RMQ_URL: the queue 't$BATS_TEST_NUMBER' exists, but its 'durable' is 'false', not 'true' as --create asks; leave out --create to use it as it is"
	refute_output --partial "asked for ("
	run mqsend "$Q" x
	assert_success
	mqsend -c --max-priority 5 "$Q-p" x
	run mqsend -c "$Q-p" y
	assert_failure 1
	assert_output --partial "exists, but its 'x-max-priority' is the value '5' of type "
	assert_output --partial "not none as --create asks"
}

@test "--max-priority: higher priorities come first, in order within one" {
	run mqsend -c --max-priority 9 "$Q" x
	assert_success
	mqrecv --drain "$Q" >/dev/null
	mqsend -p 1 "$Q" a1 a2
	mqsend -p 9 "$Q" c1 c2
	mqsend "$Q" z
	mqsend -p 5 "$Q" b1
	run mqrecv --drain -v "$Q"
	assert_success
	assert_output $'9\tc1\n9\tc2\n5\tb1\n1\ta1\n1\ta2\n0\tz'
}

@test "binary data arrives byte for byte, and a multi-megabyte stream whole" {
	head -c 300000 /dev/urandom >random.bin
	mqsend -c -w "$Q" <random.bin
	mqrecv -r "$Q" >got.bin
	cmp random.bin got.bin
	seq 1 400000 >lines
	mqsend "$Q" <lines
	mqrecv --drain "$Q" >got2
	cmp lines got2
}

@test "--json shows the data and the priority" {
	mqsend -c --max-priority 3 "$Q" hello
	mqsend -p 2 "$Q" $'tab\there'
	run bash -c "mqrecv --drain --json '$Q' | jq -c '[.data, .priority]'"
	assert_success
	assert_output $'["tab\\there",2]\n["hello",0]'
}

@test "--maxmsg: a full queue refuses (--nonblock exit 4, --timeout exit 4), a waiting sender goes on when there is room" {
	mqsend -c --maxmsg 2 "$Q" a b
	run mqsend --nonblock "$Q" c
	assert_failure 4
	assert_output --partial "full"
	run mqsend -T 300ms "$Q" c
	assert_failure 4
	mqsend "$Q" c d &
	local pid=$!
	sleep 1
	kill -0 "$pid"
	run mqrecv -n 2 "$Q"
	assert_output $'a\nb'
	wait "$pid"
	run mqrecv --drain "$Q"
	assert_output $'c\nd'
}

@test "--qbytes: a queue of limited bytes refuses when full" {
	mqsend -c --qbytes 10 "$Q" 12345 67890
	run mqsend --nonblock "$Q" x
	assert_failure 4
}

@test "a failed write puts the messages back, in order" {
	mqsend -c "$Q" m1 m2 m3 m4
	run bash -c "mqrecv -n 3 '$Q' >/dev/full"
	assert_failure 1
	# as many as had been taken when the write failed: m1 alone when the
	# others had not arrived yet (a loaded machine), up to all 3
	assert_output --regexp "(1 message|[23] messages) put back"
	run mqrecv --drain "$Q"
	assert_output $'m1\nm2\nm3\nm4'
}

@test "receive timeouts: --timeout and --nonblock exit 4 on an empty queue" {
	mqsend -c "$Q" x
	mqrecv "$Q" >/dev/null
	run mqrecv -T 200ms "$Q"
	assert_failure 4
	run mqrecv --nonblock "$Q"
	assert_failure 4
}

@test "-f ends with exit 0 when the queue is deleted, and on SIGTERM" {
	mqsend -c "$Q" one
	start_bg bash -c "exec mqrecv -f '$Q' >out"
	local pid=$BG_PID
	wait_until grep -q one out
	rmqctl delete_queue "t$BATS_TEST_NUMBER" >/dev/null
	wait_status "$pid"
	assert_equal "$status" 0
	assert_equal "$(cat out)" one
	mqsend -c "$Q" two
	start_bg bash -c "exec mqrecv -f '$Q' >out2"
	pid=$BG_PID
	wait_until grep -q two out2
	kill -TERM "$pid"
	wait_status "$pid"
	assert_equal "$status" 0
	assert_equal "$(cat out2)" two
	# what output took was acked: nothing comes again
	run mqrecv --nonblock "$Q"
	assert_failure 4
}

@test "competing consumers get each message exactly once" {
	mqsend -c "$Q" start
	mqrecv "$Q" >/dev/null
	local pids=() i
	for i in 1 2 3; do
		start_bg bash -c "exec mqrecv -f --batch 8 '$Q' >c$i"
		pids+=("$BG_PID")
	done
	seq 1 3000 | mqsend "$Q"
	wait_until bash -c '[ "$(cat c1 c2 c3 | wc -l)" -ge 3000 ]'
	kill -TERM "${pids[@]}"
	for i in "${pids[@]}"; do
		wait_status "$i"
		assert_equal "$status" 0
	done
	run bash -c "cat c1 c2 c3 | sort -n | uniq | wc -l; cat c1 c2 c3 | wc -l"
	assert_output $'3000\n3000'
	[ -s c1 ] && [ -s c2 ] && [ -s c3 ]
}

@test "SIGKILL of one of 4 consumers mid-stream loses nothing" {
	mqsend -c "$Q" start
	mqrecv "$Q" >/dev/null
	local pids=() i
	seq 1 20000 | mqsend "$Q"
	for i in 1 2 3 4; do
		start_bg bash -c "exec mqrecv -f --batch 16 '$Q' >c$i"
		pids+=("$BG_PID")
	done
	wait_until test -s c1
	kill -KILL "${pids[0]}"
	wait_status "${pids[0]}"
	assert_equal "$status" 137
	wait_until bash -c '[ "$(cat c1 c2 c3 c4 | sort -un | wc -l)" -ge 20000 ]'
	kill -TERM "${pids[@]:1}"
	for i in "${pids[@]:1}"; do wait_status "$i"; done
	mqrecv --drain "$Q" >rest
	run bash -c "cat c1 c2 c3 c4 rest | sort -n | uniq | wc -l"
	assert_output 20000
}

@test "a broker restart keeps a durable queue's persistent messages, and mqrecv -f reconnects" {
	seq 1 500 | mqsend -c "$Q"
	mqsend -c "$Q-f" before
	start_bg bash -c "exec mqrecv -f '$Q-f' >out 2>err"
	local pid=$BG_PID
	wait_until grep -q before out
	rabbitmq_restart
	run mqrecv --drain "$Q"
	assert_success
	assert_equal "$(echo "$output" | wc -l)" 500
	assert_equal "$(echo "$output" | tail -1)" 500
	mqsend "$Q-f" after
	wait_until grep -q after out
	kill -TERM "$pid"
	wait_status "$pid"
	assert_equal "$status" 0
	assert_equal "$(cat out)" $'before\nafter'
}

@test "--replicated declares a quorum queue" {
	run mqsend -c --replicated "$Q" q1 q2
	assert_success
	run rmqctl list_queues name type
	assert_output --regexp "t$BATS_TEST_NUMBER[[:space:]]+quorum"
	run mqrecv --drain "$Q"
	assert_output $'q1\nq2'
}

@test "the kernel-queue path loads neither librabbitmq nor libssl" {
	run env LD_DEBUG=libs mqsend -c /k x
	assert_success
	refute_output --partial librabbitmq
	refute_output --partial libssl
	run env LD_DEBUG=libs mqsend "$Q" x
	assert_output --partial librabbitmq
}

@test "mqrm deletes only an unused, empty queue unless --force; a missing one is exit 3" {
	require_tool mqrm
	mqsend -c "$Q" held
	run mqrm "$Q"
	assert_failure 1
	assert_output --partial "holds messages"
	assert_output --partial "--force"
	start_bg bash -c "exec mqrecv -f '$Q' >out"
	local pid=$BG_PID
	wait_until grep -q held out
	run mqrm "$Q"
	assert_failure 1
	assert_output --partial "has consumers"
	run mqrm -v --force "$Q"
	assert_success
	assert_output "removed $Q"
	wait_status "$pid"
	assert_equal "$status" 0
	run mqrm "$Q"
	assert_failure 3
	run mqrm -f "$Q"
	assert_success
	run mqrm -n "$Q"
	assert_failure 2
	mqsend -c "$Q" x
	mqrecv "$Q" >/dev/null
	run mqrm "$Q"
	assert_success
}

@test "mqstat amqp://: ready messages, consumers, durable and type; kernel-only options refused" {
	require_tool mqstat
	mqsend -c "$Q" a b c
	run mqstat "$Q"
	assert_success
	assert_line --regexp '^READY +3$'
	assert_line --regexp '^CONSUMERS +0$'
	assert_line --regexp '^DURABLE +yes$'
	assert_line --regexp '^TYPE +classic$'
	mqsend -c --replicated "$Q-r" x
	run bash -c "mqstat -J '$Q-r' | jq -c '[.ready, .durable, .type]'"
	assert_output '[1,true,"quorum"]'
	run mqstat -o NAME "$Q"
	assert_failure 2
	assert_output --partial "for kernel queues"
	run mqstat "$RMQ_URL/nosuch"
	assert_failure 3
}
