#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqstat: the table of every queue, its formats and columns, the state of
# each queue from real processes, unreadable queues, --limits and --watch,
# and what it refuses of network QUEUEs.

load helper

# POSIX queues are made small: their memory is charged to the user across
# every namespace of the machine (RLIMIT_MSGQUEUE), shared with other runs.
setup() {
	require_tool mqstat mqsend mqrecv
	ns_setup
}

# A POSIX queue held open by a running process; its pid in $BG_PID.
hold_posix() {
	start_bg mqrecv "$1"
	wait_blocked "$BG_PID" mqrecv
}

@test "one table of POSIX and System V queues, made by mqsend and by ipcmk" {
	mqsend -c --maxmsg 4 --msgsize 64 /jobs a b c
	mqsend -c key:0x4d51 hello
	run ipcmk -Q
	assert_success
	local ipcmk_id=${output##*: }
	run mqstat
	assert_success
	assert_line --index 0 --regexp '^NAME +KIND +OWNER +PERMS +MSGS +USED +CAPACITY +FILL +STATE +INACTIVE$'
	assert_line --regexp '^/jobs +posix +root +rw------- +3 +3B +256B +75% '
	assert_line --regexp '^key:0x00004d51 +sysv +root +rw------- +1 +5B +16K +1% '
	[ "${#lines[@]}" -eq 4 ]
	run mqstat -r --noheadings -o ID,KIND -q
	assert_output --partial "$ipcmk_id sysv"
	[ "${#lines[@]}" -eq 2 ]
	run mqstat -Q --noheadings -o NAME
	assert_output "/jobs"
}

@test "OWNER of every row, however the owners alternate (the last owner's text is reused)" {
	local k
	for k in 1 2 3 4; do
		mqsend -c "key:0x5a0$k" x
		as_nobody mqsend -c --mode 0644 "key:0x5b0$k" x
	done
	run mqstat -q --noheadings -r -o NAME,OWNER
	assert_success
	for k in 1 2 3 4; do
		assert_line "key:0x00005a0$k root"
		assert_line "key:0x00005b0$k nobody"
	done
	[ "${#lines[@]}" -eq 8 ]
}

@test "-o without STATE, INACTIVE or HOLDERS (no judging) still fills its columns; with STATE the queue is judged" {
	mqsend -c key:0x5c01 x
	run mqstat -q --noheadings -r -o NAME,MSGS,CAPACITY
	assert_success
	assert_output "key:0x00005c01 1 16K"
	# with STATE, the queue's sender (gone) and its recent send are judged
	run mqstat -q --noheadings -r -o NAME,STATE
	assert_output "key:0x00005c01 recent"
}

@test "-J: numbers are numbers, times ISO 8601, unknown and never are null" {
	mqsend -c --maxmsg 4 --msgsize 100 /q 12345
	mqsend -c key:0x10 abc
	run bash -c 'mqstat -J --output-all | jq -c ".queues[] | [.name, .kind, .msgs, .used, .capacity, .fill, .maxmsgs, .msgsize, .send, .lspid, (.inactive >= 0 and .inactive < 60)]"'
	assert_success
	# INACTIVE: a second may pass between the send and the look
	assert_line --index 0 '["/q","posix",1,5,400,25,4,100,null,null,true]'
	assert_line --index 1 --regexp '^\["key:0x00000010","sysv",1,3,16384,1,null,8192,"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}",[1-9][0-9]*,true\]$'
	run bash -c 'mqstat -J -o NAME,RECV | jq -c "[.queues[].recv]"'
	assert_output '[null,null]'
}

# COUNT empty messages into the System V queue KEY (mqsend sends no empty line).
sysv_send_empty() {
	ns python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
qid = libc.msgget(int(sys.argv[1], 0), 0)
buf = ctypes.create_string_buffer(b"\x01" + b"\0" * 15)
for _ in range(int(sys.argv[2])):
    assert libc.msgsnd(qid, buf, 0, 0o4000) == 0, ctypes.get_errno()
# one more would wait: the queue is full (EAGAIN with IPC_NOWAIT)
assert libc.msgsnd(qid, buf, 0, 0o4000) == -1 and ctypes.get_errno() == 11' "$1" "$2"
}

@test "FILL by the kernel's rule: a POSIX queue full by its count, a System V one by messages over msg_qbytes" {
	require_tool mqmk
	# three one-byte messages fill a queue of three: senders wait
	mqmk --maxmsg 3 --msgsize 100 /full >/dev/null
	mqsend /full a b c
	run mqsend --nonblock /full d
	assert_failure 4
	run mqstat --noheadings -r -o NAME,MSGS,USED,CAPACITY,FILL -b -Q
	assert_output '/full 3 3 300 100%'
	# ten empty messages fill a System V queue of ten bytes
	mqsend -c --qbytes 10 key:0x40 </dev/null
	sysv_send_empty 0x40 10
	run mqstat --noheadings -r -o NAME,MSGS,USED,FILL -b -q
	assert_output 'key:0x00000040 10 0 100%'
	# the bytes still count: 80 of 100
	mqsend -c --qbytes 100 key:0x41 "$(printf '%080d' 0)"
	# one short of full is never rounded up to 100: 199 of 200
	mqsend -c --qbytes 200 key:0x42 "$(printf '%0199d' 0)"
	run bash -c 'mqstat -J -o NAME,FILL | jq -c "[.queues[] | [.name, .fill]]"'
	assert_output '[["/full",100],["key:0x00000040",100],["key:0x00000041",80],["key:0x00000042",99]]'
	run mqstat -o NAME,FILL /full
	assert_line --regexp '^FILL +100%$'
}

@test "-o, +COL, --output-all, -H, --noheadings, -r, -b and bad columns" {
	mqsend -c --maxmsg 2 --msgsize 1k /q x
	run mqstat -o name,maxmsgs,msgsize
	assert_line --index 0 --regexp '^NAME +MAXMSGS +MSGSIZE$'
	assert_line --index 1 --regexp '^/q +2 +1K$'
	run mqstat -b --noheadings -o NAME,MSGSIZE,CAPACITY
	assert_output --regexp '^/q +1024 +2048$'
	run mqstat -o +ID
	assert_line --index 0 --regexp 'INACTIVE +ID$'
	run mqstat -r -o NAME,PERMS,STATE
	assert_line --index 1 '/q rw------- recent'
	run mqstat -H
	assert_success
	[ "${#lines[@]}" -eq 25 ]
	assert_line --regexp '^HOLDERS +processes that hold it \(POSIX: open'
	run bash -c 'mqstat --output-all -J | jq ".queues[0] | length"'
	assert_output 25
	run mqstat -o NAME,BOGUS
	assert_failure 2
	assert_output --partial "unknown column 'BOGUS'"
	run mqstat -J -r
	assert_failure 2
}

@test "STATE: a POSIX queue held open is in-use; once its holder dies, recent, then orphaned" {
	mqsend -c --maxmsg 4 --msgsize 64 /q
	hold_posix /q
	run mqstat --noheadings -o NAME,STATE,HOLDERS
	assert_output --regexp "^/q +in-use +$BG_PID\(mqrecv\)\$"
	run bash -c 'mqstat -J -o NAME,STATE,HOLDERS | jq -r ".queues[0] | .state, .holders"'
	assert_output "in-use
$BG_PID(mqrecv)"
	kill -KILL "$BG_PID"
	wait "$BG_PID" || true
	# nothing holds it: never in-use without a holder seen, however
	# recently it was used; orphaned only once idle for --idle-after
	run bash -c 'mqstat -J -o STATE,HOLDERS | jq -c ".queues[0] | [.state, .holders]"'
	assert_output '["recent",null]'
	run bash -c 'mqstat -J -o STATE --idle-after 0 | jq -r ".queues[0].state"'
	assert_output orphaned
}

@test "STATE: System V in-use by a live sender or a blocked receiver, each among HOLDERS; stale or orphaned when gone" {
	mqsend -c key:0x20 x
	# mqsend exited: its last sender is gone, and its message waits for a
	# first consumer: stale, never orphaned however long it waits
	run bash -c 'mqstat -J -o STATE --idle-after 0 | jq -r ".queues[0].state"'
	assert_output stale
	mqrecv key:0x20 >/dev/null
	run bash -c 'mqstat -J -o STATE --idle-after 0 | jq -r ".queues[0].state"'
	assert_output orphaned
	# a receiver blocked on an empty queue has not received yet: found by its call
	mqsend -c key:0x21 </dev/null
	start_bg mqrecv -f key:0x21
	wait_blocked "$BG_PID" mqrecv
	run bash -c 'mqstat -J -o NAME,STATE,HOLDERS | jq -r ".queues[] | select(.name == \"key:0x00000021\") | .state, .holders"'
	assert_output "in-use
$BG_PID(mqrecv)"
	kill "$BG_PID"
	wait "$BG_PID" || true
	# a live process that sent last keeps it in use, and is its holder
	ns python3 -c '
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
qid = libc.msgget(0x22, 0o1600)
buf = ctypes.create_string_buffer(b"\x01\0\0\0\0\0\0\0hi")
assert libc.msgsnd(qid, buf, 2, 0) == 0
open(sys.argv[1], "w").write(str(os.getpid()))
time.sleep(60)' "$BATS_TEST_TMPDIR/sender.pid" 3>&- &
	wait_until test -s "$BATS_TEST_TMPDIR/sender.pid"
	local sender
	sender=$(cat "$BATS_TEST_TMPDIR/sender.pid")
	run bash -c 'mqstat -J -o NAME,STATE,LSPID,HOLDERS | jq -c ".queues[] | select(.name == \"key:0x00000022\") | [.state, .lspid, .holders]"'
	assert_output "[\"in-use\",$sender,\"$sender(python3)\"]"
	run bash -c 'mqstat -J -o NAME,STATE --idle-after 0 | jq -r ".queues[] | select(.name == \"key:0x00000022\") | .state"'
	assert_output idle # held, but inactive
	kill "$sender"
	wait_until bash -c '! kill -0 '"$sender"' 2>/dev/null'
	run bash -c 'mqstat -J -o NAME,STATE --idle-after 0 | jq -r ".queues[] | select(.name == \"key:0x00000022\") | .state"'
	assert_output stale # its message was never received
}

@test "STATE words are single tokens: -r and -e need no escape, and every state is one of six" {
	mqsend -c --maxmsg 4 --msgsize 64 /held </dev/null
	hold_posix /held
	mqsend -c key:0x23 x
	run mqstat -r --noheadings -o NAME,STATE
	assert_output $'/held in-use\nkey:0x00000023 recent'
	run mqstat -e -o NAME,STATE
	assert_line 'NAME="/held" STATE="in-use"'
	run mqstat -H
	assert_line --regexp '^STATE +in-use, recent, idle, stale, orphaned or unknown$'
	kill "$BG_PID"
}

@test "STATE: a process blocked on the same id in another IPC namespace is not a user" {
	mqsend -c key:0x90 </dev/null
	[ "$(mqstat --noheadings -r -o ID -q)" = 0 ]
	# a fresh IPC namespace of its own, whose first queue is id 0 too
	unshare --ipc python3 -c '
import ctypes
libc = ctypes.CDLL(None)
qid = libc.msgget(0x91, 0o1600)
assert qid == 0
buf = ctypes.create_string_buffer(64)
libc.msgrcv(qid, buf, 32, 0, 0)' 3>&- &
	local other=$!
	wait_blocked "$other" python3
	run bash -c 'mqstat -J -o STATE,HOLDERS --idle-after 0 | jq -c ".queues[0] | [.state, .holders]"'
	kill "$other"
	assert_output '["orphaned",null]'
}

@test "STATE idle: used but inactive past --idle-after; INACTIVE counts" {
	mqsend -c --maxmsg 4 --msgsize 64 /q
	hold_posix /q
	sleep 2.1
	run mqstat --noheadings -r -o STATE,INACTIVE --idle-after 1s
	assert_output --regexp '^idle [23]s$'
	run mqstat --noheadings -o STATE --idle-after 1m
	assert_output "in-use"
	# looking (reading /dev/mqueue/q) is not activity; a receive is
	run bash -c 'mqstat -J -o INACTIVE | jq ".queues[0].inactive >= 2"'
	assert_output true
	mqsend /q x
	wait_until bash -c '! kill -0 '"$BG_PID"' 2>/dev/null'
	run mqstat --noheadings -o INACTIVE /q
	assert_output --regexp '^INACTIVE +[01]s$'
}

@test "--idle-after and --warn-idle in days and weeks, and as INACTIVE writes them; past the kernel's limit refused" {
	mqsend -c --maxmsg 4 --msgsize 64 /old </dev/null
	mqsend -c --maxmsg 4 --msgsize 64 /waiting x
	# last active 8 days and 5 hours ago (a POSIX queue's time is its file's mtime)
	ns touch -m -d "@$(($(date +%s) - 8 * 86400 - 5 * 3600 - 60))" /dev/mqueue/old /dev/mqueue/waiting
	run mqstat --noheadings -r -o NAME,STATE,INACTIVE --idle-after 7d
	assert_line '/old orphaned 8d5h'
	run mqstat --noheadings -r -o NAME,STATE --idle-after 8d5h
	assert_line '/old orphaned'
	run mqstat --noheadings -r -o NAME,STATE --idle-after 1w2d
	assert_success
	refute_line '/old orphaned'
	run mqstat --check --warn-idle 1w /waiting
	assert_failure 1
	assert_output --regexp '^MQSTAT WARNING - /waiting 8d5h holding messages nobody took'
	run mqstat --check --warn-idle 1w2d /waiting
	assert_success
	run mqstat --idle-after 106751d23h47m17s
	assert_failure 2
	assert_line --partial "mqstat: invalid --idle-after value: '106751d23h47m17s' is longer than the longest duration, 106751d23h47m16s"
	run mqstat --check --warn-idle 7x
	assert_failure 3
	assert_output --partial "'7x' has an unknown unit 'x' (use ms, s, m, h, d or w)"
}

@test "QUEUE arguments: every column of each, in any address form; missing is 3, bad is 2" {
	mqsend -c --maxmsg 4 --msgsize 64 /q hi
	mqsend -c key:0x30 there
	run mqstat /q key:0x30
	assert_success
	assert_line --regexp '^NAME +/q$'
	assert_line --regexp '^NAME +key:0x00000030$'
	assert_line --regexp '^MAXMSGS +4$'
	assert_line --regexp '^STATE +recent$'
	local id
	id=$(mqstat --noheadings -r -o ID -q)
	run bash -c "mqstat -J id:$id | jq -r '.queues[0].name'"
	assert_output key:0x00000030
	run mqstat /q /nope
	assert_failure 3
	assert_output --partial "/nope: no such queue"
	assert_output --partial "NAME       /q"
	run mqstat 'bad address'
	assert_failure 2
}

@test "name patterns: a /name with *, ? or [ shows every POSIX queue it matches; none is 3" {
	local q
	for q in /acme-a /acme-b /acme-c1 /other; do
		mqsend -c --maxmsg 4 --msgsize 64 "$q" </dev/null
	done
	mqsend -c key:0x31 </dev/null
	run mqstat -l --noheadings -o NAME '/acme-*'
	assert_success
	assert_output $'/acme-a\n/acme-b\n/acme-c1'
	run mqstat -l --noheadings -o NAME '/acme-?' /other '/acme-[c]*'
	assert_output $'/acme-a\n/acme-b\n/other\n/acme-c1'
	run bash -c "mqstat -J '/acme-*' | jq -r '.queues[].name'"
	assert_output $'/acme-a\n/acme-b\n/acme-c1'
	run mqstat -l --noheadings -o NAME '/nomatch-*' /other
	assert_failure 3
	assert_output --partial "/nomatch-*: no such queue: the pattern matches none"
	assert_line /other
	# a backslash makes a character literal: a name that holds "*" itself
	mqsend -c --maxmsg 4 --msgsize 64 '/star*' </dev/null
	run mqstat -l --noheadings -o NAME '/star\*'
	assert_output '/star*'
	# matched names are anyone's: escaped, as every name is
	local evil=$'/acme-\e[2J'
	mqsend -c --maxmsg 4 --msgsize 64 "$evil" </dev/null
	run mqstat -l --noheadings -o NAME '/acme-*'
	assert_line '/acme-\033[2J'
}

@test "a queue the caller may not read gets a row, the unknown marked, never a guess" {
	mqsend -c -m 0600 --maxmsg 4 --msgsize 64 /secret a b
	mqsend -c -m 0600 key:0x40 abc
	run --separate-stderr ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqstat" -J --output-all --idle-after 0
	assert_success
	# others' processes cannot be looked into: no state is guessed, and
	# mqstat says who can judge
	[[ $stderr == *"the STATE of 2 queues is unknown: only root can see every process"* ]] || fail "stderr: $stderr"
	run jq -c '.queues[] | [.name, .owner, .perms, .msgs, .used, .capacity, .fill, .state]' <<<"$output"
	assert_line --index 0 '["/secret","root","rw-------",null,null,null,null,"unknown"]'
	assert_line --index 1 '["key:0x00000040","root","rw-------",1,3,16384,1,"unknown"]'
	run ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqstat" -o NAME,MSGS,USED
	assert_line --regexp '^/secret +- +-$'
}

@test "without the mqueue mount: says how to mount it, still lists System V" {
	mqsend -c --maxmsg 4 --msgsize 64 /q
	mqsend -c key:0x50 x
	ns umount /dev/mqueue
	run mqstat --noheadings -o NAME
	assert_success
	assert_output --partial "mount -t mqueue none /dev/mqueue"
	assert_line key:0x00000050
	refute_line /q
	# an address still reaches the queue without the mount
	run mqstat -r -o NAME,MSGS /q
	assert_success
	assert_line --index 1 "/q 0"
}

@test "10,000 System V queues are listed, each exactly once" {
	ns python3 -c '
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
for key in range(1, 10001):
    assert libc.msgget(key, 0o1600) >= 0' 3>&-
	local t0=$(now_ms)
	run bash -c 'mqstat -q --noheadings -r -o ID > ids; sort ids | uniq -d | wc -l; wc -l < ids'
	local elapsed=$(($(now_ms) - t0))
	assert_output $'0\n10000'
	run bash -c 'mqstat -q --noheadings -r -o KEY | sort -u | wc -l'
	assert_output 10000
	run bash -c 'mqstat -J -q | jq ".queues | length"'
	assert_output 10000
	echo "listed in ${elapsed}ms" >&3
	[ "$elapsed" -lt 20000 ]
}

@test "System V fallback: msgctl MSG_STAT_ANY when /proc/sysvipc/msg cannot be read" {
	mqsend -c key:0x60 a
	mqsend -c --qbytes 1000 key:0x61 b c
	ns mount -t tmpfs none /proc/sysvipc
	run ns test -e /proc/sysvipc/msg
	assert_failure
	run mqstat -q --noheadings -r -o NAME,MSGS,CAPACITY -b
	assert_success
	assert_output $'key:0x00000060 1 16384\nkey:0x00000061 2 1000'
	# MSG_STAT_ANY shows a queue the caller may not read, as /proc would
	run ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqstat" -q --noheadings -r -o NAME,MSGS,CAPACITY -b
	assert_success
	assert_output $'key:0x00000060 1 16384\nkey:0x00000061 2 1000'
}

# Every column but INACTIVE (it counts seconds between the two runs).
SYSV_COLUMNS=NAME,KIND,KEY,ID,OWNER,GROUP,CUSER,CGROUP,PERMS,MSGS,USED,CAPACITY,FILL,MAXMSGS,MSGSIZE,SEND,RECV,CHANGE,LSPID,LRPID,NOTIFYPID,HOLDERS,STATE

@test "System V: /proc/sysvipc/msg and the msgctl fallback give the same rows" {
	mqsend -c key:0x70 a
	mqsend -c -m 0600 --qbytes 4096 key:0x71 secret data
	mqsend -c -m 0644 key:0x72
	run ipcmk -Q
	assert_success
	ns python3 -c '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
assert libc.msgget(0, 0o1640) >= 0   # IPC_PRIVATE: shown as id:N
os.setgid(65534); os.setuid(65534)
assert libc.msgget(0x73, 0o1600) >= 0  # owned by nobody, unreadable to others' 3>&-
	local who
	for who in root nobody; do
		local as=()
		[ "$who" = root ] || as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		run --separate-stderr ns "${as[@]}" "$MQTOOLS_BUILDDIR/mqstat" -q -J -o "$SYSV_COLUMNS"
		assert_success
		local from_proc=$output
		# all six, with what only msgctl gives (msg_qbytes) filled in
		run jq -c '[.queues[] | .capacity] | length, (map(select(. == null)) | length)' <<<"$from_proc"
		assert_output $'6\n0'
		ns mount -t tmpfs none /proc/sysvipc
		run --separate-stderr ns "${as[@]}" "$MQTOOLS_BUILDDIR/mqstat" -q -J -o "$SYSV_COLUMNS"
		ns umount /proc/sysvipc
		assert_success
		[ "$output" = "$from_proc" ]
	done
	run mqstat -q -r --noheadings -o NAME,CAPACITY -b
	assert_line 'key:0x00000071 4096'
}

@test "-g: limits with current use and the caller's RLIMIT_MSGQUEUE charge" {
	# made by a real uid of their own: the kernel charges its account, which
	# nothing else on the machine uses
	with_own_mq_charge mqsend -c --maxmsg 2 --msgsize 64 /a
	with_own_mq_charge mqsend -c --maxmsg 3 --msgsize 100 /b
	mqsend -c key:0x70 x
	run bash -c 'mqstat -g -J | jq -c ".limits[] | [.resource, .used]"'
	assert_success
	assert_line '["queues_max",2]'
	assert_line '["msg_max",3]'
	assert_line '["msgsize_max",100]'
	assert_line '["msgmni",1]'
	# what the kernel charges: per message a struct msg_msg (48 bytes) and a
	# priority node (48), plus the messages: 2*(48+48+64) + 3*(48+48+100)
	run --separate-stderr with_own_mq_charge mqstat -g -J
	run jq -c '.limits[-1] | [.resource, .used, .description]' <<<"$output"
	assert_output '["RLIMIT_MSGQUEUE",908,"your POSIX queues'"'"' memory, as the kernel counts it (ulimit -q; hard: '"$(ulimit -H -q)"')"]'
	run bash -c "mqstat -g -J | jq '.limits[] | select(.resource == \"msgmni\") | .limit'"
	assert_output "$(cat /proc/sys/kernel/msgmni)"
	run mqstat -g
	assert_line --index 0 --regexp '^RESOURCE +DESCRIPTION +LIMIT +USED +USE%$'
	run mqstat -g /a
	assert_failure 2
}

# The RLIMIT_MSGQUEUE row of mqstat -g -J, run through setpriv ARGS...:
# [resource, used, description].
rlimit_row_as() {
	ns setpriv "$@" "$MQTOOLS_BIN/mqstat" -g -J | jq -c '.limits[-1] | [.resource, .used, .description]'
}

@test "-g charges RLIMIT_MSGQUEUE to the creator's real uid, not the owner, and agrees with mqmk's refusal" {
	require_tool mqmk
	[ "$(id -u)" = 0 ] || skip "needs root: queues made by one uid for another"
	local maker=$((2000000000 + NS_PID)) owner=$((2100000000 + NS_PID)) q
	# made by MAKER for OWNER, as provisioning does: MAKER is charged
	for q in 1 2 3; do
		ns setpriv --ruid="$maker" "$MQTOOLS_BIN/mqmk" -o "$owner" --maxmsg 3 --msgsize 100 "/big$q" >/dev/null
	done
	run mqstat -Q --noheadings -r -o NAME,OWNER
	assert_output $'/big1 '"$owner"$'\n/big2 '"$owner"$'\n/big3 '"$owner"
	# each 3*(48+48+100) = 588 bytes
	run rlimit_row_as --ruid="$maker"
	assert_output --partial '["RLIMIT_MSGQUEUE",1764,'
	run rlimit_row_as --ruid="$owner"
	assert_output --partial '["RLIMIT_MSGQUEUE",0,'
	# what -g shows left is what the kernel lets mqmk make: 1764 + 588
	run ns bash -c "ulimit -q 2351 && exec setpriv --ruid=$maker '$MQTOOLS_BIN/mqmk' --maxmsg 3 --msgsize 100 /big4"
	assert_failure 1
	assert_output --partial "/big4: a queue of 3 messages of 100 bytes, charged 588 bytes, does not fit in what is left of your RLIMIT_MSGQUEUE (2351 bytes, ulimit -q; mqstat -g shows what is used)"
	run ns bash -c "ulimit -q 2351 && exec setpriv --ruid=$maker '$MQTOOLS_BIN/mqstat' -g -r --noheadings -b -o RESOURCE,LIMIT,USED"
	assert_line 'RLIMIT_MSGQUEUE 2351 1764'
	run ns bash -c "ulimit -q 2352 && exec setpriv --ruid=$maker '$MQTOOLS_BIN/mqmk' --maxmsg 3 --msgsize 100 /big4"
	assert_success
	run rlimit_row_as --ruid="$maker"
	assert_output --partial '["RLIMIT_MSGQUEUE",2352,'
}

@test "-g measures the charge with SIGCHLD ignored, as a monitor's agent may leave it" {
	[ "$(id -u)" = 0 ] || skip "needs root: a real uid of its own"
	local maker=$((2000000000 + NS_PID))
	ns setpriv --ruid="$maker" "$MQTOOLS_BIN/mqmk" --maxmsg 2 --msgsize 64 /a >/dev/null
	# SIG_IGN for SIGCHLD survives exec: the kernel would reap the probes itself
	run ns python3 -c '
import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.setresuid(int(sys.argv[1]), 0, 0)
os.execv(sys.argv[2], sys.argv[2:])' "$maker" "$MQTOOLS_BIN/mqstat" -g -J
	assert_success
	run jq -c '.limits[-1] | [.resource, .used, .description]' <<<"$output"
	assert_output --partial '["RLIMIT_MSGQUEUE",320,"your POSIX queues'"'"' memory, as the kernel counts it'
}

@test "-g as an unprivileged user: its own account, measured in a user namespace of its own" {
	[ "$(id -u)" = 0 ] || skip "needs root to become another uid"
	local uid=$((2200000000 + NS_PID))
	ns setpriv --reuid="$uid" --regid="$uid" --clear-groups unshare --user --ipc true 2>/dev/null ||
		skip "unprivileged user namespaces are not allowed here: -g estimates (tested by its description)"
	ns setpriv --reuid="$uid" --regid="$uid" --clear-groups "$MQTOOLS_BIN/mqsend" -c --maxmsg 2 --msgsize 64 /mine </dev/null
	run rlimit_row_as --reuid="$uid" --regid="$uid" --clear-groups
	assert_output --partial '["RLIMIT_MSGQUEUE",320,"your POSIX queues'"'"' memory, as the kernel counts it'
	# and nothing of it is seen in the caller's namespace
	run mqstat -Q --noheadings -o NAME
	assert_output /mine
}

@test "--watch redraws in place on a terminal, with a fill bar, until interrupted" {
	command -v tmux >/dev/null || skip "tmux not installed"
	mqsend -c --maxmsg 10 --msgsize 10 /w 1234567890 1234567890
	local sock=$BATS_TEST_TMPDIR/tmux.sock
	tmux -S "$sock" new-session -d -x 150 -y 20 "$BATS_TEST_TMPDIR/bin/mqstat -w 0.2; echo EXITED \$?; sleep 60"
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -q '^/w '"
	run tmux -S "$sock" capture-pane -p
	assert_line --regexp '^/w +posix .* \[##\.{8}\]  20% '
	assert_output --partial "(Ctrl-C to quit)"
	# a new queue and more messages appear in a later redraw, in place
	mqsend -c key:0x80 x
	mqsend /w 1234567890 1234567890 1234567890
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -q '^key:0x00000080 '"
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -q '\[#####\.....\]  50%'"
	# one byte of 16K: the bar says 1%, as the table does, never 0%
	run tmux -S "$sock" capture-pane -p
	assert_line --regexp '^key:0x00000080 +sysv .* \[#\.{9}\]   1% '
	run tmux -S "$sock" capture-pane -p
	[ "$(grep -c '^NAME ' <<<"$output")" -eq 1 ]
	# the bar is the kernel's FILL: two short messages fill a queue of two
	mqsend -c --maxmsg 2 --msgsize 10 /two a b
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -q '^/two .* \[##########\] 100% '"
	# and only then: 99 bytes of 100 leave the last mark empty, as 99% says
	mqmk --qbytes 100 key:0x81
	mqsend key:0x81 "$(printf '%099d' 0)"
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -q '^key:0x00000081 .* \[#########\.\]  99% '"
	tmux -S "$sock" send-keys C-c
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -q 'EXITED 0'"
	tmux -S "$sock" kill-server
	run mqstat -w 1 </dev/null
	assert_failure 2
	assert_output --partial "terminal"
}

# The bytes a terminal got from `mqstat -w 0.1` with TERM and NO_COLOR as
# given, in $BATS_TEST_TMPDIR/raw, once the queue /t has drawn a rate:
# script(1) gives it a terminal, and keeps every byte; of no size (COLUMNS
# then says how wide).
watch_raw() {
	local term=$1 no_color=$2
	rm -f "$BATS_TEST_TMPDIR/raw"
	COLUMNS=200 TERM=$term NO_COLOR=$no_color script -qfec "$BATS_TEST_TMPDIR/bin/mqstat -w 0.1" "$BATS_TEST_TMPDIR/raw" \
		</dev/null >/dev/null 2>&1 3>&- &
	local pid=$!
	wait_until grep -qa 'RATE' "$BATS_TEST_TMPDIR/raw"
	mqsend /t x
	wait_until grep -qaE '^/t .*\+[0-9.]+/s' "$BATS_TEST_TMPDIR/raw"
	kill "$pid"
	wait "$pid" || true
	tr -d '\r' <"$BATS_TEST_TMPDIR/raw" >"$BATS_TEST_TMPDIR/raw.lf" # a terminal's CR LF
}

@test "--watch: the change of MSGS per second and a sparkline of FILL per queue; NO_COLOR and TERM=dumb honoured" {
	command -v tmux >/dev/null || skip "tmux not installed"
	mqsend -c --maxmsg 10 --msgsize 10 /t </dev/null
	local sock=$BATS_TEST_TMPDIR/tmux.sock
	tmux -S "$sock" new-session -d -x 150 -y 20 "$BATS_TEST_TMPDIR/bin/mqstat -w 0.2; sleep 60"
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -q '^/t .* 0/s '"
	run tmux -S "$sock" capture-pane -p
	assert_line --index 1 --regexp ' RATE TREND$'
	# filling: a positive rate, and the sparkline climbs from empty
	mqsend /t 1 2 3 4 5
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -qE '^/t .* \+[0-9.]+/s ▁+'"
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -qE '^/t .* 0/s ▁*▄+\$'"
	# draining: negative
	mqrecv -n 5 /t >/dev/null
	wait_until bash -c "tmux -S '$sock' capture-pane -p | grep -qE '^/t .* -[0-9.]+/s .*▁\$'"
	tmux -S "$sock" kill-server
	# colours: a full queue's bar in red, unless NO_COLOR; no escape at all
	# for TERM=dumb, each redraw after the last, and ASCII in the C locale
	mqsend -c --maxmsg 1 --msgsize 10 /full x
	watch_raw xterm ""
	grep -qaF $'\e[31m[##########] 100%' "$BATS_TEST_TMPDIR/raw" || fail "no red bar: $(cat -v "$BATS_TEST_TMPDIR/raw" | head)"
	watch_raw xterm 1
	! grep -qaF $'\e[31m' "$BATS_TEST_TMPDIR/raw" || fail "colour despite NO_COLOR"
	grep -qaF $'\e[H\e[2J' "$BATS_TEST_TMPDIR/raw" # but still redrawn in place
	LC_ALL=C watch_raw dumb ""
	! grep -qaF $'\e' "$BATS_TEST_TMPDIR/raw" || fail "an escape for a dumb terminal: $(cat -v "$BATS_TEST_TMPDIR/raw" | head)"
	[ "$(grep -ca '^NAME ' "$BATS_TEST_TMPDIR/raw.lf")" -ge 2 ] || fail "redraws do not follow each other"
	grep -qaE '^/full .* 100% .* #+$' "$BATS_TEST_TMPDIR/raw.lf" || fail "no ASCII sparkline: $(cat "$BATS_TEST_TMPDIR/raw" | head)"
}

# start_bg CMD... in the test's namespace (ns is a function: exec cannot run it).
ns_bg() {
	start_bg nsenter -t "$NS_PID" --ipc --mount "${_ns_enter_user[@]}" --wd="$PWD" -- "$@"
}

# No byte in FILE a terminal acts on but LF: C0 controls, DEL, C1 controls
# raw or in UTF-8, and the bidirectional controls.
terminal_safe() {
	! LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c' "$1"
}

@test "hostile names: queue and process names are escaped in the table, the detail view and JSON" {
	local evil=$'/evil\e]0;PWNED\a\e[2J\u202eyes' csi=$'/c\u009b1m\u2066'
	mqsend -c --maxmsg 4 --msgsize 64 "$evil" </dev/null
	mqsend -c --maxmsg 4 --msgsize 64 "$csi" </dev/null
	# a holder whose executable is called x ESC [2J x
	ln -s "$MQTOOLS_BUILDDIR/mqrecv" "$BATS_TEST_TMPDIR/x"$'\e[2J'x
	ns_bg "$BATS_TEST_TMPDIR/x"$'\e[2J'x "$evil"
	wait_blocked "$BG_PID" x$'\e[2J'x
	LC_ALL=C.UTF-8 mqstat -o NAME,HOLDERS >out
	terminal_safe out || fail "the table let controls through: $(od -c out | head)"
	grep -qF '/evil\033]0;PWNED\a\033[2J\342\200\256yes' out || fail "$(cat out)"
	grep -qF "$BG_PID(x\\033[2Jx)" out || fail "$(cat out)"
	# -r: libsmartcols' \xHH form, as util-linux's tools write it
	LC_ALL=C.UTF-8 mqstat -r -o NAME,HOLDERS >out
	terminal_safe out || fail "-r let controls through: $(od -c out | head)"
	grep -qF '/evil\x1b]0;PWNED\x07\x1b[2J\xe2\x80\xaeyes' out || fail "$(cat out)"
	LC_ALL=C.UTF-8 mqstat "$evil" >detail
	terminal_safe detail || fail "the detail view let controls through: $(od -c detail | head)"
	assert_equal "$(grep '^HOLDERS' detail)" "HOLDERS    $BG_PID(x\\033[2Jx)"
	# JSON: the same names, with C1 and bidi controls as \u escapes
	LC_ALL=C.UTF-8 mqstat -J -o NAME,HOLDERS >out.json
	terminal_safe out.json || fail "JSON let controls through: $(od -c out.json | head)"
	grep -qF '\u009b1m\u2066' out.json
	run jq -r '.queues[].name' out.json
	assert_line "$evil"
	assert_line "$csi"
	kill "$BG_PID"
}

@test "STATE: a non-root caller cannot see others' waiters: unknown, never orphaned, and says root can judge" {
	mqsend -c -m 0666 key:0x95 </dev/null
	mqsend -c -m 0666 --maxmsg 4 --msgsize 64 /shared </dev/null
	# uid 1001 waits on both; uid 65534 cannot look into its process
	ns_bg setpriv --reuid=1001 --regid=1001 --clear-groups "$MQTOOLS_BUILDDIR/mqrecv" key:0x95
	local waiter=$BG_PID
	ns_bg setpriv --reuid=1001 --regid=1001 --clear-groups "$MQTOOLS_BUILDDIR/mqrecv" /shared
	local holder=$BG_PID
	wait_blocked "$waiter" mqrecv
	wait_blocked "$holder" mqrecv
	run --separate-stderr ns setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BUILDDIR/mqstat" --noheadings -r -o NAME,STATE --idle-after 0
	assert_success
	assert_output $'/shared unknown\nkey:0x00000095 unknown'
	[[ $stderr == *"only root can see every process"* ]] || fail "stderr: $stderr"
	# root sees them
	run --separate-stderr mqstat --noheadings -r -o NAME,STATE --idle-after 1h
	assert_output $'/shared in-use\nkey:0x00000095 in-use'
	[ -z "$stderr" ]
	kill "$waiter" "$holder"
}

@test "network QUEUEs: an mqtt:// topic is refused with why; amqp:// names the kernel-only options mqstat has" {
	# both refused before any broker is reached: port 9 is never dialled
	local opts
	for opts in "" "-o NAME"; do
		run mqstat $opts mqtt://127.0.0.1:9/jobs
		assert_failure 2
		assert_output --partial "mqtt://127.0.0.1:9/jobs: an MQTT topic is not a queue: the broker keeps no count, owner or mode of it to show"
		refute_output --partial "amqp://"
	done
	for opts in -Q -q "-o NAME" --output-all -g --check "--new-since nosuch"; do
		local want=2
		[ "$opts" != --check ] || want=3 # --check's usage error is UNKNOWN
		run mqstat $opts amqp://127.0.0.1:9/q
		[ "$status" -eq "$want" ] || fail "mqstat $opts amqp://: exit $status"
		assert_output --partial "--check, --watch, --output, --output-all, --limits, --baseline, --new-since, --posix and --sysv are for kernel queues"
	done
	run mqstat amqp://127.0.0.1:9/q /jobs
	assert_failure 2
	assert_output --partial "/jobs: amqp:// and kernel queues cannot be shown together"
}
