#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# faults.bats - what goes wrong around the tools: a full file system, a
# reader that leaves, a queue removed under a waiting sender or receiver,
# per-user and system limits, a full System V queue, another user. Each
# must give its documented error and exit status, and lose no message.

load helper

# Wait for PID and check its exit status is WANT.
status_of() {
	local st=0
	wait "$1" || st=$?
	[ "$st" -eq "$2" ] || fail "exit status $st, not $2"
}

# Queues of 10 x 1 KiB unless a test asks for more: root's RLIMIT_MSGQUEUE
# is shared with the machine (see helper.bash).
setup() {
	NS_MSGSIZE_DEFAULT=1024 ns_setup
	require_tool mqsend mqrecv
}

@test "faults: output to a full file system puts every message back (both kinds)" {
	ns mkdir -p "$BATS_TEST_TMPDIR/small"
	ns mount -t tmpfs -o size=64k tmpfs "$BATS_TEST_TMPDIR/small"
	seq -f 'message %05g padded to be long enough to fill a small disk quickly.....' 1 2000 >in.txt
	ns sh -c 'echo 3000 > /proc/sys/fs/mqueue/msg_max && echo 1048576 > /proc/sys/kernel/msgmnb'
	# about 540 KiB of RLIMIT_MSGQUEUE: charged apart from root's, which
	# other processes of the machine share
	with_own_mq_charge mqsend -c --maxmsg 2500 --msgsize 128 /full <in.txt
	mqsend -c key:0x7001 <in.txt
	for q in /full key:0x7001; do
		run ns sh -c "'$MQTOOLS_BUILDDIR/mqrecv' --drain $q >'$BATS_TEST_TMPDIR/small/out'"
		assert_failure 1
		assert_output --partial 'No space left on device'
		assert_output --partial 'put back'
		# the file holds whole messages from the first on, the queue all
		# the others (those put back behind the ones still queued)
		ns cat "$BATS_TEST_TMPDIR/small/out" >out.txt
		[ "$(wc -l <out.txt)" -gt 100 ]
		[ "$(wc -l <out.txt)" -lt 2000 ]
		head -n "$(wc -l <out.txt)" out.txt >got.txt
		mqrecv --drain "$q" >>got.txt
		sort got.txt | cmp - <(sort in.txt)
	done
}

@test "faults: a reader that closes the pipe takes nothing (both kinds)" {
	mqsend -c /p one two three
	mqsend -c key:0x7002 one two three
	for q in /p key:0x7002; do
		run run_closed_stdout mqrecv -n 3 "$q"
		assert_line --index 1 1
		assert_line --index 0 --partial 'reader has gone: nothing was taken'

		run mqrecv --drain "$q"
		assert_output $'one\ntwo\nthree'
	done
}

@test "faults: a queue removed under a waiting sender ends it with exit 3 (both kinds)" {
	mqsend -c --maxmsg 1 /w first
	start_bg mqsend /w second
	wait_blocked "$BG_PID" mqsend
	ns rm /dev/mqueue/w
	status_of "$BG_PID" 3

	mqsend -c --qbytes 8 key:0x7003 12345678
	start_bg mqsend key:0x7003 second
	wait_blocked "$BG_PID" mqsend
	ns ipcrm -Q 0x7003
	status_of "$BG_PID" 3
}

@test "faults: a queue removed under a waiting receiver ends it with exit 3 (both kinds)" {
	mqsend -c /r </dev/null
	start_bg mqrecv /r
	wait_blocked "$BG_PID" mqrecv
	ns rm /dev/mqueue/r
	status_of "$BG_PID" 3

	mqsend -c key:0x7004 </dev/null
	start_bg mqrecv key:0x7004
	wait_blocked "$BG_PID" mqrecv
	ns ipcrm -Q 0x7004
	status_of "$BG_PID" 3
}

@test "faults: RLIMIT_MSGQUEUE used up: creation fails naming the limit, exit 1" {
	run ns bash -c "ulimit -q 4096 && '$MQTOOLS_BUILDDIR/mqsend' -c --maxmsg 10 --msgsize 8192 /big x"
	assert_failure 1
	assert_output --partial 'RLIMIT_MSGQUEUE'
	[ ! -e "$MQUEUE_DIR/big" ]
}

@test "faults: queues_max reached: creation fails naming the limit, exit 1" {
	ns sh -c 'echo 2 > /proc/sys/fs/mqueue/queues_max'
	# root's CAP_SYS_RESOURCE passes the limit: drop it
	local drop=(setpriv --inh-caps=-sys_resource --bounding-set=-sys_resource)
	ns "${drop[@]}" "$MQTOOLS_BUILDDIR/mqsend" -c /q1 a
	ns "${drop[@]}" "$MQTOOLS_BUILDDIR/mqsend" -c /q2 b
	run ns "${drop[@]}" "$MQTOOLS_BUILDDIR/mqsend" -c /q3 c
	assert_failure 1
	assert_output --partial 'queues_max'
	run mqrecv /q1
	assert_output a
}

@test "faults: a System V queue at msg_qbytes: --nonblock exits 4, nothing lost" {
	mqsend -c --qbytes 16 key:0x7005 12345678 abcdefgh
	run mqsend --nonblock key:0x7005 more
	assert_failure 4
	assert_output --partial full
	run mqsend --timeout 200ms key:0x7005 more
	assert_failure 4
	run mqrecv --drain key:0x7005
	assert_output $'12345678\nabcdefgh'
	# one message larger than the whole queue: refused with its size
	mqsend key:0x7005 </dev/null
	run mqsend key:0x7005 "$(printf '%040d' 0)"
	assert_failure 1
	assert_output_number 40
}

@test "faults: permission denied for another user, exit 1, queue untouched (both kinds)" {
	mqsend -c -m 0600 /mine secret
	mqsend -c -m 0600 key:0x7006 secret
	for q in /mine key:0x7006; do
		run as_nobody mqrecv "$q"
		assert_failure 1
		assert_output --partial 'permission denied'
		run as_nobody mqsend "$q" intruder
		assert_failure 1
		assert_output --partial 'permission denied'
		run mqrecv --drain "$q"
		assert_output secret
	done
}
