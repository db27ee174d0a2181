#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqrecv-exec.bats - mqrecv as a job runner (issue 16): --exec, -P,
# --retries, --kill-after; and --wait and --verbose. A message leaves the
# queue for good only when its command exited 0: failing, crashing and
# signal-killed commands put it back, and after --retries it goes to the
# dead letter; SIGTERM lets running commands finish (or kills them after
# --kill-after) and puts back what did not finish.

load helper

setup() {
	require_tool mqsend mqrecv
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

QUEUES=(/jobs key:0x4a0b)

# A worker script in the test's directory: $1 is its name, the rest its body.
worker() {
	local name=$1
	shift
	printf '#!/bin/sh\n%s\n' "$*" >"$name"
	chmod +x "$name"
}

# The messages left on QUEUE, one a line.
left_on() {
	mqrecv --drain "$1"
}

@test "--exec runs the command once per message, the message on its stdin, MQ_* in its environment (both kinds)" {
	worker w 'printf "%s|%s|%s|%s|%s|" "$MQ_QUEUE" "${MQ_PRIORITY-none}" "${MQ_TYPE-none}" "$MQ_SIZE" "$MQ_ATTEMPT" >>"$PWD/ran"; cat >>"$PWD/ran"; echo >>"$PWD/ran"'
	mqsend -c -p 3 /jobs 'one two'
	mqsend -p 1 /jobs 'x'
	# a caller's MQ_TYPE does not reach the command of a POSIX queue
	MQ_TYPE=bogus run mqrecv --drain /jobs --exec "$PWD/w"
	assert_success
	run cat ran
	assert_output $'/jobs|3|none|7|1|one two\n/jobs|1|none|1|1|x'
	rm ran
	mqsend -c key:0x4a0b first
	mqsend -t 9 key:0x4a0b second
	run mqrecv -n 2 key:0x4a0b --exec "$PWD/w"
	assert_success
	run cat ran
	assert_output $'key:0x00004a0b|none|1|5|1|first\nkey:0x00004a0b|none|9|6|1|second'
	run sysv_count 0x00004a0b
	assert_output 0
}

@test "--exec: binary messages reach the command byte for byte" {
	printf 'a\0b\377\n' >blob
	mqsend -c --whole /jobs <blob
	run mqrecv /jobs --exec sh -c "cat >'$PWD/got'"
	assert_success
	cmp blob got
}

@test "--exec: every word after it is the command's, options included; the queue comes before it" {
	run mqrecv -c --nonblock /jobs --exec echo -n 5 --json
	assert_failure 4 # the queue is empty: -n 5 and --json were not mqrecv's
	mqsend /jobs m
	run mqrecv /jobs --exec echo -n 5 --json
	assert_success
	assert_output '5 --json'
	run mqrecv --exec echo /jobs
	assert_failure 2
	assert_output --partial 'the queue comes before --exec'
	run mqrecv /jobs --exec
	assert_failure 2
	assert_output --partial '--exec needs a command'
	# "--exec" as the file of --dead-letter is no --exec
	run mqrecv --nonblock --dead-letter --exec /jobs
	assert_failure 4
	[ -e ./--exec ]
	run mqrecv -P 2 /jobs
	assert_failure 2
	assert_output --partial '--workers is for --exec'
	run mqrecv --json /jobs --exec cat
	assert_failure 2
	run mqrecv --exe /jobs cat
	assert_failure 2
}

@test "--exec: a failing command's message is put back and run again; it leaves once its command succeeded (both kinds)" {
	local q
	for q in "${QUEUES[@]}"; do
		rm -f tries done
		# fails twice, then succeeds
		worker w 'echo x >>"$PWD/tries"; [ "$(wc -l <"$PWD/tries")" -ge 3 ] || exit 7; m=$(cat); printf "%s\n" "$m" >>"$PWD/done"'
		mqsend -c "$q" job1
		run mqrecv --drain "$q" --exec "$PWD/w"
		assert_success
		assert_output --partial 'failed (exit status 7)'
		assert_output --partial 'put back'
		run wc -l <tries
		assert_output 3
		run cat done
		assert_output job1
		run left_on "$q"
		assert_output ''
	done
}

@test "--exec: after --retries K failures the message goes to --dead-letter, exit 5 (both kinds)" {
	local q
	for q in "${QUEUES[@]}"; do
		rm -f tries dl
		worker w 'echo x >>"$PWD/tries"; exit 1'
		mqsend -c "$q" poison good
		worker ok 'm=$(cat); [ "$m" = good ] && { echo "$m" >>"$PWD/done"; exit 0; }; echo x >>"$PWD/tries"; exit 1'
		rm -f done
		run mqrecv --drain --retries 2 --dead-letter dl "$q" --exec "$PWD/ok"
		assert_failure 5
		assert_output --partial 'failed 3 times'
		assert_output --partial '--retries 2'
		run wc -l <tries
		assert_output 3
		run jq -r .data dl
		assert_output poison
		run cat done
		assert_output good
		run left_on "$q"
		assert_output ''
		# --retries 0: the first failure is the last
		rm -f tries dl
		mqsend "$q" once
		run mqrecv --retries 0 --dead-letter dl "$q" --exec "$PWD/w"
		assert_failure 5
		run wc -l <tries
		assert_output 1
		run jq -r .data dl
		assert_output once
	done
}

@test "--exec: commands that crash (SIGSEGV) or are killed by a signal fail; their messages are put back (both kinds)" {
	local q sig
	for q in "${QUEUES[@]}"; do
		for sig in SEGV KILL TERM; do
			rm -f dl
			mqsend -c "$q" "m-$sig"
			run mqrecv -n 1 "$q" --exec sh -c "kill -$sig \$\$"
			assert_failure 1
			assert_output --partial "killed by SIG$sig"
			assert_output --partial 'put back after its command failed'
			run left_on "$q"
			assert_output "m-$sig"
			mqsend "$q" "m-$sig"
			run mqrecv --retries 0 --dead-letter dl "$q" --exec sh -c "kill -$sig \$\$"
			assert_failure 5
			run jq -r .data dl
			assert_output "m-$sig"
		done
	done
}

@test "--exec: a command that cannot be run puts its message back and ends mqrecv with status 1" {
	mqsend -c -p 4 /jobs keep
	run mqrecv -f /jobs --exec ./no-such-command
	assert_failure 1
	assert_output --partial 'cannot run ./no-such-command'
	assert_output --partial 'put back'
	run mqrecv --json /jobs
	assert_output --partial '"priority":4'
	assert_output --partial '"data":"keep"'
}

@test "-P N runs N commands at once" {
	worker w 'touch "$PWD/started.$$"; while [ "$(ls "$PWD" | grep -c "^started\.")" -lt 3 ]; do sleep 0.02; done; m=$(cat); printf "%s\n" "$m" >>"$PWD/done"'
	mqsend -c /jobs a b c
	run timeout 20 mqrecv -n 3 -P 3 /jobs --exec "$PWD/w"
	assert_success
	run sort done
	assert_output $'a\nb\nc'
}

# SIGTERM while commands run: mqrecv takes no more, lets them run for
# --kill-after, then SIGKILLs them and puts their messages back.
@test "SIGTERM during slow commands: no more taken, SIGKILL after --kill-after, their messages put back (both kinds)" {
	local q pid t0
	for q in "${QUEUES[@]}"; do
		rm -f started.*
		worker slow 'touch "$PWD/started.$$"; exec sleep 60'
		mqsend -c "$q" s1 s2 s3
		start_bg bash -c "exec mqrecv -f -P 2 --kill-after 300ms '$q' --exec '$PWD/slow' 2>err"
		wait_until eval '[ "$(ls started.* 2>/dev/null | wc -l)" = 2 ]'
		t0=$(now_ms)
		kill -TERM "$BG_PID"
		wait_status "$BG_PID"
		assert_equal "$status" 0
		[ $(($(now_ms) - t0)) -lt 5000 ] || fail "mqrecv took $(($(now_ms) - t0)) ms to stop"
		run cat err
		assert_output --partial '2 commands still running after --kill-after killed'
		# every message is back (the sleeps are gone too, their groups killed)
		run bash -c "mqrecv --drain '$q' | sort"
		assert_output $'s1\ns2\ns3'
		local f
		for f in started.*; do
			! kill -0 "${f#started.}" 2>/dev/null || fail "command ${f#started.} still runs"
		done
	done
}

@test "SIGTERM: commands that finish within --kill-after complete, their messages are gone, nothing else taken" {
	worker w 'touch "$PWD/started.$$"; sleep 0.5; m=$(cat); printf "%s\n" "$m" >>"$PWD/done"'
	mqsend -c /jobs j1 j2 j3
	start_bg bash -c "exec mqrecv -f -P 2 --kill-after 10s /jobs --exec '$PWD/w' 2>err"
	wait_until eval '[ "$(ls started.* 2>/dev/null | wc -l)" = 2 ]'
	kill -TERM "$BG_PID"
	wait_status "$BG_PID"
	assert_equal "$status" 0
	run sort done
	assert_output $'j1\nj2'
	run left_on /jobs
	assert_output j3
}

@test "SIGTERM without --follow: exit 1, as for a receive that was stopped" {
	worker w 'touch "$PWD/started.$$"; exec sleep 60'
	mqsend -c /jobs only
	start_bg bash -c "exec mqrecv /jobs --kill-after 0 --exec '$PWD/w' 2>err"
	wait_until eval 'ls started.* >/dev/null 2>&1'
	kill -TERM "$BG_PID"
	wait_status "$BG_PID"
	assert_equal "$status" 1
	run left_on /jobs
	assert_output only
}

# The stress: many messages, four workers that fail at random (exit 1,
# SIGSEGV, SIGKILL) before or after reading; each success appends its
# message to a file. Nothing lost, nothing run twice once it succeeded.
@test "stress: 600 messages, -P 4, random failures: each message succeeds exactly once (both kinds)" {
	local q
	worker w '
m=$(cat)
r=$(od -An -N1 -tu1 /dev/urandom | tr -d " ")
case $((r % 5)) in
0) exit 3 ;;
1) kill -SEGV $$ ;;
2) kill -KILL $$ ;;
esac
printf "%s\n" "$m" >>"$PWD/succeeded"'
	seq 1 600 >want
	ns sh -c 'echo 1000 >/proc/sys/fs/mqueue/msg_max'
	for q in "${QUEUES[@]}"; do
		rm -f succeeded dl
		mqsend -c --maxmsg 700 --msgsize 64 "$q" </dev/null 2>/dev/null || mqsend -c "$q" </dev/null
		mqsend "$q" <want
		run mqrecv --drain -P 4 --retries 1000 --dead-letter dl "$q" --exec "$PWD/w"
		assert_success
		[ ! -s dl ] || fail "dead-lettered: $(cat dl)"
		run bash -c 'sort -n succeeded | uniq -d'
		assert_output '' # none ran twice after it succeeded
		run bash -c 'sort -n succeeded | diff - want'
		assert_success # none lost
		run left_on "$q"
		assert_output ''
	done
}

