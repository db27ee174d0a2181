#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# signals.bats - the stop policy (mqtools(7), SIGNALS) as a matrix: each
# tool, each stop signal (HUP INT TERM QUIT USR1 USR2), each state it can
# wait in (for input, for room, for a message, for a stalled reader, for
# its --exec commands), on both kinds of kernel queue. A signal is sent
# once the tool is in its state, never at a time. Each case ends with the
# books balanced: what was sent, received (written out whole, or done by a
# command), put back and dead-lettered accounts for every message exactly
# once (the lines are unique; their union is compared with the input), and
# the tool ended with its documented status. Then SIGPIPE and SIGXFSZ,
# which are ignored so that the write fails and takes the ordinary error
# path; closed standard descriptors; and the reproductions of issue 24.
#
# The figures of each matrix go to the TAP output (# lines): messages,
# received, put back, dead-lettered and lost, per kind.

load helper

setup() {
	require_tool mqsend mqrecv mqstat
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

# The same for a child of this shell, its exit status then in $status.
ended_status() {
	wait_ended "$1"
	wait_status "$1"
}

# True when PID runs NAME and catches signal SIG (its SigCgt has the bit):
# a tool that reads without ever waiting is ready for its stop signal then.
catches() {
	local pid=$1 name=$2 num mask
	num=$(kill -l "$3") || return 1
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || return 1
	mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
	[ -n "$mask" ] && (((0x$mask >> (num - 1)) & 1))
}

# Messages on queue Q now, as the kernel counts them.
queued() {
	mqstat -l --noheadings -o MSGS "$1" | tr -d ' '
}
# True when queue Q holds N messages (for wait_until, which runs it again).
holds() {
	[ "$(queued "$1")" = "$2" ]
}
# True when N commands have started (see the --exec matrix).
started() {
	[ "$(find . -maxdepth 1 -name 'started.*' | wc -l)" = "$1" ]
}

# The figures of each kind, summed over the cases of a test.
declare -gA FIG
add_figures() { # KIND MESSAGES RECEIVED PUT_BACK DEAD LOST
	FIG[$1.total]=$((${FIG[$1.total]:-0} + $2))
	FIG[$1.received]=$((${FIG[$1.received]:-0} + $3))
	FIG[$1.putback]=$((${FIG[$1.putback]:-0} + $4))
	FIG[$1.dead]=$((${FIG[$1.dead]:-0} + $5))
	FIG[$1.lost]=$((${FIG[$1.lost]:-0} + $6))
}
print_figures() { # WHAT
	local kind
	for kind in POSIX SysV; do
		[ -n "${FIG[$kind.total]:-}" ] || continue
		echo "# $1, $kind: ${FIG[$kind.total]} messages: received ${FIG[$kind.received]}," \
			"put back ${FIG[$kind.putback]}, dead-lettered ${FIG[$kind.dead]}, lost ${FIG[$kind.lost]}" >&3
	done
}

kind_of() {
	case $1 in /*) echo POSIX ;; *) echo SysV ;; esac
}

# Make queue Q with room for CAP messages of BYTES bytes (POSIX: --maxmsg
# CAP of 1000 bytes at most; System V: --qbytes CAP * BYTES).
make_queue() {
	local q=$1 cap=$2 bytes=$3
	case $q in
	/*) ns sh -c "echo $((cap > 10 ? cap : 10)) > /proc/sys/fs/mqueue/msg_max"
	    with_own_mq_charge mqsend -c --maxmsg "$cap" --msgsize 1000 "$q" </dev/null ;;
	*) ns sh -c 'echo 4194304 > /proc/sys/kernel/msgmnb'
	   mqsend -c --qbytes $((cap * bytes)) "$q" </dev/null ;;
	esac
}

# The books of one case: the lines of the FILEs, each message whole, are
# exactly the lines of in.txt, none twice. Prints how many are lost.
balanced() {
	sort "$@" >union.txt
	[ -z "$(uniq -d union.txt)" ] || fail "$CASE: delivered twice: $(uniq -d union.txt | head -3)"
	sort in.txt | comm -23 - union.txt >lost.txt
	[ ! -s lost.txt ] || fail "$CASE: lost $(wc -l <lost.txt): $(head -3 lost.txt)"
	sort in.txt | cmp -s - union.txt || fail "$CASE: received what no one sent"
}

# --- mqsend ------------------------------------------------------------------------

# mqsend --dead-letter dead.json Q, fed through a FIFO by a producer that
# writes TEXT in one write (mqsend's first read gets all of it) and then
# holds the pipe open until the case is over. mqsend's pid is in $SENDER.
start_sender() {
	local q=$1 text=$2
	shift 2
	rm -f fifo.in over dead.json && mkfifo fifo.in
	{ printf '%s' "$text"; until [ -e over ]; do sleep 0.05; done; } >fifo.in 3>&- &
	PRODUCER=$!
	start_tool mqsend "$@" --dead-letter dead.json "$q" <fifo.in 2>err
	SENDER=$BG_PID
}

@test "signal matrix: mqsend waiting for input, for room, holding part of a record (both kinds)" {
	local q sig state kind text sent dead
	for q in /s key:0x5301; do
		kind=$(kind_of "$q")
		for sig in $STOP_SIGNALS; do
			for state in input full partial; do
				CASE="mqsend $q, $state, SIG$sig"
				# room for 4 records of 7 bytes
				make_queue "$q" 4 8
				case $state in
				input) seq -f 'in%05g' 1 3 >in.txt ;;
				full) seq -f 'in%05g' 1 12 >in.txt ;;
				partial) { seq -f 'in%05g' 1 3; echo in000; } >in.txt ;;
				esac
				text=$(cat in.txt)
				# the last record of partial never gets its newline
				[ "$state" = partial ] || text=$text$'\n'
				start_sender "$q" "$text"
				case $state in
				full) wait_until holds "$q" 4
				      wait_blocked "$SENDER" mqsend ;;
				*) wait_until holds "$q" 3 ;;
				esac
				kill -"$sig" "$SENDER"
				ended_status "$SENDER"
				touch over
				wait "$PRODUCER" 2>/dev/null || true
				mqrecv --drain "$q" >sent.txt
				if [ -e dead.json ]; then jq -r .data dead.json >dead.txt; else : >dead.txt; fi
				sent=$(wc -l <sent.txt) dead=$(wc -l <dead.txt)
				# nothing held: status 1; records held: the dead letter, 5
				case $state in
				input) assert_equal "$CASE: $status $sent $dead" "$CASE: 1 3 0" ;;
				full) assert_equal "$CASE: $status $sent $dead" "$CASE: 5 4 8" ;;
				partial) assert_equal "$CASE: $status $sent $dead" "$CASE: 5 3 1"
				         grep -q 'its end was never read' err || fail "$CASE: $(cat err)" ;;
				esac
				grep -q "SIG$sig" err || fail "$CASE: the signal is not named: $(cat err)"
				# in order: the dead letter goes on where the queue stops
				cat sent.txt dead.txt | cmp -s - in.txt || fail "$CASE: out of order"
				balanced sent.txt dead.txt
				add_figures "$kind" "$(wc -l <in.txt)" "$sent" 0 "$dead" 0
				mqrm "$q"
			done
		done
	done
	print_figures "mqsend matrix (18 cases a kind; received = sent to the queue)"
}

# --- mqrecv ------------------------------------------------------------------------

# CMD... in the background, writing to a pipe of 4 KiB that no one reads
# until the file "read" exists (pipe_reader in helper.bash); its reader's
# pid in $READER.
stalled_reader() {
	rm -f pid.txt read got st
	pipe_reader file "$@" 3>&- &
	READER=$!
}

# Once the command of stalled_reader is blocked writing (or waiting for a
# message), send it SIG; when it has ended, let the reader read.
stop_stalled() {
	local pid
	wait_until [ -s pid.txt ]
	pid=$(<pid.txt)
	wait_blocked "$pid" mqrecv
	kill -"$1" "$pid"
	wait_ended "$pid"
	touch read
	wait "$READER"
}

@test "signal matrix: mqrecv waiting for a message, writing to a stalled pipe (both kinds)" {
	local q sig state kind received putback
	for q in /r key:0x5302; do
		kind=$(kind_of "$q")
		for sig in $STOP_SIGNALS; do
			for state in empty stalled; do
				CASE="mqrecv $q, $state, SIG$sig"
				make_queue "$q" 60 1000
				# 60 messages of 997 bytes: the pipe takes 4, a batch of
				# 16 is held, the rest stays queued
				if [ "$state" = stalled ]; then
					seq -f "m%04g $(printf '%0991d' 0)" 1 60 >in.txt
				else
					: >in.txt
				fi
				mqsend "$q" <in.txt
				stalled_reader mqrecv -n 60 --batch 16 "$q"
				stop_stalled "$sig"
				# not --follow: a stop ends it with status 1
				assert_equal "$CASE: $(<st)" "$CASE: 1"
				mqrecv --drain "$q" >rest.txt
				# a message cut short in the pipe was put back whole: only
				# whole lines count as received
				grep -x "m[0-9]\{4\} 0\{991\}" got >whole.txt || true
				balanced whole.txt rest.txt
				received=$(wc -l <whole.txt)
				putback=$(sed -n 's/.*; \([0-9]*\) messages\{0,1\} put back.*/\1/p' err)
				if [ "$state" = stalled ]; then
					[ "${putback:-0}" -gt 0 ] || fail "$CASE: nothing was held to put back: $(cat err)"
					grep -q 'blocked' err || fail "$CASE: $(cat err) $(queued "$q") $(cat /proc/$pid/stat) $(ls)"
				fi
				add_figures "$kind" "$(wc -l <in.txt)" "$received" "${putback:-0}" 0 0
				mqrm "$q"
			done
		done
	done
	print_figures "mqrecv matrix (12 cases a kind; messages not taken stay queued)"
}

@test "signal matrix: mqrecv --exec with its commands running (both kinds)" {
	local q sig kind pid
	for q in /x key:0x5303; do
		kind=$(kind_of "$q")
		for sig in $STOP_SIGNALS; do
			CASE="mqrecv --exec $q, SIG$sig"
			make_queue "$q" 10 8
			seq -f 'job%04g' 1 10 >in.txt
			mqsend "$q" <in.txt
			rm -f started.* done.* release
			# each command holds its message (a line of it) until released
			start_tool mqrecv -f -P 2 "$q" --exec sh -c \
				'{ cat; echo; } >"started.$$"; until [ -e release ]; do sleep 0.02; done; mv "started.$$" "done.$$"' 2>err
			pid=$BG_PID
			wait_until started 2
			kill -"$sig" "$pid"
			# it takes no more, and lets its commands finish
			touch release
			ended_status "$pid"
			assert_equal "$CASE: $status" "$CASE: 0"
			cat done.* >done.txt
			mqrecv --drain "$q" >rest.txt
			assert_equal "$CASE: $(wc -l <done.txt) done" "$CASE: 2 done"
			balanced done.txt rest.txt
			add_figures "$kind" 10 2 0 0 0
			mqrm "$q"
		done
	done
	print_figures "mqrecv --exec matrix (6 cases a kind; received = done by a command)"
}

# mqstat --watch on a pseudo-terminal; what it draws goes to screen.txt,
# its pid to pid.txt, its exit status to st.
watch_on_pty() {
	rm -f pid.txt screen.txt st
	python3 -c '
import os, pty, signal, sys
for s in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT):
    signal.signal(s, signal.SIG_DFL)
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
open("pid.tmp", "w").write("%d\n" % pid)
os.rename("pid.tmp", "pid.txt")
with open("screen.txt", "ab", buffering=0) as out:
    while True:
        try:
            b = os.read(fd, 65536)
        except OSError:
            break
        if not b:
            break
        out.write(b)
open("st", "w").write("%d\n" % os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))' "$@" 3>&- &
	READER=$!
}

