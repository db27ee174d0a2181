#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqrm: removal by address and by filter, reporting, permissions.

load helper

# POSIX queues are made small: their memory is charged to the user across
# every namespace of the machine (RLIMIT_MSGQUEUE), shared with other runs.
setup() {
	require_tool mqrm mqsend mqrecv
	ns_setup
}

# The names of the queues there are, one a line (from the kernel, not mqstat).
queues() {
	ns sh -c 'ls /dev/mqueue | sed "s|^|/|"; awk "NR > 1 { printf \"key:0x%08x\\n\", \$1 < 0 ? \$1 + 4294967296 : \$1 }" /proc/sysvipc/msg'
}

@test "removes named queues in every address form; -v reports each" {
	touch "$BATS_TEST_TMPDIR/f"
	mqsend -c --maxmsg 4 --msgsize 64 /p x
	mqsend -c key:0x100 x
	mqsend -c "ftok:$BATS_TEST_TMPDIR/f:7" x
	run ipcmk -Q
	local id=${output##*: }
	run mqrm -v /p key:0x100 "ftok:$BATS_TEST_TMPDIR/f:7" "id:$id"
	assert_success
	assert_output "removed /p
removed key:0x100
removed ftok:$BATS_TEST_TMPDIR/f:7
removed id:$id"
	run queues
	assert_output ""
}

@test "a missing queue is reported (3), the rest still go; -f makes it no error" {
	mqsend -c --maxmsg 4 --msgsize 64 /a x
	mqsend -c --maxmsg 4 --msgsize 64 /b x
	run mqrm /a /missing /b
	assert_failure 3
	assert_output --partial "/missing: no such queue"
	run queues
	assert_output ""
	run mqrm -f /missing key:0x5
	assert_success
	assert_output ""
}

@test "a bad address removes nothing (2)" {
	mqsend -c --maxmsg 4 --msgsize 64 /a x
	run mqrm /a 'not-an-address'
	assert_failure 2
	run queues
	assert_output /a
}

@test "--orphaned removes what no process uses, idle for --idle-after, with no message awaiting a first consumer" {
	mqsend -c --maxmsg 4 --msgsize 64 /held
	mqsend -c --maxmsg 4 --msgsize 64 /left </dev/null
	mqsend -c --maxmsg 4 --msgsize 64 /waiting x # for a consumer yet to start
	mqsend -c key:0x200 x && mqrecv key:0x200 >/dev/null # its sender and receiver are gone
	mqsend -c key:0x201 x # never received: waits for its first consumer
	start_bg mqrecv /held
	wait_blocked "$BG_PID" mqrecv
	# just used: not orphaned yet (default --idle-after 10m)
	run mqrm -n --orphaned
	assert_failure 3
	run mqrm -n --orphaned --idle-after 0
	assert_success
	assert_line --regexp '^would remove /left \(posix, 0 messages, orphaned, inactive [0-9]+s, owner root\)$'
	assert_line --regexp '^would remove key:0x00000200 \(sysv, 0 messages, orphaned'
	[ "${#lines[@]}" -eq 2 ]
	run mqrm -v --orphaned --idle-after 0
	assert_success
	assert_output $'removed /left\nremoved key:0x00000200'
	run queues
	assert_output $'/held\n/waiting\nkey:0x00000201'
	kill "$BG_PID"
}

@test "--orphaned: a System V queue a tool holds open outside any queue call is in use (mqsend waiting for its input)" {
	require_tool mqstat
	mqsend -c key:0x230 </dev/null
	# mqsend sleeps in read(2) on its input, not in msgsnd: seen by its marker
	start_bg sh -c 'sleep 60 | mqsend key:0x230'
	wait_until eval 'ns ls -l /proc/$(ns_pid_of mqsend)/fd | grep -q "mqtools-msq:"'
	run mqrm -n --orphaned --idle-after 0
	assert_failure 3
	run bash -c 'mqstat -J -o NAME,STATE,HOLDERS | jq -r ".queues[] | select(.name == \"key:0x00000230\") | .state, .holders"'
	assert_line --index 0 "in-use"
	assert_line --index 1 --regexp '^[0-9]+\(mqsend\)$'
	kill "$BG_PID"
}

@test "--orphaned as a non-root user: others' processes cannot be seen, so nothing is orphaned, and it says why" {
	local nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	ns "${nobody[@]}" "$MQTOOLS_BUILDDIR/mqsend" -c -m 0666 key:0x210 </dev/null
	ns "${nobody[@]}" "$MQTOOLS_BUILDDIR/mqsend" -c --maxmsg 4 --msgsize 64 /mine </dev/null
	# uid 1001 waits on nobody's System V queue: nobody cannot see it
	nsenter -t "$NS_PID" --ipc --mount -- setpriv --reuid=1001 --regid=1001 --clear-groups \
		"$MQTOOLS_BUILDDIR/mqrecv" key:0x210 3>&- &
	local waiter=$!
	wait_blocked "$waiter" mqrecv
	run ns "${nobody[@]}" "$MQTOOLS_BUILDDIR/mqrm" -v --orphaned --idle-after 0
	assert_failure 3
	assert_output --partial "2 queues of unknown state are not considered: only root can see every process"
	run queues
	assert_output $'/mine\nkey:0x00000210'
	# root sees the waiter, and that nothing holds /mine
	run mqrm -v --orphaned --idle-after 0
	assert_output "removed /mine"
	kill "$waiter"
}

@test "filters combine with AND: --empty, --idle, -u, -P, -S" {
	mqsend -c --maxmsg 4 --msgsize 64 /empty </dev/null
	mqsend -c --maxmsg 4 --msgsize 64 /full x
	mqsend -c key:0x300 </dev/null
	mqsend -c key:0x301 x
	run mqrm -n --empty -S
	assert_output --regexp '^would remove key:0x00000300 \(sysv, 0 messages'
	[ "${#lines[@]}" -eq 1 ]
	run mqrm -n --empty
	[ "${#lines[@]}" -eq 2 ]
	run mqrm -n -P
	[ "${#lines[@]}" -eq 2 ]
	run mqrm -n -u root --empty -P
	assert_output --regexp '^would remove /empty '
	run mqrm -n -u nobody
	assert_failure 3
	assert_output --partial "no queue is chosen by --user nobody"
	run mqrm -n --idle 2s
	assert_failure 3
	sleep 2.1
	mqsend /full y
	run mqrm -v --idle 2s
	assert_success
	assert_output $'removed /empty\nremoved key:0x00000300\nremoved key:0x00000301'
	run queues
	assert_output /full
	run mqrm -u no-such-user-here
	assert_failure 2
}

@test "--idle in days and weeks, compound, as INACTIVE writes it; past the kernel's limit refused naming it" {
	mqsend -c --maxmsg 4 --msgsize 64 /old </dev/null
	mqsend -c --maxmsg 4 --msgsize 64 /new </dev/null
	# last active 8 days and 5 hours ago (a POSIX queue's time is its file's mtime)
	ns touch -m -d "@$(($(date +%s) - 8 * 86400 - 5 * 3600 - 60))" /dev/mqueue/old
	local d
	for d in 7d 48h 1w 1w1d 3d4h 1.5d 192h; do
		run mqrm -n --idle "$d"
		assert_success
		assert_output --regexp '^would remove /old '
		[ "${#lines[@]}" -eq 1 ]
	done
	run mqrm -n --idle 9d
	assert_failure 3
	# what INACTIVE shows (8d5h) is taken back as it is
	run mqstat --noheadings -r -o NAME,INACTIVE
	assert_line '/old 8d5h'
	run mqrm -v --idle 8d5h
	assert_success
	assert_output 'removed /old'
	run queues
	assert_output /new
	# the longest: what the kernel's clocks count, signed 64-bit nanoseconds
	run mqrm -n --idle 106751d23h47m16s
	assert_failure 3
	run mqrm -n --idle 106751d23h47m17s
	assert_failure 2
	assert_output --partial "'106751d23h47m17s' is longer than the longest duration, 106751d23h47m16s (about 292 years"
	run mqrm -n --idle 4h3d
	assert_failure 2
	assert_output --partial "'4h3d' names units out of order or twice"
	run mqrm -n --idle 2y
	assert_failure 2
	assert_line "mqrm: invalid --idle value: '2y' has an unknown unit 'y' (use ms, s, m, h, d or w)"
	run mqrm -n --idle 1h30
	assert_failure 2
	assert_output --partial "'1h30' needs a unit after each number"
	run queues
	assert_output /new
}

@test "-Q POSIX and -q System V, as mqstat and lsipc write them; -P and -S stay" {
	mqsend -c --maxmsg 4 --msgsize 64 /p </dev/null
	mqsend -c key:0x310 </dev/null
	local opt
	for opt in -Q --posix -P; do
		run mqrm -n "$opt"
		assert_output --regexp '^would remove /p '
		[ "${#lines[@]}" -eq 1 ]
	done
	for opt in -q --sysv -S; do
		run mqrm -n "$opt"
		assert_output --regexp '^would remove key:0x00000310 '
		[ "${#lines[@]}" -eq 1 ]
	done
	run mqrm -v -q
	assert_output 'removed key:0x00000310'
	run queues
	assert_output /p
}

@test "-n shows the kind, messages, state, inactivity and owner for every selection" {
	mqsend -c --maxmsg 4 --msgsize 64 /a x
	mqsend -c key:0x320 </dev/null
	local sel
	for sel in -a --empty "-u root" -Q "--state recent" /a '/a*' key:0x320; do
		run mqrm -n $sel
		assert_success
		[ "${#lines[@]}" -ge 1 ] || fail "mqrm -n $sel: nothing"
		local line
		for line in "${lines[@]}"; do
			[[ $line =~ ^would\ remove\ [^\ ]+\ \((posix|sysv),\ [0-9]+\ messages?,\ recent,\ inactive\ [0-9]+s,\ owner\ root\)$ ]] ||
				fail "mqrm -n $sel: $line"
		done
	done
}

@test "--state chooses by mqstat's STATE: stale queues that still hold messages, and none held by a process" {
	mqsend -c --maxmsg 4 --msgsize 64 /stale x # its producer gone, its consumer never came
	mqsend -c --maxmsg 4 --msgsize 64 /held x
	mqsend -c --maxmsg 4 --msgsize 64 /empty </dev/null
	mqsend -c key:0x330 y # never received from
	start_bg sh -c 'sleep 60 | mqsend /held'
	wait_until eval 'ns ls -l /proc/$(ns_pid_of mqsend)/fd | grep -q "/held"'
	# everything is recent, or in use, at first
	run mqrm -n --state stale,orphaned
	assert_failure 3
	run mqrm -n --state stale --idle-after 0
	assert_success
	assert_output --regexp $'^would remove /stale \\(posix, 1 message, stale, inactive [0-9]+s, owner root\\)\nwould remove key:0x00000330 \\(sysv, 1 message, stale'
	# --idle and --state: stale queues unused for some time; the held one,
	# idle too, is never chosen
	sleep 1.1
	run mqrm -v --state stale --idle 1s --idle-after 1s
	assert_success
	assert_output $'removed /stale\nremoved key:0x00000330'
	run mqrm -n --state idle --idle-after 1s
	assert_output --regexp '^would remove /held \(posix, 1 message, idle,'
	run mqrm -v --state orphaned,stale --idle-after 0
	assert_output 'removed /empty'
	run queues
	assert_output /held
	run mqrm --state busy
	assert_failure 2
	assert_output --partial "invalid --state value: 'busy' is not a state (in-use, recent, idle, stale, orphaned or unknown"
	kill "$BG_PID"
}

@test "name patterns: --dry-run, then removal, of every POSIX queue a pattern matches; none is 3 unless -f" {
	local q
	for q in /acme-1 /acme-2 /acme-x /keep; do
		mqsend -c --maxmsg 4 --msgsize 64 "$q" </dev/null
	done
	mqsend -c --maxmsg 4 --msgsize 64 /acme-full x
	run mqrm --dry-run '/acme-*'
	assert_success
	assert_line --index 0 --regexp '^would remove /acme-1 \(posix, 0 messages, recent, inactive [0-9]+s, owner root\)$'
	[ "${#lines[@]}" -eq 4 ]
	run queues
	assert_output $'/acme-1\n/acme-2\n/acme-full\n/acme-x\n/keep'
	# with a filter: among the matches
	run mqrm -v --empty '/acme-[12x]'
	assert_success
	assert_output $'removed /acme-1\nremoved /acme-2\nremoved /acme-x'
	run mqrm -v '/acme-*' /keep
	assert_output $'removed /acme-full\nremoved /keep'
	run mqrm '/acme-*'
	assert_failure 3
	assert_output "mqrm: /acme-*: no such queue: the pattern matches none; see mqstat for the queues there are"
	run mqrm -f '/acme-?'
	assert_success
	assert_output ''
	# names are shown escaped, whoever made them
	mqsend -c --maxmsg 4 --msgsize 64 $'/acme-\e]0;x\a' </dev/null
	run mqrm -v '/acme-*'
	assert_output 'removed /acme-\033]0;x\a'
	run queues
	assert_output ''
}

@test "filters with QUEUE arguments choose among them; the others are kept" {
	mqsend -c --maxmsg 4 --msgsize 64 /a </dev/null
	mqsend -c --maxmsg 4 --msgsize 64 /b x
	run mqrm -v --empty /a /b
	assert_success
	assert_output $'removed /a\nkept /b: not chosen by --empty'
	run queues
	assert_output /b
}

@test "nothing chosen says so (3); with -f it is fine; no queue and no filter is a usage error" {
	run mqrm --orphaned
	assert_failure 3
	assert_output "mqrm: no queue is chosen by --orphaned: nothing removed (see mqstat)"
	run mqrm -f --orphaned
	assert_success
	assert_output ""
	run mqrm
	assert_failure 2
	run mqrm -a /x
	assert_failure 2
}

@test "-a removes every queue; -i asks for each and reads the answers" {
	mqsend -c --maxmsg 4 --msgsize 64 /a
	mqsend -c --maxmsg 4 --msgsize 64 /b
	mqsend -c key:0x400
	run bash -c 'printf "y\nn\n" | mqrm -i -P'
	assert_success
	assert_output --partial "mqrm: remove /a (posix, 0 messages"
	assert_output --partial "mqrm: remove /b"
	run queues
	assert_output $'/b\nkey:0x00000400'
	# a whole line per answer: a long "n..." answer is one no, not a yes to
	# the next question; anything unclear is no
	mqsend -c --maxmsg 4 --msgsize 64 /c
	run bash -c "printf 'n%062dyes\\n' 0 | mqrm -i /b /c"
	run bash -c "printf 'yess\\nsure\\n' | mqrm -i /b /c"
	run queues
	assert_output $'/b\n/c\nkey:0x00000400'
	run bash -c "printf ' YES \\n' | mqrm -i /c"
	run queues
	assert_output $'/b\nkey:0x00000400'
	# end of input: no more removals
	run mqrm -i -a </dev/null
	run queues
	assert_output $'/b\nkey:0x00000400'
	run mqrm -a
	assert_success
	run queues
	assert_output ""
}

@test "permission denied as an unprivileged user: the reason, who may, and the rest still go" {
	mqsend -c -m 0666 --maxmsg 4 --msgsize 64 /roots x
	mqsend -c -m 0666 key:0x500 x
	ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqsend" -c --maxmsg 4 --msgsize 64 /mine x
	run ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqrm" -v /roots key:0x500 /mine
	assert_failure 1
	assert_line "mqrm: /roots: permission denied: only its owner (uid 0) or root may remove it"
	assert_line "mqrm: key:0x500: permission denied: only its owner (uid 0), its creator (uid 0) or root may remove it"
	assert_line "removed /mine"
	run queues
	assert_output $'/roots\nkey:0x00000500'
	# --all as that user: its failures are reported, the status says so
	run ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqrm" -a
	assert_failure 1
	assert_output --partial "permission denied"
}

@test "--dry-run as an unprivileged user says what the real run would: refusals, and its status" {
	mqsend -c -m 0666 --maxmsg 4 --msgsize 64 /roots x
	mqsend -c -m 0666 key:0x500 x
	as_nobody mqsend -c --maxmsg 4 --msgsize 64 /mine x
	as_nobody mqsend -c -m 0666 key:0x501 x
	run as_nobody mqrm -n -a
	assert_failure 1
	assert_line "mqrm: /roots: permission denied: only its owner (uid 0) or root may remove it"
	assert_line "mqrm: key:0x00000500: permission denied: only its owner (uid 0), its creator (uid 0) or root may remove it"
	assert_line --regexp '^would remove /mine \(posix, 1 message'
	assert_line --regexp '^would remove key:0x00000501 \(sysv, 1 message'
	refute_line --partial "would remove /roots"
	refute_line --partial "would remove key:0x00000500"
	# the same words and status as the real run, which removes what it may
	run as_nobody mqrm -a
	assert_failure 1
	assert_line "mqrm: /roots: permission denied: only its owner (uid 0) or root may remove it"
	run queues
	assert_output $'/roots\nkey:0x00000500'
	# -i asks only about what it may remove, and says the rest
	as_nobody mqsend -c --maxmsg 4 --msgsize 64 /mine x
	run ns bash -c "yes n | setpriv --reuid=65534 --regid=65534 --clear-groups $MQTOOLS_BIN/mqrm -i -a"
	assert_failure 1
	# (a question ends with no newline: the answer is not echoed)
	assert_output --partial "mqrm: /roots: permission denied: only its owner (uid 0) or root may remove it"
	refute_output --partial "remove /roots ("
	assert_output --partial "mqrm: remove /mine ("
	# root may remove any: nothing refused
	run mqrm -n -a
	assert_success
	assert_line --regexp '^would remove /roots '
}

@test "queues made by ipcmk (and IPC_PRIVATE ones, reached by id) go by filter" {
	ipcmk -Q >/dev/null
	ns python3 -c '
import ctypes
assert ctypes.CDLL(None).msgget(0, 0o1600) >= 0' # IPC_PRIVATE: no key
	mqsend -c --maxmsg 4 --msgsize 64 /keep x
	run mqrm -n -S
	[ "${#lines[@]}" -eq 2 ]
	assert_line --regexp '^would remove id:[0-9]+ \(sysv, 0 messages'
	run mqrm -v -S
	assert_success
	assert_line --regexp '^removed id:[0-9]+$'
	run ipcs -q
	refute_output --regexp '0x[0-9a-f]{8} +[0-9]+ +root'
	run queues
	assert_output /keep
}

@test "-n, -i and -v show other users' queue names escaped" {
	local evil=$'/evil\e]0;PWNED\a\e[2J\u202e'
	ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqsend" -c --maxmsg 4 --msgsize 64 "$evil" </dev/null
	run mqrm -n -a
	assert_output --regexp '^would remove /evil\\033\]0;PWNED\\a\\033\[2J\\342\\200\\256 \(posix'
	run bash -c "echo n | LC_ALL=C.UTF-8 mqrm -i -a"
	assert_output --partial 'remove /evil\033]0;PWNED\a\033[2J\342\200\256 (posix'
	run mqrm -v "$evil"
	assert_output 'removed /evil\033]0;PWNED\a\033[2J\342\200\256'
	# an error quoting it escapes it too
	run mqrm "$evil"
	assert_failure 3
	assert_output --partial 'mqrm: /evil\033]0;PWNED\a\033[2J\342\200\256: no such queue'
}

@test "a closed stdout is no failure when nothing was written; a write error still is" {
	mqsend -c --maxmsg 4 --msgsize 64 /q </dev/null
	run bash -c 'mqrm /q >&-'
	assert_success
	run bash -c 'mqsend -c key:5 x >&-'
	assert_success
	run sysv_count 0x00000005
	assert_output 1
	mqsend -c --maxmsg 4 --msgsize 64 /q </dev/null
	run bash -c 'mqrm -v /q >&-'
	assert_failure 1
	assert_output --partial "write error"
	mqsend -c --maxmsg 4 --msgsize 64 /q </dev/null
	run bash -c 'mqrm -v /q >/dev/full'
	assert_failure 1
	run queues
	assert_output key:0x00000005
}

@test "completions: -Q, -q (and -P, -S) and --state's words, in bash; fish and zsh offer them too" {
	require_bash_completion
	run bash_complete 'mqrm -'
	for opt in -Q -q -P -S --posix --sysv --state; do
		assert_line -- "$opt"
	done
	run bash_complete 'mqrm --state st'
	assert_line stale
	run bash_complete 'mqrm --state stale,or'
	assert_line stale,orphaned
	if command -v fish >/dev/null; then
		run fish_complete "mqrm --state " "mqrm -"
		assert_line --regexp '^stale'
		assert_line --regexp '^-Q'
		assert_line --regexp '^-q'
	fi
	if command -v zsh >/dev/null; then
		run zsh -n "$BATS_TEST_DIRNAME/../completions/_mqrm"
		assert_success
		run grep -c -- "-Q,-P,--posix\|-q,-S,--sysv\|--state=" "$BATS_TEST_DIRNAME/../completions/_mqrm"
		assert_output 3
	fi
}