@test "--exec with --timeout: ends when the queue stayed empty that long, after the running commands (exit 4)" {
	worker w 'sleep 0.3; m=$(cat); printf "%s\n" "$m" >>"$PWD/done"'
	mqsend -c /jobs a b
	run mqrecv -f -T 1s -P 2 /jobs --exec "$PWD/w"
	assert_failure 4
	run sort done
	assert_output $'a\nb'
}

@test "read-only consumer with --exec: one command at a time, a failed message goes to the dead letter" {
	mqsend -c -m 0644 /ro r1 r2
	touch dl
	chmod 0666 dl
	# the dead letter is opened through the descriptor root opened
	run ns setpriv --reuid=65534 --regid=65534 --clear-groups sh -c \
		"exec '$MQTOOLS_BIN/mqrecv' -P 4 --dead-letter /dev/fd/5 /ro --exec false" 5>>dl
	assert_failure 5
	assert_output --partial 'no write permission'
	run jq -r .data dl
	assert_output r1
	run left_on /ro
	assert_output r2
}

# --- --wait ---------------------------------------------------------------------

@test "--wait blocks until a message is there, then exits 0 and takes none" {
	mqsend -c /w </dev/null
	start_bg mqrecv --wait /w
	local pid=$BG_PID
	wait_blocked "$pid" mqrecv
	mqsend -p 2 /w hello
	wait_status "$pid"
	assert_equal "$status" 0
	run mqrecv -v /w
	assert_output $'2\thello'
}

