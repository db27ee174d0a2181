#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# boundary-trust.bats - what another local user prepared is not trusted
# (issue 24): files the tools open (dead letters, pidfiles, baselines,
# password files) in a sticky directory every user may write, System V
# queues another user made and handed over, secrets in the environment of
# --exec commands, and mqmk's output on a terminal. Root is the victim, uid
# 1001 ("eve" in the namespace's own /etc/passwd) the other user, and
# /dev/shm (a private tmpfs, mode 1777) plays /tmp.

load helper

EVE=(setpriv --reuid=1001 --regid=1001 --clear-groups)

setup() {
	ns_setup
	ns mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	# mqled's lock directory (/run/mqled) in a /run of the test's own
	ns mount -t tmpfs -o mode=0755 tmpfs /run
	{ grep -v '^eve:' /etc/passwd; echo 'eve:x:1001:1001:eve:/:/usr/sbin/nologin'; } >passwd
	ns mount --bind "$PWD/passwd" /etc/passwd
}

# CMD... as eve, in the test's namespace; a tool runs from $MQTOOLS_BIN.
as_eve() {
	local cmd=$1
	shift
	case " $MQTOOLS_TOOLS " in
	*" $cmd "*) cmd=$MQTOOLS_BIN/$cmd ;;
	esac
	ns "${EVE[@]}" "$cmd" "$@"
}

# A network address the tools speak (amqp:// or mqtt://) on a port where
# nothing listens: a password file is read, and refused, before it is tried.
closed_port_url() {
	if tools_speak amqp; then
		echo amqp://u@127.0.0.1:9/q
	elif tools_speak mqtt; then
		echo mqtt://u@127.0.0.1:9/t
	else
		return 1
	fi
}

# --- dead letters ----------------------------------------------------------

@test "--dead-letter: another user's file in a sticky directory is refused, naming her; nothing is taken (both kinds)" {
	require_tool mqsend mqrecv
	as_eve sh -c 'umask 0; : >/dev/shm/dl'
	for q in /dl key:0x4d60; do
		mqsend -c "$q" job
		run mqrecv --retries 0 --dead-letter /dev/shm/dl "$q" --exec false
		assert_failure 1
		assert_output --partial '/dev/shm/dl is owned by eve (uid 1001), not you: choose a file of your own'
		run ns cat /dev/shm/dl
		assert_output ''
		run mqrecv --nonblock "$q"
		assert_output job
	done
}

@test "--dead-letter: a symbolic link is never followed, another user's or one's own" {
	require_tool mqsend mqrecv
	mqsend -c /dl job
	as_eve ln -s /dev/shm/loot /dev/shm/dl
	run mqrecv --retries 0 --dead-letter /dev/shm/dl /dl --exec false
	assert_failure 1
	assert_output --partial '/dev/shm/dl is a symbolic link, which is never followed'
	run ns test -e /dev/shm/loot
	assert_failure
	echo precious >target
	ln -s "$PWD/target" link
	run mqrecv --retries 0 --dead-letter link /dl --exec false
	assert_failure 1
	assert_output --partial 'link is a symbolic link'
	assert_equal "$(cat target)" precious
	run mqrecv --nonblock /dl
	assert_output job
}

@test "--dead-letter: a new file is made 0600 whatever the umask; one's own file is appended to; a FIFO is refused" {
	require_tool mqsend mqrecv
	mqsend -c /dl one two
	run bash -c 'umask 0; mqrecv -n 1 --retries 0 --dead-letter dl /dl --exec false'
	assert_failure 5
	assert_equal "$(stat -c '%a %u' dl)" '600 0'
	run mqrecv -n 1 --retries 0 --dead-letter dl /dl --exec false
	assert_failure 5
	assert_equal "$(wc -l <dl)" 2
	mkfifo fifo
	mqsend /dl three
	run timeout 20 mqrecv -n 1 --retries 0 --dead-letter fifo /dl --exec false
	assert_failure 1
	assert_output --partial 'fifo is a FIFO, not a regular file'
	run mqrecv --nonblock /dl
	assert_output three
}

# --- pidfiles -------------------------------------------------------------

