# SPDX-License-Identifier: GPL-2.0-or-later
# tests/helper.bash - loaded by every .bats file of mqtools.
#
# Every test runs against real kernel queues in its OWN IPC + mount
# namespace, so the suite never sees or changes the machine's queues and
# no test sees another's: setup() starts a holder process in fresh
# namespaces (with mqueue mounted on /dev/mqueue) and teardown() ends it and
# everything else that runs inside.
#
# Commands reach the namespace through nsenter. Wrapper scripts for the
# tools (mqsend mqrecv mqstat mqrm mqled) and for ipcs ipcmk ipcrm lsipc are
# put first on PATH, so a test reads naturally:
#     run mqsend /q hello
#     printf 'a\nb\n' | mqsend /q
# and `ns CMD...` runs any other command in the namespace.
#
# The tools are taken from $MQTOOLS_BUILDDIR (set by `make check` to the top
# of the build tree), else from the directory above tests/. Each test runs
# copies of them in $MQTOOLS_BIN, a world-readable directory of its own
# under /tmp: a checkout in a 0700 home (what adduser makes) is then no
# obstacle for the commands a test runs as another uid (as_nobody).

bats_require_minimum_version 1.5.0
load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

: "${MQTOOLS_BUILDDIR:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)}"
export MQTOOLS_BUILDDIR

# One locale for every test, whatever the caller's (a minimal Debian sets
# none, hence C): the tests' own strings such as $'\u202e' are UTF-8 only
# in a UTF-8 locale (in C bash leaves them as the six characters \u202E).
# C.UTF-8 comes with libc in every Debian. A test that wants another
# locale sets it on its command.
export LC_ALL=C.UTF-8

MQTOOLS_TOOLS="mqsend mqrecv mqstat mqrm mqled mqmk"
MQTOOLS_NS_UTILS="ipcs ipcmk ipcrm lsipc"

# How to get namespaces: as root directly; otherwise inside a new user
# namespace where we are root (and must re-enter it with nsenter too).
if [ "$(id -u)" = 0 ]; then
	_ns_unshare=(unshare --ipc --mount --propagation private --fork)
	_ns_enter_user=()
else
	_ns_unshare=(unshare -r --ipc --mount --propagation private --fork)
	_ns_enter_user=(--user --preserve-credentials)
fi

# Start the holder: it makes the namespaces, mounts mqueue (the only mqueue
# mount on /dev/mqueue there, whatever the machine has), writes its pid
# and sleeps until teardown. NS_MSGSIZE_DEFAULT, when set, becomes the
# namespace's msgsize_default: every POSIX queue is charged to the user's
# RLIMIT_MSGQUEUE (800 KiB by default), machine-wide across namespaces and
# concurrent test runs, so suites that make many queues keep them small. Its descriptors are closed so that bats does not
# wait for it.
_ns_start() {
	local pidfile=$BATS_TEST_TMPDIR/ns.pid
	rm -f "$pidfile"
	"${_ns_unshare[@]}" sh -c '
		mkdir -p /dev/mqueue || exit 1
		# A booted Debian has mqueue mounted on /dev/mqueue already
		# (systemd does it): the private mount namespace inherits that
		# mount of the machine'"'"'s queues. Unmount every such mount
		# here (each umount reveals the one below), so that the
		# namespace has exactly one mqueue mount, its own, and a test
		# that unmounts it sees none. Rootless, inherited mounts are
		# locked and stay: a tmpfs then hides them.
		while umount -l /dev/mqueue 2>/dev/null; do :; done
		if mountpoint -q /dev/mqueue; then
			mount -t tmpfs -o mode=0755 none /dev/mqueue || exit 1
		fi
		mount -t mqueue mqueue /dev/mqueue || exit 1
		if [ -n "$2" ]; then
			echo "$2" >/proc/sys/fs/mqueue/msgsize_default || exit 1
		fi
		echo $$ > "$1.tmp" && mv "$1.tmp" "$1" && exec sleep 2147483647
	' holder "$pidfile" "${NS_MSGSIZE_DEFAULT:-}" </dev/null >"$BATS_TEST_TMPDIR/ns.log" 2>&1 3>&- &
	NS_UNSHARE_PID=$!
	local i
	for ((i = 0; i < 500; i++)); do
		[ -s "$pidfile" ] && break
		kill -0 "$NS_UNSHARE_PID" 2>/dev/null || break
		sleep 0.01
	done
	if [ ! -s "$pidfile" ]; then
		echo "could not create a private IPC + mount namespace:" >&2
		cat "$BATS_TEST_TMPDIR/ns.log" >&2
		return 1
	fi
	NS_PID=$(<"$pidfile")
	NS_IPC=$(readlink "/proc/$NS_PID/ns/ipc")
	# The namespace's /dev/mqueue seen from outside, for checks with test -e.
	MQUEUE_DIR=/proc/$NS_PID/root/dev/mqueue
	export NS_PID NS_IPC MQUEUE_DIR
}