@test "--wait with --nonblock: 0 when a message is there, else 4; with --timeout: 4 on expiry" {
	mqsend -c /w </dev/null
	run mqrecv --wait --nonblock /w
	assert_failure 4
	run mqrecv --wait -T 200ms /w
	assert_failure 4
	assert_output --partial 'timed out'
	mqsend /w m
	run mqrecv --wait --nonblock /w
	assert_success
	run mqrecv --wait -T 200ms /w
	assert_success
	run left_on /w
	assert_output m
}

@test "--wait: a removed queue ends it with status 3; SIGTERM with status 1" {
	mqsend -c /w </dev/null
	start_bg mqrecv --wait /w
	local pid=$BG_PID
	wait_blocked "$pid" mqrecv
	mqrm /w
	wait_status "$pid"
	assert_equal "$status" 3
	mqsend -c /w </dev/null
	start_bg mqrecv --wait /w
	pid=$BG_PID
	wait_blocked "$pid" mqrecv
	kill -TERM "$pid"
	wait_status "$pid"
	assert_equal "$status" 1
}

@test "--wait on a System V queue is a usage error naming why" {
	mqsend -c key:0x77 m
	run mqrecv --wait key:0x77
	assert_failure 2
	assert_output --partial 'System V cannot wait for a message without taking it'
	run sysv_count 0x00000077
	assert_output 1
	run mqrecv --wait -n 2 /w
	assert_failure 2
}