@test "--dead-letter: a file with another name (a hard link) is refused and left as it was" {
	require_tool mqsend mqrecv
	mqsend -c /dl job
	echo precious >target
	ln target dl
	run mqrecv --retries 0 --dead-letter dl /dl --exec false
	assert_failure 1
	assert_output --partial 'dl has 2 hard links'
	assert_equal "$(cat target)" precious
	run mqrecv --nonblock /dl
	assert_output job
}

@test "--dead-letter with standard output closed: the file never takes its place, nothing is lost" {
	require_tool mqsend mqrecv
	mqsend -c /dl one two
	run bash -c "mqrecv -n 2 --dead-letter dl /dl >&-"
	# refused before anything is taken or opened: no message went into the
	# dead letter as output, both are still there
	assert_failure 1
	assert_output --partial "standard output is closed: nothing was taken"
	[ ! -s dl ]
	run mqrecv --nonblock -n 2 /dl
	assert_output $'one\ntwo'
}

@test "--pidfile: another user's pidfile, locked and naming pid 1, is refused as hers, not taken for a controller's" {
	require_tool mqled
	start_bg nsenter -t "$NS_PID" --ipc --mount --wd=/ -- "${EVE[@]}" "$MQTOOLS_BIN/mqled" run --console \
		-q /eve -p /dev/shm/mqled.pid >eve.out 2>eve.log
	wait_until ns test -s /dev/shm/mqled.pid
	# her controller holds the lock; she writes the pid she likes
	as_eve sh -c 'echo 1 >/dev/shm/mqled.pid'
	run timeout 20 mqled run --console -q /ctl -p /dev/shm/mqled.pid
	assert_failure 1
	assert_output --partial '/dev/shm/mqled.pid is owned by eve (uid 1001), not you: choose a file of your own'
	refute_output --partial 'pid 1)'
}

@test "--pidfile: another user's unlocked pidfile open to all is refused and left as it was" {
	require_tool mqled
	as_eve sh -c 'umask 0; echo 1 >/dev/shm/p'
	run timeout 20 mqled run --console -q /ctl -p /dev/shm/p
	assert_failure 1
	assert_output --partial '/dev/shm/p is owned by eve (uid 1001)'
	run ns cat /dev/shm/p
	assert_output 1
	mkfifo fifo
	run timeout 20 mqled run --console -q /ctl -p "$PWD/fifo"
	assert_failure 1
	assert_output --partial 'fifo is a FIFO, not a regular file'
}

@test "--pidfile: a new one is 0600 and whole; given relative, it is still the controller's after --daemon" {
	require_tool mqled
	# a fake kernel LED (MQLED_SYS_CLASS_LEDS), as in mqled.bats
	mkdir -p leds/ACT
	echo 0 >leds/ACT/brightness
	echo 255 >leds/ACT/max_brightness
	echo 'none [mmc0] timer' >leds/ACT/trigger
	export MQLED_SYS_CLASS_LEDS=$PWD/leds
	run mqled run --led ACT --daemon -q /ctl -p pid
	assert_success
	# the detached controller writes its own pid in place of its parent's
	wait_until sh -c 'test "$(cat "/proc/$(cat pid)/comm" 2>/dev/null)" = mqled'
	local pid
	pid=$(cat pid)
	assert_equal "$(stat -c %a pid)" 600
	run bash -c 'ls -A | grep -c mqtools-new'
	assert_output 0
	run mqled run --console -q /other -p pid
	assert_failure 1
	assert_output --partial "another mqled controller (pid $pid) holds this pidfile"
	mqled -q /ctl stop
	# removed at exit, although --daemon changed the directory to /
	wait_until test ! -e pid
}

# --- System V: the creator keeps its rights -------------------------------

@test "System V: a queue another user made and handed to root is refused by mqmk -e, mqled run and the client" {
	require_tool mqmk mqled
	as_eve mqmk key:0x4d51
	as_eve mqmk -C -o root -g root key:0x4d51
	run mqmk -e key:0x4d51
	assert_failure 1
	assert_output --partial 'created by eve (uid 1001), who may still change its mode and remove it'
	run timeout 20 mqled run --console -q key:0x4d51
	assert_failure 1
	assert_output --partial 'the queue was created by eve (uid 1001)'
	run timeout 20 mqled -q key:0x4d51 -T 2s status
	assert_failure 1
	assert_output --partial 'the queue was created by uid 1001'
	# which is true: she may still open it to all
	as_eve mqmk -C -m 0666 key:0x4d51
	# a queue root made and gave away stays root's to accept
	mqmk -o eve key:0x4d52
	run mqmk -e -o eve key:0x4d52
	assert_success
}

