#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# amqp:// at the broker's edge: failover past a host that drops the login,
# what is refused and what is only lost, a broker killed (SIGKILL) under a
# sender and a consumer, and the count a sender gives when it gives up.
# One RabbitMQ node for the file (tests/rabbitmq.bash), killed and started
# again by the tests; fake hosts are python3 listeners on 127.0.0.1.

load helper
load rabbitmq

setup_file() {
	rabbitmq_file_setup
}

teardown_file() {
	rabbitmq_stop
}

setup() {
	require_tool mqstat
	require_command python3
	require_command jq
	amqp_test_setup
	QN=f$BATS_TEST_NUMBER
	Q=$RMQ_URL/$QN
}

# fake_host NAME MODE: a host that accepts TCP, reads the client's protocol
# header (its login has begun), then closes (MODE close) or resets (MODE
# reset) the connection, or keeps it open and never answers (MODE silent);
# one line in NAME.log for each. Started in the
# test's namespace, so that teardown ends it. Sets FAKE_PORT.
fake_host() {
	ns python3 -c '
import socket, struct, sys
name, mode = sys.argv[1], sys.argv[2]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(name + ".port.tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
import os
os.rename(name + ".port.tmp", name + ".port")
held = []
while True:
    c, _ = s.accept()
    c.settimeout(5)
    try:
        c.recv(8)
    except OSError:
        pass
    if mode == "silent":
        held.append(c)
        with open(name + ".log", "a") as f:
            f.write(mode + "\n")
        continue
    if mode == "reset":
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    with open(name + ".log", "a") as f:
        f.write(mode + "\n")
' "$1" "$2" </dev/null >/dev/null 2>&1 3>&- &
	wait_until test -s "$1.port"
	FAKE_PORT=$(cat "$1.port")
}

# fake_tries NAME: how many connections fake host NAME dropped.
fake_tries() {
	if [ -f "$1.log" ]; then wc -l <"$1.log"; else echo 0; fi
}

fake_tried() {
	[ "$(fake_tries "$1")" -ge "${2:-1}" ]
}

# wait_for SECONDS CMD...: until CMD succeeds. SECONDS bounds a wait for a
# broker (a start takes 10 s and more on a loaded machine); it measures
# nothing.
wait_for() {
	local seconds=$1 end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		if [ "$(date +%s)" -ge "$end" ]; then
			echo "not within $seconds s: $*" >&2
			return 1
		fi
		sleep 0.1
	done
}

# ready_at_least URL N: the broker holds N messages or more in the queue
ready_at_least() {
	local n
	n=$(mqstat -J "$1" 2>/dev/null | jq '.ready') && [ "${n:-0}" -ge "$2" ]
}

# metadata_on_disk: the broker's queue declarations written to its disk
# (Mnesia dumps its transaction log). A SIGKILL a moment after a
# declaration can lose the queue itself, the declaration still in Mnesia's
# log buffer (seen in fresh roots: killed 0.3 s after, no queue on the
# restart): the broker's window, not what these tests are about.
metadata_on_disk() {
	run rmqctl eval 'mnesia:dump_log().'
	assert_output dumped
}

# gated_input N1 N2: prints the lines 1..N1, then, once the file go exists,
# N1+1..N2: a sender of it is mid-send when the test acts, whatever the
# machine's speed, and has more to send after.
gated_input() {
	seq 1 "$1"
	until [ -e go ]; do sleep 0.05; done
	seq $(($1 + 1)) "$2"
}

@test "a host that closes or resets the connection during the login is passed over for the next" {
	mqsend -c "$Q" x
	mqrecv "$Q" >/dev/null
	fake_host closer close
	local closer=$FAKE_PORT
	fake_host resetter reset
	local resetter=$FAKE_PORT
	run mqsend "amqp://127.0.0.1:$closer,127.0.0.1:$RMQ_PORT/$QN" one
	assert_success
	run mqsend "amqp://127.0.0.1:$resetter,127.0.0.1:$closer,127.0.0.1:$RMQ_PORT/$QN" two
	assert_success
	run mqrecv -n 2 "amqp://127.0.0.1:$resetter,127.0.0.1:$RMQ_PORT/$QN"
	assert_success
	assert_output $'one\ntwo'
	# each fake was tried, and dropped the login
	[ "$(fake_tries closer)" -ge 2 ]
	[ "$(fake_tries resetter)" -ge 2 ]
	# alone, such a host is a lost connection, not a refused password
	run mqsend "amqp://127.0.0.1:$resetter/$QN" three
	assert_failure 1
	assert_output --partial "amqp://127.0.0.1:$resetter: the connection to the broker was lost while trying to log in"
	refute_output --partial "password"
}

@test "every stop signal stops mqsend and mqrecv -f at once while a host takes their login and never answers" {
	fake_host mute silent
	local sig tool pid n=0 i
	for sig in HUP INT TERM QUIT USR1 USR2; do
		for tool in "mqsend amqp://127.0.0.1:$FAKE_PORT/q x" "mqrecv -f amqp://127.0.0.1:$FAKE_PORT/q"; do
			n=$((n + 1))
			start_bg bash -c "exec $tool >out 2>err"
			pid=$BG_PID
			# the tool has sent its protocol header: its login waits
			wait_until fake_tried mute "$n"
			kill -"$sig" "$pid"
			# librabbitmq's own waits are 5 s (connect) and 15 s (login):
			# gone well before them, the signal was heard
			for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -0 "$pid" 2>/dev/null && fail "${tool%% *} still runs 5 s after SIG$sig"
			wait_status "$pid"
			assert_equal "$status" 1
			run cat err
			assert_output --partial "amqp://127.0.0.1:$FAKE_PORT: stopped by SIG$sig while connecting and logging in"
		done
	done
}

@test "a wrong password is said as such, and whole, only when the broker refuses it (ACCESS_REFUSED), after a host that dropped the login" {
	mqsend -c "$Q" x
	fake_host closer close
	run env MQTOOLS_PASSWORD=wrong mqsend "amqp://127.0.0.1:$FAKE_PORT,127.0.0.1:$RMQ_PORT/$QN" y
	assert_failure 1
	assert_output --partial "amqp://127.0.0.1:$RMQ_PORT: authentication failed for user 'guest': wrong user or password"
	[ "$(fake_tries closer)" -ge 1 ]
	# the longest user a URL takes (255 bytes): the words are whole
	local user
	user=$(printf 'u%.0s' {1..255})
	run mqsend "amqp://$user@127.0.0.1:$RMQ_PORT/$QN" y
	assert_failure 1
	assert_output --partial "user '$user': wrong user or password (the user comes from the URL, the password from MQTOOLS_PASSWORD or --password-file)"
}

@test "a broker killed (SIGKILL) mid-send and started again: mqsend and mqrecv -f carry on, and every line is queued" {
	mqsend -c "$Q" x
	mqrecv "$Q" >/dev/null
	mqsend -c "$Q-r" before
	metadata_on_disk
	# after the kill, each tool tries a host of its own that drops the
	# login, before the broker is back: a drop is no reason to give up
	fake_host fs reset
	local fs=$FAKE_PORT
	fake_host fr close
	local fr=$FAKE_PORT
	start_bg bash -c "exec mqrecv -f 'amqp://127.0.0.1:$RMQ_PORT,127.0.0.1:$fr/$QN-r' >out 2>err.recv"
	local recv=$BG_PID
	wait_until grep -q before out
	export -f gated_input
	start_bg bash -c "gated_input 60000 100000 | exec mqsend 'amqp://127.0.0.1:$RMQ_PORT,127.0.0.1:$fs/$QN' 2>err.send"
	local send=$BG_PID
	wait_for 120 ready_at_least "$Q" 5000
	rabbitmq_kill9
	touch go
	wait_for 120 fake_tried fs
	wait_for 120 fake_tried fr
	rabbitmq_respawn
	wait_status "$send"
	cat err.send
	assert_equal "$status" 0
	mqsend "$Q-r" after
	wait_for 120 grep -q after out
	kill -TERM "$recv"
	wait_status "$recv"
	cat err.recv
	assert_equal "$status" 0
	# what the consumer had taken may come again (at least once), nothing else
	run grep -cvx -e before -e after out
	assert_output 0
	# every line once at least; one published again after the kill, whose
	# confirm the broker had not sent, may be there twice (mqtools(7))
	mqrecv --drain "$Q" >got
	run bash -c "sort -nu got | cmp - <(seq 1 100000) && echo same"
	assert_output same
	echo "# $(wc -l <got) messages for 100000 lines" >&3
}

@test "a broker killed for good: mqsend counts sent only what the broker confirmed, all of it in the queue" {
	mqsend -c "$Q" x
	mqrecv "$Q" >/dev/null
	metadata_on_disk
	export -f gated_input
	start_bg bash -c "gated_input 60000 100000 | exec mqsend '$Q' 2>err.send"
	local send=$BG_PID
	wait_for 120 ready_at_least "$Q" 5000
	rabbitmq_kill9
	touch go
	# it gives up once no broker answered for 30 s; the records it had read
	# and not published go to the dead letter (here standard error): 5
	wait_status "$send"
	assert_equal "$status" 5
	run cat err.send
	# why the connection was lost, whole, then that no broker came back
	assert_output --regexp "the connection to the broker was lost while trying to [a-z ]+ \([a-z ]+\); and no broker of the URL answered again within 30 s"
	local n
	n=$(sed -n 's/^mqsend: \([0-9]*\) messages\{0,1\} w[a-z]* sent before it.*/\1/p' err.send)
	[ -n "$n" ]
	if grep -q "not confirmed" err.send; then
		assert_output --partial "sending again from message $((n + 1)) on loses none"
	fi
	rabbitmq_respawn
	# the first N are all there: a resend from N+1 loses none
	mqrecv --drain "$Q" >got
	run bash -c "sort -nu got | head -n $n | cmp - <(seq 1 $n) && echo whole"
	assert_output whole
	echo "# said $n sent; the queue held $(wc -l <got)" >&3
}
