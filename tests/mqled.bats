#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqled: the controller and its client on real kernel queues, with the
# console backend (output checked), the LED class backend (against a
# directory laid out like /sys/class/leds/NAME, through
# $MQLED_SYS_CLASS_LEDS) and the GPIO backend's refusals on a machine
# without GPIO chips. The GPIO backend itself runs against the kernel's
# gpio-sim driver under qemu: tests/gpiosim/mqled-test.sh.

load helper

setup() {
	require_tool mqled mqsend mqrecv
	ns_setup
}

# Start a controller in the background with its stdout in "out" and its
# log in "log" (arguments are added to "mqled run"); wait until it answers.
start_controller() {
	start_bg bash -c 'exec mqled run "$@" >out 2>log' mqled "$@"
	CTL_PID=$BG_PID
	wait_until controller_ready "$@"
}
# True once a controller answers; ARGS as given to start_controller, of
# which only -q QUEUE matters.
controller_ready() {
	local q=()
	while [ $# -gt 0 ]; do
		[ "$1" = -q ] && q=(-q "$2")
		shift
	done
	mqled "${q[@]}" -T 1s status >/dev/null 2>&1
}
# Wait for the background controller to exit; its status in $CTL_STATUS.
wait_controller() {
	CTL_STATUS=0
	wait "$CTL_PID" || CTL_STATUS=$?
}
# The console's last line.
led_state() {
	tail -n 1 out
}
# True when the console's last line is WANT (for wait_until).
led_state_is() {
	[ "$(tail -n 1 out)" = "$1" ]
}
# True when PATTERN is on N lines of FILE (for wait_until).
lines_matching() {
	[ "$(grep -c -- "$1" "$3")" = "$2" ]
}
# A directory like /sys/class/leds with one LED, NAME, whose trigger is
# TRIGGER (selected among others, as the kernel shows it).
fake_leds() {
	local name=$1 trigger=$2
	mkdir -p leds/"$name"
	echo 0 >leds/"$name"/brightness
	echo 255 >leds/"$name"/max_brightness
	echo "none [$trigger] timer heartbeat" >leds/"$name"/trigger
	export MQLED_SYS_CLASS_LEDS=$PWD/leds
}
# The files the kernel's timer and pattern triggers add, in a fake LED; with
# "pattern", that trigger is in its list too (the fake's list has timer).
fake_trigger_files() {
	local name=$1
	: >leds/"$name"/delay_on
	: >leds/"$name"/delay_off
	if [ "${2:-}" = pattern ]; then
		: >leds/"$name"/pattern
		: >leds/"$name"/repeat
		sed -i 's/$/ pattern/' leds/"$name"/trigger
	fi
}
# A private lock directory, as systemd's RuntimeDirectory= makes it.
private_runtime_dir() {
	mkdir -m 0700 rt
	export RUNTIME_DIRECTORY=$PWD/rt
}

# --- command line ------------------------------------------------------------

@test "--help and --version" {
	run mqled --help
	assert_success
	assert_output --partial 'run'
	assert_output --partial 'blink [ON_MS [OFF_MS [COUNT]]]'
	assert_output --partial 'pulse MS'
	assert_output --partial 'pattern MS,MS[,MS,MS...] [COUNT]'
	assert_output --partial 'brightness N|N%'
	assert_output --partial '--bias BIAS          GPIO line bias: pull-up, pull-down, disable or as-is'
	assert_output --partial '--drive DRIVE'
	assert_output --partial '-L, --leds NAME=SPEC'
	assert_output --partial 'mqled(1)'
	run mqled --version
	assert_success
	assert_output --regexp '^mqled from mqtools '
}

@test "usage errors exit 2 and say what was wrong" {
	run mqled
	assert_failure 2
	assert_output --partial 'no command given'
	run mqled dance
	assert_failure 2
	assert_output --partial "unknown command 'dance'"
	run mqled blink fast
	assert_failure 2
	assert_output --partial "blink ON_MS: 'fast' is not a decimal number"
	run mqled blink 0
	assert_failure 2
	assert_output --partial 'out of range 1..3600000'
	run mqled on now
	assert_failure 2
	assert_output --partial "'on' takes no argument"
	run mqled --chip 0 on
	assert_failure 2
	assert_output --partial "--chip is an option of the controller"
	run mqled run --console --led ACT
	assert_failure 2
	assert_output --partial 'exclusive'
	run mqled run --console --line 17
	assert_failure 2
	assert_output --partial 'are for a GPIO line, not with --console'
	run mqled run --led ACT --line 17 --console
	assert_failure 2
	assert_output --partial 'exclusive'
	run mqled run --console --led ACT --chip 0
	assert_failure 2
	run mqled run --console --daemon
	assert_failure 2
	assert_output --partial '--daemon'
	run mqled run -T 1s --console
	assert_failure 2
	assert_output --partial '--timeout is for the client'
	run mqled on reply=/mqled-reply-1
	assert_failure 2
	run mqled -q nowhere on
	assert_failure 2
	[ ! -e "$MQUEUE_DIR/mqled" ]
}

@test "what the queue's kind cannot do is refused by its capabilities: amqp://, --password-file, --ha-discovery" {
	for a in on run; do
		run mqled -q amqp://127.0.0.1:9/leds $a
		assert_failure 2
		assert_output --partial 'amqp://127.0.0.1:9/leds: mqled serves kernel queues and mqtt:// topics, not amqp:// queues'
	done
	run mqled --password-file /dev/null on
	assert_failure 2
	assert_output --partial '--password-file is for amqp:// queues and mqtt:// topics: a kernel queue has no password'
	run mqled -q key:0x4c50 run --console --ha-discovery
	assert_failure 2
	assert_output --partial '--ha-discovery is for mqtt:// topics: a kernel queue keeps no message for later subscribers'
	[ ! -e "$MQUEUE_DIR/mqled" ]
}

# --- no controller -----------------------------------------------------------

@test "--bias and --drive: the choices named on a wrong one; only for a GPIO line" {
	run mqled run --bias up
	assert_failure 2
	assert_output --partial 'mqled: --bias up: choose pull-up, pull-down, disable or as-is'
	run mqled run --drive od
	assert_failure 2
	assert_output --partial 'mqled: --drive od: choose push-pull, open-drain or open-source'
	run mqled run --console --bias pull-up
	assert_failure 2
	assert_output --partial '--chip, --line, --active-low, --bias and --drive are for a GPIO line, not with --console'
	fake_leds ACT mmc0
	run mqled run --led ACT --drive open-drain
	assert_failure 2
	assert_output --partial 'not with --led'
	run mqled --bias pull-up on
	assert_failure 2
	assert_output --partial "--bias is an option of the controller, 'mqled run'"
}

@test "no controller: exit 3 after --timeout, saying how to start one" {
	run mqled -T 300ms on
	assert_failure 3
	assert_output --partial "no controller"
	assert_output --partial "'mqled run'"
	run mqled -T 300ms -q key:0x4c45 status
	assert_failure 3
	assert_output --partial "'mqled -q key:0x4c45 run'"
}

@test "a queue left by a controller that was killed: exit 3 after --timeout, not 4" {
	start_controller --console
	kill -KILL "$CTL_PID"
	wait_controller
	[ -e "$MQUEUE_DIR/mqled" ]
	run mqled -T 300ms on
	assert_failure 3
	assert_output --partial 'no controller is running on this queue'
	# and a new controller takes the queue over
	start_controller --console
	run mqled on
	assert_success
}

# A controller and its first command started together, as "mqled run &
# mqled on" or "systemctl start mqled && mqled on": the client waits for
# the controller (its queue made and locked), every time.
@test "a client started with its controller waits for it: the first command of 30 starts is served" {
	local q i
	for q in /mqled key:0x4c47; do
		for i in $(seq 30); do
			start_bg bash -c 'exec mqled -q "$0" run --console >out 2>log' "$q"
			run mqled -q "$q" -T 20s on
			[ "$status" = 0 ] || fail "round $i on $q: status $status: $output; log: $(cat log)"
			run mqled -q "$q" stop
			assert_success
			wait_status "$BG_PID"
			assert_equal "$status" 0
			assert_equal "$(cat out)" $'LED off\nLED on\nLED off'
		done
	done
}

# A stand-in for systemd's end of sd_notify(3) (tests/notify-listener.py)
# on notify.sock, its log notify.log; CHECK... tells whether the
# controller served when a message came. With -T 1ms a client does not wait
# for a controller: exit 3 means there was none (no queue, or not locked).
start_notify_listener() {
	NOTIFY_SOCKET=$BATS_TEST_TMPDIR/notify.sock
	start_bg python3 "$BATS_TEST_DIRNAME/notify-listener.py" "$NOTIFY_SOCKET" notify.log "$@"
	NOTIFY_PID=$BG_PID
	wait_until test -e "$NOTIFY_SOCKET.up"
}

@test "systemd's notify socket: READY=1 once the queue is made and locked, STOPPING=1 at stop" {
	require_command python3
	start_notify_listener sh -c 'mqled -T 1ms status; [ $? != 3 ]'
	NOTIFY_SOCKET=$NOTIFY_SOCKET start_bg bash -c 'exec mqled run --console >out 2>log'
	CTL_PID=$BG_PID
	wait_until grep -q '^READY=1' notify.log
	run cat notify.log
	assert_output "READY=1 STATUS=serving queue /mqled yes"
	mqled on
	mqled stop
	wait_controller
	assert_equal "$CTL_STATUS" 0
	wait_status "$NOTIFY_PID"
	run cat notify.log
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --regexp '^STOPPING=1 ' 
	# without NOTIFY_SOCKET nothing is sent, and a bad one is only logged
	NOTIFY_SOCKET=relative/path start_controller --console
	mqled stop
	wait_controller
	assert_equal "$CTL_STATUS" 0
	grep -q 'cannot tell the service manager (NOTIFY_SOCKET)' log
}

@test "no answer in time: exit 4 after --timeout, reply queue removed" {
	start_controller --console
	kill -STOP "$CTL_PID"
	local t0=$(now_ms) t
	run mqled -T 300ms on
	t=$(($(now_ms) - t0))
	kill -CONT "$CTL_PID"
	assert_failure 4
	assert_output --partial 'no answer from the controller within 0.3 s'
	[ "$t" -ge 300 ] && [ "$t" -lt 3000 ]
	run ls "$MQUEUE_DIR"
	refute_output --partial mqled-reply
}

# --- the controller with the console backend ------------------------------

@test "console: on, off, toggle, status; the LED off at start and at stop" {
	start_controller --console
	assert_equal "$(cat out)" "LED off"
	run mqled on
	assert_success
	assert_output ""
	assert_equal "$(led_state)" "LED on"
	mqled off
	assert_equal "$(led_state)" "LED off"
	mqled toggle
	assert_equal "$(led_state)" "LED on"
	run mqled status
	assert_success
	assert_line --index 0 'LED: on'
	assert_line --index 1 'backend: console (standard output)'
	assert_line --index 2 "controller: pid $(ns_pid_of mqled), queue /mqled"
	run mqled stop
	assert_success
	wait_controller
	assert_equal "$CTL_STATUS" 0
	assert_equal "$(cat out)" $'LED off\nLED on\nLED off\nLED on\nLED off'
	[ ! -e "$MQUEUE_DIR/mqled" ]
	run grep -c 'controller stopped' log
	assert_output 1
}

@test "plain messages from mqsend work: any case, trailing newline, no answer needed" {
	start_controller --console
	mqsend /mqled on
	wait_until grep -qx 'LED on' out
	printf 'OFF\n' | mqsend -w /mqled
	wait_until led_state_is "LED off"
	mqsend /mqled 'Toggle'
	wait_until led_state_is "LED on"
	mqsend /mqled stop
	wait_controller
	assert_equal "$CTL_STATUS" 0
	assert_equal "$(led_state)" "LED off"
}

@test "an unknown or malformed command is refused, logged, and leaves the LED as it was" {
	start_controller --console
	mqled on
	mqsend /mqled dance 'blink 100 x' 'on please' $'on\001' 'on reply=/etc'
	# a command after them shows they were all taken
	run mqled status
	assert_line --index 0 'LED: on'
	assert_equal "$(cat out)" $'LED off\nLED on'
	run cat log
	assert_line --partial "rejected 'dance': unknown command 'dance'"
	assert_line --partial "rejected 'blink 100 x': blink OFF_MS: 'x' is not a decimal number"
	assert_line --partial "rejected 'on please': 'on' takes no argument"
	assert_line --partial "rejected 'on\\001': byte 0x01"
	assert_line --partial "rejected 'on reply=/etc': reply address '/etc' is not a reply queue"
}

@test "a refused command is answered on its reply queue with the reason" {
	start_controller --console
	# a reply queue as the client makes it: named after its nonce's hash
	local nonce=0123456789abcdef0123456789abcdef reply
	reply=/mqled-reply-$(printf %s "$nonce" | sha256sum | cut -c1-32)
	mqsend -c --maxmsg 2 --msgsize 1100 "$reply" </dev/null
	mqsend /mqled "blink 0 reply=$reply nonce=$nonce"
	run mqrecv -T 2s "$reply"
	assert_success
	assert_output "nonce=$nonce error blink ON_MS: '0' is out of range 1..3600000"
	mqsend /mqled "on reply=$reply nonce=$nonce"
	run mqrecv -T 2s "$reply"
	assert_output --regexp "^nonce=$nonce ok LED: on"
}

@test "every stop signal (HUP INT TERM QUIT USR1 USR2): LED off, queue removed, exit 0; --keep leaves it on" {
	local sig
	for sig in TERM INT HUP QUIT USR1 USR2; do
		start_controller --console
		mqled on
		kill -"$sig" "$CTL_PID"
		wait_controller
		assert_equal "$CTL_STATUS" 0
		assert_equal "$(led_state)" "LED off"
		[ ! -e "$MQUEUE_DIR/mqled" ]
	done
	start_controller --console --keep
	mqled on
	kill -TERM "$CTL_PID"
	wait_controller
	assert_equal "$(led_state)" "LED on"
	run grep 'left on (--keep)' log
	assert_success
}

@test "a second controller on the same queue refuses to start, naming the first" {
	start_controller --console
	local first=$CTL_PID
	run mqled run --console
	assert_failure 1
	assert_output --partial "/mqled: another mqled controller already serves this queue"
	# the first one is untouched
	run mqled on
	assert_success
	# a controller on another queue starts
	CTL_PID=$first
	start_bg bash -c 'exec mqled run --console -q /other >out2 2>log2'
	wait_until controller_ready -q /other
	run mqled -q /other status
	assert_success
}

@test "queue mode 0620 unless -m; a queue that existed is left in place" {
	start_controller --console
	run stat -c %a "$MQUEUE_DIR/mqled"
	assert_output 620
	mqled stop
	wait_controller
	start_controller --console -m 0600
	run stat -c %a "$MQUEUE_DIR/mqled"
	assert_output 600
	mqled stop
	wait_controller
	mqsend -c /mine </dev/null
	start_controller --console -q /mine
	mqled -q /mine stop
	wait_controller
	[ -e "$MQUEUE_DIR/mine" ]
}

@test "System V queue: commands, status, plain mqsend, queue removed at stop" {
	start_controller --console -q key:0x4c45
	run mqled -q key:0x4c45 on
	assert_success
	assert_equal "$(led_state)" "LED on"
	mqsend key:0x4c45 off
	wait_until led_state_is "LED off"
	run mqled -q key:0x4c45 status
	assert_line --index 0 'LED: off'
	assert_line --index 2 --partial 'queue key:0x00004c45'
	mqled -q key:0x4c45 stop
	wait_controller
	assert_equal "$CTL_STATUS" 0
	run sysv_count 0x00004c45
	assert_failure
	# no reply queue left behind
	run bash -c "ipcs -q | grep -ci 0x6d"
	assert_output 0
}

# The command client of the seeds' exercise, written to it: msgget without
# IPC_CREAT, struct message_buffer, the text sent with its NUL (strlen + 1),
# type 1 "ON" or "OFF", type 2 to make the controller clean up and exit.
seeds_client() {
	cat >common.h <<'END'
#ifndef COMMON_H
#define COMMON_H
#include <sys/types.h>
#define MSG_QUEUE_KEY 1234
#define MAX_MSG_SIZE 256
struct message_buffer {
	long message_type;
	char message_text[MAX_MSG_SIZE];
};
#endif
END
	cat >command.c <<'END'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include "common.h"
int main(int argc, char **argv) {
	struct message_buffer snd_buffer;
	int msqid;
	if (argc != 2) {
		fprintf(stderr, "usage: %s on|off|exit\n", argv[0]);
		return 2;
	}
	msqid = msgget(MSG_QUEUE_KEY, 0666);
	if (msqid == -1) {
		perror("msgget failed");
		exit(EXIT_FAILURE);
	}
	if (strcmp(argv[1], "on") == 0) {
		snd_buffer.message_type = 1;
		strcpy(snd_buffer.message_text, "ON");
	} else if (strcmp(argv[1], "off") == 0) {
		snd_buffer.message_type = 1;
		strcpy(snd_buffer.message_text, "OFF");
	} else if (strcmp(argv[1], "exit") == 0) {
		snd_buffer.message_type = 2;
		strcpy(snd_buffer.message_text, "EXIT");
	} else {
		fprintf(stderr, "unknown command %s\n", argv[1]);
		return 2;
	}
	if (msgsnd(msqid, &snd_buffer, strlen(snd_buffer.message_text) + 1, 0) == -1) {
		perror("msgsnd failed");
		exit(EXIT_FAILURE);
	}
	return 0;
}
END
	cc -Wall -o command command.c
}

@test "the seeds' protocol: their command client, in C, drives a System V controller unchanged" {
	seeds_client
	start_controller --console -q key:1234
	ns ./command on
	wait_until led_state_is "LED on"
	ns ./command off
	wait_until led_state_is "LED off"
	ns ./command on
	wait_until led_state_is "LED on"
	ns ./command exit
	wait_controller
	# it cleaned up: LED off, queue removed, exit 0
	assert_equal "$CTL_STATUS" 0
	assert_equal "$(cat out)" $'LED off\nLED on\nLED off\nLED on\nLED off'
	run sysv_count 0x000004d2
	assert_failure
	run grep -c rejected log
	assert_output 0
}

@test "the seeds' protocol: type 2 is stop whatever its text; exit is stop; one trailing NUL ends the text" {
	start_controller --console -q key:0x4c47
	printf 'ON\0' | mqsend -w key:0x4c47
	wait_until led_state_is "LED on"
	# any other NUL is still refused, and leaves the LED as it was
	printf 'O\0N' | mqsend -w key:0x4c47
	printf 'OFF\0\0' | mqsend -w key:0x4c47
	run mqled -q key:0x4c47 status
	assert_line --index 0 'LED: on'
	run cat log
	assert_line --partial "rejected 'O\\0N': byte 0x00 at position 2 is not text"
	assert_line --partial "rejected 'OFF\\0\\0': byte 0x00 at position 4 is not text"
	# type 2 with another command's text, or none, still stops
	mqsend -t 2 key:0x4c47 on
	wait_controller
	assert_equal "$CTL_STATUS" 0
	assert_equal "$(led_state)" "LED off"
	run sysv_count 0x00004c47
	assert_failure
	run grep -c "a message of type 2 means stop; its command 'on' is not executed" log
	assert_output 1
	start_controller --console -q key:0x4c47
	mqsend -t 2 key:0x4c47 ''
	wait_controller
	assert_equal "$CTL_STATUS" 0
	# exit is stop, from the client and as a plain message of type 1
	start_controller --console -q key:0x4c47
	run mqled -q key:0x4c47 exit
	assert_success
	wait_controller
	assert_equal "$CTL_STATUS" 0
	start_controller --console -q key:0x4c47
	printf 'exit\0' | mqsend -w key:0x4c47
	wait_controller
	assert_equal "$CTL_STATUS" 0
	run sysv_count 0x00004c47
	assert_failure
}

@test "POSIX queues: type means nothing there; priority 2 does not stop" {
	start_controller --console
	mqsend -p 2 /mqled on
	wait_until led_state_is "LED on"
	run mqled status
	assert_success
	assert_line --index 0 'LED: on'
}

@test "the queue removed under the controller: it stops with the LED off, status 1" {
	start_controller --console
	mqled on
	rm "$MQUEUE_DIR/mqled"
	wait_controller
	assert_equal "$CTL_STATUS" 1
	assert_equal "$(led_state)" "LED off"
	run cat log
	assert_output --partial 'the queue was removed'
}

@test "run --console with standard output closed: exit 1 at once, naming standard output; no queue left, one that existed keeps its commands" {
	run timeout 10 bash -c 'mqled run --console >&-'
	assert_failure 1
	assert_output 'mqled: standard output is closed, and the console LED is drawn there: no queue was taken'
	[ ! -e "$MQUEUE_DIR/mqled" ]
	run timeout 10 bash -c 'mqled run -L a=console >&-'
	assert_failure 1
	assert_output --partial 'no queue was taken'
	run timeout 10 bash -c 'mqled run --console -q key:0x4c48 >&-'
	assert_failure 1
	assert_output --partial 'standard output'
	run sysv_count 0x00004c48
	assert_failure
	# a queue made before, a command waiting in it: left as it was
	mqsend -c -m 0620 /mine on
	mqsend -c key:0x4c49 on
	local q
	for q in /mine key:0x4c49; do
		run timeout 10 bash -c "mqled run --console -q $q >&-"
		assert_failure 1
		assert_output --partial 'standard output'
		run mqrecv --drain "$q"
		assert_output on
	done
}

# --- blinking ------------------------------------------------------------------

# Start a controller whose console lines are stamped with a monotonic clock
# in milliseconds as they arrive: "MS LED on".
start_stamped_controller() {
	start_bg bash -c 'mqled run --console "$@" 2>log | python3 -u -c "
import sys, time
for line in iter(sys.stdin.readline, \"\"):
    print(int(time.monotonic() * 1000), line.rstrip(), flush=True)
" >out' mqled "$@"
	CTL_PID=$BG_PID
	wait_until controller_ready "$@"
	# the stamps are right once the first line has gone through
	wait_until test -s out
}

@test "blink timing: ON_MS and OFF_MS within a tolerance, COUNT cycles, LED off at the end" {
	start_stamped_controller
	run mqled blink 150 250 3
	assert_success
	wait_until lines_matching 'LED off' 4 out
	sleep 0.5 # nothing more comes
	# the lines after "LED off" of the start: on off on off on off
	run awk 'NR > 1 { print $3 }' out
	assert_output $'on\noff\non\noff\non\noff'
	local -a t
	mapfile -t t < <(awk 'NR > 1 { print $1 }' out)
	local i d want
	for ((i = 1; i < 6; i++)); do
		d=$((t[i] - t[i - 1]))
		want=$((i % 2 ? 150 : 250))
		echo "interval $i: $d ms, want $want" >&3
		[ "$d" -ge $((want - 50)) ] && [ "$d" -le $((want + 120)) ] ||
			fail "interval $i lasted $d ms, want $want (-50/+120)"
	done
	# no drift: first on to last off is the sum of the periods between
	d=$((t[5] - t[0]))
	[ "$d" -ge 900 ] && [ "$d" -le 1150 ] || fail "on to last off took $d ms, want 950 (-50/+200)"
	run mqled status
	assert_line --index 0 'LED: off'
}

# The intervals between the stamped console lines after the first, "MS MS ...".
stamped_intervals() {
	awk 'NR > 1 { if (t) printf "%s%d", sep, $1 - t; sep = " "; t = $1 }' out
}
# check_intervals WANT...: each change within -50/+120 ms of when the
# WANTs put it, counted from the first. The controller keeps to that
# schedule (no drift): a change it made late on a loaded machine is
# followed by a shorter interval, which is right, so each change is judged
# by its time from the first, not by the interval before it.
check_intervals() {
	local -a got
	read -ra got <<<"$(stamped_intervals)"
	[ "${#got[@]}" = $# ] || fail "intervals: ${got[*]}, want $*"
	local i=0 want at=0 due=0
	for want; do
		at=$((at + got[i])) due=$((due + want))
		echo "change $((i + 1)): at $at ms, due at $due (interval ${got[i]}, want $want)" >&3
		[ "$at" -ge $((due - 50)) ] && [ "$at" -le $((due + 120)) ] ||
			fail "change $((i + 1)) came at $at ms, due at $due (-50/+120)"
		i=$((i + 1))
	done
}

@test "pulse MS: on for MS, then off, in one command" {
	start_stamped_controller
	run mqled pulse 300
	assert_success
	run mqled status
	assert_line --index 0 'LED: pulse, 300 ms on (now on)'
	wait_until lines_matching 'LED off' 2 out
	sleep 0.3 # nothing more comes
	run awk 'NR > 1 { print $3 }' out
	assert_output $'on\noff'
	check_intervals 300
	run mqled status
	assert_line --index 0 'LED: off'
	run grep -c 'pulse done' log
	assert_output 1
	# a pulse is ended by a command like a blink
	mqled pulse 5000
	mqled off
	run mqled status
	assert_line --index 0 'LED: off'
}

@test "pattern MS,MS,... COUNT: on/off durations repeated COUNT times, or until told otherwise" {
	start_stamped_controller
	run mqled pattern 100,200,100,400 2
	assert_success
	wait_until lines_matching 'LED off' 5 out
	sleep 0.6 # nothing more comes
	run awk 'NR > 1 { print $3 }' out
	assert_output $'on\noff\non\noff\non\noff\non\noff'
	# the second cycle starts after the first's last off phase
	check_intervals 100 200 100 400 100 200 100
	run grep -c 'pattern: 100,200,100,400, 2 cycles' log
	assert_output 1
	run grep -c 'pattern done: 2 cycles' log
	assert_output 1
	mqled pattern 200,100
	run mqled status
	assert_line --index 0 --regexp '^LED: pattern 200,100, until told otherwise \(now (on|off)\)$'
	mqled on
	run mqled status
	assert_line --index 0 'LED: on'
}

@test "pattern, pulse, brightness: arguments checked, by the client (exit 2) and the controller" {
	run mqled pattern 100
	assert_failure 2
	assert_output --partial 'pattern has 1 durations: it needs on/off pairs'
	run mqled pattern 100,x
	assert_failure 2
	assert_output --partial "pattern MS: 'x' is not a decimal number"
	run mqled pattern 100,,100,100
	assert_failure 2
	run mqled pattern
	assert_failure 2
	assert_output --partial 'pattern needs MS,MS,... COUNT'
	run mqled pattern 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1
	assert_failure 2
	assert_output --partial 'pattern has more than 32 durations'
	run mqled pulse
	assert_failure 2
	assert_output --partial 'pulse needs MS'
	run mqled pulse 0
	assert_failure 2
	run mqled pulse 100 200
	assert_failure 2
	assert_output --partial "pulse takes at most MS, but '200' followed"
	run mqled brightness 101%
	assert_failure 2
	assert_output --partial 'brightness N%:'
	run mqled brightness -1
	assert_failure 2
	start_controller --console
	mqsend /mqled 'pattern 5,5,5' 'brightness x'
	run mqled status
	assert_line --index 0 'LED: off'
	run cat log
	assert_line --partial "rejected 'pattern 5,5,5': pattern has 3 durations"
	assert_line --partial "rejected 'brightness x': brightness N: 'x' is not a decimal number"
}

@test "brightness on the console or a one-level LED: refused, saying what is needed" {
	start_controller --console
	run mqled brightness 50%
	assert_failure 1
	assert_output --partial 'brightness needs a kernel LED (--led NAME) with a max_brightness above 1; console'
	mqled stop
	wait_controller
	fake_leds PWR default-on
	echo 1 >leds/PWR/max_brightness
	start_controller --led PWR
	run mqled brightness 1
	assert_failure 1
	assert_output --partial 'has max_brightness 1: it is on or off only'
}

@test "led class: brightness N and N%; over max_brightness refused; on is full again" {
	fake_leds ACT mmc0
	start_controller --led ACT
	mqled brightness 100
	assert_equal "$(cat leds/ACT/brightness)" 100
	run mqled status
	assert_line --index 0 'LED: on, brightness 100 of 255'
	mqled brightness 50%
	assert_equal "$(cat leds/ACT/brightness)" 128
	mqled brightness 1%
	assert_equal "$(cat leds/ACT/brightness)" 3
	run mqled brightness 256
	assert_failure 1
	assert_output --partial "brightness 256 is over $PWD/leds/ACT's max_brightness 255"
	assert_equal "$(cat leds/ACT/brightness)" 3
	mqled on
	assert_equal "$(cat leds/ACT/brightness)" 255
	run mqled status
	assert_line --index 0 'LED: on'
	mqled brightness 0
	assert_equal "$(cat leds/ACT/brightness)" 0
	run mqled status
	assert_line --index 0 'LED: off'
	run grep -c 'brightness: LED at 128 of 255' log
	assert_output 1
}

@test "led class: pattern and pulse are the kernel's pattern trigger" {
	fake_leds ACT mmc0
	fake_trigger_files ACT pattern
	start_controller --led ACT
	mqled pattern 100,50,100,300
	assert_equal "$(cat leds/ACT/trigger)" pattern
	assert_equal "$(cat leds/ACT/repeat)" -1
	assert_equal "$(cat leds/ACT/pattern)" "255 100 255 0 0 50 0 0 255 100 255 0 0 300 0 0"
	run mqled status
	assert_line --index 0 'LED: pattern 100,50,100,300, until told otherwise (in the kernel, now off)'
	mqled pattern 10,20 7
	assert_equal "$(cat leds/ACT/repeat)" 7
	mqled pulse 400
	assert_equal "$(cat leds/ACT/repeat)" 1
	assert_equal "$(cat leds/ACT/pattern)" "255 400 255 0 0 1 0 0"
	run grep -c "pulse: 400 ms on, by the kernel's pattern trigger" log
	assert_output 1
	wait_until bash -c '[ "$(cat leds/ACT/trigger)" = none ]'
	run grep -c 'pulse done' log
	assert_output 1
}

@test "blinking never blocks commands, on POSIX and System V queues" {
	local q
	for q in /mqled key:0x4c46; do
		start_controller --console -q "$q"
		mqled -q "$q" blink 2000 2000
		local t0=$(now_ms)
		run mqled -q "$q" status
		assert_success
		assert_line --index 0 --partial 'LED: blinking, 2000 ms on, 2000 ms off, until told otherwise (now on)'
		mqled -q "$q" off
		[ $(($(now_ms) - t0)) -lt 1500 ] || fail "$q: status and off took $(($(now_ms) - t0)) ms during a 2 s blink"
		assert_equal "$(led_state)" "LED off"
		# blinking has ended: nothing changes any more
		sleep 2.2
		assert_equal "$(cat out)" $'LED off\nLED on\nLED off'
		mqled -q "$q" stop
		wait_controller
	done
}

@test "a fast blink keeps going while commands arrive; a new blink replaces the old" {
	start_controller --console
	mqled blink 20 20
	local i=0 t0=$(now_ms)
	# commands for 600 ms, while the LED changes every 20 ms
	while [ $(($(now_ms) - t0)) -lt 600 ]; do
		mqled status >/dev/null || fail "status $i failed during a blink"
		i=$((i + 1))
	done
	mqled blink 500 500 2
	run mqled status
	assert_line --index 0 --partial 'LED: blinking, 500 ms on, 500 ms off, 0 of 2 cycles done'
	local ons
	ons=$(grep -c 'LED on' out)
	echo "$ons times on during $i status commands" >&3
	[ "$ons" -ge 5 ] || fail "the fast blink went on only $ons times in 600 ms"

}

# --- LED class backend ----------------------------------------------------------

@test "led class: trigger none while held and restored; brightness max and 0" {
	fake_leds ACT mmc0
	assert_equal "$(cat leds/ACT/trigger)" "none [mmc0] timer heartbeat"
	start_controller --led ACT
	assert_equal "$(cat leds/ACT/trigger)" "none"
	assert_equal "$(cat leds/ACT/brightness)" 0
	mqled on
	assert_equal "$(cat leds/ACT/brightness)" 255
	run mqled status
	assert_line --index 0 'LED: on'
	assert_line --index 1 "backend: led ACT ($PWD/leds/ACT), trigger mmc0 at exit"
	mqled toggle
	assert_equal "$(cat leds/ACT/brightness)" 0
	mqled on
	mqled stop
	wait_controller
	assert_equal "$CTL_STATUS" 0
	assert_equal "$(cat leds/ACT/brightness)" 0
	assert_equal "$(cat leds/ACT/trigger)" "mmc0"
}

@test "led class: --keep leaves it lit and its trigger none" {
	fake_leds PWR default-on
	start_controller --led PWR --keep
	mqled on
	kill -TERM "$CTL_PID"
	wait_controller
	assert_equal "$(cat leds/PWR/brightness)" 255
	assert_equal "$(cat leds/PWR/trigger)" "none"
}

@test "led class: a missing LED is named with the ones there are; the queue is not created" {
	fake_leds ACT mmc0
	mkdir leds/PWR
	run mqled run --led led0
	assert_failure 1
	assert_output --partial "no LED named 'led0' in $PWD/leds; there are: "
	assert_output --partial ACT
	assert_output --partial PWR
	[ ! -e "$MQUEUE_DIR/mqled" ]
	run mqled run --led ../ACT
	assert_failure 1
	assert_output --partial 'is not an LED name'
}

@test "led class: a second controller on the same LED refuses, even on another queue" {
	fake_leds ACT mmc0
	start_controller --led ACT
	run mqled run --led ACT -q /other
	assert_failure 1
	assert_output --partial "LED ACT is already driven by another mqled controller (pid $(ns_pid_of mqled))"
	[ ! -e "$MQUEUE_DIR/other" ]
	assert_equal "$(cat leds/ACT/trigger)" "none"
}

@test "led class: blink is the kernel's timer trigger, delay_on and delay_off; a command ends it" {
	fake_leds ACT mmc0
	fake_trigger_files ACT
	start_controller --led ACT
	mqled on
	run mqled blink 200 300
	assert_success
	assert_equal "$(cat leds/ACT/trigger)" timer
	assert_equal "$(cat leds/ACT/delay_on)" 200
	assert_equal "$(cat leds/ACT/delay_off)" 300
	# off before the trigger, so that it starts with the on phase
	assert_equal "$(cat leds/ACT/brightness)" 0
	run mqled status
	assert_line --index 0 'LED: blinking, 200 ms on, 300 ms off, until told otherwise (in the kernel, now off)'
	run grep -c "blink: 200 ms on, 300 ms off, until told otherwise, by the kernel's timer trigger" log
	assert_output 1
	mqled on
	assert_equal "$(cat leds/ACT/trigger)" none
	assert_equal "$(cat leds/ACT/brightness)" 255
	run mqled status
	assert_line --index 0 'LED: on'
	mqled blink
	assert_equal "$(cat leds/ACT/trigger)" timer
	assert_equal "$(cat leds/ACT/delay_on)" 500
	mqled stop
	wait_controller
	assert_equal "$CTL_STATUS" 0
	assert_equal "$(cat leds/ACT/trigger)" mmc0
	assert_equal "$(cat leds/ACT/brightness)" 0
}

@test "led class: a counted blink is the pattern trigger, repeated COUNT times, given back at its end" {
	fake_leds ACT mmc0
	fake_trigger_files ACT pattern
	start_controller --led ACT
	mqled blink 100 150 3
	assert_equal "$(cat leds/ACT/trigger)" pattern
	assert_equal "$(cat leds/ACT/repeat)" 3
	assert_equal "$(cat leds/ACT/pattern)" "255 100 255 0 0 150 0 0"
	run mqled status
	assert_line --index 0 --regexp '^LED: blinking, 100 ms on, 150 ms off, [0-3] of 3 cycles done \(in the kernel, now off\)$'
	# 3 cycles of 250 ms: then the controller takes the LED back, off
	wait_until bash -c '[ "$(cat leds/ACT/trigger)" = none ]'
	run mqled status
	assert_line --index 0 'LED: off'
	run grep -c "blinking done: 3 cycles" log
	assert_output 1
	mqled stop
	wait_controller
	assert_equal "$(cat leds/ACT/trigger)" mmc0
}

@test "led class: without the kernel's triggers, the controller blinks the LED itself" {
	fake_leds ACT mmc0
	sed -i 's/ timer//' leds/ACT/trigger
	start_controller --led ACT
	mqled blink 50 50 4
	assert_equal "$(cat leds/ACT/trigger)" none
	wait_until lines_matching 'blinking done: 4 cycles' 1 log
	run grep -c "by the kernel's" log
	assert_output 0
	assert_equal "$(cat leds/ACT/brightness)" 0
	# a timer trigger that makes no delay_on file is not one to drive
	echo "none [mmc0] timer" >leds/ACT/trigger
	mqled stop
	wait_controller
	start_controller --led ACT
	mqled blink 50 50 2
	wait_until lines_matching 'blinking done: 2 cycles' 1 log
	assert_equal "$(cat leds/ACT/trigger)" none
}

@test "led class: the board's trigger survives a SIGKILL mid-blink: kept in the runtime directory, restored by the next controller" {
	private_runtime_dir
	fake_leds ACT mmc0
	fake_trigger_files ACT
	start_controller --led ACT
	run cat rt/led-*.trigger
	assert_output mmc0
	[ "$(stat -c %a rt/led-*.trigger)" = 600 ]
	mqled blink 100 100
	assert_equal "$(cat leds/ACT/trigger)" timer
	kill -KILL "$CTL_PID"
	wait_controller
	# the kernel would go on blinking; the next controller must not take
	# timer (or none) for the board's trigger
	assert_equal "$(cat leds/ACT/trigger)" timer
	start_controller --led ACT
	assert_equal "$(cat leds/ACT/trigger)" none
	run mqled status
	assert_line --index 1 "backend: led ACT ($PWD/leds/ACT), trigger mmc0 at exit (saved by a killed controller)"
	kill -KILL "$CTL_PID"
	wait_controller
	start_controller --led ACT
	mqled stop
	wait_controller
	assert_equal "$(cat leds/ACT/trigger)" mmc0
	# a clean exit leaves no state behind
	run ls rt
	assert_output ""
}

@test "led class: --keep keeps the state file; a trigger set since is the one taken" {
	private_runtime_dir
	fake_leds ACT mmc0
	start_controller --led ACT --keep
	mqled on
	mqled stop
	wait_controller
	assert_equal "$(cat leds/ACT/trigger)" none
	run cat rt/led-*.trigger
	assert_output mmc0
	# an administrator gives the LED another trigger: that one is the LED's now
	echo "none timer [heartbeat]" >leds/ACT/trigger
	start_controller --led ACT
	run mqled status
	assert_line --index 1 "backend: led ACT ($PWD/leds/ACT), trigger heartbeat at exit"
	mqled stop
	wait_controller
	assert_equal "$(cat leds/ACT/trigger)" heartbeat
}

@test "several LEDs: -L NAME=SPEC; NAME before a command for one, none for all; status lists them" {
	fake_leds ACT mmc0
	fake_leds PWR default-on
	start_controller -L act=led:ACT -L pwr=led:PWR -L term=console
	run cat log
	assert_output --partial "act: led ACT ($PWD/leds/ACT), trigger mmc0 at exit; pwr: led PWR"
	assert_output --partial "term: console (standard output); LEDs off"
	mqled act on
	assert_equal "$(cat leds/ACT/brightness)" 255
	assert_equal "$(cat leds/PWR/brightness)" 0
	assert_equal "$(cat out)" "LED off"
	mqled term on
	assert_equal "$(led_state)" "LED on"
	run mqled status
	assert_success
	assert_line --index 0 'LED act: on'
	assert_line --index 1 "backend act: led ACT ($PWD/leds/ACT), trigger mmc0 at exit"
	assert_line --index 2 'LED pwr: off'
	assert_line --index 4 'LED term: on'
	assert_line --index 5 'backend term: console (standard output)'
	assert_line --index 6 --partial 'controller: pid '
	run mqled pwr status
	assert_line --index 0 'LED pwr: off'
	assert_line --index 2 --partial 'controller: pid '
	mqled pwr brightness 10%
	assert_equal "$(cat leds/PWR/brightness)" 26
	# no name: every LED
	mqled off
	assert_equal "$(cat leds/ACT/brightness)" 0
	assert_equal "$(cat leds/PWR/brightness)" 0
	assert_equal "$(led_state)" "LED off"
	mqled toggle
	assert_equal "$(cat leds/ACT/brightness)" 255
	assert_equal "$(cat leds/PWR/brightness)" 255
	assert_equal "$(led_state)" "LED on"
	run mqled nope on
	assert_failure 1
	assert_output --partial "no LED named 'nope' here; there are: act, pwr, term"
	run mqled act stop
	assert_failure 2
	assert_output --partial "'stop' is for the whole controller, not one LED"
	# the brightness of the console: refused, and the others untouched
	run mqled term brightness 5
	assert_failure 1
	mqled act pulse 5000
	run mqled act status
	assert_line --index 0 --regexp '^LED act: pulse, 5000 ms on'
	mqled stop
	wait_controller
	assert_equal "$CTL_STATUS" 0
	assert_equal "$(cat leds/ACT/trigger)" mmc0
	assert_equal "$(cat leds/PWR/trigger)" default-on
	assert_equal "$(led_state)" "LED off"
}

@test "several LEDs: -L refusals: bad names and specs, doubles, with the single-LED options" {
	run mqled run -L on=console
	assert_failure 2
	assert_output --partial 'not a command'
	run mqled run -L a=console -L a=led:ACT
	assert_failure 2
	assert_output --partial 'there is already an LED named a'
	run mqled run -L a=console -L b=console
	assert_failure 2
	assert_output --partial 'the terminal shows one LED (a already)'
	run mqled run -L a=lamp
	assert_failure 2
	assert_output --partial "'lamp' is not an LED (console, led:NAME or gpio:[CHIP:]LINE"
	run mqled run -L a=gpio:gpiochip0:5,fast
	assert_failure 2
	assert_output --partial "'fast' is not a GPIO setting"
	run mqled run -L a=console --line 5
	assert_failure 2
	assert_output --partial '-L gives every LED with its settings'
	# the same LED twice: the second is refused by the first's lock
	fake_leds ACT mmc0
	run mqled run -L a=led:ACT -L b=led:ACT
	assert_failure 1
	assert_output --partial 'b: LED ACT is already driven by another mqled controller'
	[ ! -e "$MQUEUE_DIR/mqled" ]
	# the first given back its trigger
	assert_equal "$(cat leds/ACT/trigger)" mmc0
}

@test "--daemon: detaches once ready, pidfile written and removed, a second refused" {
	fake_leds ACT mmc0
	run mqled run --led ACT --daemon --pidfile "$PWD/mqled.pid"
	assert_success
	[ -s mqled.pid ]
	local pid
	pid=$(cat mqled.pid)
	[ "$(cat "/proc/$pid/comm")" = mqled ]
	run mqled status
	assert_success
	assert_line --index 2 "controller: pid $pid, queue /mqled"
	run mqled run --led ACT --daemon --pidfile "$PWD/mqled.pid" -q /other
	assert_failure 1
	assert_output --partial "another mqled controller (pid $pid) holds this pidfile"
	mqled on
	assert_equal "$(cat leds/ACT/brightness)" 255
	mqled stop
	wait_until test ! -e mqled.pid
	assert_equal "$(cat leds/ACT/brightness)" 0
	assert_equal "$(cat leds/ACT/trigger)" mmc0
}

@test "--daemon returns once the daemon serves, its own pid in the pidfile, every time" {
	fake_leds ACT mmc0
	local i pid
	for i in $(seq 10); do
		mqled run --led ACT --daemon --pidfile "$PWD/mqled.pid"
		pid=$(cat mqled.pid)
		# the daemon's pid, not its parent's, which has exited
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = mqled ] || fail "round $i: pid $pid is no mqled"
		run mqled status
		assert_success
		assert_line --index 2 "controller: pid $pid, queue /mqled"
		mqled stop
		wait_until test ! -e mqled.pid
	done
}

# --- GPIO backend: what can be checked without a GPIO chip ----------------

@test "gpio: no chip with the line, or an offset without --chip, is a clear failure" {
	require_gpio
	run mqled run
	assert_failure 1
	assert_output --partial 'no GPIO line named GPIO17'
	[ ! -e "$MQUEUE_DIR/mqled" ]
	run mqled run --line 17
	assert_failure 1
	assert_output --partial '--line 17 is an offset, which needs --chip'
	run mqled run --chip /nonexistent --line 17
	assert_failure 1
	assert_output --partial 'no GPIO chip /nonexistent'
}

# --- completions -----------------------------------------------------------------

# mqled_complete LINE: "LINE => WORDS" as completions/mqled.bash offers them.
mqled_complete() {
	echo "$1 => $(bash_complete "$1" | grep -vx nospace | paste -sd' ')"
}

@test "completions: the command first, options and their values, LED names" {
	fake_leds ACT mmc0
	mkdir leds/PWR
	local line
	for line in 'mqled ' 'mqled -q /x s' 'mqled -q /x e' 'mqled p' 'mqled --bias ' 'mqled --drive open-' 'mqled -L a=' 'mqled --ch' 'mqled -T ' 'mqled --led ' 'mqled on ' 'mqled --line 17 t'; do
		mqled_complete "$line"
	done >got
	run cat got
	assert_line 'mqled  => run on off toggle blink pulse pattern brightness status stop exit'
	assert_line 'mqled -q /x s => status stop'
	assert_line 'mqled -q /x e => exit'
	assert_line 'mqled p => pulse pattern'
	assert_line 'mqled --bias  => pull-up pull-down disable as-is'
	assert_line 'mqled --drive open- => open-drain open-source'
	assert_line 'mqled -L a= => a=console a=led: a=gpio:'
	assert_line 'mqled --ch => --chip'
	assert_line 'mqled -T  => 100ms 500ms 1s 2s 5s 30s 1m 1h'
	assert_line 'mqled --led  => ACT PWR'
	assert_line 'mqled on  => '
	assert_line 'mqled --line 17 t => toggle'
	command -v fish >/dev/null || skip "fish not installed"
	run ns fish --no-config -c '
		set -p fish_function_path $argv[1]; set -p fish_complete_path $argv[1]
		for line in $argv[2..]
			echo "$line =>" (complete -C "$line" | string replace -r "\t.*" "")
		end' "$BATS_TEST_DIRNAME/../completions" 'mqled ' 'mqled -q /x s' 'mqled --led '
	assert_line 'mqled  => blink brightness exit off on pattern pulse run status stop toggle'
	assert_line 'mqled -q /x s => status stop'
	assert_line 'mqled --led  => ACT PWR'
	command -v zsh >/dev/null && { zsh -n "$BATS_TEST_DIRNAME/../completions/_mqled" || fail "zsh -n _mqled"; }
}

# The built units (make builds them with systemd's pkg-config), with the
# built mqled in ExecStart=, in the test's directory.
built_unit() {
	local unit=$MQTOOLS_BUILDDIR/dist/$1
	[ -f "$unit" ] || skip "$1 not built (configure found no systemd unit directory)"
	sed "s|^ExecStart=.*/mqled |ExecStart=$MQTOOLS_BUILDDIR/mqled |" "$unit" >"$1"
}
# The sandbox of UNIT as systemd-analyze security scores it: "NAME SET" lines.
sandbox_of() {
	systemd-analyze security --offline=yes --json=short "./$1" | jq -r '.[] | "\(.name) \(.set)"' | sort
}

@test "systemd units: mqled.service and mqled-mqtt.service verify; the MQTT one differs by the network alone" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed"
	built_unit mqled.service
	built_unit mqled-mqtt.service
	run systemd-analyze verify --man=no ./mqled.service ./mqled-mqtt.service
	assert_success
	refute_output --partial 'Unknown'
	for u in mqled.service mqled-mqtt.service; do
		grep -qx 'Type=notify' "$u"
		grep -qx 'NotifyAccess=main' "$u"
	done
	# what MQTT needs, and nothing more: the rest of the sandbox is the same
	sandbox_of mqled.service >queue.sandbox
	sandbox_of mqled-mqtt.service >mqtt.sandbox
	[ "$(wc -l <queue.sandbox)" -gt 50 ]
	run bash -c 'diff queue.sandbox mqtt.sandbox | grep "^[<>]"'
	assert_output - <<-'EOF'
		< PrivateNetwork= true
		> PrivateNetwork= false
		< RestrictAddressFamilies=~AF_(INET|INET6) true
		> RestrictAddressFamilies=~AF_(INET|INET6) false
	EOF
	grep -qx 'Conflicts=mqled.service' mqled-mqtt.service
	# the options of both: -q and the others from MQLED_OPTIONS
	run grep -c '^ExecStart=.*/mqled run \$MQLED_OPTIONS$' mqled-mqtt.service
	assert_output 1
}

@test "console on a terminal: each log line starts on a cleared line, the LED's line drawn again below it" {
	command -v script >/dev/null || skip "script(1) not installed"
	console_on_terminal TERM=xterm
	# every "mqled: " log line follows a line clear, never the LED's text
	run grep -c $'(\\*)\e\\[0m on mqled:\\|off mqled:' tty.out
	assert_output 0
	run grep -c $'\r\e\\[Kmqled: LED released' tty.out
	assert_output 1
}

# The console LED on a terminal (script(1)) with the environment ENV...
# (VAR=VALUE words): on, then stop; what the terminal got is in tty.out.
# Nothing of the caller's TERM or NO_COLOR counts (a fresh root's login
# has TERM=dumb): the test says what it means.
console_on_terminal() {
	rm -f tty.out
	start_bg env -u NO_COLOR "$@" script -qefc "nsenter -t $NS_PID --ipc --mount -- $MQTOOLS_BUILDDIR/mqled run --console" tty.out
	wait_until controller_ready
	mqled on
	mqled stop
	wait_until grep -q 'controller stopped' tty.out
	wait "$BG_PID" || true
}

@test "console on a terminal: red unless NO_COLOR; TERM=dumb gets plain lines, no escape at all" {
	command -v script >/dev/null || skip "script(1) not installed"
	console_on_terminal TERM=xterm
	grep -q $'\e\\[1;31m(\\*)\e\\[0m on' tty.out
	# an empty NO_COLOR is no request (no-color.org)
	console_on_terminal TERM=xterm NO_COLOR=
	grep -q $'\e\\[1;31m' tty.out
	console_on_terminal TERM=xterm NO_COLOR=1
	run grep -c $'\e\\[1;31m\\|\e\\[0m' tty.out
	assert_output 0
	grep -q $'\r\e\\[KLED (\\*) on ' tty.out
	console_on_terminal TERM=dumb
	run grep -c $'\e' tty.out
	assert_output 0
	grep -q '^LED on' tty.out
	grep -q '^LED off' tty.out
}
