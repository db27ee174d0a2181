# SPDX-License-Identifier: GPL-2.0-or-later
# tests/rabbitmq.bash - a real RabbitMQ node for the amqp:// tests, started
# once per .bats file (it takes about 9 s and 145 MB): in setup_file,
# `rabbitmq_start` (after `rabbitmq_installed || return 0`); in teardown_file,
# `rabbitmq_stop`, which ends the node and its epmd by pid. It listens on
# 127.0.0.1 only, on ports picked free at random (never 5672), without
# systemd: /usr/lib/rabbitmq/bin/rabbitmq-server directly (the
# /usr/sbin wrapper changes user and drops the environment), every file it
# writes under one temporary directory.
#
# After rabbitmq_start: RMQ_PORT (AMQP), RMQ_URL (amqp://127.0.0.1:PORT),
# RMQ_DIR, and rmqctl CMD... (rabbitmqctl on this node).

# shellcheck source=loopback-port.bash
. "${BASH_SOURCE[0]%/*}/loopback-port.bash"

# (overridable: RABBITMQ_SERVER=/nonexistent shows the skips of a machine without it)
: "${RABBITMQ_SERVER:=/usr/lib/rabbitmq/bin/rabbitmq-server}"

# For setup_file: bats 1.8 counts a skip there as a failure of the whole
# file, so setup_file returns early (`rabbitmq_installed || return 0`) and
# each test's setup skips (skip_without_rabbitmq).
rabbitmq_installed() {
	[ -x "$RABBITMQ_SERVER" ]
}

skip_without_rabbitmq() {
	[ -x "$RABBITMQ_SERVER" ] || skip "rabbitmq-server is not installed (apt-get install rabbitmq-server)"
}

# The usual setup of an amqp:// test file: its setup_file calls
# rabbitmq_file_setup (a node for the file, when there is something to
# test), its teardown_file rabbitmq_stop, and its setup amqp_test_setup
# (the skips, then the test's namespace).
rabbitmq_file_setup() {
	tools_speak amqp || return 0
	rabbitmq_installed || return 0
	rabbitmq_start
}

amqp_test_setup() {
	skip_without_rabbitmq
	require_tool mqsend mqrecv
	require_scheme amqp
	ns_setup
}

rmq_freeport() {
	free_loopback_port
}

