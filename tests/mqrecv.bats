#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqrecv: every option on both kinds of queue, against real kernel queues.

load helper

setup() {
	require_tool mqsend mqrecv
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

# --- how many ---------------------------------------------------------------

@test "default: one message, then a newline; the rest stays queued (both kinds)" {
	local q
	for q in /q key:0x200; do
		mqsend -c "$q" first second
		run mqrecv "$q"
		assert_success
		assert_output first
		run mqrecv "$q"
		assert_output second
	done
	mqsend /q x
	mqrecv /q >out
	[ "$(od -An -c out | tr -s ' ')" = " x \n" ]
}

@test "-n/--count N receives N messages (both kinds)" {
	local q
	for q in /q key:0x201; do
		mqsend -c "$q" 1 2 3 4 5
		run mqrecv -n 3 "$q"
		assert_success
		assert_output $'1\n2\n3'
		run mqrecv --count 2 "$q"
		assert_output $'4\n5'
	done
}

@test "-n: bad counts are usage errors" {
	mqsend -c /q x
	for n in -1 x 1.5; do
		run mqrecv -n "$n" /q
		assert_failure 2
		assert_output --partial -- --count
	done
}

@test "-n waits for messages that come later" {
	mqsend -c /q early
	start_bg bash -c 'mqrecv -n 3 /q >out'
	local pid=$BG_PID
	sleep 0.2
	mqsend /q middle late
	wait "$pid"
	run cat out
	assert_output $'early\nmiddle\nlate'
}

@test "--drain: takes what is queued now and exits 0 (both kinds)" {
	local q
	for q in /q key:0x202; do
		mqsend -c "$q" a b c
		run mqrecv --drain "$q"
		assert_success
		assert_output $'a\nb\nc'
		run mqrecv --nonblock "$q"
		assert_failure 4
	done
}

@test "--drain: an empty queue is success with no output (both kinds)" {
	local q
	for q in /q key:0x203; do
		mqsend -c "$q" </dev/null
		run mqrecv --drain "$q"
		assert_success
		assert_output ""
	done
}

@test "-f/--follow: receives until SIGTERM, then exits 0 with everything written" {
	mqsend -c /q before
	start_bg bash -c 'exec mqrecv -f /q >out'
	local pid=$BG_PID
	mqsend /q one two
	wait_until grep -q 'QSIZE:0 ' "$MQUEUE_DIR/q"
	wait_blocked "$pid" mqrecv
	mqsend /q three
	wait_until grep -q 'QSIZE:0 ' "$MQUEUE_DIR/q"
	wait_blocked "$pid" mqrecv
	kill -TERM "$pid"
	wait_status "$pid"
	assert_equal "$status" 0
	run cat out
	assert_output $'before\none\ntwo\nthree'
}

@test "-f/--follow: SIGINT ends it with exit 0 (System V)" {
	mqsend -c key:0x204 a b
	start_bg bash -c 'exec mqrecv --follow key:0x204 >out'
	local pid=$BG_PID
	wait_until sysv_empty_key 0x00000204
	wait_blocked "$pid" mqrecv
	kill -INT "$pid"
	wait_status "$pid"
	assert_equal "$status" 0
	run cat out
	assert_output $'a\nb'
}

# --- queue removed while waiting ----------------------------------------------

@test "removed while waiting: POSIX rm of /dev/mqueue/NAME ends mqrecv with exit 3" {
	mqsend -c /q </dev/null
	start_bg mqrecv /q
	local pid=$BG_PID
	wait_blocked "$pid" mqrecv
	ns rm /dev/mqueue/q
	local t0
	t0=$(now_ms)
	wait_status "$pid"
	assert_equal "$status" 3
	[ $(($(now_ms) - t0)) -lt 5000 ]
}

@test "removed while waiting: System V ipcrm ends mqrecv with exit 3" {
	mqsend -c key:0x205 </dev/null
	start_bg mqrecv key:0x205
	local pid=$BG_PID
	wait_blocked "$pid" mqrecv
	ipcrm -Q 0x205
	wait_status "$pid"
	assert_equal "$status" 3
}

@test "removed while following: exit 0 with what was received (both kinds)" {
	mqsend -c /q one
	start_bg bash -c 'exec mqrecv -f /q >out.posix'
	local pid=$BG_PID
	wait_until grep -q QSIZE:0 "$MQUEUE_DIR/q"
	wait_blocked "$pid" mqrecv
	ns rm /dev/mqueue/q
	wait_status "$pid"
	assert_equal "$status" 0
	run cat out.posix
	assert_output one

	mqsend -c key:0x206 two
	start_bg bash -c 'exec mqrecv -f key:0x206 >out.sysv'
	pid=$BG_PID
	wait_until sysv_empty_key 0x00000206
	wait_blocked "$pid" mqrecv
	ipcrm -Q 0x206
	wait_status "$pid"
	assert_equal "$status" 0
	run cat out.sysv
	assert_output two
}

# --- signals ---------------------------------------------------------------------

@test "SIGTERM or SIGINT while waiting (no --follow): exit 1, promptly (both kinds)" {
	local q sig
	mqsend -c /q </dev/null
	mqsend -c key:0x207 </dev/null
	for q in /q key:0x207; do
		for sig in TERM INT; do
			start_bg mqrecv "$q"
			local pid=$BG_PID
			wait_blocked "$pid" mqrecv
			kill -"$sig" "$pid"
			wait_status "$pid"
			assert_equal "$status" 1
		done
	done
}

# --- System V selection ------------------------------------------------------------

send_types() {
	mqsend -c -t 3 key:0x210 t3a
	mqsend -t 1 key:0x210 t1a
	mqsend -t 2 key:0x210 t2a
	mqsend -t 1 key:0x210 t1b
	mqsend -t 5 key:0x210 t5a
}

@test "-t 0: any type, oldest first" {
	send_types
	run mqrecv -t 0 -n 5 key:0x210
	assert_output $'t3a\nt1a\nt2a\nt1b\nt5a'
}

@test "-t N: exactly type N, the others stay in order" {
	send_types
	run mqrecv -t 1 -n 2 key:0x210
	assert_output $'t1a\nt1b'
	run mqrecv --type 2 key:0x210
	assert_output t2a
	run mqrecv --drain key:0x210
	assert_output $'t3a\nt5a'
}

@test "-t -N: the lowest type <= N first" {
	send_types
	run mqrecv -t -3 -n 4 key:0x210
	assert_output $'t1a\nt1b\nt2a\nt3a'
	run mqrecv -t -4 --nonblock key:0x210
	assert_failure 4
	run mqrecv --drain key:0x210
	assert_output t5a
}

@test "-e/--except: any type except N" {
	send_types
	run mqrecv -t 1 --except -n 3 key:0x210
	assert_output $'t3a\nt2a\nt5a'
	run mqrecv -t 1 -e --nonblock key:0x210
	assert_failure 4
	run mqrecv --drain key:0x210
	assert_output $'t1a\nt1b'
}

@test "-t with --drain takes only matching messages" {
	send_types
	run mqrecv --drain -t 1 key:0x210
	assert_success
	assert_output $'t1a\nt1b'
	run mqrecv --drain key:0x210
	assert_output $'t3a\nt2a\nt5a'
}

@test "--except needs -t N > 0; -t/--except/--peek on POSIX are usage errors" {
	send_types
	run mqrecv --except key:0x210
	assert_failure 2
	assert_output --partial except
	run mqrecv --except -t -2 key:0x210
	assert_failure 2
	mqsend -c /q x
	run mqrecv -t 1 /q
	assert_failure 2
	assert_output --partial type
	run mqrecv --peek /q
	assert_failure 2
	assert_output --partial peek
	run mqrecv --drain /q
	assert_output x
}

@test "-t: bad values are usage errors" {
	send_types
	run mqrecv -t x key:0x210
	assert_failure 2
	assert_output --partial -- --type
}

# --- peek ---------------------------------------------------------------------------------

@test "--peek: shows the oldest message without removing it" {
	send_types
	run mqrecv --peek key:0x210
	assert_success
	assert_output t3a
	run sysv_count 0x00000210
	assert_output 5
	run mqrecv --peek -n 3 key:0x210
	assert_output $'t3a\nt1a\nt2a'
	run mqrecv --peek --drain key:0x210
	assert_output $'t3a\nt1a\nt2a\nt1b\nt5a'
	run sysv_count 0x00000210
	assert_output 5
}

@test "--peek: -t and --except filter, in queue order" {
	send_types
	run mqrecv --peek --drain -t 1 key:0x210
	assert_output $'t1a\nt1b'
	run mqrecv --peek --drain -t 1 --except key:0x210
	assert_output $'t3a\nt2a\nt5a'
	run mqrecv --peek --drain -t -2 key:0x210
	assert_output $'t1a\nt2a\nt1b'
	run sysv_count 0x00000210
	assert_output 5
}

@test "--peek: an empty queue with --drain is success; --peek --json shows types" {
	mqsend -c key:0x211 </dev/null
	run mqrecv --peek --drain key:0x211
	assert_success
	assert_output ""
	mqsend -t 4 key:0x211 four
	run bash -c 'mqrecv --peek --json key:0x211 | jq -c "[.type, .data]"'
	assert_output '[4,"four"]'
}

# --- output formats -------------------------------------------------------------------

@test "-0/--null: NUL after each message (both kinds)" {
	local q
	for q in /q key:0x212; do
		mqsend -c "$q" a 'b c' ''
		mqrecv -0 -n 3 "$q" >out
		printf 'a\0b c\0\0' >want
		cmp out want
	done
}

@test "-r/--raw: message bytes only (both kinds)" {
	local q
	for q in /q key:0x213; do
		mqsend -c "$q" ab cd
		mqrecv --raw -n 2 "$q" >out
		printf 'abcd' >want
		cmp out want
	done
}

@test "binary data with NUL bytes round-trips byte for byte (--whole + --raw, both kinds)" {
	local q
	head -c 8000 /dev/urandom >rand
	{ printf '\0\0\n\r\033'; cat rand; printf '\0'; } >in.bin
	mqsend -c --msgsize 8k /q </dev/null
	for q in /q key:0x214; do
		mqsend -c -w "$q" <in.bin
		mqrecv -r "$q" >out.bin
		cmp in.bin out.bin
	done
}

@test "--json: POSIX object with queue, priority, size, encoding and data" {
	mqsend -c -p 3 /q hello
	run mqrecv --json /q
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	run jq -cS . <<<"$output"
	assert_success
	assert_output '{"data":"hello","encoding":"text","priority":3,"queue":"/q","size":5}'
}

@test "--json: System V object has type and no priority" {
	mqsend -c -t 7 key:0x1234 hello
	run mqrecv -j key:0x1234
	assert_success
	run jq -c '[.type, .size, .encoding, .data, has("priority")]' <<<"$output"
	assert_output '[7,5,"text","hello",false]'
	run jq -r .queue <<<"$(mqsend key:0x1234 x && mqrecv -j key:0x1234)"
	assert_output --regexp '^key:0x0*1234$'
}

@test "--json: quotes, backslashes, control characters and UTF-8 stay text and exact" {
	local msg=$'say "hi"\\ \t\x01\x1b é 日本 \U1F600'
	mqsend -c /q "$msg"
	mqrecv --json /q >out.json
	run jq -r .encoding out.json
	assert_output text
	run jq -j .data out.json
	[ "$output" = "$msg" ]
	run jq .size out.json
	assert_output "$(printf '%s' "$msg" | wc -c)"
}

@test "--json: data not valid UTF-8 is base64 with encoding base64 (both kinds)" {
	local q
	printf '\377\376\0abc\0\300\200' >in.bin
	for q in /q key:0x215; do
		mqsend -c -w "$q" <in.bin
		mqrecv --json "$q" >out.json
		run jq -r .encoding out.json
		assert_output base64
		run jq .size out.json
		assert_output 9
		jq -r .data out.json | base64 -d >out.bin
		cmp in.bin out.bin
	done
}

@test "--json: one valid object per line for many messages; -n and --drain" {
	mqsend -c /q a b c
	mqsend -p 2 /q z
	mqrecv --json --drain /q >out.json
	run jq -s -c 'map([.priority, .data])' out.json
	assert_success
	assert_output '[[2,"z"],[0,"a"],[0,"b"],[0,"c"]]'
	[ "$(wc -l <out.json)" -eq 4 ]
}

@test "terminal: non-printable bytes are shown escaped; a pipe gets the raw bytes" {
	mqsend -c /q $'a\x1bb\tc\\d\x01e\nf'
	mqsend /q $'a\x1bb\tc\\d\x01e\nf'
	run script -qec 'mqrecv /q' /dev/null
	assert_success
	[ "${output%$'\r'}" = 'a\033b\tc\\d\001e\nf' ] || fail "terminal got: $(printf '%q' "$output")"
	mqrecv /q >out
	printf 'a\033b\tc\\d\001e\nf\n' >want
	cmp out want
}

@test "terminal: printable text, UTF-8 (in a UTF-8 locale) and the separator shown as they are" {
	mqsend -c /q 'plain text' 'é ok'
	run script -qec 'LC_ALL=C.UTF-8 mqrecv -n 2 /q' /dev/null
	assert_success
	assert_output $'plain text\r\né ok\r'
}

# --- empty queues: --nonblock and --timeout --------------------------------------------

@test "--nonblock: an empty queue exits 4 at once (both kinds)" {
	local q t0
	for q in /q key:0x216; do
		mqsend -c "$q" </dev/null
		t0=$(now_ms)
		run --separate-stderr mqrecv --nonblock "$q"
		assert_failure 4
		assert_output ""
		[ $(($(now_ms) - t0)) -lt 5000 ]
	done
}

@test "--nonblock: messages already received are written, then exit 4" {
	local q
	for q in /q key:0x217; do
		mqsend -c "$q" one two
		run --separate-stderr mqrecv --nonblock -n 5 "$q"
		assert_failure 4
		assert_output $'one\ntwo'
	done
}

@test "--timeout: an empty POSIX queue exits 4 after the wait (300ms, generous bound)" {
	mqsend -c /q </dev/null
	local t0 t1
	t0=$(now_ms)
	run mqrecv --timeout 300ms /q
	t1=$(now_ms)
	assert_failure 4
	[ $((t1 - t0)) -ge 250 ]
	[ $((t1 - t0)) -lt 5000 ]
}

@test "--timeout: an empty System V queue exits 4 after the wait (300ms, generous bound)" {
	mqsend -c key:0x218 </dev/null
	local t0 t1
	t0=$(now_ms)
	run mqrecv -T 300ms key:0x218
	t1=$(now_ms)
	assert_failure 4
	[ $((t1 - t0)) -ge 250 ]
	[ $((t1 - t0)) -lt 5000 ]
}

@test "--timeout: bounds each wait; what came in time is written (both kinds)" {
	local q
	for q in /q key:0x219; do
		mqsend -c "$q" one
		run --separate-stderr mqrecv -T 200ms -n 3 "$q"
		assert_failure 4
		assert_output one
	done
}

@test "--timeout with --follow: exits 4 once a wait runs out" {
	mqsend -c /q a
	run --separate-stderr mqrecv -f -T 300ms /q
	assert_failure 4
	assert_output a
}

@test "--timeout in days, up to the kernel's longest (292 years): the wait is kept whole (both kinds)" {
	local q d
	# 25d is past poll(2)'s int of milliseconds; the longest would overflow
	# a deadline that did not saturate (the suite under UBSan sees that)
	for q in /q key:0x21a; do
		for d in 25d 1w2d3h 106751d23h47m16s; do
			mqsend -c "$q" </dev/null
			start_bg mqrecv -n 1 -T "$d" "$q" >"$BATS_TEST_TMPDIR/out"
			wait_blocked "$BG_PID" mqrecv
			mqsend "$q" "$d"
			wait_status "$BG_PID"
			[ "$status" = 0 ]
			[ "$(cat "$BATS_TEST_TMPDIR/out")" = "$d" ]
		done
	done
	run mqrecv -T 106751d23h47m17s /q
	assert_failure 2
	assert_output --partial "'106751d23h47m17s' is longer than the longest duration, 106751d23h47m16s"
}

# --- creation from the receiving side -----------------------------------------------------

@test "missing queue: exit 3 naming it (both kinds)" {
	run mqrecv /nothing
	assert_failure 3
	assert_output --partial /nothing
	assert_output --partial -- --create
	run mqrecv key:0x21a
	assert_failure 3
}

@test "-c/--create, -m/--mode, -x/--exclusive on mqrecv (both kinds)" {
	run mqrecv -c --nonblock /q
	assert_failure 4
	run stat -c %a "$MQUEUE_DIR/q"
	assert_output 600
	run mqrecv --create --mode 0620 --nonblock /m
	assert_failure 4
	run stat -c %a "$MQUEUE_DIR/m"
	assert_output 620
	run mqrecv -x --nonblock /q
	assert_failure 1
	assert_output --partial exists

	run mqrecv -c -m 0640 --nonblock key:0x21b
	assert_failure 4
	run bash -c "ipcs -q | awk '\$1 == \"0x0000021b\" { print \$4 }'"
	assert_output 640
	run mqrecv --exclusive --nonblock key:0x21b
	assert_failure 1
}

@test "--maxmsg, --msgsize, --qbytes when mqrecv creates" {
	run mqrecv -c --maxmsg 2 --msgsize 10 --nonblock /q
	assert_failure 4
	run mqsend --nonblock /q 1234567890 b
	assert_success
	run mqsend --nonblock /q c
	assert_failure 4
	run mqsend --nonblock /q2 12345678901
	assert_failure 3
	mqrecv --drain /q >/dev/null
	run mqsend /q 12345678901
	assert_failure 1
	assert_output_number 11
	assert_output_number 10

	run mqrecv -c --qbytes 6 --nonblock key:0x21c
	assert_failure 4
	run ipcs -q -i "$(ipcs -q | awk '$1 == "0x0000021c" { print $2 }')"
	assert_output --regexp 'qbytes=6([^0-9]|$)'
}

# --- nothing is lost: requeue when output fails ----------------------------------------------

@test "requeue: a reader closed before mqrecv starts takes nothing, POSIX priority order kept" {
	mqsend -c -p 1 /q a
	mqsend -p 5 /q b
	mqsend -p 3 /q c
	mqsend -p 5 /q d
	mqsend -p 0 /q e
	run --separate-stderr run_closed_stdout mqrecv -n 5 /q
	assert_output 1
	[[ $stderr == *"/q"* ]]
	run drain_with /q priority
	assert_output $'5 b\n5 d\n3 c\n1 a\n0 e'
}

@test "requeue: a reader closed before mqrecv starts takes nothing, System V types and order kept" {
	mqsend -c -t 2 key:0x220 a
	mqsend -t 1 key:0x220 b
	mqsend -t 2 key:0x220 c
	mqsend -t 3 key:0x220 d
	run --separate-stderr run_closed_stdout mqrecv --drain key:0x220
	assert_output 1
	run drain_with key:0x220 type
	assert_output $'2 a\n1 b\n2 c\n3 d'
}

@test "requeue: 'mqrecv -n 5 /q | true' with the reader gone first loses nothing" {
	mqsend -c /q 1 2 3 4 5
	# true exits at once; mqrecv starts later, writing into a pipe without reader
	run --separate-stderr bash -c '{ sleep 0.3; mqrecv -n 5 /q; } | true; echo "${PIPESTATUS[0]}"'
	assert_output 1
	run mqrecv --drain /q
	assert_output $'1\n2\n3\n4\n5'
}

@test "requeue: writing to a full disk (ENOSPC) puts every message back (both kinds)" {
	[ -w /dev/full ] || skip "no /dev/full"
	mqsend -c -p 2 /q x
	mqsend -p 9 /q y
	mqsend /q z
	run bash -c 'mqrecv -n 3 /q >/dev/full'
	assert_failure 1
	run bash -c 'mqrecv --drain /q >/dev/full'
	assert_failure 1
	run drain_with /q priority
	assert_output $'9 y\n2 x\n0 z'

	mqsend -c -t 4 key:0x221 p
	mqsend -t 2 key:0x221 q
	run bash -c 'mqrecv --json -n 2 key:0x221 >/dev/full'
	assert_failure 1
	run drain_with key:0x221 type
	assert_output $'4 p\n2 q'
}

@test "requeue: failed output goes back behind what is still queued, which stays untouched (both kinds)" {
	local q
	for q in /q key:0x222; do
		mqsend -c "$q" 1 2 3 4 5 6
		run bash -c "mqrecv -n 2 '$q' >/dev/full"
		assert_failure 1
		run mqrecv --drain "$q"
		assert_output $'3\n4\n5\n6\n1\n2'
	done
}

# --- many at once ------------------------------------------------------------------------------

# 4 producers x 2000 numbered messages, 4 consumers following; every
# message is delivered exactly once.
many_at_once() {
	local q=$1 empty=$2 i
	local -a producers=() consumers=()
	mqsend -c "$q" </dev/null
	for i in 1 2 3 4; do
		start_bg bash -c "exec mqrecv -f '$q' >consumer.$i"
		consumers+=("$BG_PID")
	done
	for i in 1 2 3 4; do
		start_bg bash -c "seq $((i * 100000 + 1)) $((i * 100000 + 2000)) | mqsend '$q'"
		producers+=("$BG_PID")
	done
	for i in "${producers[@]}"; do
		wait "$i"
	done
	wait_until "$empty"
	for i in "${consumers[@]}"; do
		wait_blocked "$i" mqrecv
	done
	kill -TERM "${consumers[@]}"
	for i in "${consumers[@]}"; do
		wait "$i"
	done
	run bash -c 'cat consumer.* | sort -n | uniq -d'
	assert_output ""
	run bash -c 'cat consumer.* | wc -l'
	assert_output 8000
	for i in 1 2 3 4; do
		seq $((i * 100000 + 1)) $((i * 100000 + 2000))
	done >want
	sort -n consumer.* | cmp - want
}

posix_empty() { grep -q 'QSIZE:0 ' "$MQUEUE_DIR/q"; }
sysv_empty() { sysv_empty_key 0x00000230; }

@test "many at once: 4 producers and 4 consumers deliver each message exactly once (POSIX)" {
	many_at_once /q posix_empty
}

@test "many at once: 4 producers and 4 consumers deliver each message exactly once (System V)" {
	many_at_once key:0x230 sysv_empty
}

@test "many at once: consumers with -n share the messages, none twice" {
	mqsend -c /q </dev/null
	local i
	local -a consumers=()
	for i in 1 2 3 4; do
		start_bg bash -c "exec mqrecv -n 500 /q >c.$i"
		consumers+=("$BG_PID")
	done
	seq 1 2000 | mqsend /q
	for i in "${consumers[@]}"; do
		wait "$i"
	done
	run bash -c 'sort -n c.* | uniq | wc -l'
	assert_output 2000
	run bash -c 'cat c.* | wc -l'
	assert_output 2000
}
