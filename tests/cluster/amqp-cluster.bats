#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# amqp:// on a 3-node RabbitMQ cluster on loopback (make check-cluster; not
# in tests/run's default set: three nodes take a minute to start and join).
# Three node names, three port sets, one Erlang cookie and one epmd port,
# joined with rabbitmqctl join_cluster; a --replicated (quorum) queue; one
# node stopped while a producer and a consumer run through the URL's list
# of hosts. Skipped only when rabbitmq-server is not installed or the
# tools were built without amqp://.

load ../helper
load ../rabbitmq

setup_file() {
	tools_speak amqp || return 0
	rabbitmq_installed || return 0
	CL_DIR=$(mktemp -d /tmp/mqtools-cluster.XXXXXX)
	CL_EPORT=$(rmq_freeport)
	export RMQ_COOKIE=MQTOOLSCLUSTERTEST$$
	local i
	for i in 1 2 3; do
		eval "CL_PORT$i=\$(rmq_freeport)"
		local port_var=CL_PORT$i
		eval "CL_PID$i=\$(rmq_spawn '$CL_DIR/n$i' 'r$i-$$' '${!port_var}' \"\$(rmq_freeport)\" '$CL_EPORT')"
	done
	export CL_DIR CL_EPORT CL_PORT1 CL_PORT2 CL_PORT3 CL_PID1 CL_PID2 CL_PID3 CL_TAG=$$
	for i in 1 2 3; do
		local port_var=CL_PORT$i
		rmq_wait_port "${!port_var}" 90 || { echo "node $i did not start" >&2; return 1; }
	done
	for i in 2 3; do
		cl_ctl "$i" stop_app >/dev/null
		cl_ctl "$i" join_cluster "r1-$$@localhost" >/dev/null
		cl_ctl "$i" start_app >/dev/null
	done
	for i in 2 3; do
		local port_var=CL_PORT$i
		rmq_wait_port "${!port_var}" 60
	done
}

cl_ctl() { # N CMD...
	local n=$1
	shift
	rmq_ctl_node "$CL_DIR/n$n" "r$n-$CL_TAG" "$CL_EPORT" "$@"
}

teardown_file() {
	[ -n "${CL_DIR:-}" ] || return 0
	local epmd i
	epmd=$(rmq_epmd_pid "$CL_EPORT")
	for i in 1 2 3; do
		local pid_var=CL_PID$i
		rmq_kill_wait "${!pid_var:-}"
	done
	[ -z "$epmd" ] && epmd=$(rmq_epmd_pid "$CL_EPORT")
	[ -n "$epmd" ] && kill "$epmd" 2>/dev/null
	rm -rf "$CL_DIR"
}

setup() {
	skip_without_rabbitmq
	require_tool mqsend mqrecv
	require_scheme amqp
	ns_setup
}

@test "the three nodes form one cluster" {
	run cl_ctl 1 cluster_status
	assert_success
	assert_output --partial "r2-$CL_TAG@localhost"
	assert_output --partial "r3-$CL_TAG@localhost"
}

@test "a node stopped while a producer and a consumer run: nothing lost, both go on through the others" {
	local h1=127.0.0.1:$CL_PORT1 h2=127.0.0.1:$CL_PORT2 h3=127.0.0.1:$CL_PORT3
	run mqsend -c --replicated "amqp://$h1/jobs" </dev/null
	assert_success
	# the producer on node 1 first, the consumer on node 2 first
	start_bg bash -c "exec mqrecv -f --batch 8 'amqp://$h2,$h3,$h1/jobs' >out 2>err.recv"
	local consumer=$BG_PID
	# Driven by state, not time: half the lines, node 1 stopped once the
	# consumer has some of them (the producer still running, waiting on
	# its input), then the other half, which must go through the others.
	start_bg bash -c "{ seq 1 300; until [ -e node1-down ]; do sleep 0.05; done; seq 301 600; } |
		exec mqsend 'amqp://$h1,$h2,$h3/jobs' 2>err.send"
	local producer=$BG_PID
	local end=$(($(date +%s) + 60))
	until [ "$(sort -un out | wc -l)" -ge 100 ] || [ "$(date +%s)" -ge "$end" ]; do sleep 0.2; done
	[ "$(sort -un out | wc -l)" -ge 100 ] ||
		fail "in 60 s the consumer got $(sort -un out | wc -l) of the first 300 lines"
	kill -0 "$producer" || fail "the producer ended before node 1 was stopped"
	rmq_kill_wait "$CL_PID1"
	touch node1-down
	wait_status "$producer"
	cat err.send >&2
	assert_equal "$status" 0
	end=$(($(date +%s) + 60))
	until [ "$(sort -un out | wc -l)" -ge 600 ] || [ "$(date +%s)" -ge "$end" ]; do sleep 0.2; done
	kill -TERM "$consumer"
	wait_status "$consumer"
	cat err.recv >&2
	assert_equal "$status" 0
	run bash -c "sort -un out | wc -l"
	assert_output 600
	# and the queue is left empty on the surviving nodes
	run mqrecv --nonblock "amqp://$h3/jobs"
	assert_failure 4
}