# Run CMD... inside the test's namespace, in the current directory.
ns() {
	nsenter -t "$NS_PID" --ipc --mount "${_ns_enter_user[@]}" --wd="$PWD" -- "$@"
}

# Copy the built tools into $MQTOOLS_BIN (0755, files 0755): bats' own
# temporary directories are 0700, and the build tree may be too.
_tools_copy() {
	local tool
	MQTOOLS_BIN=$(mktemp -d /tmp/mqtools-bin.XXXXXX) || return 1
	export MQTOOLS_BIN
	chmod 0755 "$MQTOOLS_BIN" || return 1
	for tool in $MQTOOLS_TOOLS; do
		[ -x "$MQTOOLS_BUILDDIR/$tool" ] || continue
		cp "$MQTOOLS_BUILDDIR/$tool" "$MQTOOLS_BIN/$tool" &&
			chmod 0755 "$MQTOOLS_BIN/$tool" || return 1
	done
}

# RLIMIT_MSGQUEUE is charged per user (real uid) across every namespace of
# the machine: other root processes (another test run, a service) may have
# used most of root's 800 KiB, and a test's queue creation would then fail
# at random. Where it can (CAP_SYS_RESOURCE, which containers often drop),
# root raises its own limit, so that what others use does not count; it
# stays bounded, so that a runaway test fails instead of filling memory.
# Otherwise the soft limit is raised to the hard one. Tests of the limit
# itself lower it in a child (ulimit -q N); tests that make large queues
# run their creator through with_own_mq_charge, which works without
# CAP_SYS_RESOURCE; the others keep their queues small (NS_MSGSIZE_DEFAULT).
MQTOOLS_TEST_MSGQUEUE_LIMIT=$((64 * 1024 * 1024))
_raise_msgqueue_limit() {
	ulimit -q "$MQTOOLS_TEST_MSGQUEUE_LIMIT" 2>/dev/null ||
		ulimit -S -q "$(ulimit -H -q)" 2>/dev/null || true
}

# with_own_mq_charge CMD...: CMD in the test's namespace with a real uid
# that no other process uses, its effective and saved uids still 0 (so it
# is root in every other respect: owner, permissions, capabilities). The
# kernel charges a POSIX queue to its creator's real uid: this one's
# RLIMIT_MSGQUEUE account is empty whatever the machine's root processes
# use. The uid comes from the holder's pid, unique among live tests. A
# rootless run (no such uid mapped) runs CMD as it is, on its user's account.
with_own_mq_charge() {
	local cmd=$1
	shift
	case " $MQTOOLS_TOOLS " in
	*" $cmd "*) cmd=$MQTOOLS_BIN/$cmd ;;
	esac
	if [ "$(id -u)" = 0 ]; then
		ns setpriv --ruid=$((2000000000 + NS_PID)) -- "$cmd" "$@"
	else
		ns "$cmd" "$@"
	fi
}

# Wrappers on PATH, one per tool and IPC utility.
_ns_wrappers() {
	local bin=$BATS_TEST_TMPDIR/bin tool target
	mkdir -p "$bin"
	for tool in $MQTOOLS_TOOLS $MQTOOLS_NS_UTILS; do
		case " $MQTOOLS_TOOLS " in
		*" $tool "*) target=$MQTOOLS_BIN/$tool ;;
		*) target=$(command -v "$tool") || continue ;;
		esac
		cat >"$bin/$tool" <<-EOF
			#!/bin/sh
			exec nsenter -t $NS_PID --ipc --mount ${_ns_enter_user[*]} --wd="\$PWD" -- '$target' "\$@"
		EOF
		chmod +x "$bin/$tool"
	done
	PATH=$bin:$PATH
}

