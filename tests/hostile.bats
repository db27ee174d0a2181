#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile.bats - input made to hurt: terminal escape sequences in messages
# (shown escaped on a terminal), over-long names, keys and numbers (refused
# cleanly, with a short message), and a flood of garbage commands at an
# mqled controller (it stays responsive).

load helper

# Run mqrecv ARGS... on a pseudo-terminal in the test's namespace, in a
# UTF-8 locale; its output (as the terminal got it) in pty.out.
mqrecv_on_pty() {
	local cmd="LANG=C.UTF-8 LC_ALL=C.UTF-8 '$MQTOOLS_BUILDDIR/mqrecv'" a
	for a; do cmd+=" '$a'"; done
	ns script -qec "$cmd" /dev/null >pty.out </dev/null
}

# No byte in FILE a terminal acts on but CR and LF: C0 controls, DEL, and
# the C1 controls U+0080..U+009F, raw or in UTF-8.
terminal_safe() {
	! LC_ALL=C grep -qaP '[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"
}

@test "hostile: escape sequences in messages are shown escaped on a terminal (both kinds)" {
	require_tool mqsend mqrecv
	local clear=$'\e[2J\e[H' title=$'\e]0;owned\a' csi8=$'\xc2\x9b31m' garble=$'\xe1\xad\x9b\x9b31m'
	local bidi=$'\u202e\u2066\u200f\u061c'
	for q in /h key:0x4801; do
		local make=(-c)
		[[ $q == /* ]] && make+=(--maxmsg 8 --msgsize 64)
		mqsend "${make[@]}" "$q" "a${clear}b" "c${title}d" "e${csi8}f" "g${garble}h" $'i\rj\bk' "l${bidi}m" 'é ok'
		mqrecv_on_pty -n 7 "$q"
		terminal_safe pty.out || fail "raw control bytes reached the terminal: $(od -c pty.out | head)"
		run tr -d '\r' <pty.out
		assert_line --index 0 'a\033[2J\033[Hb'
		assert_line --index 1 'c\033]0;owned\ad'
		# each byte of a character escaped on its own: strunvis gives it back
		assert_line --index 2 'e\302\23331mf'
		assert_line --index 4 'i\rj\bk'
		# the bidirectional controls too, in a UTF-8 locale; other text as it is
		assert_line --index 5 'l\342\200\256\342\201\246\342\200\217\330\234m'
		assert_line --index 6 'é ok'
		! grep -qaP '\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c' pty.out
	done
}

@test "hostile: escaping applies to a terminal only; a pipe gets the bytes as they are" {
	require_tool mqsend mqrecv
	mqsend -c --maxmsg 4 --msgsize 64 /h $'x\e[2Jy'
	run mqrecv /h
	assert_output $'x\e[2Jy'
}

@test "hostile: over-long names, keys and numbers are usage errors with a short message" {
	require_tool mqsend mqrecv
	local long
	long=$(printf 'a%.0s' {1..300})
	run mqsend "/$long" x
	assert_failure 2
	assert_output --partial 'NAME_MAX'
	run mqsend "/$(printf 'b%.0s' {1..100000})" x
	assert_failure 2
	# the error names the limit and lists the address forms (~530 bytes)
	[ "${#output}" -lt 1000 ] || fail "a 100 kB name was echoed back: ${#output} bytes"
	run mqsend "ftok:/$(printf 'c%.0s' {1..5000})" x
	assert_failure 2
	[ "${#output}" -lt 1000 ]
	for a in key:0x100000000 key:99999999999999999999999 id:2147483648 id:-1 key:-5 'key: 5' key:5x; do
		run mqsend "$a" x
		assert_failure 2
		[ "${#output}" -lt 1000 ]
	done
	mqsend -c --maxmsg 4 --msgsize 64 /n </dev/null
	for opt in "-p 32768" "-p -1" "-p 99999999999999999999999" "-p 0x10" "-T 99999999999999999999s" \
		"-T 106752d" "-T 1e3" "-T -1" "--maxmsg 99999999999999" "-m 07777" "-m 99999999999"; do
		# shellcheck disable=SC2086
		run mqsend $opt /n x
		assert_failure 2
		assert_output --partial 'invalid'
	done
	for opt in "-n 0" "-n 99999999999999999999999" "-n 1x"; do
		# shellcheck disable=SC2086
		run mqrecv $opt /n
		assert_failure 2
	done
	run mqrecv --drain /n
	assert_output ''
}

@test "hostile: JSON on a terminal carries C1 and bidirectional controls as \\u escapes" {
	require_tool mqsend mqrecv
	mqsend -c key:0x4802 $'a\u009b31m\u202eb'
	mqrecv_on_pty -j key:0x4802
	terminal_safe pty.out || fail "raw C1 reached the terminal: $(od -c pty.out | head)"
	grep -qF '"data":"a\u009b31m\u202eb"' pty.out || fail "$(cat pty.out)"
	run jq -r .data <(tr -d '\r' <pty.out)
	assert_output $'a\u009b31m\u202eb'
}

@test "hostile: -d takes exactly \\xHH, two hex digits" {
	require_tool mqsend
	for d in '\x-1' '\x 1' '\x4' '\x123' '\xg0' '\x+f'; do
		run mqsend -c --maxmsg 4 --msgsize 64 -d "$d" /d </dev/null
		assert_failure 2
		assert_output --partial "invalid --delimiter value"
	done
	printf 'a;b' | mqsend -c --maxmsg 4 --msgsize 64 -d '\x3b' /d
	run mqrecv --drain /d
	assert_output $'a\nb'
}

@test "hostile: mqled run survives a flood of garbage commands and stays responsive" {
	require_tool mqsend mqled
	start_bg bash -c 'exec mqled run --console >out 2>log'
	local ctl=$BG_PID
	wait_until bash -c 'mqled -T 1s status >/dev/null 2>&1'
	# 3000 garbage messages: random bytes of random lengths, escapes, NULs,
	# near-commands, over-long lines
	python3 - <<-'EOF' >flood.bin
		import random, sys
		random.seed(5)
		words = [b"on", b"off", b"toggle", b"blink", b"status", b"stop", b"reply=", b"\x1b[2J", b"\x00", b"\xff\xfe"]
		out = []
		for i in range(3000):
		    if i % 3 == 0:
		        m = bytes(random.randrange(1, 256) for _ in range(random.randrange(0, 300)))
		    else:
		        m = b" ".join(random.choice(words) + str(random.randrange(-2**40, 2**40)).encode() for _ in range(random.randrange(1, 6)))
		    m = m.replace(b"stop", b"stpo")
		    out.append(m.replace(b"\x00", b"\x01"))
		sys.stdout.buffer.write(b"\x00".join(out) + b"\x00")
	EOF
	run mqsend -0 /mqled <flood.bin
	# the queue may refuse messages over its size: that is mqsend's error, fine
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
	run mqled -T 5s on
	assert_success
	run mqled -T 5s status
	assert_line --index 0 'LED: on'
	kill -0 "$ctl"
	mqled stop
	local st=0
	wait "$ctl" || st=$?
	[ "$st" -eq 0 ]
	terminal_safe log || fail "the log holds raw control bytes from the flood"
}
