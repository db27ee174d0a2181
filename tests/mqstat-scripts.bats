#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqstat for scripts and monitoring: -e/--export safe to eval, --shell,
# --time-format, MODE, lsipc's option letters, --limits -o and USE%,
# --check (monitoring-plugins statuses), --baseline and --new-since.

load helper

setup() {
	require_tool mqstat mqsend mqrecv
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

# Names a shell must never run: quotes, $(...), backticks, a newline, a
# backslash, each trying to touch ./pwned (the tests run in $BATS_TEST_TMPDIR;
# a POSIX name holds no other "/").
hostile_names() {
	printf '%s\0' \
		'/q"$(touch pwned)"' \
		'/b`touch pwned`' \
		$'/n\nx=$(touch pwned)' \
		'/s\"; touch pwned; \' \
		"/c'\$(touch pwned)'"
}

@test "-e: one queue a line of KEY=\"value\", safe to eval in bash and sh whatever the name holds" {
	local name names=()
	while IFS= read -r -d '' name; do
		names+=("$name")
		mqsend -c --maxmsg 2 --msgsize 16 "$name" </dev/null
	done < <(hostile_names)
	mqsend -c key:0x4d51 hello
	run mqstat -e -o NAME,KIND,MSGS,MODE
	assert_success
	[ "${#lines[@]}" -eq 6 ] || fail "one line per queue: $output"
	assert_line 'NAME="key:0x00004d51" KIND="sysv" MSGS="1" MODE="0600"'
	local line got=()
	while IFS= read -r line; do
		for sh in bash sh; do
			run "$sh" -c "eval \"\$1\" && printf '%s' \"\$NAME\"" _ "$line"
			assert_success
		done
		# bash's printf %b gives the bytes back from the \xHH escapes
		got+=("$(bash -c 'eval "$1"; printf "%b" "$NAME"' _ "$line")")
	done < <(mqstat -e -o NAME,KIND,MSGS,MODE)
	[ ! -e "$BATS_TEST_TMPDIR/pwned" ] || fail "eval ran a command from a queue name"
	for name in "${names[@]}"; do
		printf '%s\n' "${got[@]}" | grep -qxF -- "${name%%$'\n'*}" ||
			[[ $name == *$'\n'* ]] || fail "not given back: $name"
	done
	# the newline itself comes back inside the value
	printf '%s\0' "${got[@]}" | grep -qzF -- $'/n\nx=' || fail "newline name not given back: ${got[*]}"
	# and the output is one line per queue for a terminal too
	! grep -qP '[\x00-\x09\x0b-\x1f\x7f]' <(mqstat -e)
}

@test "-e --shell: every key a shell variable name (USE% as USE_PCT); unknown is empty" {
	mqsend -c --maxmsg 2 --msgsize 16 /q x
	run mqstat -e -y -o NAME,SEND,FILL
	assert_output 'NAME="/q" SEND="" FILL="50%"'
	run mqstat -g -e -y -o RESOURCE,USE%
	assert_success
	assert_line --partial 'RESOURCE="queues_max" USE_PCT="'
	run bash -c 'set -u; mqstat -g -e -y | while IFS= read -r l; do eval "$l"; echo "$RESOURCE $LIMIT"; done'
	assert_success
	assert_line --regexp '^msgmni [0-9]+$'
	# without --shell, USE% is not a variable name: as lsipc writes it
	run mqstat -g -e -o USE%
	assert_line --index 0 --regexp '^USE%="'
	# a header as well
	run mqstat -y -g -o USE%
	assert_line --index 0 --regexp 'USE_PCT$'
}

@test "lsipc's letters: -Q POSIX, -q System V, -P numeric perms, -g limits, -n newline, -l list" {
	mqsend -c -m 0640 --maxmsg 2 --msgsize 16 /p x
	mqsend -c -m 0604 key:0x10 y
	run mqstat -Q --noheadings -o NAME
	assert_output /p
	run mqstat -q --noheadings -o NAME
	assert_output key:0x00000010
	run mqstat --posix --noheadings -r -o NAME,PERMS
	assert_output '/p rw-r-----'
	run mqstat -P --noheadings -r -o NAME,PERMS,MODE
	assert_output $'/p 0640 0640\nkey:0x00000010 0604 0604'
	run mqstat -g --noheadings -o RESOURCE
	assert_line queues_max
	run mqstat --global --noheadings -o RESOURCE
	assert_line msgmni
	# -n: FIELD value lines for every queue
	run mqstat -n -o NAME,KIND
	assert_output $'NAME       /p\nKIND       posix\n\nNAME       key:0x00000010\nKIND       sysv'
	# -l: QUEUE arguments as a table
	run mqstat -l -o NAME,MODE /p key:0x10
	assert_output --regexp $'^NAME +MODE\n/p +0640\nkey:0x00000010 +0604$'
	# the old meanings are gone
	run mqstat -S
	assert_failure 2
	run mqstat -l
	assert_failure 2
	assert_output --partial "--list is for QUEUE arguments"
	run mqstat -n -J
	assert_failure 2
}

@test "--time-format short, full, iso, relative, on both kinds; bad format is 2" {
	mqsend -c --maxmsg 2 --msgsize 16 /p x
	mqsend -c key:0x10 y
	run mqstat --noheadings -r --time-format iso -o CHANGE,SEND
	assert_line --index 0 --regexp '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} -$'
	assert_line --index 1 --regexp '^[0-9-]{10}T[0-9:]{8}[+-][0-9:]{5} [0-9-]{10}T'
	run mqstat --noheadings --time-format full -o SEND -q
	assert_output --regexp '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}$'
	run mqstat --noheadings -r --time-format relative -o CHANGE
	# made seconds ago: a second boundary may pass in between, and under
	# valgrind each tool takes a second or more
	assert_output --regexp $'^[0-9]{1,2}s\\\\x20ago\n[0-9]{1,2}s\\\\x20ago$'
	run mqstat --noheadings --time-format short -o SEND -q
	assert_output --regexp '^[0-9]{2}:[0-9]{2}:[0-9]{2}$'
	run bash -c 'mqstat -J --time-format relative -o SEND -q | jq -r ".queues[0].send"'
	assert_output --regexp '^[0-9]{1,2}s ago$' # as above
	run mqstat --time-format=weekly
	assert_failure 2
	assert_output --partial "short, full, iso or relative"
}

@test "--limits takes -o, and USE% is USED of LIMIT" {
	mqsend -c --maxmsg 2 --msgsize 16 /a
	mqsend -c --maxmsg 2 --msgsize 16 /b
	ns sh -c 'echo 8 > /proc/sys/fs/mqueue/queues_max'
	run mqstat -g -r --noheadings -o RESOURCE,LIMIT,USED,USE%
	assert_line 'queues_max 8 2 25.00%'
	run bash -c 'mqstat -g -J -o RESOURCE,USE% | jq -c ".limits[] | select(.resource == \"queues_max\")"'
	assert_output '{"resource":"queues_max","use%":25}'
	run bash -c 'mqstat -g -J | jq -c ".limits[] | select(.resource == \"msg_default\") | .[\"use%\"]"'
	assert_output null
	run mqstat -g -o NAME
	assert_failure 2
	assert_output --partial "unknown column 'NAME'"
	run mqstat -g -H
	assert_line --regexp '^USE% +USED as a percentage of LIMIT$'
}

# mqstat --check as a monitor runs it: status line on stdout, exit status.
check() {
	run --separate-stderr mqstat --check "$@"
}

@test "--check: OK with perfdata; fill over --warn-fill is WARNING, over --crit-fill CRITICAL, both kinds" {
	mqsend -c --maxmsg 10 --msgsize 10 /p 1234567890 1234567890 1234567890 1234567890 1234567890 1234567890
	check
	assert_success
	assert_output 'MQSTAT OK - 1 queue, fullest /p 60% | queues=1;;;0; orphaned=0;;;0; fill_max=60%;;;0;100 untaken=0;;;0;'
	check --warn-fill 50 --crit-fill 90
	[ "$status" -eq 1 ]
	assert_output --regexp '^MQSTAT WARNING - /p 60% over 50% full \(warning\) \| .*fill_max=60%;50;90;0;100'
	check --warn-fill 50 --crit-fill 59
	[ "$status" -eq 2 ]
	assert_output --regexp '^MQSTAT CRITICAL - /p 60% over 59% full \(critical\) \|'
	# System V: 16 KiB of 16 KiB
	mqsend -c --qbytes 100 key:0x20 "$(printf '%080d' 0)"
	check --warn-fill 70 --crit-fill 90 key:0x20
	[ "$status" -eq 1 ]
	assert_output --regexp "^MQSTAT WARNING - key:0x00000020 80% over 70% full \(warning\) \| .* 'fill key:0x00000020'=80%;70;90;0;100 'msgs key:0x00000020'=1;;;0;\$"
	check --warn-fill 70 --crit-fill 90 /p
	assert_success
	assert_output --regexp "^MQSTAT OK - 1 queue, fullest /p 60% \|"
	# exactly one line
	[ "${#lines[@]}" -eq 1 ]
}

@test "--check: a named queue that is gone is CRITICAL; a usage error or failure is UNKNOWN, never 1 or 2" {
	mqsend -c --maxmsg 2 --msgsize 16 /p
	check /p /gone
	[ "$status" -eq 2 ]
	assert_output --regexp '^MQSTAT CRITICAL - 1 queue missing'
	local bad
	for bad in --bogus "--warn-fill 200%" "--warn-fill 90 --crit-fill 50" "-J" "--warn-idle soon" "'bad address'"; do
		eval "check $bad"
		[ "$status" -eq 3 ] || fail "mqstat --check $bad: exit $status"
		assert_output --regexp '^MQSTAT UNKNOWN - '
	done
	# an abbreviation is --check too
	run --separate-stderr mqstat --che --bogus
	[ "$status" -eq 3 ]
	# thresholds without --check are a usage error of the usual kind
	run mqstat --warn-fill 50
	assert_failure 2
	assert_output --partial "thresholds of --check"
}

@test "--check: a queue full by its count is CRITICAL; thresholds are percentages of FILL, 0 to 100" {
	mqsend -c --maxmsg 3 --msgsize 100 /full a b c
	check --crit-fill 90 /full
	[ "$status" -eq 2 ]
	assert_output --regexp "^MQSTAT CRITICAL - /full 100% over 90% full \(critical\) \| .*fill_max=100%;;90;0;100 .*'fill /full'=100%;;90;0;100 'msgs /full'=3;;;0;\$"
	check --warn-fill 80% --crit-fill 99
	[ "$status" -eq 2 ]
	# over 100 is no threshold: FILL is 100 when senders wait
	run mqstat --warn-fill 200
	assert_failure 2
	assert_output --partial "invalid --warn-fill value: '200': a percentage of FILL, 0 to 100"
	check --crit-fill 101
	[ "$status" -eq 3 ]
	[[ $stderr == *"invalid --crit-fill value: '101': a percentage of FILL, 0 to 100"* ]] || fail "$stderr"
}

# set_qbytes_zero KEY: msg_qbytes 0 on the System V queue KEY, which only
# msgctl(IPC_SET) makes (mqmk takes at least 1): msg_qbytes is found in
# IPC_STAT's struct, whatever its layout, as the value 12345 mqmk set.
set_qbytes_zero() {
	mqmk -C --qbytes 12345 "key:$1"
	ns python3 -c '
import ctypes, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
qid = libc.msgget(int(sys.argv[1], 0), 0)
buf = ctypes.create_string_buffer(512)
assert qid >= 0 and libc.msgctl(qid, 2, buf) == 0, ctypes.get_errno() # IPC_STAT
word = struct.calcsize("L")
at = [i for i in range(0, 512, word) if buf.raw[i:i + word] == struct.pack("L", 12345)]
assert len(at) == 1, at
ctypes.memmove(ctypes.addressof(buf) + at[0], struct.pack("L", 0), word)
assert libc.msgctl(qid, 1, buf) == 0, ctypes.get_errno() # IPC_SET' "$1"
}

@test "FILL: a System V queue of capacity 0 takes nothing: 100%, CRITICAL, capacity 0 in every output" {
	mqmk key:0x4e
	set_qbytes_zero 0x4e
	run mqsend --nonblock key:0x4e ''
	assert_failure 4 # the kernel's word: no room, even for an empty message
	run mqstat -l -b --noheadings -r -o NAME,CAPACITY,FILL key:0x4e
	assert_output 'key:0x0000004e 0 100%'
	run bash -c 'mqstat -J -o NAME,CAPACITY,FILL key:0x4e | jq -c ".queues[0] | [.capacity, .fill]"'
	assert_output '[0,100]'
	check --crit-fill 99 key:0x4e
	[ "$status" -eq 2 ]
	assert_output --regexp '^MQSTAT CRITICAL - key:0x0000004e 100% over 99% full'
	run mqstat --prometheus
	assert_output --partial 'mqtools_queue_capacity_bytes{queue="key:0x0000004e",kind="sysv",owner="root"} 0'
	assert_output --partial 'mqtools_queue_fill_ratio{queue="key:0x0000004e",kind="sysv",owner="root"} 1'
}

@test "--check: a missing queue is CRITICAL in every address form, a pattern that matches none too" {
	mqsend -c --maxmsg 2 --msgsize 16 /p </dev/null
	local missing
	for missing in /gone key:0x99 id:4242 ftok:/nonexistent/path ftok:/nonexistent/path:7 '/gone-*'; do
		check /p "$missing"
		[ "$status" -eq 2 ] || fail "mqstat --check $missing: exit $status: $output"
		assert_output --regexp '^MQSTAT CRITICAL - 1 queue missing'
	done
	check '/p*'
	assert_success
	assert_output --regexp "^MQSTAT OK - 1 queue, .* 'fill /p'=0%"
}

@test "--check --warn-orphaned N and --warn-idle DURATION, both kinds" {
	# orphaned: nobody holds them, nothing waits for a first consumer
	mqsend -c --maxmsg 2 --msgsize 16 /o1 </dev/null
	mqsend -c key:0x30 </dev/null
	check --idle-after 0 --warn-orphaned 2
	assert_success
	mqsend -c --maxmsg 2 --msgsize 16 /o2 </dev/null
	check --idle-after 0 --warn-orphaned 2
	[ "$status" -eq 1 ]
	assert_output --regexp '^MQSTAT WARNING - 3 orphaned queues \(warning over 2\) \| queues=3;;;0; orphaned=3;2;;0;'
	# messages nobody took: System V since its last receive (never: since made)
	mqsend -c key:0x31 waiting
	mqsend -c --maxmsg 2 --msgsize 16 /w waiting
	sleep 2.1
	check --warn-idle 2s key:0x31 /w key:0x30
	[ "$status" -eq 1 ]
	assert_output --regexp '^MQSTAT WARNING - key:0x00000031 [23]s, /w [23]s holding messages nobody took \| .*untaken=2;'
	check --warn-idle 1m key:0x31 /w
	assert_success
	# a receive is a take: System V's clock starts again
	mqsend key:0x31 more
	mqrecv key:0x31 >/dev/null
	check --warn-idle 2s key:0x31
	assert_success
}

@test "--check: what a non-root caller cannot see is UNKNOWN, not OK" {
	mqsend -c -m 0600 --maxmsg 2 --msgsize 16 /secret x
	run --separate-stderr ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqstat" --check --warn-fill 80
	[ "$status" -eq 3 ]
	assert_output --regexp '^MQSTAT UNKNOWN - /secret of unknown fill'
	run --separate-stderr ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqstat" --check --warn-orphaned 0
	[ "$status" -eq 3 ]
	assert_output --regexp 'of unknown state \(only root can judge\)'
}

# mqstat as uid 65534 with capabilities CAPS (as a monitor's service gets
# them from systemd's AmbientCapabilities=), or none.
mqstat_as_monitor() {
	local caps=$1
	shift
	local with=()
	[ -z "$caps" ] || with=(--inh-caps="$caps" --ambient-caps="$caps")
	ns setpriv --reuid=65534 --regid=65534 --clear-groups "${with[@]}" "$MQTOOLS_BIN/mqstat" "$@"
}

@test "--check as an unprivileged monitor: CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE are all it needs" {
	mqsend -c -m 0600 --maxmsg 2 --msgsize 16 /secret x y
	mqsend -c -m 0600 --maxmsg 2 --msgsize 16 /held </dev/null
	mqsend -c -m 0600 key:0x50 x
	start_bg mqrecv /held
	wait_blocked "$BG_PID" mqrecv
	# as any user: the fill of others' POSIX queues and every state unknown
	run --separate-stderr mqstat_as_monitor "" --check --crit-fill 90 --warn-orphaned 0
	[ "$status" -eq 3 ]
	assert_output --regexp '^MQSTAT UNKNOWN - /held, /secret of unknown fill'
	# with the two capabilities: what root sees
	run --separate-stderr mqstat_as_monitor +dac_read_search,+sys_ptrace --check --crit-fill 90 --warn-orphaned 0
	[ "$status" -eq 2 ]
	assert_output --regexp '^MQSTAT CRITICAL - /secret 100% over 90% full \(critical\) \| queues=3;;;0; orphaned=0;0;;0; fill_max=100%'
	[ -z "$stderr" ] || fail "$stderr"
	run mqstat_as_monitor +dac_read_search,+sys_ptrace -r --noheadings -o NAME,FILL,STATE,HOLDERS
	assert_output $'/held 0% in-use '"$BG_PID"$'(mqrecv)\n/secret 100% recent \nkey:0x00000050 1% recent '
	# CAP_DAC_READ_SEARCH alone lists others' descriptors but cannot read
	# them: their holders unseen, the state is unknown, never orphaned
	run --separate-stderr mqstat_as_monitor +dac_read_search -r --noheadings -o NAME,STATE --idle-after 0
	assert_output $'/held unknown\n/secret unknown\nkey:0x00000050 unknown'
	kill "$BG_PID"
}

@test "--check: hostile names stay on one status line and never break the perfdata" {
	local evil=$'/e|vil\'=x\n\e[2J'
	mqsend -c --maxmsg 2 --msgsize 16 "$evil" 1234567890123456 1234567890123456
	check --warn-fill 50 "$evil"
	[ "$status" -eq 2 ] || [ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ] || fail "more than one line: $output"
	# one "|": the one before the perfdata
	[ "$(tr -cd '|' <<<"$output" | wc -c)" -eq 1 ] || fail "$output"
	assert_output --partial "/e\\174vil'=x\\n\\033[2J 100%"
	assert_output --partial "'fill /e%7Cvil%27%3Dx%0A%1B%5B2J'=100%;50;;0;100"
}

@test "--baseline and --new-since: new queues of both kinds, exit 1; removed and made again counts as new" {
	mqsend -c --maxmsg 2 --msgsize 16 /old </dev/null
	mqsend -c key:0x40 </dev/null
	mqsend -c key:0x41 </dev/null
	run mqstat --baseline base
	assert_success
	assert_output ''
	[ "$(stat -c %a base)" = 600 ]
	run mqstat --new-since base
	assert_success
	assert_output ''
	mqsend -c --maxmsg 2 --msgsize 16 /new </dev/null
	mqsend -c key:0x50 </dev/null
	# made again: a new inode, a new identifier
	ns sh -c 'rm /dev/mqueue/old'
	mqsend -c --maxmsg 2 --msgsize 16 /old </dev/null
	ns ipcrm -Q 0x41
	mqsend -c key:0x41 </dev/null
	# activity on an old queue does not make it new
	mqsend key:0x40 x
	mqrecv key:0x40 >/dev/null
	# nor does a change (msgctl IPC_SET: mode, owner, capacity), which
	# moves its msg_ctime, in whole seconds of the kernel's coarse clock
	# (a few milliseconds behind date's at a second's turn): changed until
	# it has moved
	local before i
	before=$(mqstat -J -o CHANGE key:0x40 | jq -r '.queues[0].change')
	for ((i = 0; i < 100; i++)); do
		mqmk -C -m 0640 key:0x40
		output=$(mqstat -J -o CHANGE key:0x40 | jq -r '.queues[0].change')
		[ "$output" != "$before" ] && break
		sleep 0.05
	done
	[ "$output" != "$before" ] || fail "msg_ctime did not move in 5 s: $output"
	run mqstat --new-since base --noheadings -r -o NAME
	assert_failure 1
	assert_output $'/new\n/old\nkey:0x00000050\nkey:0x00000041'
	run bash -c 'mqstat --new-since base -J -o NAME,KIND | jq -c "[.queues[].kind]"'
	assert_output '["posix","posix","sysv","sysv"]'
	# -q: only System V compared
	run mqstat -q --new-since base --noheadings -o NAME
	assert_output $'key:0x00000050\nkey:0x00000041'
	# a baseline of one kind compares that kind only, and says so
	mqstat -Q --baseline posix-only
	mqsend -c key:0x60 </dev/null
	run --separate-stderr mqstat --new-since posix-only --noheadings -o NAME
	assert_success
	assert_output ''
	[[ $stderr == *"covers POSIX queues only"* ]] || fail "$stderr"
}

@test "--new-since exits as diff(1) does: 0 nothing new, 1 new queues, 2 no comparison" {
	mqsend -c --maxmsg 2 --msgsize 16 /old </dev/null
	mqstat --baseline base
	run mqstat --new-since base
	assert_success
	mqsend -c key:0x70 </dev/null
	run mqstat --new-since base --noheadings -o NAME
	assert_failure 1
	assert_output key:0x00000070
	# no baseline, a damaged one, or queues that could not all be listed:
	# no answer, never taken for "new queues"
	run mqstat --new-since missing
	assert_failure 2
	printf 'mqstat-baseline 1\n' >cut
	run mqstat --new-since cut
	assert_failure 2
	# a baseline of POSIX queues, asked about System V ones: nothing compared
	mqstat -Q --baseline posix-only
	run --separate-stderr mqstat -q --new-since posix-only
	assert_failure 2
	assert_output ''
	[[ $stderr == *"posix-only covers POSIX queues only, and only System V queues were asked for: nothing compared"* ]] ||
		fail "$stderr"
	ns umount /dev/mqueue
	run --separate-stderr mqstat --new-since base --noheadings -o NAME
	assert_failure 2
	assert_output key:0x00000070
	[[ $stderr == *"not every queue could be listed"* ]] || fail "$stderr"
	# a list nobody could read is no answer either
	run bash -c 'mqstat --new-since base -q >/dev/full'
	assert_failure 2
}

@test "--baseline is written beside the file and renamed: a symbolic link there is refused, never followed" {
	mqsend -c key:0x40 </dev/null
	echo precious >target
	ln -s target base
	run mqstat --baseline base
	assert_failure 1
	assert_output --partial "base is a symbolic link, which is never followed"
	[ "$(cat target)" = precious ] || fail "the link was followed"
	[ -L base ]
	run mqstat --baseline new
	assert_success
	[ -f new ]
	# a directory is refused, and no temporary file is left behind
	mkdir dir
	run mqstat --baseline dir
	assert_failure 1
	assert_output --partial "dir is a directory, not a regular file"
	run bash -c 'ls -A | grep -c mqtools-new'
	assert_output 0
	run mqstat --baseline /nonexistent/dir/base
	assert_failure 1
	assert_output --partial "/nonexistent/dir/base: cannot write the baseline: No such file or directory"
}

@test "--new-since reads defensively: a bad, cut, missing or foreign file is a clear error naming the line, exit 2" {
	mqsend -c key:0x40 </dev/null
	mqstat --baseline good
	printf 'hello\n' >foreign
	run mqstat --new-since foreign
	assert_failure 2
	assert_output --partial "foreign: line 1: not an mqstat baseline"
	head -c -1 good >cut
	run mqstat --new-since cut
	assert_failure 2
	assert_output --partial "cut: line 3: the last line is cut short"
	{ head -2 good; echo 'posix 12 2f61$(id)'; } >evil
	run mqstat --new-since evil
	assert_failure 2
	assert_output --partial "evil: line 3: not a queue's identity"
	{ head -2 good; echo 'sysv 0x00000040 +1 5'; } >sign
	run mqstat --new-since sign
	assert_failure 2
	assert_output --partial "sign: line 3"
	{ head -2 good; echo 'posix 12 2f612f62'; } >slash
	run mqstat --new-since slash
	assert_failure 2
	assert_output --partial "slash: line 3"
	printf 'mqstat-baseline 1\nkinds sysv\nposix 12 2f61\n' >wrongkind
	run mqstat --new-since wrongkind
	assert_failure 2
	: >empty
	run mqstat --new-since empty
	assert_failure 2
	assert_output --partial "empty: the file is empty"
	ln -s good link
	run mqstat --new-since link
	assert_failure 2
	assert_output --partial "link is a symbolic link"
	run mqstat --new-since missing
	assert_failure 2
	assert_output --partial "missing: cannot read the baseline: No such file or directory (make one with mqstat --baseline missing)"
	run mqstat --new-since /dev/null
	assert_failure 2
	assert_output --partial "not a regular file"
	run mqstat --new-since good
	assert_success
}

@test "completions: bash offers the new options, the time formats and files; fish and zsh load" {
	require_bash_completion
	run bash_complete 'mqstat -'
	for opt in -Q -q -e -y -n -l -P -g --export --shell --time-format --check --warn-fill \
		--crit-fill --warn-orphaned --warn-idle --baseline --new-since --global --noheadings; do
		assert_line -- "$opt"
	done
	refute_line -- -S
	run bash_complete 'mqstat --time-format '
	assert_output $'short\nfull\niso\nrelative'
	touch base.file
	run bash_complete 'mqstat --new-since base.'
	assert_line base.file
	run bash_complete 'mqstat --warn-idle '
	assert_line 1m
	if command -v fish >/dev/null; then
		run fish_complete "mqstat --time-format " "mqstat --wa"
		assert_line --regexp '^relative'
		assert_line --regexp '^--warn-idle'
	fi
	if command -v zsh >/dev/null; then
		run zsh -n "$BATS_TEST_DIRNAME/../completions/_mqstat"
		assert_success
	fi
}