# --- files read ------------------------------------------------------------

@test "--password-file: a FIFO is refused at once, not waited on; so is a symbolic link" {
	require_tool mqsend
	local url
	url=$(closed_port_url) || skip "built without amqp:// and mqtt://"
	mkfifo pw
	chmod 600 pw
	run timeout 20 mqsend --password-file pw "$url" x
	assert_failure 1
	assert_output --partial 'pw is a FIFO, not a regular file'
	echo secret >real
	chmod 600 real
	ln -s real link
	run timeout 20 mqsend --password-file link "$url" x
	assert_failure 1
	assert_output --partial 'link is a symbolic link'
}

@test "--password-file: a NUL byte in the first line is refused, never cut there; a line of the limit without a newline too" {
	require_tool mqsend
	local url
	url=$(closed_port_url) || skip "built without amqp:// and mqtt://"
	printf 'ab\0cd\n' >pw
	chmod 600 pw
	run timeout 20 mqsend --password-file pw "$url" x
	assert_failure 1
	assert_output --partial 'pw: the password holds a NUL byte'
	# 1024 bytes and no newline: over the limit of 1023, read no further
	head -c 1024 /dev/zero | tr '\0' a >long
	chmod 600 long
	run timeout 20 mqsend --password-file long "$url" x
	assert_failure 1
	assert_output --partial 'long: the first line is over the limit of 1023 bytes'
	# the NUL after the newline is not the password's
	printf 'secret\n\0\n' >ok
	chmod 600 ok
	run timeout 20 mqsend --password-file ok "$url" x
	refute_output --partial 'NUL'
}

@test "mqstat: --new-since a FIFO is refused at once; --baseline never replaces another user's file" {
	require_tool mqstat mqsend
	mqsend -c key:0x40 </dev/null
	mkfifo fifo
	run timeout 20 mqstat --new-since fifo
	assert_failure 2 # no comparison made: as diff(1)
	assert_output --partial 'fifo is a FIFO, not a regular file'
	run timeout 20 mqstat --baseline fifo
	assert_failure 1
	assert_output --partial 'fifo is a FIFO, not a regular file'
	as_eve sh -c 'umask 0; echo hers >/dev/shm/base'
	run mqstat --baseline /dev/shm/base
	assert_failure 1
	assert_output --partial '/dev/shm/base is owned by eve (uid 1001), not you'
	run ns cat /dev/shm/base
	assert_output hers
	run bash -c 'umask 0; mqstat --baseline mine'
	assert_success
	assert_equal "$(stat -c %a mine)" 600
	run mqstat --new-since mine
	assert_success
}

# --- secrets and terminals -------------------------------------------------

@test "--exec: MQTOOLS_PASSWORD does not reach the commands; other variables do (both kinds)" {
	require_tool mqsend mqrecv
	for q in /jobs key:0x4d70; do
		mqsend -c "$q" one
		rm -f env.out
		run env MQTOOLS_PASSWORD=s3cret OTHER=kept mqrecv -n 1 "$q" --exec sh -c 'env >env.out'
		assert_success
		run grep -c s3cret env.out
		assert_output 0
		grep -qx OTHER=kept env.out
		grep -qx MQ_SIZE=3 env.out
	done
}

@test "mqmk: a name's control bytes are escaped on a terminal; a pipe gets the address as it is" {
	require_tool mqmk mqrm
	SHELL=$BASH script -qec "nsenter -t $NS_PID --ipc --mount -- $MQTOOLS_BIN/mqmk \$'/a\\033]0;PWNED\\a'" \
		/dev/null >tty.out
	run env LC_ALL=C grep -c $'[\033\a]' tty.out
	assert_output 0
	grep -qF '/a\033]0;PWNED\a' tty.out
	mqrm $'/a\e]0;PWNED\a'
	run mqmk $'/a\e]0;PWNED\a'
	assert_success
	assert_output $'/a\e]0;PWNED\a'
}
