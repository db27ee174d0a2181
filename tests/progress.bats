#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# progress.bats - the progress line of long work (issue 26): mqsend from a
# regular file, mqrecv --drain or -n with --to or --exec, on standard error
# when it is a terminal (a pseudo-terminal of script(1)), and never without
# one, from a pipe, under -f, or with --quiet.

load helper

setup() {
	require_tool mqsend mqrecv
	require_command script bsdutils
	NS_MSGSIZE_DEFAULT=1024 ns_setup
	ns sh -c 'echo 1048576 > /proc/sys/kernel/msgmnb'
	mqsend -c --qbytes 1M key:0x71 </dev/null
	mqsend -c --qbytes 1M key:0x72 </dev/null
}

# Run the shell command CMD with a pseudo-terminal for its standard input,
# output and error; what the terminal showed is in $output.
on_terminal() {
	run script -qec "$1" /dev/null
}

@test "mqsend from a regular file shows bytes done of the file's size, rate and percentage, ending at 100%" {
	seq 1 20000 >in.txt
	on_terminal "mqsend key:0x71 <in.txt"
	assert_success
	assert_output --regexp "/[0-9.]+K bytes +100%"
	assert_output --partial "/s"
	[[ $output == *$'\r'* ]] || fail "no line redrawn: $output"
	run sysv_count 0x00000071
	assert_output 20000
}

@test "mqsend shows no progress without a terminal, from a pipe, for arguments, or with --quiet" {
	seq 1 1000 >in.txt
	run --separate-stderr mqsend key:0x71 <in.txt
	assert_success
	assert_equal "$stderr" ''
	on_terminal "mqsend -q key:0x71 <in.txt"
	assert_success
	assert_output ''
	on_terminal "cat in.txt | mqsend key:0x71"
	assert_success
	assert_output ''
	on_terminal "mqsend key:0x71 one two"
	assert_success
	assert_output ''
	run sysv_count 0x00000071
	assert_output 3002
}

@test "mqrecv --drain --to shows messages done of those queued at the start, ending at 100%" {
	seq 1 3000 | mqsend key:0x71
	on_terminal "mqrecv --drain key:0x71 --to key:0x72"
	assert_success
	assert_output --regexp "3000/3000 messages +100%"
	assert_output --partial "msg/s"
	run sysv_count 0x00000072
	assert_output 3000
}

@test "mqrecv -n N --exec shows the commands done of N; --quiet, -f and plain output show none" {
	seq 1 10 | mqsend key:0x71
	on_terminal "mqrecv -n 4 key:0x71 --exec true"
	assert_success
	assert_output --regexp "4/4 messages +100%"
	on_terminal "mqrecv -q -n 2 key:0x71 --exec true"
	assert_success
	assert_output ''
	on_terminal "mqrecv -f --idle 300ms key:0x71 --to key:0x72"
	assert_success
	assert_output ''
	mqsend key:0x71 a b
	on_terminal "mqrecv --drain key:0x71 >/dev/null"
	assert_success
	assert_output ''
	# and none where standard error is no terminal
	mqsend key:0x71 c d
	run --separate-stderr mqrecv --drain key:0x71 --to key:0x72
	assert_success
	assert_equal "$stderr" ''
}

@test "a message while the progress line is shown gets a line of its own" {
	mqsend -c --msgsize 10 /small </dev/null
	printf '%s\n' a b "$(head -c 50 /dev/zero | tr '\0' x)" >in.txt
	on_terminal "mqsend /small <in.txt"
	# (the record that can never fit goes to the dead letter: status 5)
	assert_failure 5
	# the line is taken off (\r, erase to its end) before the message
	assert_output --regexp $'\r\e\\[Kmqsend: /small: input record 3 is 50 bytes'
}

@test "the time left (ETA) is shown while the end is known and not reached, and not on the last line" {
	seq 1 4 | mqsend key:0x71
	# each command takes 0.3 s: the line is drawn as each one ends
	on_terminal "mqrecv -n 4 key:0x71 --exec sleep 0.3"
	assert_success
	# after the first: 1 of 4 done, 3 to go at the rate so far
	assert_output --regexp $'\r1/4 messages +25%  [0-9]+ msg/s  ETA [0-9]+s\e\\[K'
	assert_output --regexp $'\r3/4 messages +75%  [0-9]+ msg/s  ETA [0-9]+s\e\\[K'
	# the last line, at 100%, has none
	assert_output --regexp $'\r4/4 messages +100%  [0-9]+ msg/s\e\\[K'
	refute_output --regexp $'100%[^\r]*ETA'
	run sysv_count 0x00000071
	assert_output 0
}