# --- --verbose ------------------------------------------------------------------

@test "-v shows PRIORITY or TYPE, a tab, then the message (both kinds); with -0 too" {
	mqsend -c -p 5 /v high
	mqsend /v low
	run mqrecv --drain -v /v
	assert_output $'5\thigh\n0\tlow'
	mqsend -c -t 3 key:0x99 three
	mqsend -t 12 key:0x99 twelve
	run mqrecv -n 2 --verbose key:0x99
	assert_output $'3\tthree\n12\ttwelve'
	mqsend -t 4 key:0x99 z
	mqrecv -v -0 key:0x99 >nul
	run od -c nul
	assert_output --partial '4  \t   z  \0'
	run mqrecv -v --json key:0x99
	assert_failure 2
	run mqrecv -v --raw key:0x99
	assert_failure 2
}

@test "-v: messages put back after output failed keep their own bytes, not the prefix" {
	[ -w /dev/full ] || skip "no /dev/full"
	mqsend -c -p 7 /v keep
	run bash -c 'mqrecv -v /v >/dev/full'
	assert_failure 1
	run mqrecv --json /v
	assert_output --partial '"priority":7'
	assert_output --partial '"data":"keep"'
}

# --- completions ------------------------------------------------------------------

@test "bash completion: the new options, and a command after --exec" {
	require_bash_completion
	run bash_complete 'mqrecv --wor'
	assert_output '--workers'
	run bash_complete 'mqrecv --kill'
	assert_output '--kill-after'
	run bash_complete 'mqrecv --wa'
	assert_output '--wait'
	run bash_complete 'mqrecv -'
	assert_line '-v'
	assert_line '-P'
	run bash_complete 'mqrecv /jobs --exec mqrec'
	assert_line 'mqrecv'
	# the command's own options are its own, not mqrecv's
	run bash_complete 'mqrecv /jobs --exec cat --wor'
	refute_output --partial '--workers'
}

@test "fish completion: the new options" {
	require_command fish
	run ns fish -c "set fish_complete_path '$BATS_TEST_DIRNAME/../completions' \$fish_complete_path
		set fish_function_path '$BATS_TEST_DIRNAME/../completions' \$fish_function_path
		complete -C 'mqrecv --'"
	assert_line --regexp '^--workers'
	assert_line --regexp '^--kill-after'
	assert_line --regexp '^--exec'
	assert_line --regexp '^--verbose'
}