rmq_wait_port() { # PORT SECONDS
	local end=$(($(date +%s) + $2))
	until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# Whether process PID is ANCESTOR or one of its descendants.
rmq_descends() { # PID ANCESTOR
	local p=$1 i
	for ((i = 0; i < 32; i++)); do
		[ "$p" = "$2" ] && return 0
		p=$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$p/status" 2>/dev/null)
		[ -n "$p" ] && [ "$p" -gt 1 ] || return 1
	done
	return 1
}

# The pid listening on 127.0.0.1:PORT, if any.
rmq_listener_pid() { # PORT
	ss -ltnpH "src 127.0.0.1:$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -1
}

# rmq_wait_ready DIR NAME PORT EPORT PID SECONDS: wait until the node
# started as PID (rmq_spawn) listens on PORT and has finished booting.
# An open port alone does not say that: RabbitMQ opens its listener before
# the node is ready for every client, and on a machine shared with other
# test runs the port could have been taken by another daemon while a node
# was being restarted (a login there fails as "connection closed"). So the
# listener must be this node's, and `rabbitmqctl await_startup` must agree.
rmq_wait_ready() {
	local d=$1 n=$2 port=$3 e=$4 pid=$5 end=$(($(date +%s) + $6)) owner=''
	while :; do
		owner=$(rmq_listener_pid "$port")
		[ -n "$owner" ] && break
		if ! kill -0 "$pid" 2>/dev/null || [ "$(date +%s)" -ge "$end" ]; then
			echo "rabbitmq-server (pid $pid) did not listen on 127.0.0.1:$port within $6 s:" >&2
			tail -5 "$d/stdout" >&2
			return 1
		fi
		sleep 0.1
	done
	if ! rmq_descends "$owner" "$pid"; then
		echo "127.0.0.1:$port is not the test's RabbitMQ (pid $pid) but pid $owner ($(cat "/proc/$owner/comm" 2>/dev/null)):" >&2
		tail -5 "$d/stdout" >&2
		return 1
	fi
	local left=$((end - $(date +%s)))
	[ "$left" -gt 5 ] || left=5
	if ! timeout "$left" bash -c "$(declare -f rmq_ctl_node); rmq_ctl_node \"\$@\" await_startup" _ "$d" "$n" "$e" >/dev/null 2>&1; then
		echo "rabbitmq-server (pid $pid) listens on 127.0.0.1:$port but did not finish starting within $6 s:" >&2
		tail -5 "$d/stdout" >&2
		return 1
	fi
}

# rmq_node_start DIR NAME [extra conf lines]: one node; sets RMQ_PID_<NAME>
# and friends through the caller's variables (used by the cluster test too).
rmq_node_env() { # DIR NAME PORT DPORT EPORT
	printf '%s\n' "HOME=$1/home" "RABBITMQ_NODENAME=$2@localhost" "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1" \
		"RABBITMQ_NODE_PORT=$3" "RABBITMQ_DIST_PORT=$4" "ERL_EPMD_ADDRESS=127.0.0.1" "ERL_EPMD_PORT=$5" \
		"RABBITMQ_MNESIA_BASE=$1/mnesia" "RABBITMQ_LOG_BASE=$1/log" "RABBITMQ_CONFIG_FILE=$1/rabbitmq" \
		"RABBITMQ_ENABLED_PLUGINS_FILE=$1/enabled_plugins" "RABBITMQ_PID_FILE=$1/rabbit.pid" \
		"RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}" \
		"RABBITMQ_CTL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
}

# rmq_spawn DIR NAME PORT DPORT EPORT: start a node in the background; echoes its pid
rmq_spawn() {
	local d=$1
	mkdir -p "$d/home" "$d/log"
	echo '[].' >"$d/enabled_plugins"
	printf 'listeners.tcp.default = 127.0.0.1:%s\n' "$3" >"$d/rabbitmq.conf"
	# RMQ_EXTRA_CONF: more rabbitmq.conf lines (a TLS listener, say)
	[ -z "${RMQ_EXTRA_CONF:-}" ] || printf '%s\n' "$RMQ_EXTRA_CONF" >>"$d/rabbitmq.conf"
	[ -n "${RMQ_COOKIE:-}" ] && { printf '%s' "$RMQ_COOKIE" >"$d/home/.erlang.cookie"; chmod 400 "$d/home/.erlang.cookie"; }
	mapfile -t _env < <(rmq_node_env "$@")
	# in its own directory, crash dump there too: nothing lands in the
	# caller's directory (a checkout, when the suite runs from one)
	(cd "$d" && exec env "${_env[@]}" ERL_CRASH_DUMP="$d/erl_crash.dump" "$RABBITMQ_SERVER" \
		>"$d/stdout" 2>&1 </dev/null 3>&-) &
	echo $!
}

# rabbitmqctl against node NAME of DIR on EPORT
rmq_ctl_node() { # DIR NAME EPORT CMD...
	local d=$1 n=$2 e=$3
	shift 3
	(cd "$d" && env HOME="$d/home" ERL_EPMD_PORT="$e" ERL_EPMD_ADDRESS=127.0.0.1 ERL_CRASH_DUMP="$d/erl_crash.dump" \
		RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
		/usr/lib/rabbitmq/bin/rabbitmqctl -n "$n@localhost" "$@")
}

# The pid of the epmd listening on 127.0.0.1:EPORT.
rmq_epmd_pid() {
	ss -ltnpH "src 127.0.0.1:$1" 2>/dev/null | sed -n 's/.*"epmd",pid=\([0-9]*\),.*/\1/p' | head -1
}

rabbitmq_start() {
	rabbitmq_installed || return 0 # setup_file: see rabbitmq_installed
	RMQ_DIR=$(mktemp -d /tmp/mqtools-rmq.XXXXXX)
	RMQ_NAME=mqtools-$$
	RMQ_PORT=$(rmq_freeport)
	RMQ_DPORT=$(rmq_freeport)
	RMQ_EPORT=$(rmq_freeport)
	RMQ_PID=$(rmq_spawn "$RMQ_DIR" "$RMQ_NAME" "$RMQ_PORT" "$RMQ_DPORT" "$RMQ_EPORT")
	echo "$RMQ_PID" >"$RMQ_DIR/server.pid"
	if ! rmq_wait_ready "$RMQ_DIR" "$RMQ_NAME" "$RMQ_PORT" "$RMQ_EPORT" "$RMQ_PID" 90; then
		rabbitmq_stop
		return 1
	fi
	RMQ_URL=amqp://127.0.0.1:$RMQ_PORT
	export RMQ_DIR RMQ_NAME RMQ_PORT RMQ_DPORT RMQ_EPORT RMQ_PID RMQ_URL
}

rmqctl() {
	rmq_ctl_node "$RMQ_DIR" "$RMQ_NAME" "$RMQ_EPORT" "$@"
}

# Stop a node by pid: SIGTERM (its script stops the Erlang VM), then after
# 30 s SIGKILL to the VM (the script's child) and to the script.
rmq_kill_wait() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	pkill -KILL -P "$pid" 2>/dev/null
	kill -KILL "$pid" 2>/dev/null
	true
}

