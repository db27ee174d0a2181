#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqled against other local users (mqled(1), SECURITY): uid 65534 attacks,
# uid 1001 is a client, the controller runs as root or as the service user
# (uid 1002, named "mqled" in the namespace's own /etc/passwd). Each test has
# its own IPC and mount namespace, with private tmpfs on /dev/shm and /run.

load helper

ATTACKER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
CLIENT=(setpriv --reuid=1001 --regid=1001 --clear-groups)
SERVICE=(setpriv --reuid=1002 --regid=1002 --clear-groups)

setup() {
	require_tool mqled mqsend mqrecv
	ns_setup
	ns mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	ns mount -t tmpfs -o mode=0755 tmpfs /run
	# the service user, as sysusers.d would make it
	{ grep -v '^mqled:' /etc/passwd; echo 'mqled:x:1002:1002:mqled:/:/usr/sbin/nologin'; } >passwd
	ns mount --bind "$PWD/passwd" /etc/passwd
	chmod 755 "$BATS_TEST_TMPDIR"
	LED=$MQTOOLS_BIN/mqled SEND=$MQTOOLS_BIN/mqsend
}

# Start a controller (ARGS after "mqled run") as root, or as the service
# user with SERVICE=1; its pid in $CTL_PID once it answers root's status.
start_controller() {
	local who=()
	[ -n "${AS_SERVICE:-}" ] && who=("${SERVICE[@]}")
	start_bg nsenter -t "$NS_PID" --ipc --mount --wd="$PWD" -- "${who[@]}" "$LED" run --console "$@" >out 2>log
	CTL_PID=$BG_PID
	local q=()
	while [ $# -gt 0 ]; do
		[ "$1" = -q ] && q=(-q "$2")
		shift
	done
	wait_until ns "$LED" "${q[@]}" -T 1s status >/dev/null 2>&1
}
# The controller process itself (start_bg's pid is nsenter's).
controller_pid() {
	ns_pid_of mqled
}

@test "forged answers: with the controller stopped, nothing another user writes is taken (root controller)" {
	start_controller -m 0622
	kill -STOP "$(controller_pid)"
	start_bg nsenter -t "$NS_PID" --ipc --mount --wd="$PWD" -- "${CLIENT[@]}" "$LED" -T 2s status \
		>client.out 2>client.err
	local client=$BG_PID
	# the attacker writes a forged answer into every reply queue it sees
	wait_until compgen -G "$MQUEUE_DIR/mqled-reply-*" >/dev/null
	local q denied=0
	for q in "$MQUEUE_DIR"/mqled-reply-*; do
		ns "${ATTACKER[@]}" "$SEND" "/${q##*/}" $'ok LED: on\e[2J' 2>>attack.err || denied=1
	done
	[ "$denied" = 1 ]
	grep -q 'Permission denied\|permission' attack.err
	wait_status "$client"
	assert_equal "$status" 4
	run cat client.out
	refute_output --partial 'LED: on'
	kill -CONT "$(controller_pid)"
}

@test "forged answers: into a reply queue the attacker may write (service controller), no nonce, not taken" {
	AS_SERVICE=1 start_controller -m 0622
	kill -STOP "$(controller_pid)"
	start_bg nsenter -t "$NS_PID" --ipc --mount --wd="$PWD" -- "${CLIENT[@]}" "$LED" -T 2s status \
		>client.out 2>client.err
	local client=$BG_PID
	wait_until compgen -G "$MQUEUE_DIR/mqled-reply-*" >/dev/null
	local q
	for q in "$MQUEUE_DIR"/mqled-reply-*; do
		# mode 0622: the controller (another user) must write, so may he
		ns "${ATTACKER[@]}" "$SEND" "/${q##*/}" $'ok LED: on\e[2J'
		ns "${ATTACKER[@]}" "$SEND" "/${q##*/}" 'nonce=00000000000000000000000000000000 ok LED: on'
	done
	wait_status "$client"
	assert_equal "$status" 4
	run cat client.out
	refute_output --partial 'LED: on'
	run cat client.err
	assert_output --partial 'ignored 2 messages on the reply queue without this command'
	# and once it runs again, the genuine answer is taken
	kill -CONT "$(controller_pid)"
	run ns "${CLIENT[@]}" "$LED" status
	assert_success
	assert_line --index 0 'LED: off'
}

@test "confused deputy: a command cannot make the controller write into another user's queue" {
	start_controller -m 0622
	# uid 1001's private queues, and a reply queue of a pending client
	ns "${CLIENT[@]}" "$SEND" -c -m 0600 /mqled-reply-bank </dev/null
	local nonce=0123456789abcdef0123456789abcdef victim
	victim=/mqled-reply-$(printf %s "$nonce" | sha256sum | cut -c1-32)
	ns "${CLIENT[@]}" "$SEND" -c -m 0600 "$victim" </dev/null
	ns "${CLIENT[@]}" /usr/bin/ipcmk -Q -p 0600 >/dev/null
	# the attacker names them, with a nonce of its own or none
	ns "${ATTACKER[@]}" "$SEND" /mqled 'on reply=/mqled-reply-bank' 'status reply=key:0x70000000' \
		"status reply=$victim" "status reply=$victim nonce=fedcba9876543210fedcba9876543210"
	run ns "$LED" status
	assert_success
	assert_line --index 0 'LED: off' # the "on" was refused too
	run ns "$MQTOOLS_BUILDDIR/mqrecv" --drain /mqled-reply-bank
	assert_output ''
	run ns "$MQTOOLS_BUILDDIR/mqrecv" --drain "$victim"
	assert_output ''
	run cat log
	assert_output --partial "reply address '/mqled-reply-bank' is not a reply queue"
	assert_output --partial "reply address 'key:0x70000000' is not a reply queue"
	assert_output --partial "no answer sent to $victim: the nonce is not that reply queue's"
}

@test "squatting: reply names taken by another user do not stop a client" {
	start_controller -m 0622
	local n
	n=$(cat /proc/sys/kernel/ns_last_pid)
	ns "${ATTACKER[@]}" sh -c 'for i in $(seq "$1" "$(($1 + 200))"); do
		"$2" -c -m 0666 --maxmsg 1 --msgsize 16 "/mqled-reply-$i" </dev/null || exit 1; done' _ "$n" "$SEND"
	[ -e "$MQUEUE_DIR/mqled-reply-$((n + 200))" ]
	run ns "${CLIENT[@]}" "$LED" on
	assert_success
	run ns "${CLIENT[@]}" "$LED" status
	assert_success
	assert_line --index 0 'LED: on'
}

@test "lock: nothing in /dev/shm pre-empts a controller; another user cannot take the queue's lock" {
	local ino
	ino=$(ns stat -L -c %i /proc/self/ns/ipc)
	ns "${ATTACKER[@]}" mkdir "/dev/shm/mqled-ipc$ino-%2Fmqled.lock"
	ns "${ATTACKER[@]}" sh -c "echo 1 >/dev/shm/mqled-ipc$ino-key%3A0x0000004c.lock"
	start_controller
	run ns "$LED" status
	assert_success
	# the lock is on the queue itself: the attacker may not even open it
	run ns "${ATTACKER[@]}" "$SEND" /mqled on
	assert_failure
	ns "$LED" stop
	# System V: the lock file is in root's /run/mqled, not in /dev/shm
	start_controller -q key:0x4c
	run ns "$LED" -q key:0x4c status
	assert_success
	run ns sh -c 'ls /run/mqled'
	assert_output --regexp '^ipc[0-9]+-sysv-id[0-9]+\.lock$'
	run ns "${ATTACKER[@]}" touch /run/mqled/x
	assert_failure
}

@test "one queue, one controller: key:K and id:N of the same queue take one lock" {
	start_controller -q key:0x4c
	local id
	id=$(ipcs -q | awk '$1 == "0x0000004c" { print $2 }')
	[ -n "$id" ]
	run ns "$LED" run --console -q "id:$id"
	assert_failure 1
	assert_output --partial "another mqled controller (pid $(controller_pid)) already serves this queue"
	run ns "$LED" -q key:0x4c status
	assert_success
}

@test "a squatted controller queue: the controller and the client refuse it" {
	ns "${ATTACKER[@]}" "$SEND" -c -m 0666 /mqled </dev/null
	run ns "$LED" run --console
	assert_failure 1
	assert_output --partial 'the queue belongs to uid 65534'
	run ns "${CLIENT[@]}" "$LED" status
	assert_failure 1
	assert_output --partial 'not a controller'
	run ns "$LED" run --console -m 0644
	assert_failure 2
}

@test "pidfile: written without --daemon, never through a symlink" {
	start_controller -p "$PWD/pid"
	assert_equal "$(cat pid)" "$(controller_pid)"
	run ns "$LED" run --console -q /other -p "$PWD/pid"
	assert_failure 1
	assert_output --partial "another mqled controller (pid $(controller_pid)) holds this pidfile"
	ns "$LED" stop
	wait_until test ! -e pid
	echo precious >target
	ln -s "$PWD/target" link
	run ns "$LED" run --console -p "$PWD/link"
	assert_failure 1
	assert_output --partial 'symbolic link'
	assert_equal "$(cat target)" precious
}

@test "service user: runs without root, its lock in its own runtime directory" {
	ns mkdir -m 0755 /run/mqled-svc
	ns chown 1002:1002 /run/mqled-svc
	AS_SERVICE=1 RUNTIME_DIRECTORY=/run/mqled-svc start_controller -q key:0x4d -m 0620
	run ns "$LED" -q key:0x4d on
	assert_success
	run ns sh -c 'ls /run/mqled-svc'
	assert_output --regexp 'sysv-id'
	# a lock directory others may write is refused
	ns chmod 0777 /run/mqled-svc
	run ns env RUNTIME_DIRECTORY=/run/mqled-svc "${SERVICE[@]}" "$LED" run --console -q key:0x4e
	assert_failure 1
	assert_output --partial 'writable by no one else'
}

@test "client: a command too long for the queue with what mqled adds is refused before sending, naming the limit" {
	start_controller
	local pad
	pad=$(printf ' %.0s' {1..450})
	run ns "$LED" "on$pad"
	assert_failure 2
	assert_output --partial 'over the limit of 512 bytes'
	run cat log
	refute_output --partial 'rejected'
	run ns "$LED" "on$(printf ' %.0s' {1..300})"
	assert_success
}

@test "status on a terminal: the controller's answer is escaped" {
	start_controller -q $'/le\033[2Jd'
	SHELL=$BASH script -qec "nsenter -t $NS_PID --ipc --mount -- $LED -q \$'/le\\033[2Jd' status" /dev/null >tty.out
	run grep -c $'\033\\[2J' tty.out
	assert_output 0
	grep -q 'queue /le\\033\[2Jd' tty.out
}