@test "signal matrix: mqstat --watch ends with status 0 on every stop signal" {
	local sig pid
	mqsend -c /w </dev/null
	for sig in $STOP_SIGNALS; do
		CASE="mqstat --watch, SIG$sig"
		watch_on_pty mqstat -w 0.2
		wait_until [ -s pid.txt ]
		pid=$(<pid.txt)
		wait_until grep -q '/w ' screen.txt
		kill -"$sig" "$pid"
		wait_ended "$pid"
		wait "$READER"
		assert_equal "$CASE: $(<st)" "$CASE: 0"
	done
}

@test "a SIGHUP ignored at start (nohup) stays ignored, for mqrecv and for its commands" {
	mqsend -c /h one
	# the command says which signals it ignores: SIGHUP is bit 0
	start_bg nohup mqrecv -f /h --exec sh -c 'grep SigIgn /proc/$$/status >ign; cat >/dev/null' 2>/dev/null
	local pid=$BG_PID
	wait_until [ -s ign ]
	wait_blocked "$pid" mqrecv
	kill -HUP "$pid"
	# still waiting for a message after the hangup
	mqsend /h two
	wait_until holds /h 0
	process_waiting "$pid" || fail "mqrecv ended on SIGHUP under nohup"
	local mask
	mask=$(awk '{ print $2 }' ign)
	((0x$mask & 1)) || fail "SIGHUP is not ignored by the command (SigIgn $mask)"
	kill -TERM "$pid"
	ended_status "$pid"
	assert_equal "$status" 0
}

