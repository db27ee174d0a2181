#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqstat's System V sources: with msg_qbytes wanted (CAPACITY, FILL,
# MSGSIZE) the MSG_STAT_ANY slot walk; without, /proc/sysvipc/msg; where
# the kernel lacks MSG_STAT_ANY, /proc plus an msgctl per queue; with
# neither, a MSG_STAT walk. Each must give the same rows.

load helper

setup() {
	require_tool mqstat mqsend
	ns_setup
	mqsend -c key:0x70 a
	mqsend -c -m 0600 --qbytes 4096 key:0x71 secret data
	mqsend -c -m 0644 key:0x72
	ns python3 -c '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
os.setgid(65534); os.setuid(65534)
assert libc.msgget(0x73, 0o1600) >= 0  # owned by nobody, unreadable to others' 3>&-
}

# Run mqstat ARGS... in the namespace as WHO (root or nobody), as on a
# kernel without MSG_STAT_ANY: a seccomp filter fails msgctl(MSG_STAT_ANY)
# with EINVAL, which is what such a kernel answers.
mqstat_without_stat_any() { # WHO ARGS...
	local who=$1
	shift
	ns python3 - "$who" "$MQTOOLS_BIN/mqstat" "$@" 3>&- <<-'PY'
		import ctypes, os, struct, sys
		arch = {"x86_64": (0xC000003E, 71), "aarch64": (0xC00000B7, 187)}.get(os.uname().machine)
		if arch is None:
		    sys.exit(77)
		if sys.argv[1] == "nobody":
		    os.setgid(65534); os.setuid(65534)
		audit, nr = arch
		prog = [(0x20, 0, 0, 4), (0x15, 0, 6, audit), (0x20, 0, 0, 0), (0x15, 0, 4, nr),
		        (0x20, 0, 0, 24), (0x54, 0, 0, 0xff), (0x15, 0, 1, 13),  # MSG_STAT_ANY
		        (0x06, 0, 0, 0x00050000 | 22), (0x06, 0, 0, 0x7fff0000)]
		raw = b"".join(struct.pack("HBBI", *i) for i in prog)
		buf = ctypes.create_string_buffer(raw)
		fprog = struct.pack("HP", len(prog), ctypes.addressof(buf))
		libc = ctypes.CDLL(None, use_errno=True)
		assert libc.prctl(38, 1, 0, 0, 0) == 0  # PR_SET_NO_NEW_PRIVS
		assert libc.prctl(22, 2, ctypes.create_string_buffer(fprog)) == 0  # SECCOMP_MODE_FILTER
		os.execv(sys.argv[2], sys.argv[2:])
	PY
}

as_who() { # WHO: the setpriv prefix for WHO
	[ "$1" = root ] || echo setpriv --reuid=65534 --regid=65534 --clear-groups
}

COLUMNS_QBYTES=NAME,KEY,ID,OWNER,GROUP,CUSER,CGROUP,PERMS,MSGS,USED,CAPACITY,FILL,MSGSIZE,LSPID,LRPID
COLUMNS_PROC=NAME,KEY,ID,OWNER,GROUP,CUSER,CGROUP,PERMS,MSGS,USED,LSPID,LRPID

@test "without msg_qbytes: /proc/sysvipc/msg and the slot walk give the same rows" {
	local who
	for who in root nobody; do
		run ns $(as_who $who) "$MQTOOLS_BIN/mqstat" --sysv -J -o "$COLUMNS_PROC"
		assert_success
		local from_proc=$output
		[ "$(jq '.queues | length' <<<"$from_proc")" = 4 ]
		ns mount -t tmpfs none /proc/sysvipc
		run ns $(as_who $who) "$MQTOOLS_BIN/mqstat" --sysv -J -o "$COLUMNS_PROC"
		ns umount /proc/sysvipc
		assert_success
		[ "$output" = "$from_proc" ]
	done
}

@test "no MSG_STAT_ANY: /proc plus msgctl gives the slot walk's rows; every queue listed, even unreadable" {
	run ns "$MQTOOLS_BIN/mqstat" --sysv -J -o "$COLUMNS_QBYTES"
	assert_success
	local walk=$output
	run jq -c '[.queues[] | .capacity]' <<<"$walk"
	assert_output '[16384,4096,16384,16384]'
	run mqstat_without_stat_any root --sysv -J -o "$COLUMNS_QBYTES"
	[ "$status" -ne 77 ] || skip "no seccomp filter for $(uname -m) here"
	assert_success
	[ "$output" = "$walk" ]
	# as nobody: the queues it may not read are still listed (from /proc),
	# their capacity unknown rather than guessed
	run mqstat_without_stat_any nobody --sysv -J -o "$COLUMNS_QBYTES"
	assert_success
	run jq -c '[.queues[] | [.name, .capacity]]' <<<"$output"
	assert_output '[["key:0x00000070",null],["key:0x00000071",null],["key:0x00000072",16384],["key:0x00000073",16384]]'
}

@test "no MSG_STAT_ANY and no /proc/sysvipc: the MSG_STAT walk shows the queues the caller may read" {
	ns mount -t tmpfs none /proc/sysvipc
	run mqstat_without_stat_any nobody --sysv --noheadings -r -o NAME,CAPACITY -b
	[ "$status" -ne 77 ] || skip "no seccomp filter for $(uname -m) here"
	assert_success
	assert_output $'key:0x00000072 16384\nkey:0x00000073 16384'
}
