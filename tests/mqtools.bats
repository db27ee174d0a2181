#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What mqsend and mqrecv share: the test namespaces themselves, the queue
# address grammar of mqtools(7), exit statuses, --help and --version.

load helper

setup() {
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

# --- the harness: each test has private queues ------------------------------

# Whether or not the machine has mqueue on /dev/mqueue (a booted Debian
# does): the namespace's own is the only one as root; rootless, the
# machine's stays below (a locked mount) under a tmpfs that hides it.
@test "harness: each test has its own IPC namespace with mqueue mounted" {
	[ "$NS_IPC" != "$(readlink /proc/self/ns/ipc)" ]
	run ns awk '$2 == "/dev/mqueue" { print $3 }' /proc/self/mounts
	assert_success
	if [ "$(id -u)" = 0 ]; then
		assert_output mqueue
	else
		assert_line --index -1 mqueue
	fi
	# the mount is the namespace's: a queue made there is in it
	ns touch /dev/mqueue/own_check
	run ns ls -A /dev/mqueue
	assert_output own_check
}

@test "harness: queues made in a test are invisible to the host" {
	ns touch /dev/mqueue/isolation_check
	[ -e "$MQUEUE_DIR/isolation_check" ]
	run ipcmk -Q -p 0600
	assert_success
	local id=${output##*: }
	local key
	key=$(ipcs -q | awk -v id="$id" '$2 == id { print $1 }')
	[ -n "$key" ]
	echo "$key" >"$BATS_FILE_TMPDIR/isolation_key"

	# The host's System V queues: not there.
	run /usr/bin/ipcs -q
	refute_output --partial "$key"
	# The host's POSIX queues, seen through a mount of the host's own mqueue
	# (on a directory of its own: the host may have one on /dev/mqueue, and
	# the kernel refuses a second mount of it there).
	if [ "$(id -u)" = 0 ]; then
		mkdir "$BATS_TEST_TMPDIR/host-mqueue"
		run unshare --mount --propagation private sh -c \
			'mount -t mqueue none "$1" && ls -A "$1"' _ "$BATS_TEST_TMPDIR/host-mqueue"
		assert_success
		refute_output --partial isolation_check
	fi
}

@test "harness: queues made in the previous test are gone" {
	[ -s "$BATS_FILE_TMPDIR/isolation_key" ]
	run ipcs -q
	assert_success
	refute_output --partial "$(cat "$BATS_FILE_TMPDIR/isolation_key")"
	run ns ls -A /dev/mqueue
	assert_success
	assert_output ""
}

@test "harness: wrappers run copies of the built tools that any uid can reach" {
	require_tool mqsend mqrecv
	echo "$MQTOOLS_BIN" >"$BATS_FILE_TMPDIR/tools_copy"
	run cat "$BATS_TEST_TMPDIR/bin/mqsend"
	assert_output --partial "$MQTOOLS_BIN/mqsend"
	cmp "$MQTOOLS_BIN/mqsend" "$MQTOOLS_BUILDDIR/mqsend"
	# another uid exists only for root (a rootless run maps just one)
	[ "$(id -u)" = 0 ] || return 0
	# through a shell, as setpriv itself still holds root's capabilities
	# when it execs (so a 0700 build tree would go unnoticed there)
	run ns setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'exec "$0" --version' "$MQTOOLS_BIN/mqsend"
	assert_success
	assert_output --partial mqtools
	run as_nobody mqrecv --version
	assert_success
}

@test "harness: the previous test's copies of the tools are gone" {
	# (a run filtered to leave the test before out, as the valgrind gate does,
	# has nothing to look at)
	[ -s "$BATS_FILE_TMPDIR/tools_copy" ] || skip "the test before this one did not run"
	[ ! -e "$(cat "$BATS_FILE_TMPDIR/tools_copy")" ]
	[ "$MQTOOLS_BIN" != "$(cat "$BATS_FILE_TMPDIR/tools_copy")" ]
}

# --- the demo of the README ----------------------------------------------------

@test "demo: runs, counts the queued messages with mqstat, leaves nothing" {
	require_tool mqsend mqrecv mqstat mqrm
	# in the test's namespace already: the demo need not make its own
	run ns env MQTOOLS_BUILDDIR="$MQTOOLS_BIN" MQTOOLS_DEMO_INSIDE=1 sh "$BATS_TEST_DIRNAME/demo"
	assert_success
	# the three lines just sent, counted (one queue: mqstat lists its fields)
	assert_output --regexp $'\n\\$ mqstat -o NAME,MSGS /mqtools-demo\nNAME +/mqtools-demo\nMSGS +3\n'
	refute_output --partial QSIZE
	assert_line '{"queue":"/mqtools-demo","priority":9,"size":6,"encoding":"text","data":"urgent"}'
	assert_line 'removed /mqtools-demo'
	run ns ls -A /dev/mqueue
	assert_output ''
}

# Others (services, other test runs) may have used most of root's
# RLIMIT_MSGQUEUE, which is per user across namespaces: the demo's queue
# fits in 8 KiB of it. Its real uid is one no other process has (its
# account empty), as in with_own_mq_charge, so the 8 KiB are all its own;
# sh -p keeps its effective uid 0 (the checkout may be in a 0700 home).
@test "demo: its queue fits in what little RLIMIT_MSGQUEUE others leave" {
	require_tool mqsend mqrecv mqstat mqrm
	[ "$(id -u)" = 0 ] || skip "needs root: a real uid of its own"
	run ns bash -c 'ulimit -q 8192 && exec setpriv --ruid="$1" -- env MQTOOLS_BUILDDIR="$2" MQTOOLS_DEMO_INSIDE=1 sh -p "$3"' \
		_ $((2000000000 + NS_PID)) "$MQTOOLS_BIN" "$BATS_TEST_DIRNAME/demo"
	assert_success
	assert_line 'removed /mqtools-demo'
}

# --- addresses ------------------------------------------------------------------

@test "address: /name is a POSIX queue under /dev/mqueue" {
	require_tool mqsend mqrecv
	run mqsend -c /jobs hello
	assert_success
	[ -e "$MQUEUE_DIR/jobs" ]
	run mqrecv /jobs
	assert_success
	assert_output hello
}

@test "address: key: takes decimal, 0x hex and 0 octal for the same key" {
	require_tool mqsend mqrecv
	run mqsend -c key:4660 one
	assert_success
	run ipcs -q
	assert_output --partial 0x00001234
	mqsend key:0x1234 two
	mqsend key:011064 three
	run mqrecv -n 3 key:0X1234
	assert_success
	assert_output $'one\ntwo\nthree'
}

@test "address: id: names a System V queue by identifier" {
	require_tool mqsend mqrecv
	mqsend -c key:0x4242 by-key
	local id
	id=$(ipcs -q | awk '$1 == "0x00004242" { print $2 }')
	[ -n "$id" ]
	run mqrecv "id:$id"
	assert_success
	assert_output by-key
	run mqsend "id:$id" by-id
	assert_success
	run mqrecv key:0x4242
	assert_output by-id
}

# The key ftok(3) makes: proj in the top byte, then the device's low byte,
# then the inode's low 16 bits.
ftok_key() {
	local dev ino
	read -r dev ino < <(stat -L -c '%d %i' "$1")
	printf '0x%08x' $(((($2 & 0xff) << 24) | ((dev & 0xff) << 16) | (ino & 0xffff)))
}

@test "address: ftok:PATH uses project id 1 by default" {
	require_tool mqsend mqrecv
	touch anchor
	run mqsend -c ftok:anchor first
	assert_success
	run ipcs -q
	assert_output --partial "$(ftok_key anchor 1)"
	run mqrecv "ftok:$PWD/anchor:1"
	assert_success
	assert_output first
}

@test "address: ftok:PATH:PROJ takes a number or one character" {
	require_tool mqsend mqrecv
	touch anchor
	run mqsend -c ftok:anchor:A letter
	assert_success
	run ipcs -q
	assert_output --partial "$(ftok_key anchor 65)"
	run mqrecv ftok:anchor:65
	assert_success
	assert_output letter
	run mqsend -c ftok:anchor:255 top
	assert_success
	run ipcs -q
	assert_output --partial "$(ftok_key anchor 255)"
}

@test "address: ftok: the last colon separates PROJ, so paths may hold colons" {
	require_tool mqsend mqrecv
	touch 'odd:name'
	run mqsend -c 'ftok:odd:name:7' coloned
	assert_success
	run ipcs -q
	assert_output --partial "$(ftok_key 'odd:name' 7)"
}

@test "address: ftok: with a missing path exits 3 naming the path" {
	require_tool mqsend mqrecv
	run mqsend -c ftok:/nonexistent/anchor x
	assert_failure 3
	assert_output --partial /nonexistent/anchor
	run mqrecv ftok:/nonexistent/anchor
	assert_failure 3
}

@test "address: ftok: project ids outside 1..255 are usage errors" {
	require_tool mqsend
	touch anchor
	for proj in 0 256 -1 AB; do
		run mqsend -c "ftok:anchor:$proj" x
		assert_failure 2
	done
}

@test "address: unknown forms are usage errors listing the accepted forms" {
	require_tool mqsend mqrecv
	local bad tool
	for tool in mqsend mqrecv; do
		for bad in jobs foo:1 KEY:1 queue/x ''; do
			run "$tool" "$bad"
			assert_failure 2
			assert_output --partial "/name"
			assert_output --partial "key:"
			assert_output --partial "id:"
			assert_output --partial "ftok:"
		done
	done
}

@test "address: a known form with a bad value is a usage error naming the value" {
	require_tool mqsend mqrecv
	local bad tool
	for tool in mqsend mqrecv; do
		for bad in key:zz key:0x key:12abc id:x id:-1 /a/b; do
			run "$tool" "$bad"
			assert_failure 2
			assert_output --partial "${bad#*:}"
		done
		for bad in key: id: ftok: /; do
			run "$tool" "$bad"
			assert_failure 2
		done
		run "$tool" "/$(printf 'n%.0s' {1..300})"
		assert_failure 2
		assert_output_number 255
	done
}

@test "address: the rejected address is named in the error" {
	require_tool mqsend
	run mqsend no-slash-here
	assert_failure 2
	assert_output --partial no-slash-here
}

@test "address: key 0 (IPC_PRIVATE) is rejected" {
	require_tool mqsend mqrecv
	for key in key:0 key:0x0 key:00; do
		run mqsend -c "$key" x
		assert_failure 2
		# why, how to reach such a queue, then the forms: "use" once
		assert_line --index 0 'mqsend: key:0 is IPC_PRIVATE, which no one can open again (reach such a queue by id:ID); use one of:'
	done
	run ipcs -q
	refute_output --partial 0x00000000
}

# --- exit statuses common to both --------------------------------------------

@test "exit 3: a missing queue of either kind, and the message suggests --create" {
	require_tool mqsend mqrecv
	local q tool
	for q in /missing key:0x77 id:12345; do
		for tool in mqsend mqrecv; do
			run "$tool" "$q" </dev/null
			assert_failure 3
			assert_output --partial "$q"
		done
	done
	run mqsend /missing x
	assert_output --partial -- --create
	run mqsend key:0x77 x
	assert_output --partial -- --create
}

@test "exit 2: unknown options, missing or extra operands" {
	require_tool mqsend mqrecv
	run mqsend --no-such-option /q x
	assert_failure 2
	assert_output --partial "no-such-option"
	assert_output --partial "mqsend --help"
	# getopt names the option; no vaguer second line repeats it
	refute_output --partial "unknown option"
	run mqrecv --no-such-option /q
	assert_failure 2
	assert_output --partial "mqrecv --help"
	run mqsend
	assert_failure 2
	run mqrecv
	assert_failure 2
	run mqrecv -c /q extra
	assert_failure 2
}

@test "exit 2: option values that do not parse name the option" {
	require_tool mqsend mqrecv
	run mqsend -c --timeout soon /q x
	assert_failure 2
	assert_output --partial -- --timeout
	run mqrecv -c -n many /q
	assert_failure 2
	assert_output --partial -- --count
	run mqsend -c --mode 0999 /q x
	assert_failure 2
	assert_output --partial -- --mode
	run mqsend -c --msgsize 4Q /q x
	assert_failure 2
	assert_output --partial -- --msgsize
	# nothing was created by the failed commands
	run ns ls -A /dev/mqueue
	assert_output ""
}

@test "exit 4: the same for --nonblock and --timeout on both tools" {
	require_tool mqsend mqrecv
	mqsend -c --maxmsg 1 /q full
	run mqsend --nonblock /q x
	assert_failure 4
	run mqsend --timeout 100ms /q x
	assert_failure 4
	mqrecv /q
	run mqrecv --nonblock /q
	assert_failure 4
	run mqrecv --timeout 100ms /q
	assert_failure 4
}

# --- --help and --version ------------------------------------------------------

@test "--help: mqsend lists every option and exits 0" {
	require_tool mqsend
	run mqsend --help
	assert_success
	assert_line --partial "mqsend"
	for opt in --priority --type --null --delimiter --whole --create --exclusive --mode \
		--maxmsg --msgsize --qbytes --nonblock --timeout --help --version; do
		assert_output --partial -- "$opt"
	done
	run mqsend -h
	assert_success
	assert_output --partial -- --priority
}

@test "--help: mqrecv lists every option and exits 0" {
	require_tool mqrecv
	run mqrecv --help
	assert_success
	for opt in --count --follow --drain --type --except --peek --null --raw --json --create \
		--exclusive --mode --maxmsg --msgsize --qbytes --nonblock --timeout --help --version; do
		assert_output --partial -- "$opt"
	done
}

@test "--help: goes to stdout, lists the address forms, and --help wins over a missing operand" {
	require_tool mqsend mqrecv
	local tool
	for tool in mqsend mqrecv; do
		run --separate-stderr "$tool" --help
		assert_success
		[ -z "$stderr" ]
		assert_output --partial "key:"
		assert_output --partial "ftok:"
	done
}

@test "--version: both tools print their name and the mqtools version" {
	require_tool mqsend mqrecv
	local tool
	for tool in mqsend mqrecv; do
		run "$tool" --version
		assert_success
		assert_output --regexp "^$tool from mqtools [0-9]+\.[0-9]+"
		run "$tool" -V
		assert_success
		assert_output --regexp "^$tool from mqtools"
	done
}