# --- the reproductions of issue 24 ----------------------------------------------------

# mqsend [OPTION...] Q of 1..5 from a pipe, stopped by SIGTERM once Q, room
# for two records, holds two and it waits for room; its status in $status.
sender_stopped_full() {
	local q=$1
	shift
	make_queue "$q" 2 1
	start_sender "$q" $'1\n2\n3\n4\n5\n' "$@"
	wait_until holds "$q" 2
	wait_blocked "$SENDER" mqsend
	kill -TERM "$SENDER"
	ended_status "$SENDER"
	touch over
	wait "$PRODUCER" || true
}

@test "issue 24: records mqsend read when SIGTERM came go to the dead letter, not nowhere (both kinds)" {
	local q
	for q in /d key:0x21; do
		sender_stopped_full "$q"
		assert_equal "$q: $status" "$q: 5"
		run jq -r .data dead.json
		assert_output $'3\n4\n5'
		run cat err
		assert_output --partial 'stopped by SIGTERM'
		assert_output --partial '3 records read from standard input were not sent'
		# replayed as mqsend(1) says (mqsend --json, each with its priority
		# or type), they follow 1 and 2
		start_bg mqsend --json "$q" <dead.json
		local replay=$BG_PID
		run mqrecv -n 5 "$q"
		assert_output $'1\n2\n3\n4\n5'
		wait "$replay"
		mqrm "$q"
	done
}

