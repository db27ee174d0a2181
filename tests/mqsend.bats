#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqsend: every option on both kinds of queue, against real kernel queues.

load helper

setup() {
	require_tool mqsend mqrecv
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

# Number of messages queued (drains the queue).
queued_count() {
	mqrecv --drain -0 "$1" | tr -cd '\0' | wc -c
}

# --- messages from arguments and from standard input -----------------------

@test "each MESSAGE argument is one message (POSIX and System V)" {
	local q
	for q in /q key:0x100; do
		run mqsend -c "$q" one 'two words' '' $'multi\nline'
		assert_success
		assert_output ""
		run bash -c "mqrecv --drain --json '$q' | jq -c .data"
		assert_success
		assert_output $'"one"\n"two words"\n""\n"multi\\nline"'
	done
}

@test "stdin: one message per line, newline not sent, empty lines and a last unterminated line count" {
	local q
	for q in /q key:0x101; do
		printf 'alpha\nbeta\n\ngamma' | mqsend -c "$q"
		run bash -c "mqrecv --drain --json '$q' | jq -c '[.data, .size]'"
		assert_success
		assert_output $'["alpha",5]\n["beta",4]\n["",0]\n["gamma",5]'
	done
}

@test "stdin: empty input sends nothing (and --create still creates)" {
	run mqsend -c /q </dev/null
	assert_success
	[ -e "$MQUEUE_DIR/q" ]
	run mqrecv --drain /q
	assert_success
	assert_output ""
	run mqsend -c key:0x102 </dev/null
	assert_success
	run sysv_count 0x00000102
	assert_output 0
}

@test "-0/--null: NUL-terminated records on both kinds" {
	local q
	for q in /q key:0x103; do
		printf 'a b\0\0with\nnewline\0last' | mqsend -c --null "$q"
		run bash -c "mqrecv --drain --json '$q' | jq -c .data"
		assert_output $'"a b"\n""\n"with\\nnewline"\n"last"'
		printf 'x\0y\0' | mqsend -0 "$q"
		run bash -c "mqrecv --drain --json '$q' | jq -c .data"
		assert_output $'"x"\n"y"'
	done
}

@test "-d/--delimiter: one character and the escapes \\t \\0 \\\\ \\xHH" {
	printf 'a,b,,c' | mqsend -c -d , /q
	run bash -c 'mqrecv --drain --json /q | jq -c .data'
	assert_output $'"a"\n"b"\n""\n"c"'
	printf 'a\nb,c' | mqsend -d '\n' /q
	run bash -c 'mqrecv --drain --json /q | jq -c .data'
	assert_output $'"a"\n"b,c"'
	printf 'a\tb' | mqsend --delimiter '\t' /q
	run bash -c 'mqrecv --drain --json /q | jq -c .data'
	assert_output $'"a"\n"b"'
	printf 'a\0b' | mqsend -d '\0' /q
	run bash -c 'mqrecv --drain --json /q | jq -c .data'
	assert_output $'"a"\n"b"'
	printf 'a\\b' | mqsend -d '\\' /q
	run bash -c 'mqrecv --drain --json /q | jq -c .data'
	assert_output $'"a"\n"b"'
	printf 'a;b' | mqsend -d '\x3b' /q
	run bash -c 'mqrecv --drain --json /q | jq -c .data'
	assert_output $'"a"\n"b"'
	printf 'a\nb:c' | mqsend -d : key:0x104 -c
	run bash -c 'mqrecv --drain --json key:0x104 | jq -c .data'
	assert_output $'"a\\nb"\n"c"'
}

@test "-d/--delimiter: more than one character is a usage error" {
	mqsend -c /q </dev/null
	for d in ab '' '\x' '\xZZ' '\q'; do
		run mqsend -d "$d" /q </dev/null
		assert_failure 2
		assert_output --partial -- --delimiter
	done
}

@test "-w/--whole: all of stdin is one binary message, byte for byte (POSIX)" {
	{ printf '\0start\0\n'; head -c 4000 /dev/urandom; printf '\n\0end\0'; } >in.bin
	# one message: a small charge on the RLIMIT_MSGQUEUE root shares
	run mqsend -c --maxmsg 1 --msgsize 8k --whole /q <in.bin
	assert_success
	mqrecv --raw /q >out.bin
	cmp in.bin out.bin
	run mqrecv --nonblock /q
	assert_failure 4
}

@test "-w/--whole: binary message with NULs round-trips on System V" {
	{ printf '\0\0\377\n'; head -c 3000 /dev/urandom; printf '\0'; } >in.bin
	mqsend -c -w key:0x105 <in.bin
	mqrecv -r key:0x105 >out.bin
	cmp in.bin out.bin
}

@test "-w/--whole: an empty input is one empty message" {
	mqsend -c -w /q </dev/null
	run bash -c 'mqrecv --drain --json /q | jq -c "[.size, .data]"'
	assert_output '[0,""]'
}

# --- priority and type ---------------------------------------------------------

@test "-p/--priority: POSIX delivers highest priority first, FIFO within one" {
	mqsend -c /q low1
	mqsend -p 5 /q high1
	mqsend --priority 3 /q mid
	mqsend -p 5 /q high2
	mqsend -p 32767 /q max
	mqsend /q low2
	run drain_with /q priority
	assert_output $'32767 max\n5 high1\n5 high2\n3 mid\n0 low1\n0 low2'
}

@test "-p/--priority: applies to every message of stdin" {
	mqsend -c /q first
	printf 'x\ny\n' | mqsend -p 9 /q
	run drain_with /q priority
	assert_output $'9 x\n9 y\n0 first'
}

@test "-p/--priority: outside 0..32767 is a usage error" {
	mqsend -c /q </dev/null
	for p in -1 32768 abc 1.5; do
		run mqsend -p "$p" /q x
		assert_failure 2
		assert_output --partial -- --priority
	done
	run mqrecv --nonblock /q
	assert_failure 4
}

@test "-p/--priority on a System V queue is a usage error, nothing sent" {
	mqsend -c key:0x106 </dev/null
	run mqsend -p 3 key:0x106 x
	assert_failure 2
	assert_output --partial priority
	run sysv_count 0x00000106
	assert_output 0
}

@test "-t/--type: System V type, default 1" {
	mqsend -c key:0x107 plain
	mqsend -t 7 key:0x107 seven
	mqsend --type 2147483647 key:0x107 big
	run drain_with key:0x107 type
	assert_output $'1 plain\n7 seven\n2147483647 big'
}

@test "-t/--type below 1 is a usage error; --type on POSIX is a usage error" {
	mqsend -c key:0x108 </dev/null
	for t in 0 -3 x; do
		run mqsend -t "$t" key:0x108 x
		assert_failure 2
		assert_output --partial type
	done
	mqsend -c /q </dev/null
	run mqsend -t 3 /q x
	assert_failure 2
	assert_output --partial type
	run mqrecv --nonblock /q
	assert_failure 4
}

# --- creation -------------------------------------------------------------------

@test "without --create a missing queue exits 3 and suggests --create" {
	run mqsend /absent x
	assert_failure 3
	assert_output --partial /absent
	assert_output --partial -- --create
	[ ! -e "$MQUEUE_DIR/absent" ]
	run mqsend key:0x109 x
	assert_failure 3
	assert_output --partial -- --create
	run ipcs -q
	refute_output --partial 0x00000109
}

@test "-c/--create: created queues are mode 0600 (POSIX)" {
	run mqsend --create /q x
	assert_success
	run stat -c %a "$MQUEUE_DIR/q"
	assert_output 600
}

@test "-c/--create: created queues are mode 0600 (System V, ipcs and lsipc)" {
	run mqsend -c key:0x10a x
	assert_success
	run bash -c "ipcs -q | awk '\$1 == \"0x0000010a\" { print \$4 }'"
	assert_output 600
	run lsipc -q --noheadings --raw -o KEY,PERMS
	assert_line --regexp '^0x0000010a rw-------$'
}

@test "-m/--mode: sets the permissions of a created queue (POSIX)" {
	mqsend -c -m 0640 /a x
	mqsend -c --mode 604 /b x
	run stat -c %a "$MQUEUE_DIR/a" "$MQUEUE_DIR/b"
	assert_output $'640\n604'
}

@test "-m/--mode: exact, not reduced by the umask (as mkdir -m)" {
	umask 077
	mqsend -c -m 0664 /q x
	run stat -c %a "$MQUEUE_DIR/q"
	assert_output 664
}

@test "-m/--mode: sets the permissions of a created queue (System V)" {
	mqsend -c -m 0640 key:0x10b x
	run bash -c "ipcs -q | awk '\$1 == \"0x0000010b\" { print \$4 }'"
	assert_output 640
	run lsipc -q --noheadings --raw -o KEY,PERMS
	assert_line --regexp '^0x0000010b rw-r-----$'
}

@test "-m/--mode: does not change an existing queue" {
	mqsend -c -m 0600 /q x
	mqsend -c -m 0644 /q y
	run stat -c %a "$MQUEUE_DIR/q"
	assert_output 600
}

@test "-x/--exclusive: creates, and fails with exit 1 when the queue exists" {
	local q
	for q in /q key:0x10c; do
		run mqsend -x "$q" first
		assert_success
		run mqsend --exclusive "$q" second
		assert_failure 1
		assert_output --partial exists
		run mqrecv --drain "$q"
		assert_output first
	done
}

@test "--maxmsg: capacity of a created POSIX queue" {
	run mqsend -c --maxmsg 3 /q a b c
	assert_success
	run mqsend --nonblock /q d
	assert_failure 4
	run queued_count /q
	assert_output 3
}

@test "--msgsize: largest message of a created POSIX queue (4k-style sizes)" {
	run mqsend -c --msgsize 16 /q 1234567890123456
	assert_success
	run mqsend /q 12345678901234567
	assert_failure 1
	run mqsend -c --msgsize 1k /k "$(head -c 1024 /dev/zero | tr '\0' x)"
	assert_success
	run mqsend /k "$(head -c 1025 /dev/zero | tr '\0' x)"
	assert_failure 1
	run mqsend -c --msgsize 2KiB /k2 "$(head -c 2048 /dev/zero | tr '\0' x)"
	assert_success
}

@test "--qbytes: capacity in bytes of a created System V queue" {
	run mqsend -c --qbytes 10 key:0x10d 12345
	assert_success
	run ipcs -q -i "$(ipcs -q | awk '$1 == "0x0000010d" { print $2 }')"
	assert_output --regexp 'qbytes=10([^0-9]|$)'
	run mqsend --nonblock key:0x10d 123456
	assert_failure 4
	run mqsend key:0x10d 12345
	assert_success
	run sysv_count 0x0000010d
	assert_output 2
}

@test "--maxmsg/--msgsize on System V and --qbytes on POSIX are usage errors" {
	run mqsend -c --maxmsg 5 key:0x10e x
	assert_failure 2
	assert_output --partial -- --maxmsg
	run mqsend -c --msgsize 100 key:0x10e x
	assert_failure 2
	assert_output --partial -- --msgsize
	run mqsend -c --qbytes 100 /q x
	assert_failure 2
	assert_output --partial -- --qbytes
	[ ! -e "$MQUEUE_DIR/q" ]
	run ipcs -q
	refute_output --partial 0x0000010e
}

@test "attribute over a limit: --maxmsg names msg_max and its /proc/sys file" {
	# over the kernel's hard limit (65536) whoever asks: that limit or msg_max is named
	run mqsend -c --maxmsg 100000 /q x
	assert_failure 1
	[[ $output == */proc/sys/fs/mqueue/msg_max* || $output == *65536* ]]
	[ ! -e "$MQUEUE_DIR/q" ]
	# over the namespace's msg_max without CAP_SYS_RESOURCE
	ns sh -c 'echo 5 >/proc/sys/fs/mqueue/msg_max'
	run ns setpriv --bounding-set -sys_resource "$MQTOOLS_BUILDDIR/mqsend" -c --maxmsg 6 /q x
	assert_failure 1
	assert_output --partial /proc/sys/fs/mqueue/msg_max
	assert_output_number 5
}

@test "attribute over a limit: --msgsize names msgsize_max and its /proc/sys file" {
	run mqsend -c --msgsize 64M /q x
	assert_failure 1
	[[ $output == */proc/sys/fs/mqueue/msgsize_max* || $output == *16777216* ]]
	[ ! -e "$MQUEUE_DIR/q" ]
	ns sh -c 'echo 1024 >/proc/sys/fs/mqueue/msgsize_max'
	run ns setpriv --bounding-set -sys_resource "$MQTOOLS_BUILDDIR/mqsend" -c --msgsize 2k /q x
	assert_failure 1
	assert_output --partial /proc/sys/fs/mqueue/msgsize_max
	assert_output_number 1024
}

# Root of a user namespace has CAP_SYS_RESOURCE there, but the kernel checks
# POSIX queue attributes against the initial namespace: msg_max applies.
@test "attribute over a limit, rootless (unshare -r): --maxmsg names msg_max" {
	[ "$(id -u)" = 0 ] || skip "the suite runs rootless itself: the tests above cover this"
	run setpriv --reuid=65534 --regid=65534 --clear-groups unshare -r --ipc --mount sh -c '
		mkdir -p /dev/mqueue && mount -t mqueue mqueue /dev/mqueue || exit 99
		exec "$0" -c --maxmsg 11 /q x' "$MQTOOLS_BIN/mqsend"
	[ "$status" -ne 99 ] || skip "no unprivileged user namespaces here"
	assert_failure 1
	assert_output --partial /proc/sys/fs/mqueue/msg_max
	assert_output_number 10
}

@test "attribute over a limit: --qbytes names msgmnb and its /proc/sys file" {
	ns sh -c 'echo 4096 >/proc/sys/kernel/msgmnb'
	run ns setpriv --bounding-set -sys_resource "$MQTOOLS_BUILDDIR/mqsend" -c --qbytes 8k key:0x10f x
	assert_failure 1
	assert_output --partial /proc/sys/kernel/msgmnb
	assert_output_number 4096
}

# --- size limits: nothing truncated, the error says where -----------------------

@test "too-large argument: all arguments checked first, nothing sent (POSIX)" {
	mqsend -c --msgsize 8 /q </dev/null
	run mqsend /q 1234 12345678 123456789 ok
	assert_failure 1
	assert_output_number 9
	assert_output_number 8
	assert_output --regexp 'argument[^0-9]*3'
	assert_output_number 0
	run --separate-stderr mqrecv --nonblock /q
	assert_failure 4
	assert_output ""
}

@test "too-large argument on System V names msgmax, nothing sent" {
	mqsend -c key:0x110 </dev/null
	ns sh -c 'echo 100 >/proc/sys/kernel/msgmax'
	local big
	big=$(head -c 101 /dev/zero | tr '\0' b)
	run mqsend key:0x110 small "$big"
	assert_failure 1
	assert_output_number 101
	assert_output_number 100
	assert_output --regexp 'argument[^0-9]*2'
	run sysv_count 0x00000110
	assert_output 0
}

@test "too-large input record: names record and count sent before; queue holds exactly those (POSIX)" {
	mqsend -c --msgsize 8 /q </dev/null
	run --separate-stderr mqsend --dead-letter dead /q < <(printf 'one\ntwo\n123456789012\nfour\n')
	# it, and the record read after it, not sent, went to the dead letter
	assert_failure 5
	output=$stderr
	assert_output_number 12
	assert_output_number 8
	assert_output --regexp 'record[^0-9]*3'
	assert_output_number 2
	assert_output --partial '2 records read from standard input were not sent'
	run jq -r .data dead
	assert_output $'123456789012\nfour'
	run mqrecv --drain /q
	assert_success
	assert_output $'one\ntwo'
}

@test "too-large input record on System V: the queue holds exactly what was sent" {
	mqsend -c key:0x111 </dev/null
	ns sh -c 'echo 64 >/proc/sys/kernel/msgmax'
	run mqsend -0 key:0x111 < <(printf 'a\0b\0c\0'; head -c 65 /dev/zero | tr '\0' z; printf '\0d\0')
	assert_failure 5 # d, read after it: to the dead letter
	assert_line '{"queue":"key:0x00000111","type":1,"size":1,"encoding":"text","data":"d"}'
	assert_output_number 65
	assert_output_number 64
	assert_output --regexp 'record[^0-9]*4'
	assert_output_number 3
	run mqrecv --drain key:0x111
	assert_output $'a\nb\nc'
}

@test "too-large --whole input: error with its size, nothing sent, the input in the dead letter" {
	mqsend -c --msgsize 100 /q </dev/null
	head -c 101 /dev/zero >in.bin
	run --separate-stderr mqsend -w /q <in.bin
	assert_failure 5
	output=$stderr
	assert_output_number 101
	assert_output_number 100
	run mqrecv --nonblock /q
	assert_failure 4
	# the dead letter (standard error here) holds it whole, as base64
	run bash -c 'grep "^{" | jq -r "select(.size == 101) | .data"' <<<"$stderr"
	assert_success
	cmp <(base64 -d <<<"$output") in.bin
}

@test "a record over the queue's limit, and longer than mqsend holds, goes to the dead letter as it is read, and replays" {
	mqsend -c --msgsize 16 /q </dev/null
	# over a 64 KiB read without its end: passed on as it is read; and a
	# queue that can take it, charged to an account of its own (the
	# machine's root processes share root's RLIMIT_MSGQUEUE)
	ns sh -c 'echo 200000 >/proc/sys/fs/mqueue/msgsize_max'
	with_own_mq_charge mqsend -c --maxmsg 2 --msgsize 200000 /big </dev/null
	{ echo first; head -c 120000 /dev/urandom | base64 -w0; echo; echo after; } >in
	run --separate-stderr mqsend --dead-letter dead /q <in
	assert_failure 5
	output=$stderr
	assert_output --partial "input record 2 is 160000 bytes, over the queue's limit of 16 bytes"
	assert_output --partial "input record 2 was written to dead as it was read"
	run jq -r '"\(.size) \(.encoding)"' dead
	assert_output $'160000 base64\n5 text'
	run mqrecv --drain /q
	assert_output first
	# the line replays, whole, to a queue that can take it
	mqsend --json /big <dead
	mqrecv --drain /big >out
	cmp out <(sed -n '2,3p' in)
}

# --- full queues: blocking, --nonblock, --timeout ---------------------------------

@test "blocks while the POSIX queue is full, then sends when there is room" {
	mqsend -c --maxmsg 1 /q first
	start_bg mqsend /q second
	local pid=$BG_PID
	wait_blocked "$pid" mqsend
	run mqrecv /q
	assert_output first
	wait "$pid"
	run mqrecv --nonblock /q
	assert_success
	assert_output second
}

@test "blocks while the System V queue is full, then sends when there is room" {
	mqsend -c --qbytes 5 key:0x112 12345
	start_bg mqsend key:0x112 abcde
	local pid=$BG_PID
	wait_blocked "$pid" mqsend
	run mqrecv key:0x112
	assert_output 12345
	wait "$pid"
	run mqrecv --nonblock key:0x112
	assert_output abcde
}

@test "--nonblock: a full queue exits 4 at once; what was sent stays sent (POSIX)" {
	mqsend -c --maxmsg 2 /q </dev/null
	run mqsend --nonblock /q a b c d
	assert_failure 4
	run mqrecv --drain /q
	assert_output $'a\nb'
}

@test "--nonblock: a full queue exits 4 at once (System V, stdin); what was read is not lost" {
	mqsend -c --qbytes 4 key:0x113 </dev/null
	run mqsend --nonblock key:0x113 < <(printf 'ab\ncd\nef\n')
	# ef was read and could not be sent: the dead letter has it (exit 5)
	assert_failure 5
	assert_output --partial 'full'
	assert_line '{"queue":"key:0x00000113","type":1,"size":2,"encoding":"text","data":"ef"}'
	# arguments are not read: the caller still has them (exit 4)
	run mqsend --nonblock key:0x113 gh
	assert_failure 4
	refute_output --partial '{'
	run mqrecv --drain key:0x113
	assert_output $'ab\ncd'
}

@test "--timeout: gives up with exit 4 on a full POSIX queue (300ms, generous bound)" {
	mqsend -c --maxmsg 1 /q full
	local t0 t1
	t0=$(now_ms)
	run mqsend --timeout 300ms /q more
	t1=$(now_ms)
	assert_failure 4
	[ $((t1 - t0)) -ge 250 ]
	[ $((t1 - t0)) -lt 5000 ]
	run mqrecv --drain /q
	assert_output full
}

@test "--timeout: gives up with exit 4 on a full System V queue (300ms, generous bound)" {
	mqsend -c --qbytes 4 key:0x114 full
	local t0 t1
	t0=$(now_ms)
	run mqsend -T 0.3s key:0x114 more
	t1=$(now_ms)
	assert_failure 4
	[ $((t1 - t0)) -ge 250 ]
	[ $((t1 - t0)) -lt 5000 ]
	run mqrecv --drain key:0x114
	assert_output full
}

@test "--timeout: accepts 500ms, 2s, 1.5s, 1m, 1h and bare seconds; rejects junk" {
	mqsend -c /q </dev/null
	for d in 500ms 2s 1.5s 1m 1h 3 0.25; do
		run mqsend --timeout "$d" /q "$d"
		assert_success
	done
	for d in x 5parsecs -1s ''; do
		run mqsend --timeout "$d" /q x
		assert_failure 2
		assert_output --partial -- --timeout
	done
	run queued_count /q
	assert_output 7
}

@test "--timeout: a wait that ends in time succeeds" {
	mqsend -c --maxmsg 1 /q first
	start_bg mqsend -T 10s /q second
	local pid=$BG_PID
	wait_blocked "$pid" mqsend
	mqrecv /q >/dev/null
	wait "$pid"
	run mqrecv /q
	assert_output second
}

# --- signals -----------------------------------------------------------------------

@test "SIGTERM while waiting for room ends mqsend cleanly, nothing half-sent" {
	mqsend -c --maxmsg 1 /q first
	start_bg mqsend /q second
	local pid=$BG_PID
	wait_blocked "$pid" mqsend
	kill -TERM "$pid"
	wait_status "$pid"
	assert_equal "$status" 1
	run mqrecv --drain /q
	assert_output first
}

@test "SIGINT while waiting for room on System V ends mqsend cleanly" {
	mqsend -c --qbytes 3 key:0x115 abc
	start_bg mqsend key:0x115 def
	local pid=$BG_PID
	wait_blocked "$pid" mqsend
	kill -INT "$pid"
	wait_status "$pid"
	assert_equal "$status" 1
	run mqrecv --drain key:0x115
	assert_output abc
}

# --- streams -----------------------------------------------------------------------

# The producer runs in the background; its status and errors are kept so a
# failure says which side stopped.
stream_through() {
	local q=$1 n=$2
	mqsend -c "$q" </dev/null
	start_bg bash -c "mqsend '$q' <in.txt 2>send.err; echo \$? >send.status"
	local pid=$BG_PID
	run -0 bash -c "timeout 60 mqrecv -n $n '$q' >out.txt"
	wait "$pid"
	assert_equal "$(cat send.status) $(cat send.err)" "0 "
	assert_equal "$(wc -l <out.txt)" "$n"
	assert_equal "$(sha256sum <out.txt)" "$(sha256sum <in.txt)"
	run --separate-stderr mqrecv --nonblock "$q"
	assert_failure 4
}

@test "stream: 200k lines (multi-megabyte) through mqsend while mqrecv reads (POSIX)" {
	seq -f 'line %012g of a long stream' 1 200000 >in.txt
	[ "$(stat -c %s in.txt)" -gt 5000000 ]
	stream_through /q 200000
}

@test "stream: 100k lines through a System V queue while mqrecv reads" {
	seq -f 'sysv line %09g' 1 100000 >in.txt
	stream_through key:0x116 100000
}

@test "stream: mqsend's memory does not grow with the input" {
	# GNU time gives the peak RSS; it is in the project's package list
	[ -x /usr/bin/time ] || fail "/usr/bin/time not found: install the package 'time' (listed in .ci/debian-packages)"
	mqsend -c /q </dev/null
	# 100 MB of input, drained concurrently; mqsend's peak RSS stays far below it
	start_bg bash -c 'mqrecv -f /q >/dev/null'
	run bash -c 'head -c 100000000 /dev/zero | tr "\0" a | fold -w 1000 | /usr/bin/time -f "%M" mqsend /q 2>&1 >/dev/null'
	assert_success
	[[ ${lines[-1]} =~ ^[0-9]+$ ]] || fail "no peak RSS from /usr/bin/time: $output"
	[ "${lines[-1]}" -lt 50000 ] || fail "mqsend's peak RSS was ${lines[-1]} KiB for 100 MB of input"
}