# A test file that needs more in its setup() calls ns_setup itself.
ns_setup() {
	_raise_msgqueue_limit
	_tools_copy || return 1
	_ns_start || return 1
	_ns_wrappers
	cd "$BATS_TEST_TMPDIR" || return 1
}
setup() {
	ns_setup
}

# Every process still in the test's IPC namespace (holder, readers left
# waiting, ...) is ended: all of them were started by this test.
_ns_pids() {
	local pattern=${NS_IPC//[/\\[}
	pattern=${pattern//]/\\]}
	find /proc/[0-9]*/ns/ipc -maxdepth 0 -lname "$pattern" 2>/dev/null |
		awk -F/ '{ print $3 }'
}
# The pids are chosen once: after the TERM the namespace may be gone and its
# inode number given to another run's namespace, whose processes a second
# look-up would find. The KILL goes only to those still in ours.
_ns_kill_all() {
	local pids pid left=()
	pids=$(_ns_pids)
	[ -n "$pids" ] || return 0
	kill -TERM $pids 2>/dev/null
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$NS_UNSHARE_PID" 2>/dev/null || break
		sleep 0.01
	done
	for pid in $pids; do
		[ "$(readlink "/proc/$pid/ns/ipc" 2>/dev/null)" = "$NS_IPC" ] && left+=("$pid")
	done
	[ ${#left[@]} -eq 0 ] || kill -KILL "${left[@]}" 2>/dev/null
	return 0
}

teardown() {
	if [ -n "${NS_PID:-}" ]; then
		_ns_kill_all
		wait "$NS_UNSHARE_PID" 2>/dev/null || true
	fi
	case ${MQTOOLS_BIN:-} in
	/tmp/mqtools-bin.*) rm -rf "$MQTOOLS_BIN" ;;
	esac
	return 0
}

# --- helpers for the tests -------------------------------------------------

# Skip unless the tool under test has been built.
require_tool() {
	local t
	for t; do
		[ -x "$MQTOOLS_BUILDDIR/$t" ] || skip "$t not built in $MQTOOLS_BUILDDIR"
	done
}

# free_loopback_port (a port for a broker of a test): tests/loopback-port.bash
# shellcheck source=loopback-port.bash
. "${BASH_SOURCE[0]%/*}/loopback-port.bash"

# test_ca DIR: a throw-away CA (DIR/ca.pem) and a server certificate for
# localhost and 127.0.0.1 signed by it (DIR/server.pem, DIR/server.key),
# made with openssl for this run only.
test_ca() {
	local d=$1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=mqtools test CA" \
		-keyout "$d/ca.key" -out "$d/ca.pem" >/dev/null 2>&1 || return 1
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
		-keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1 || return 1
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$d/server.ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
		-days 2 -extfile "$d/server.ext" -out "$d/server.pem" >/dev/null 2>&1 || return 1
	chmod 0644 "$d"/*.pem "$d"/*.key
}

# Whether the tools were built with the client for SCHEME (amqp, mqtt): a
# build without it says so for any such address (src/queue/unbuilt.c). A
# behaviour, not config.h: the installed package's tests ask it too. Asked
# of mqsend, so false when mqsend was not built. For setup_file, which must
# not skip (bats counts a skip there as the whole file failed).
tools_speak() {
	[ -x "$MQTOOLS_BUILDDIR/mqsend" ] &&
		! "$MQTOOLS_BUILDDIR/mqsend" "$1://127.0.0.1:9/mqtools-probe" </dev/null 2>&1 | grep -q 'built without'
}

# Skip unless the tools speak SCHEME (amqp, mqtt): configure leaves a
# network kind out without its client's headers, or --without-SCHEME.
require_scheme() {
	require_tool mqsend
	tools_speak "$1" || skip "$1:// not built in $MQTOOLS_BUILDDIR (configure found no client for it, or --without-$1)"
}

# Skip unless mqled drives GPIO lines: configure leaves libgpiod out when it
# is not installed, or --without-gpiod. Asked of mqled in the test's
# namespace, as a GPIO test's own first command would: a chip that is not
# there fails either way, and only a build without libgpiod says so.
require_gpio() {
	require_tool mqled
	ns "$MQTOOLS_BIN/mqled" run --chip /nonexistent --line 17 2>&1 | grep -q 'built without libgpiod' &&
		skip "mqled in $MQTOOLS_BUILDDIR was built without libgpiod (configure found none, or --without-gpiod)"
	return 0
}

# Skip unless COMMAND is on PATH. Call it in the test itself, never inside a
# function run through `run` (there the skip would only end run's subshell,
# and the test would fail). With MQTOOLS_NO_SKIP=1 (for CI, where every
# package is installed) a missing command fails the test instead.
require_command() {
	local cmd=$1 package=${2:-$1}
	local path
	# command -v alone is not enough: bash names a file it cannot execute
	# when it finds nothing better
	path=$(command -v "$cmd" 2>/dev/null) && [ -x "$path" ] && return 0
	if [ "${MQTOOLS_NO_SKIP:-}" = 1 ]; then
		fail "$cmd not found (package $package), and MQTOOLS_NO_SKIP=1"
	fi
	skip "$cmd not installed (package $package)"
}

# as_nobody CMD...: run CMD in the test's namespace as uid and gid 65534
# with no groups. A tool name (mqsend, ...) runs from $MQTOOLS_BIN, which
# that uid can reach whatever the build tree's permissions.
as_nobody() {
	local cmd=$1
	shift
	case " $MQTOOLS_TOOLS " in
	*" $cmd "*) cmd=$MQTOOLS_BIN/$cmd ;;
	esac
	ns setpriv --reuid=65534 --regid=65534 --clear-groups "$cmd" "$@"
}

# Wait (up to ~5 s) until the command succeeds; for "reader is now waiting".
wait_until() {
	local i
	for ((i = 0; i < 500; i++)); do
		"$@" && return 0
		sleep 0.01
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

# True once process PID sleeps in the kernel (blocked in a queue call).
process_waiting() {
	local state
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$state" = S ]
}

# The pid of the newest process named NAME inside the test's namespace.
ns_pid_of() {
	local p comm found=
	for p in $(_ns_pids); do
		read -r comm <"/proc/$p/comm" 2>/dev/null && [ "$comm" = "$1" ] && found=$p
	done
	[ -n "$found" ] && echo "$found"
}

# Number of messages in a System V queue with KEY (hex like 0x00001234).
sysv_count() {
	ipcs -q | awk -v k="$1" 'tolower($1) == tolower(k) { print $6; found = 1 } END { if (!found) exit 1 }'
}

# Elapsed milliseconds since the epoch, for generous sanity bounds only.
now_ms() {
	date +%s%3N
}

# Start CMD... in the background with SIGINT at its default (bash makes
# background jobs ignore it), without bats' fd 3; the pid is in $BG_PID.
# Its stdin is kept: without <&0 a background job gets /dev/null.
start_bg() {
	(trap - INT; exec "$@") <&0 3>&- &
	BG_PID=$!
}

# Wait until PID has become program NAME and sleeps in the kernel.
wait_blocked() {
	local pid=$1 name=$2
	wait_until _blocked "$pid" "$name"
}
_blocked() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && process_waiting "$1"
}

# Run CMD... with its stdout a pipe whose reader is already gone (closed
# before CMD starts). Prints CMD's exit status on stdout.
run_closed_stdout() {
	python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
print(subprocess.call(sys.argv[1:], stdout=w))' "$@"
}

# Run CMD... with its stdout a pipe of 4 KiB (F_SETPIPE_SZ: a few messages
# fill it) that no one reads for WHEN seconds, or with WHEN "file" until
# the file "read" exists; then all of it goes to the file "got" until CMD
# ends. CMD's pid goes to pid.txt, its stderr to err, its exit status to
# st. SIGHUP, SIGINT and SIGQUIT are at their defaults for CMD, whatever
# the shell that runs the tests ignores.
pipe_reader() {
	python3 -c '
import fcntl, os, signal, subprocess, sys, time
for s in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT):
    signal.signal(s, signal.SIG_DFL)
r, w = os.pipe()
fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ
p = subprocess.Popen(sys.argv[2:], stdout=w, stderr=open("err", "w"))
os.close(w)
open("pid.tmp", "w").write("%d\n" % p.pid)
os.rename("pid.tmp", "pid.txt")
if sys.argv[1] == "file":
    while not os.path.exists("read"):
        time.sleep(0.02)
else:
    time.sleep(float(sys.argv[1]))
with open("got", "wb") as out:
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        out.write(b)
open("st", "w").write("%d\n" % p.wait())' "$@"
}

# Whether $output mentions the number N as a whole number.
assert_output_number() {
	[[ $output =~ (^|[^0-9])$1([^0-9]|$) ]] ||
		fail "output does not mention the number $1: $output"
}

# True when the System V queue with KEY holds no message.
sysv_empty_key() {
	[ "$(sysv_count "$1")" = 0 ]
}

# Wait for background PID and put its exit status in $status (`run wait`
# cannot: it runs in a subshell, which has no such child).
wait_status() {
	status=0
	wait "$1" || status=$?
}

# Drain QUEUE and print "FIELD DATA" per message, FIELD being priority or type.
drain_with() {
	mqrecv --drain --json "$1" | jq -r "\"\(.$2) \(.data)\""
}

# bash_complete LINE: the completions bash offers at the end of LINE (whose
# first word is the command), one a line, after a line "nospace" when the
# completion asked for no space. Runs in the test's namespace, with the
# completion files of completions/ (the shared engine and the command's own).
# A test that wants to skip without bash-completion calls
# require_bash_completion itself: a skip here, under `run` or $(...), would
# end only the subshell.
# fish_complete LINE...: what fish offers at the end of each LINE, with the
# completion files of completions/; the caller skips it without fish.
fish_complete() {
	ns fish --no-config -c '
		set -p fish_function_path $argv[1]
		set -p fish_complete_path $argv[1]
		for line in $argv[2..-1]
			complete -C "$line"
		end' "$BATS_TEST_DIRNAME/../completions" "$@"
}

BASH_COMPLETION_FILE=/usr/share/bash-completion/bash_completion
require_bash_completion() {
	[ -r "$BASH_COMPLETION_FILE" ] && return 0
	if [ "${MQTOOLS_NO_SKIP:-}" = 1 ]; then
		fail "$BASH_COMPLETION_FILE not found (package bash-completion), and MQTOOLS_NO_SKIP=1"
	fi
	skip "bash-completion not installed"
}
bash_complete() {
	if [ ! -r "$BASH_COMPLETION_FILE" ]; then
		echo "bash_complete: $BASH_COMPLETION_FILE not found: install bash-completion" >&2
		return 1
	fi
	local cmd=${1%% *}
	ns bash -c '
		. "$4"
		. "$1/mqtools.bash"
		. "$1/$2.bash"
		compopt() { [[ $* == *nospace* ]] && echo nospace; return 0; }
		# Split LINE as readline does: blanks separate words; each ":"
		# and "=" is a word of its own (COMP_WORDBREAKS).
		line=$3 rest=$3
		COMP_WORDS=()
		while [[ $rest =~ ^[[:space:]]*([^[:space:]:=]+|[:=]) ]]; do
			COMP_WORDS+=("${BASH_REMATCH[1]}")
			rest=${rest:${#BASH_REMATCH[0]}}
		done
		[[ $line == *[[:space:]] ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		COMPREPLY=()
		# the function the command registered with complete -F
		func=$(complete -p "$2" | sed -E "s/.*-F ([^ ]+).*/\1/")
		"$func"
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$BATS_TEST_DIRNAME/../completions" "$cmd" "$1" "$BASH_COMPLETION_FILE"
}

# --- stop signals (mqtools(7), SIGNALS): signals.bats, amqp.bats -----------------

STOP_SIGNALS="HUP INT TERM QUIT USR1 USR2"

# start_bg with every signal at its default: whatever the shell that runs
# the tests ignores (a background job's SIGINT, nohup's SIGHUP) must not
# decide a case. The pid, which becomes the tool's, is in $BG_PID.
start_tool() {
	start_bg env --default-signal "$@"
}

# Wait until PID has ended (gone, or a zombie). A tool that sleeps through a
# stop signal never ends: after 60 s (a liveness bound for a loaded
# machine, not a timing assertion) it is killed and the case fails.
wait_ended() {
	local pid=$1 i state
	for ((i = 0; i < 1200; i++)); do
		state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 0
		[ "$state" = Z ] && return 0
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	fail "$CASE: still running 60 s after the signal"
}
