#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqsend's framing on the zero-copy path: records are sent where they were
# read, a System V mtype written in the bytes before each one. Many records
# of many sizes, through reads of every size (a pipe) and through the
# buffer's compaction, must arrive whole, in order, with their type.

load helper

setup() {
	require_tool mqsend mqrecv
	NS_MSGSIZE_DEFAULT=8192 ns_setup
}

# LINES lines of lengths 0..4000 varying, each line's bytes naming its number,
# so that a byte clobbered in place (the mtype over a record, or a record
# moved over one not yet sent) changes the output.
make_input() { # FILE LINES DELIM
	awk -v n="$2" -v d="$3" 'BEGIN {
		for (i = 1; i <= n; i++) {
			len = (i * 997) % 4001
			s = sprintf("%d:", i)
			while (length(s) < len) s = s sprintf("%d,", i)
			printf "%s%s", substr(s, 1, len), d == "nul" ? "\0" : "\n"
		}
	}' >"$1"
}

@test "System V: 600 records of 0..4000 bytes sent in place arrive whole, in order, typed (file and pipe)" {
	make_input in.txt 600 nl
	local feed
	for feed in file pipe; do
		mqsend -c --qbytes 16384 key:0x200 </dev/null
		mqrecv -n 600 --json key:0x200 >out.json &
		local pid=$!
		if [ "$feed" = file ]; then
			mqsend -t 7 key:0x200 <in.txt
		else
			cat in.txt | mqsend -t 7 key:0x200
		fi
		wait "$pid"
		run jq -r .data out.json
		assert_success
		diff in.txt <(printf '%s\n' "$output")
		[ "$(jq -s -c 'map(.type) | unique' out.json)" = "[7]" ]
		rm out.json
	done
}

@test "System V and POSIX: NUL-delimited records through the buffer's compaction arrive whole" {
	make_input in.bin 600 nul
	mqsend -c key:0x201 </dev/null
	# small: every POSIX queue counts against RLIMIT_MSGQUEUE machine-wide
	mqsend -c --maxmsg 2 --msgsize 4096 /f </dev/null
	local q
	for q in key:0x201 /f; do
		mqrecv -n 600 -0 "$q" >out.bin &
		local pid=$!
		mqsend -0 "$q" <in.bin
		wait "$pid"
		cmp in.bin out.bin
	done
}
