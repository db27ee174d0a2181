#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# lost.bats - "nothing lost", for real (issue 10): put-back touches only the
# messages mqrecv took, always ends, and sends what it cannot put back to a
# dead letter; stop signals end mqrecv promptly in every state; the
# in-flight window is bounded; a reader that leaves ends mqrecv; a POSIX
# sender notices its queue was removed; --peek takes and puts back nothing.

load helper

setup() {
	require_tool mqsend mqrecv
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

NOBODY=(env -C / setpriv --reuid=65534 --regid=65534 --clear-groups)

# SIGKILL the one process named NAME in the test's namespace, if any.
kill_ns_named() {
	local pid
	pid=$(ns_pid_of "$1") && kill -KILL "$pid" 2>/dev/null
	return 0
}

# The tools named NAME running in the test's namespace.
ns_pids_named() {
	local p
	for p in $(_ns_pids); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$1" ] && echo "$p"
	done
	return 0
}

# Whether PID has ended (gone, or a zombie its parent has not reaped yet).
ended() {
	local state
	state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
	[ "$state" = Z ]
}

# Lines of FILE that are whole messages of stuck_stdout's input.
whole_lines() {
	grep -x '[0-9]\{4\}' "$1" || true
}

# Exit status of a pipeline's first command, kept in FILE by the pipeline.
read_status() {
	local st
	read -r st <"$1" || fail "no status in $1"
	echo "$st"
}

# --- defect 1: a read-only consumer whose output fails --------------------------

@test "read-only consumer, output fails: only its one message is at risk, dead-lettered, exit 5 (both kinds)" {
	[ -w /dev/full ] || skip "no /dev/full"
	local q
	for q in /ro key:0x1001; do
		mqsend -c -m 0644 "$q" m1 m2 m3 m4 m5
		# the dead letter is opened through the descriptor root opened
		touch dl
		chmod 0666 dl
		run ns "${NOBODY[@]}" sh -c "'$MQTOOLS_BIN/mqrecv' -n 5 --dead-letter /dev/fd/5 '$q' >/dev/full" 5>>dl
		assert_failure 5
		assert_output --partial 'one message at a time'
		assert_output --partial 'at risk'
		assert_output --partial "/dev/fd/5"
		# the queue holds all the others, in their order
		run mqrecv --drain "$q"
		assert_output $'m2\nm3\nm4\nm5'
		run jq -r .data dl
		assert_output m1
		rm -f dl
	done
}

@test "read-only consumer without --dead-letter: the message goes to stderr as a JSON line, escaped" {
	[ -w /dev/full ] || skip "no /dev/full"
	mqsend -c -m 0644 /ro "$(printf 'evil\033[2Jtext')" next
	run --separate-stderr ns "${NOBODY[@]}" sh -c "'$MQTOOLS_BIN/mqrecv' /ro >/dev/full"
	assert_equal "$status" 5
	[[ $stderr == *'1 message could not be put back'* ]] || fail "$stderr"
	[[ $stderr != *$'\033'* ]] || fail "an escape byte reached stderr"
	run jq -r .data <<<"$(grep '^{' <<<"$stderr")"
	assert_output "$(printf 'evil\033[2Jtext')"
	run mqrecv --drain /ro
	assert_output next
}

@test "read-only consumer holds one message at a time: --batch is 1 for it (SIGKILL loses at most one)" {
	ns sh -c 'echo 1048576 > /proc/sys/kernel/msgmnb'
	mqsend -c -m 0644 --qbytes 1M key:0x1002 </dev/null
	seq 1 30000 | mqsend key:0x1002
	# its reader takes nothing for a while: the consumer blocks writing
	ns "${NOBODY[@]}" sh -c "exec '$MQTOOLS_BIN/mqrecv' -f --batch 64 key:0x1002" 3>&- |
		{ sleep 1; cat >got; } &
	local pipeline=$!
	local pid
	wait_until eval 'pid=$(ns_pid_of mqrecv)'
	wait_blocked "$pid" mqrecv
	kill -KILL "$pid"
	wait "$pipeline" || true
	mqrecv --drain key:0x1002 >rest
	grep -x '[0-9]*' got >all || true
	cat rest >>all
	run bash -c 'sort -n all | uniq -d'
	assert_output ""
	local n
	n=$(wc -l <all)
	[ "$n" -ge 29999 ] || fail "$((30000 - n)) messages lost to one SIGKILL of a read-only consumer"
}

# --- defect 2 and 9: --peek ------------------------------------------------------

@test "--peek never puts anything back: output failing leaves the queue as it was" {
	[ -w /dev/full ] || skip "no /dev/full"
	mqsend -c key:0x77 a b c
	run bash -c 'mqrecv --peek --drain key:0x77 >/dev/full'
	assert_failure 1
	assert_output --partial 'takes nothing'
	refute_output --partial 'put back'
	run mqrecv --drain key:0x77
	assert_output $'a\nb\nc'
}

@test "--peek has the receive's exit statuses: empty is 4 (it does not wait), --drain empty is 0" {
	mqsend -c key:0x78 </dev/null
	run mqrecv --peek --nonblock key:0x78
	assert_failure 4
	local t0
	t0=$(now_ms)
	run mqrecv --peek key:0x78
	assert_failure 4
	assert_output --partial 'does not wait'
	[ $(($(now_ms) - t0)) -lt 3000 ]
	run mqrecv --peek --drain key:0x78
	assert_success
	mqsend key:0x78 one two
	run --separate-stderr mqrecv --peek -n 3 key:0x78
	assert_failure 4
	assert_output $'one\ntwo'
	run --separate-stderr mqrecv --peek -n 1 -t 5 key:0x78
	assert_failure 4
	assert_output ""
	run mqrecv --peek -n 2 key:0x78
	assert_success
}

# --- defect 3: put-back behind a live producer -------------------------------------

# mqrecv -n 5 >/dev/full while a producer keeps Q full: the put-back ends
# (bounded wait), and each of the 5 taken is either back on the queue or in
# the dead letter, exactly once.
live_producer_put_back() {
	local q=$1
	start_bg bash -c "seq 1 100000000 | mqsend '$q' 2>/dev/null"
	local producer=$BG_PID
	wait_until [ -n "$(mqstat_count "$q")" ]
	sleep 0.2
	local t0
	t0=$(now_ms)
	run --separate-stderr bash -c "mqrecv -n 5 --dead-letter dl '$q' >/dev/full"
	local took=$(($(now_ms) - t0))
	[ "$status" = 1 ] || [ "$status" = 5 ] || fail "exit status $status: $stderr"
	[ "$took" -lt 5000 ] || fail "the put-back took $took ms"
	kill_ns_named mqsend
	wait "$producer" 2>/dev/null || true
	touch dl
	{ mqrecv --drain "$q"; jq -r .data dl; } | awk '$1 <= 5' | sort -n >found
	run cat found
	assert_output $'1\n2\n3\n4\n5'
	if [ "$status" = 5 ]; then
		[[ $stderr == *'could not be put back'* ]] || fail "$stderr"
	fi
}

# A queue's message count ("" while it does not exist).
mqstat_count() {
	case $1 in
	/*) [ -e "$MQUEUE_DIR/${1#/}" ] && echo 1 ;;
	key:*) sysv_count "${1#key:}" 2>/dev/null ;;
	esac
}

@test "put-back behind a live producer ends, loses nothing, touches no other message (POSIX)" {
	[ -w /dev/full ] || skip "no /dev/full"
	mqsend -c /q </dev/null
	live_producer_put_back /q
}

@test "put-back behind a live producer ends, loses nothing, touches no other message (System V)" {
	[ -w /dev/full ] || skip "no /dev/full"
	mqsend -c key:0x1003 </dev/null
	live_producer_put_back key:0x00001003
}

# --- defect 10: where put-back messages land ---------------------------------------

@test "put-back order: System V at the tail, the others untouched; POSIX by priority, behind its equals" {
	[ -w /dev/full ] || skip "no /dev/full"
	mqsend -c -t 1 key:0x1004 1a
	mqsend -t 2 key:0x1004 2a
	mqsend -t 3 key:0x1004 3a
	mqsend -t 2 key:0x1004 2b
	run bash -c 'mqrecv -t 2 key:0x1004 >/dev/full'
	assert_failure 1
	run drain_with key:0x1004 type
	assert_output $'1 1a\n3 3a\n2 2b\n2 2a'

	mqsend -c -p 5 /q a
	mqsend -p 1 /q b
	mqsend -p 1 /q c
	run bash -c 'mqrecv -n 2 /q >/dev/full'
	assert_failure 1
	run drain_with /q priority
	assert_output $'5 a\n1 c\n1 b'
}

@test "ENOSPC: a message cut short is taken back out of the output file, not both written and put back" {
	ns mkdir -p "$BATS_TEST_TMPDIR/small"
	ns mount -t tmpfs -o size=16k tmpfs "$BATS_TEST_TMPDIR/small"
	ns sh -c 'echo 1048576 > /proc/sys/kernel/msgmnb'
	# 97-byte lines: 4096-byte pages never end at a line's end
	seq -f 'message %05g padded so that the lines do not divide a page evenly...........................' 1 800 >in.txt
	mqsend -c --qbytes 1M key:0x1005 <in.txt
	run ns sh -c "'$MQTOOLS_BUILDDIR/mqrecv' --drain key:0x1005 >'$BATS_TEST_TMPDIR/small/out'"
	assert_failure 1
	assert_output --partial 'No space left on device'
	refute_output --partial 'without its separator'
	ns cat "$BATS_TEST_TMPDIR/small/out" >out.txt
	[ -s out.txt ]
	[ "$(tail -c 1 out.txt | od -An -c | tr -d ' ')" = '\n' ] || fail "the output ends with part of a message"
	mqrecv --drain key:0x1005 >>out.txt
	run bash -c 'sort out.txt | uniq -d'
	assert_output ""
	sort out.txt | cmp - <(sort in.txt)
}

# --- defect 4: stop signals in every state -----------------------------------------

# SIGTERM to mqrecv -f on queue Q that three producers never let run dry.
stop_while_busy() {
	local q=$1
	start_bg bash -c "yes 12345 | mqsend '$q' 2>/dev/null & yes 12345 | mqsend '$q' 2>/dev/null & yes 12345 | mqsend '$q' 2>/dev/null; wait"
	local producer=$BG_PID
	start_bg bash -c "exec mqrecv -f '$q' >/dev/null"
	local pid=$BG_PID
	sleep 0.5
	kill -0 "$pid" || fail "mqrecv ended on its own"
	local t0
	t0=$(now_ms)
	kill -TERM "$pid"
	wait_status "$pid"
	local took=$(($(now_ms) - t0))
	local p
	for p in $(ns_pids_named mqsend); do
		kill -KILL "$p"
	done
	wait "$producer" 2>/dev/null || true
	assert_equal "$status" 0
	[ "$took" -lt 1000 ] || fail "SIGTERM took $took ms to end mqrecv"
}

@test "SIGTERM ends mqrecv -f promptly while the queue is never empty (POSIX)" {
	mqsend -c /q </dev/null
	stop_while_busy /q
}

@test "SIGTERM ends mqrecv -f promptly while the queue is never empty (System V)" {
	mqsend -c key:0x1006 </dev/null
	stop_while_busy key:0x1006
}

# CMD... writing to a pipe of 4 KiB whose reader reads nothing for SECS
# seconds (pipe_reader in helper.bash).
slow_reader() {
	pipe_reader "$@"
}

# 2,000 messages in Q, more than the pipe holds; mqrecv -f writes to a
# reader that reads nothing for 3 s. SIG (TERM, INT or KILL) ends mqrecv
# once it is blocked writing; then the reader takes what is in the pipe.
# Sets LOST: how many of the 2,000 are neither in the pipe nor on the queue.
stuck_stdout() {
	local q=$1 sig=$2
	shift 2
	seq -w 1 2000 >in.txt
	mqsend "$q" <in.txt
	rm -f st got err
	slow_reader 3 mqrecv -f "$@" "$q" 3>&- &
	local reader=$! pid
	wait_until eval 'pid=$(ns_pid_of mqrecv)'
	wait_blocked "$pid" mqrecv
	sleep 0.2
	process_waiting "$pid" || fail "mqrecv is not blocked"
	local t0
	t0=$(now_ms)
	kill -"$sig" "$pid"
	wait_until ended "$pid"
	STOP_MS=$(($(now_ms) - t0))
	wait "$reader" || true
	mqrecv --drain "$q" >rest
	# a message cut short in the pipe is not whole: it does not count
	{ whole_lines got; whole_lines rest; } >all
	[ -z "$(sort all | uniq -d)" ] || fail "messages delivered twice"
	LOST=$((2000 - $(wc -l <all)))
}

stuck_queues() {
	ns sh -c 'echo 2000 > /proc/sys/fs/mqueue/msg_max'
	mqsend -c --maxmsg 2000 --msgsize 16 /q </dev/null
	mqsend -c key:0x1007 </dev/null
}

@test "SIGTERM and SIGINT end mqrecv promptly while stdout is blocked; what it holds is put back (both kinds)" {
	stuck_queues
	local q sig
	for q in /q key:0x1007; do
		for sig in TERM INT; do
			stuck_stdout "$q" "$sig"
			[ "$STOP_MS" -lt 1000 ] || fail "SIG$sig took $STOP_MS ms to end mqrecv"
			assert_equal "$(read_status st)" 0
			run cat err
			assert_output --partial 'blocked'
			assert_output --partial 'put back'
			assert_equal "$LOST" 0
		done
	done
}

@test "SIGKILL loses at most --batch N messages, and at most 64 by default (both kinds)" {
	stuck_queues
	local q
	for q in /q key:0x1007; do
		stuck_stdout "$q" KILL --batch 8
		[ "$LOST" -le 8 ] || fail "$LOST lost with --batch 8"
		[ "$LOST" -gt 0 ] || fail "nothing lost: the test proved nothing"
		stuck_stdout "$q" KILL
		[ "$LOST" -le 64 ] || fail "$LOST lost with the default window"
	done
	run mqrecv --batch 0 /q
	assert_failure 2
	run mqrecv --batch 2049 /q
	assert_failure 2
}

# --- defect 8: the reader leaves ---------------------------------------------------

@test "mqrecv -f | head -n1 ends as soon as head does, and takes nothing after (both kinds)" {
	local q
	for q in /q key:0x1008; do
		mqsend -c "$q" one
		local t0
		t0=$(now_ms)
		run timeout 10 bash -c "mqrecv -f '$q' 2>/dev/null | head -n1"
		assert_output one
		[ $(($(now_ms) - t0)) -lt 2000 ] || fail "mqrecv outlived head by $(($(now_ms) - t0)) ms"
		mqsend "$q" two
		run mqrecv --drain "$q"
		assert_output two
	done
}

@test "a reader that leaves while mqrecv waits ends it at once, no busy wait (both kinds)" {
	local q
	for q in /q key:0x1009; do
		mqsend -c "$q" </dev/null
		rm -f st
		start_bg bash -c "{ mqrecv -f '$q' 2>err; echo \$? >st; } | sleep 1"
		local pipeline=$BG_PID pid
		wait_until eval 'pid=$(ns_pid_of mqrecv)'
		wait_blocked "$pid" mqrecv
		wait "$pipeline"
		wait_until [ -s st ]
		assert_equal "$(read_status st)" 1
		run cat err
		assert_output --partial 'reader of standard output has gone'
	done
	# waiting costs no CPU: a System V waiter wakes every 50 ms, no more
	start_bg bash -c "exec mqrecv -f key:0x1009 | cat >/dev/null"
	local pid
	wait_until eval 'pid=$(ns_pid_of mqrecv)'
	sleep 1
	local ticks
	ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	[ "$ticks" -le 10 ] || fail "mqrecv used $ticks ticks of CPU in 1 s of waiting"
}

# --- defect 6: a POSIX sender whose queue is removed ---------------------------------

@test "a POSIX sender notices its queue was removed: exit 3 with the count sent, or 5 with what it read" {
	# Every step waits for a state, never for a time: the input ends, or
	# goes on, only once the test has removed the queue (under valgrind
	# mqsend may take longer to start than any pause: a producer that
	# ended after a fixed sleep could end before the removal, and mqsend
	# then rightly exited 0).
	mqsend -c /g </dev/null
	start_bg bash -c '{ echo a; until [ -e removed ]; do sleep 0.05; done; echo b; } |
		mqsend /g 2>err; echo "${PIPESTATUS[1]}" >st'
	local pipeline=$BG_PID
	wait_until grep -q 'QSIZE:1 ' "$MQUEUE_DIR/g"
	ns rm /dev/mqueue/g
	mqsend -c /g </dev/null
	touch removed
	wait "$pipeline"
	run cat err
	assert_output --partial 'removed'
	assert_output --partial '1 message was sent'
	# seen before mqsend read b (exit 3, b never read), or at b's send: b
	# was read and not sent, and is in the dead letter (exit 5)
	case $(read_status st) in
	3) assert_output --partial '1 of them still in it' ;;
	5) assert_line '{"queue":"/g","priority":0,"size":1,"encoding":"text","data":"b"}' ;;
	*) fail "exit status $(read_status st), not 3 or 5" ;;
	esac
	# nothing went into the new queue of the same name
	run mqrecv --drain /g
	assert_output ""

	# removed after the last message: noticed before the next read, or
	# at the end of the input
	mqsend -c /h </dev/null
	rm -f removed
	start_bg bash -c '{ echo a; until [ -e removed ]; do sleep 0.05; done; } | mqsend /h 2>err; echo "${PIPESTATUS[1]}" >st'
	pipeline=$BG_PID
	wait_until grep -q 'QSIZE:1 ' "$MQUEUE_DIR/h"
	ns rm /dev/mqueue/h
	touch removed
	wait "$pipeline"
	assert_equal "$(read_status st)" 3
	run cat err
	assert_output --partial '1 of them still in it'

	# removed by a consumer that took everything first: nothing was lost
	mqsend -c /k </dev/null
	start_bg bash -c '{ echo a; until [ -e taken ]; do sleep 0.05; done; } | mqsend /k 2>err; echo "${PIPESTATUS[1]}" >st'
	pipeline=$BG_PID
	wait_until grep -q 'QSIZE:1 ' "$MQUEUE_DIR/k"
	run mqrecv /k
	assert_output a
	ns rm /dev/mqueue/k
	touch taken
	wait "$pipeline"
	assert_equal "$(read_status st)" 0
	run cat err
	assert_output ""
}

@test "a POSIX sender reading a regular file notices its queue removed mid-stream: what it read goes to the dead letter" {
	# a file is read without a look at the queue before each read (a read of
	# a file never waits); the send's own check must still see the removal
	seq 4000000 >input
	mqsend -c --maxmsg 10 --msgsize 16 /f </dev/null
	start_bg mqrecv -f /f
	local receiver=$BG_PID
	start_bg bash -c 'mqsend --dead-letter dead /f <input 2>err; echo $? >st'
	local sender=$BG_PID
	wait_until grep -qv 'QSIZE:0 ' "$MQUEUE_DIR/f"
	ns rm /dev/mqueue/f
	wait "$sender"
	# the records it had read and not sent are in the dead letter: exit 5
	assert_equal "$(read_status st)" 5
	run cat err
	assert_output --partial 'removed'
	assert_output --regexp '[0-9]+ messages? (was|were) sent before it'
	# they follow the last one sent, in order, with none left out; the
	# last is the start of the line a read cut (said so), or whole
	local sent
	sent=$(sed -n 's/^mqsend: \([0-9]*\) messages\{0,1\} w.* sent before it.*/\1/p' err)
	[ -n "$sent" ]
	jq -r .data dead >dead.txt
	local n
	n=$(wc -l <dead.txt)
	[ "$n" -gt 1 ]
	head -n $((n - 1)) dead.txt | cmp - <(seq $((sent + 1)) $((sent + n - 1)))
	local last
	last=$(tail -n 1 dead.txt)
	if [ "$last" != $((sent + n)) ]; then
		[[ $((sent + n)) == "$last"* ]] || fail "the last record, $last, is no start of line $((sent + n))"
		assert_output --partial 'the last of them is the start of a record'
	fi
	kill "$receiver" 2>/dev/null || true
}

# --- completions --------------------------------------------------------------------

@test "completions: mqrecv offers --batch and --dead-letter, and file names after --dead-letter" {
	run bash_complete 'mqrecv --'
	assert_success
	assert_line -- --batch
	assert_line -- --dead-letter
	touch deadfile
	run bash_complete 'mqrecv --dead-letter dead'
	assert_line deadfile
	grep -q -- "--batch" "$BATS_TEST_DIRNAME/../completions/_mqrecv"
	grep -q -- "dead-letter file" "$BATS_TEST_DIRNAME/../completions/mqrecv.fish"
}