@test "issue 24: mqsend's dead letter replayed with mqsend --json keeps the priority (-p 5, POSIX) or type (-t 9, System V)" {
	local q opt field want
	for q in /d key:0x21; do
		case $q in
		/*) opt=(-p 5) field=priority want=5 ;;
		*) opt=(-t 9) field=type want=9 ;;
		esac
		CASE="replay $q ${opt[*]}"
		sender_stopped_full "$q" "${opt[@]}"
		assert_equal "$CASE: $status" "$CASE: 5"
		run jq -r .data dead.json
		assert_output $'3\n4\n5'
		# replayed without -p or -t: each line's own priority or type
		start_bg mqsend --json "$q" <dead.json
		local replay=$BG_PID
		run bash -c "mqrecv -n 5 --json '$q' | jq -r '\"\\(.$field) \\(.data)\"'"
		assert_output "$want 1
$want 2
$want 3
$want 4
$want 5"
		wait_status "$replay"
		assert_equal "$CASE: replay $status" "$CASE: replay 0"
		mqrm "$q"
	done
}

@test "issue 24: mqsend -w reading /dev/zero ends on SIGINT and SIGTERM, not at 100% CPU for ever" {
	local sig
	mqsend -c /z </dev/null
	for sig in INT TERM; do
		CASE="mqsend -w /z </dev/zero, SIG$sig"
		start_tool mqsend -w --dead-letter dl /z </dev/zero 2>err
		local pid=$BG_PID
		# a record too long for the queue is being read: it never ends.
		# It is mqsend and its handler is in place (the signal would kill
		# it before: a slow start, under ASan say, is no finding).
		wait_until catches "$pid" mqsend "$sig"
		kill -"$sig" "$pid"
		ended_status "$pid"
		# what was read of it went to the dead letter as it was read
		assert_equal "$CASE: $status" "$CASE: 5"
		run cat err
		assert_output --partial "read when stopped by SIG$sig"
		assert_output --partial 'over the queue'
		assert_output --partial 'the start of the record: its end was never read'
		run jq -r '"\(.encoding) \(.size > 0)"' dl
		assert_output 'base64 true'
		rm dl
	done
	run mqrecv --nonblock /z
	assert_failure 4
}

# Messages of 150 bytes that fill a 1 KiB file in 6 and some.
xfsz_input() {
	seq -f "x%03g $(printf '%0145d' 0)" 1 10 >in.txt
}

@test "issue 24: SIGXFSZ no longer kills mqrecv: past ulimit -f the write fails, what was not written goes back (both kinds)" {
	local q
	xfsz_input
	for q in /f key:0x5311; do
		mqsend -c "$q" <in.txt
		run ns bash -c "ulimit -f 1 && '$MQTOOLS_BIN/mqrecv' --drain $q >out.txt"
		assert_failure 1
		assert_output --partial 'File too large'
		assert_output --partial 'ulimit -f'
		assert_output --partial 'put back'
		# the file holds whole messages only, cut back to the last
		local n
		n=$(wc -l <out.txt)
		[ "$n" -ge 1 ] && [ "$n" -lt 10 ] || fail "$q: $n lines written"
		[ "$(tail -c 1 out.txt | od -An -c | tr -d ' ')" = '\n' ] || fail "$q: a partial line was left"
		mqrecv --drain "$q" >rest.txt
		CASE="SIGXFSZ $q"
		balanced out.txt rest.txt
	done
}

@test "issue 24: SIGXFSZ no longer kills mqrecv --exec or its --dead-letter (both kinds)" {
	local q
	# messages of 1500 bytes: a command's file of one is past 1 KiB
	seq -f "e%03g $(printf '%01495d' 0)" 1 3 >in.txt
	for q in /e key:0x5312; do
		case $q in
		/*) with_own_mq_charge mqsend -c --maxmsg 3 --msgsize 1500 "$q" </dev/null ;;
		*) mqsend -c "$q" </dev/null ;;
		esac
		mqsend "$q" <in.txt
		run ns bash -c "ulimit -f 1 && '$MQTOOLS_BIN/mqrecv' -n 1 $q --exec sh -c 'cat >/dev/null'"
		assert_failure 1
		assert_output --partial 'File too large'
		assert_output --partial 'put back'
		assert_equal "$(queued "$q")" 3
		mqrm "$q"
	done
	# the dead letter past the limit: cut back to whole lines, and what
	# did not fit goes to standard error, whole
	seq -f "d%03g $(printf '%0145d' 0)" 1 10 >in.txt
	for q in /g key:0x5313; do
		mqsend -c "$q" <in.txt
		rm -f dead.json
		# (run reads a pipe, which has no size limit; a file would)
		run ns bash -c "ulimit -f 1 && '$MQTOOLS_BIN/mqrecv' --drain --retries 0 --dead-letter dead.json $q --exec false"
		assert_equal "$q: $status" "$q: 5"
		assert_output --partial 'File too large'
		jq -r .data dead.json >dead.txt
		grep '^{' <<<"$output" | jq -r .data >stderr.txt
		CASE="dead letter past ulimit -f, $q"
		balanced dead.txt stderr.txt
		[ -s dead.txt ] && [ -s stderr.txt ] || fail "$CASE: the limit was not met"
	done
}

@test "issue 24: SIGHUP and SIGUSR1 stop mqrecv -f writing to a stalled pipe: nothing lost, status 0 (both kinds)" {
	local q sig
	seq -f "h%04g $(printf '%0994d' 0)" 1 300 >in.txt
	for q in /h key:0x5314; do
		for sig in HUP USR1; do
			CASE="mqrecv -f $q, SIG$sig"
			make_queue "$q" 300 1000
			mqsend "$q" <in.txt
			stalled_reader mqrecv -f "$q"
			stop_stalled "$sig"
			assert_equal "$CASE: $(<st)" "$CASE: 0"
			grep -x "h[0-9]\{4\} 0\{994\}" got >whole.txt || true
			mqrecv --drain "$q" >rest.txt
			balanced whole.txt rest.txt
			mqrm "$q"
		done
	done
}

@test "issue 24: a System V queue's capacity lowered under a waiting sender: the record that can never fit goes to the dead letter, exit 5" {
	# room for two records of 40 bytes
	mqsend -c --qbytes 100 key:0x5315 </dev/null
	seq -f "%040g" 1 4 >in.txt
	start_sender key:0x5315 "$(cat in.txt)"$'\n'
	wait_until holds key:0x5315 2
	wait_blocked "$SENDER" mqsend
	mqmk -C --qbytes 20 key:0x5315
	CASE="qbytes lowered"
	ended_status "$SENDER"
	touch over
	wait "$PRODUCER" || true
	assert_equal "$status" 5
	run cat err
	assert_output --partial 'input record 3 is 40 bytes'
	assert_output --partial 'limit of 20 bytes now'
	assert_output --partial 'can never fit'
	mqrecv --drain key:0x5315 >sent.txt
	jq -r .data dead.json >dead.txt
	cat sent.txt dead.txt | cmp - in.txt
}

@test "commands of mqrecv --exec get SIGPIPE, SIGXFSZ and the stop signals at their defaults" {
	mqsend -c /k one
	run mqrecv /k --exec sh -c 'grep -E "^Sig(Ign|Cgt)" /proc/$$/status >sig'
	assert_success
	local ign
	ign=$(awk '$1 == "SigIgn:" { print $2 }' sig)
	# SIGPIPE is bit 12, SIGXFSZ bit 24, SIGHUP bit 0, SIGQUIT bit 2
	((!(0x$ign & (1 << 12 | 1 << 24 | 1 | 1 << 2)))) || fail "ignored in the command: $ign"
}