# Start the node of rabbitmq_start again, on the same ports and data,
# once it is gone. A test runs in a process of its own: the new pid goes to
# RMQ_DIR/server.pid, where rabbitmq_stop (in teardown_file) finds it.
rabbitmq_respawn() {
	local i
	# a node killed with SIGKILL may hold its port a moment longer
	for ((i = 0; i < 300; i++)); do
		[ -z "$(rmq_listener_pid "$RMQ_PORT")" ] && break
		sleep 0.1
	done
	RMQ_PID=$(rmq_spawn "$RMQ_DIR" "$RMQ_NAME" "$RMQ_PORT" "$RMQ_DPORT" "$RMQ_EPORT")
	echo "$RMQ_PID" >"$RMQ_DIR/server.pid"
	rmq_wait_ready "$RMQ_DIR" "$RMQ_NAME" "$RMQ_PORT" "$RMQ_EPORT" "$RMQ_PID" 90
}

# Restart the node: stopped (SIGTERM, as rabbitmq_stop), then respawned.
rabbitmq_restart() {
	rmq_kill_wait "$(cat "$RMQ_DIR/server.pid")"
	rabbitmq_respawn
}

# Whether one of PIDS still runs (a zombie does not).
rmq_running() {
	local p
	for p; do
		[ -r "/proc/$p/stat" ] && [ "$(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null)" != Z ] && return 0
	done
	return 1
}

# Kill the node as a crash does: SIGKILL to the Erlang VM (the script's
# child) and to the script, nothing said to its clients. Returns once the
# VM is gone and its port refuses connections (its epmd stays, for
# rabbitmq_respawn).
rabbitmq_kill9() {
	local pid i
	pid=$(cat "$RMQ_DIR/server.pid")
	local -a pids=("$pid" $(pgrep -P "$pid"))
	kill -KILL "${pids[@]}" 2>/dev/null
	for ((i = 0; i < 600; i++)); do
		if ! rmq_running "${pids[@]}" && ! (exec 3<>"/dev/tcp/127.0.0.1/$RMQ_PORT") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "the killed rabbitmq node (pid $pid) did not go within 60 s" >&2
	return 1
}

rabbitmq_stop() {
	[ -n "${RMQ_EPORT:-}" ] || return 0
	local epmd
	epmd=$(rmq_epmd_pid "$RMQ_EPORT")
	if [ -f "${RMQ_DIR:-}/server.pid" ]; then RMQ_PID=$(cat "$RMQ_DIR/server.pid"); fi
	rmq_kill_wait "${RMQ_PID:-}"
	[ -z "$epmd" ] && epmd=$(rmq_epmd_pid "$RMQ_EPORT")
	[ -n "$epmd" ] && kill "$epmd" 2>/dev/null
	[ -n "${RMQ_DIR:-}" ] && rm -rf "$RMQ_DIR"
	true
}
