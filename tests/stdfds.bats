#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# stdfds.bats - closed standard descriptors (mqtools(7), SIGNALS AND
# DESCRIPTORS): a cron job or a unit without them, or `>&-`. A closed 0, 1
# or 2 is filled at start so that nothing a tool opens (a queue, the
# System V marker, a dead letter) takes its number; a tool whose output or
# dead letter would go to a closed descriptor refuses before it takes
# anything. A matrix of each tool and each descriptor, then the
# reproductions of issue 24.

load helper

setup() {
	require_tool mqsend mqrecv mqrm mqmk mqstat
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

# Run the shell command line CMD... (its words joined by spaces) with
# descriptor FD closed, through `run`.
closed() {
	local fd=$1
	shift
	run bash -c "$* $fd>&-"
}

# The messages on Q, taken.
drained() {
	mqrecv --drain "$1" | paste -sd' '
}

@test "closed descriptors: mqsend, each of 0 1 2 (both kinds)" {
	local q fd
	for q in /c key:0x5401; do
		for fd in 0 1 2; do
			mqsend -c "$q" </dev/null
			# messages as arguments need no descriptor at all
			closed "$fd" mqsend "$q" arg
			assert_equal "$q fd $fd args: $status" "$q fd $fd args: 0"
			assert_equal "$(drained "$q")" arg
		done
		# standard input closed: nothing to read, an error
		closed 0 mqsend "$q"
		assert_equal "$q fd 0 stdin: $status" "$q fd 0 stdin: 1"
		assert_output --partial 'Bad file descriptor'
		# standard error closed, and so the dead letter: nothing is read
		closed 2 "echo in | mqsend $q"
		assert_equal "$q fd 2 stdin: $status" "$q fd 2 stdin: 1"
		assert_equal "$(drained "$q")" ""
		closed 2 "echo in | mqsend --dead-letter dead $q"
		assert_equal "$q fd 2 --dead-letter: $status" "$q fd 2 --dead-letter: 0"
		assert_equal "$(drained "$q")" in
		# standard output closed: mqsend writes nothing there
		closed 1 "echo in | mqsend $q"
		assert_equal "$q fd 1 stdin: $status" "$q fd 1 stdin: 0"
		assert_equal "$(drained "$q")" in
		mqrm "$q"
	done
}

@test "closed descriptors: mqrecv, each of 0 1 2; output or dead letter closed takes nothing (both kinds)" {
	local q
	for q in /c key:0x5402; do
		mqsend -c "$q" a b
		closed 0 mqrecv -n 2 "$q"
		assert_equal "$q fd 0: $status $(paste -sd' ' <<<"$output")" "$q fd 0: 0 a b"
		mqsend "$q" a b
		# standard output closed: refused, the messages stay
		closed 1 mqrecv -n 2 "$q"
		assert_equal "$q fd 1: $status" "$q fd 1: 1"
		assert_output --partial 'standard output is closed: nothing was taken'
		# standard error closed, where the dead letter would go: refused
		closed 2 mqrecv -n 2 "$q"
		assert_equal "$q fd 2: $status" "$q fd 2: 1"
		assert_equal "$(drained "$q")" "a b"
		# with a dead letter of its own, a closed standard error is fine
		mqsend "$q" a
		closed 2 mqrecv --dead-letter dead "$q"
		assert_equal "$q fd 2 --dead-letter: $status $output" "$q fd 2 --dead-letter: 0 a"
		# --exec writes nothing to standard output: closed is fine
		mqsend "$q" a
		closed 1 "mqrecv $q --exec sh -c 'cat >done'"
		assert_equal "$q fd 1 --exec: $status $(cat done)" "$q fd 1 --exec: 0 a"
		mqrm "$q"
	done
	# --peek shows: with nowhere to show, it refuses too
	mqsend -c key:0x5403 a
	closed 1 mqrecv --peek key:0x5403
	assert_equal "peek fd 1: $status" "peek fd 1: 1"
}

@test "closed descriptors: mqrm, mqmk and mqstat, each of 0 1 2" {
	local fd
	for fd in 0 1 2; do
		closed "$fd" mqmk /m key:0x5404
		# mqmk names what it made: with nowhere to, a write error, as before
		if [ "$fd" = 1 ]; then
			assert_equal "mqmk fd $fd: $status" "mqmk fd $fd: 1"
			assert_output --partial 'write error'
		else
			assert_equal "mqmk fd $fd: $status" "mqmk fd $fd: 0"
		fi
		[ -e "$MQUEUE_DIR/m" ]
		sysv_count 0x00005404 >/dev/null
		closed "$fd" mqrm /m key:0x5404
		assert_equal "mqrm fd $fd: $status" "mqrm fd $fd: 0"
		[ ! -e "$MQUEUE_DIR/m" ]
		run sysv_count 0x00005404
		assert_failure
	done
	mqmk /m
	closed 0 mqstat /m
	assert_equal "mqstat fd 0: $status" "mqstat fd 0: 0"
	# its output has nowhere to go: a write error, as before
	closed 1 mqstat /m
	assert_equal "mqstat fd 1: $status" "mqstat fd 1: 1"
	assert_output --partial 'write error'
	closed 2 mqstat /m
	assert_equal "mqstat fd 2: $status" "mqstat fd 2: 0"
}

@test "closed descriptors are filled with /dev/null: the queue and the System V marker land above 2" {
	local pid fd
	# a sender blocked on a full queue, with 0 and 1 closed
	mqsend -c --qbytes 1 key:0x5405 x
	start_bg bash -c 'exec mqsend key:0x5405 y <&- >&-'
	pid=$BG_PID
	wait_blocked "$pid" mqsend
	for fd in 0 1; do
		run readlink "/proc/$pid/fd/$fd"
		assert_output /dev/null
	done
	run ls -l "/proc/$pid/fd"
	assert_output --partial 'mqtools-msq:'
	kill -TERM "$pid"
	wait_status "$pid"
	# a receiver of a POSIX queue waiting, with 0 closed, and one with
	# --exec and 1 closed: the queue is not 0 or 1
	mqsend -c /w </dev/null
	start_bg bash -c 'exec mqrecv /w <&- >out'
	pid=$BG_PID
	wait_blocked "$pid" mqrecv
	run readlink "/proc/$pid/fd/0"
	assert_output /dev/null
	kill -TERM "$pid"
	wait_status "$pid"
	start_bg bash -c 'exec mqrecv /w --exec cat >&-'
	pid=$BG_PID
	wait_blocked "$pid" mqrecv
	run readlink "/proc/$pid/fd/1"
	assert_output /dev/null
	kill -TERM "$pid"
	wait_status "$pid"
}

@test "issue 24: mqrecv -n 2 with standard output closed took two messages into its System V marker" {
	mqsend -c key:0x3 one two
	run bash -c 'mqrecv -n 2 key:0x3 >&-'
	assert_failure 1
	assert_output --partial 'standard output is closed'
	run mqrecv --drain key:0x3
	assert_output $'one\ntwo'
	# POSIX: the queue itself took descriptor 1
	mqsend -c /p one two
	run bash -c 'mqrecv -n 2 /p >&-'
	assert_failure 1
	run mqrecv --drain /p
	assert_output $'one\ntwo'
}

@test "issue 24: mqrecv --exec with standard error closed lost its dead letter" {
	mqsend -c key:0x9 doomed
	run bash -c 'mqrecv --retries 0 key:0x9 --exec false 2>&-'
	assert_failure 1
	run mqrecv --drain key:0x9
	assert_output doomed
	# with a dead letter of its own it runs, and the message goes there
	mqsend key:0x9 doomed
	run bash -c 'mqrecv --retries 0 --dead-letter dead key:0x9 --exec false 2>&-'
	assert_failure 5
	run jq -r .data dead
	assert_output doomed
}

@test "a dead letter that nothing takes (its file over ulimit -f, standard error closed): put back, exit 1 (both kinds)" {
	local q i
	for q in /dl key:0x5313; do
		for i in $(seq 1 10); do printf '%0150d\n' "$i"; done | mqsend -c "$q"
		run bash -c "ulimit -f 1; mqrecv --drain --retries 0 --dead-letter dead.json $q --exec false 2>&-"
		assert_failure 1
		# every message is in the dead letter, whole, or back on the queue
		local in_file
		in_file=$(jq -r .data dead.json | wc -l)
		[ "$in_file" -ge 1 ] || fail "$q: nothing in the dead letter"
		run bash -c "{ jq -r .data dead.json; mqrecv --drain $q; } | sort -n | uniq | wc -l"
		assert_output 10
		rm dead.json
	done
	# mqsend: records read and not sent, a dead letter that nothing takes
	mqmk --maxmsg 2 --msgsize 160 /full
	for i in $(seq 1 12); do printf '%0150d\n' "$i"; done >in
	start_bg bash -c "ulimit -f 1; exec mqsend --dead-letter dead.json /full <in 2>&-"
	local pid=$BG_PID
	wait_until process_waiting "$pid"
	kill -TERM "$pid"
	wait_status "$pid"
	assert_equal "$status" 1
}
