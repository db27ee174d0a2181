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

# --- the process boundary (issue 24): stop signals and a closed output, at the broker ---

# The messages ready in amqp:// queue Q, as the broker counts them.
ready() {
	mqstat -J "$1" 2>/dev/null | jq -e '.ready'
}
ready_is() {
	[ "$(ready "$1")" = "$2" ]
}
ready_below() {
	local n
	n=$(ready "$1") && [ "$n" -lt "$2" ]
}
ready_at_least() {
	local n
	n=$(ready "$1") && [ "$n" -ge "$2" ]
}

# The books of a case: the lines of FILE... are those of in.txt, each once,
# by count and checksum.
books() {
	local want got
	want="$(wc -l <in.txt) $(sort in.txt | md5sum)"
	got="$(cat "$@" | wc -l) $(sort "$@" | md5sum)"
	[ "$got" = "$want" ] ||
		fail "$CASE: $(cat "$@" | wc -l) lines for $(wc -l <in.txt) sent; lost: $(sort "$@" | comm -13 - <(sort in.txt) | head -3 | cut -c1-8 | paste -sd' '); twice: $(sort "$@" | uniq -d | head -3 | cut -c1-8 | paste -sd' ')"
}

@test "every stop signal stops mqrecv -f consuming from the broker, its output stalled: exit 0, what it wrote and what is queued are all that was sent" {
	require_tool mqstat
	require_command python3
	require_command jq
	local sig pid reader whole n=200
	# 200 messages of 1000 bytes: the broker delivers its prefetch, the
	# pipe of 4 KiB takes 4, mqrecv holds the rest of what it took
	seq -f "a%04g $(printf '%0994d' 0)" 1 $n >in.txt
	for sig in $STOP_SIGNALS; do
		CASE="mqrecv -f amqp://, SIG$sig"
		mqsend -c "$Q-$sig" <in.txt
		rm -f pid.txt read got st err
		pipe_reader file mqrecv -f "$Q-$sig" 3>&- &
		reader=$!
		wait_until [ -s pid.txt ]
		pid=$(<pid.txt)
		# it has taken messages from the broker, and waits for the pipe
		wait_until ready_below "$Q-$sig" $n
		wait_blocked "$pid" mqrecv
		kill -"$sig" "$pid"
		wait_ended "$pid"
		touch read
		wait "$reader"
		assert_equal "$CASE: $(<st)" "$CASE: 0"
		# a message cut short in the pipe is not received: whole lines only
		grep -x "a[0-9]\{4\} 0\{994\}" got >whole.txt || true
		whole=$(wc -l <whole.txt)
		[ "$whole" -gt 0 ] || fail "$CASE: nothing was received before the signal: $(cat err)"
		[ "$whole" -lt $n ] || fail "$CASE: everything was received before the signal"
		# what it took and did not write is the broker's again
		wait_until ready_is "$Q-$sig" $((n - whole)) ||
			fail "$CASE: $whole written, $(ready "$Q-$sig") queued, of $n: $(cat err)"
		mqrecv --drain "$Q-$sig" >rest.txt
		books whole.txt rest.txt
	done
}

# The input of a sender: the lines 1..$1, then, when $2 is "partial", the
# start of a record whose end never comes, in one write; with "paced", one
# line every 5 ms. Then it waits for the file "over" (the input stays open).
sender_input() {
	python3 -c '
import os, sys, time
n, how = int(sys.argv[1]), sys.argv[2]
if how == "partial":
    os.write(1, b"".join(b"%d\n" % i for i in range(1, n + 1)) + b"%d" % (n + 1))
else:
    for i in range(1, n + 1):
        os.write(1, b"%d\n" % i)
        time.sleep(0.005)
while not os.path.exists("over"):
    time.sleep(0.05)' "$@"
}

@test "every stop signal stops mqsend publishing from a pipe, stalled or mid-stream: each line read is in the queue or the dead letter, exit 1 or 5" {
	require_tool mqstat
	require_command python3
	require_command jq
	local sig how producer sender q sent dead
	for sig in $STOP_SIGNALS; do
		for how in partial paced; do
			CASE="mqsend amqp://, $how, SIG$sig"
			q=$Q-$how-$sig
			mqsend -c "$q" </dev/null
			rm -f fifo.in over dead.json err && mkfifo fifo.in
			sender_input 150 "$how" >fifo.in 3>&- &
			producer=$!
			start_tool mqsend --dead-letter dead.json "$q" <fifo.in 2>err
			sender=$BG_PID
			if [ "$how" = partial ]; then
				# all 150 confirmed: it waits for the end of record 151
				wait_until ready_is "$q" 150
				wait_blocked "$sender" mqsend
			else
				# mid-stream: some published, more to come
				wait_until ready_at_least "$q" 20
			fi
			kill -"$sig" "$sender"
			wait_ended "$sender"
			wait_status "$sender"
			touch over
			wait "$producer" || true
			mqrecv --drain "$q" >sent.txt
			if [ -e dead.json ]; then jq -r .data dead.json >dead.txt; else : >dead.txt; fi
			sent=$(wc -l <sent.txt) dead=$(wc -l <dead.txt)
			grep -q "stopped by SIG$sig" err || fail "$CASE: the signal is not named: $(cat err)"
			# in order, none twice, none missing: the dead letter goes on
			# where the queue stops
			[ "$sent" -ge 20 ] || fail "$CASE: $sent in the queue"
			seq 1 $((sent + dead)) >in.txt
			cat sent.txt dead.txt | cmp -s - in.txt ||
				fail "$CASE: queue 1..$(tail -1 sent.txt) ($sent), dead letter: $(paste -sd' ' dead.txt)"
			# 5 when something went to the dead letter, else 1
			if [ "$dead" -gt 0 ]; then
				assert_equal "$CASE: $status" "$CASE: 5"
			else
				assert_equal "$CASE: $status" "$CASE: 1"
			fi
			if [ "$how" = partial ]; then
				assert_equal "$CASE: $sent $dead" "$CASE: 150 1"
				grep -q 'its end was never read' err || fail "$CASE: $(cat err)"
			fi
		done
	done
}

@test "mqrecv -n 1 with standard output closed: exit 1, saying so, and the message stays in the queue" {
	mqsend -c "$Q" kept
	run bash -c "mqrecv -n 1 '$Q' >&-"
	assert_failure 1
	assert_output --partial 'standard output is closed: nothing was taken'
	run bash -c "mqrecv -f '$Q' >&-"
	assert_failure 1
	assert_output --partial 'standard output is closed'
	run mqrecv --drain "$Q"
	assert_success
	assert_output kept
}
