# SPDX-License-Identifier: GPL-2.0-or-later
# tests/mosquitto.bash - a real mosquitto broker per test file, for the
# mqtt:// tests. Load it after helper.bash and call, in the file's
# setup_file and teardown_file:
#     setup_file()    { mosquitto_start [config lines...]; }
#     teardown_file() { mosquitto_stop; }
# The broker listens on 127.0.0.1 alone and on a random free port (never
# 1883, where a system broker may run), with its own config and no
# persistence (unless a test file asks for it with a config line), and
# `max_queued_messages 0`: a slow or absent persistent subscriber must not
# lose messages to the broker's default limit of 1000, which would be noise
# in a test. Skipped only when /usr/sbin/mosquitto is not installed (CI
# installs it: .ci/packages-test) or the tools were built without mqtt://.
#
# Optional, before mosquitto_start:
#     mosquitto_with_password USER PASSWORD   anonymous refused on the plain
#                                             listener, USER/PASSWORD accepted
#     mosquitto_with_tls                      a second listener with TLS, its
#                                             server certificate signed by a CA
#                                             made here: MQTT_TLS_PORT, MQTT_CA
#     mosquitto_with_acl FILE                 an acl_file
# Sets MQTT_PORT, MQTT_PID, MQTT_DIR (the config, log and files) and, with
# TLS, MQTT_TLS_PORT and MQTT_CA. mosquitto_restart stops and starts it on
# the same ports (a broker going away under a running client).

# (overridable: MOSQUITTO=/nonexistent shows the skips of a machine without it)
: "${MOSQUITTO:=/usr/sbin/mosquitto}"

# A free TCP port on 127.0.0.1, never 1883 or 8883 (a system broker's).
mqtt_free_port() {
	local p
	while :; do
		p=$(free_loopback_port) || return 1
		[ "$p" != "${MQTT_PORT:-}" ] && [ "$p" != "${MQTT_TLS_PORT:-}" ] && { echo "$p"; return 0; }
	done
}

# Wait until 127.0.0.1:PORT accepts connections, at most SECONDS.
mqtt_wait_port() {
	local port=$1 tries=$(( $2 * 50 ))
	while ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
		tries=$((tries - 1))
		[ "$tries" -le 0 ] && return 1
		sleep 0.02
	done
}

_mosquitto_dir() {
	: "${MQTT_DIR:=${BATS_FILE_TMPDIR:-$BATS_TMPDIR}/mosquitto}"
	mkdir -p "$MQTT_DIR"
	chmod 0755 "$MQTT_DIR"
	export MQTT_DIR
}

# For setup_file: bats 1.8 counts a skip there as a failure of the whole
# file, so setup_file returns early (`mosquitto_installed && tools_speak
# mqtt || return 0`: no broker for tools built without mqtt://)
# and each test's setup skips (mosquitto_require).
mosquitto_installed() {
	[ -x "$MOSQUITTO" ]
}

mosquitto_require() {
	[ -x "$MOSQUITTO" ] || skip "mosquitto is not installed (Debian: mosquitto, mosquitto-clients)"
}

mosquitto_with_password() {
	mosquitto_require
	_mosquitto_dir
	rm -f "$MQTT_DIR/passwd"
	mosquitto_passwd -b -c "$MQTT_DIR/passwd" "$1" "$2" >/dev/null 2>&1 || return 1
	MQTT_PASSWORD_FILE=$MQTT_DIR/passwd
	export MQTT_PASSWORD_FILE
}

# A test CA and a server certificate for 127.0.0.1 and localhost, made with
# openssl here (nothing is shipped or reused across runs).
mosquitto_with_tls() {
	_mosquitto_dir
	local d=$MQTT_DIR
	test_ca "$d" || return 1
	MQTT_TLS_PORT=$(mqtt_free_port) || return 1
	MQTT_CA=$d/ca.pem
	export MQTT_TLS_PORT MQTT_CA
}

mosquitto_with_acl() {
	_mosquitto_dir
	MQTT_ACL_FILE=$1
	export MQTT_ACL_FILE
}

_mosquitto_config() {
	local conf=$MQTT_DIR/mosquitto.conf
	{
		# running as root, mosquitto would switch to the user mosquitto,
		# who cannot read this directory's files: stay who we are
		echo "user $(id -un)"
		echo "per_listener_settings false"
		echo "persistence false"
		echo "max_queued_messages 0"
		echo "log_dest file $MQTT_DIR/log"
		echo "log_type error"
		echo "log_type warning"
		echo "log_type notice"
		echo "log_type subscribe"
		echo "listener $MQTT_PORT 127.0.0.1"
		if [ -n "${MQTT_TLS_PORT:-}" ]; then
			echo "listener $MQTT_TLS_PORT 127.0.0.1"
			echo "cafile $MQTT_DIR/ca.pem"
			echo "certfile $MQTT_DIR/server.pem"
			echo "keyfile $MQTT_DIR/server.key"
		fi
		if [ -n "${MQTT_PASSWORD_FILE:-}" ]; then
			echo "allow_anonymous false"
			echo "password_file $MQTT_PASSWORD_FILE"
		else
			echo "allow_anonymous true"
		fi
		[ -n "${MQTT_ACL_FILE:-}" ] && echo "acl_file $MQTT_ACL_FILE"
		printf '%s\n' "$@"
	} > "$conf"
}

_mosquitto_run() {
	"$MOSQUITTO" -c "$MQTT_DIR/mosquitto.conf" >> "$MQTT_DIR/stdout" 2>&1 3>&- 4>&- 5>&- &
	MQTT_PID=$!
	echo "$MQTT_PID" > "$MQTT_DIR/pid"
	export MQTT_PID
	if ! mqtt_wait_port "$MQTT_PORT" 5 || { [ -n "${MQTT_TLS_PORT:-}" ] && ! mqtt_wait_port "$MQTT_TLS_PORT" 5; }; then
		echo "mosquitto did not start: $(cat "$MQTT_DIR/stdout" "$MQTT_DIR/log" 2>/dev/null | tail -5)" >&2
		mosquitto_stop
		return 1
	fi
}

# Start the broker; extra arguments are config lines.
mosquitto_start() {
	mosquitto_require
	_mosquitto_dir
	# a port found free may still be taken before mosquitto binds it (by
	# another suite beside this one, as in CI's lanes): pick again
	local try
	for try in 1 2 3; do
		MQTT_PORT=$(mqtt_free_port) || return 1
		if [ "$try" != 1 ] && [ -n "${MQTT_TLS_PORT:-}" ]; then
			MQTT_TLS_PORT=$(mqtt_free_port) || return 1
		fi
		export MQTT_PORT MQTT_TLS_PORT
		_mosquitto_config "$@"
		_mosquitto_run 2>"$MQTT_DIR/start-error" && return 0
		grep -q 'Address already in use' "$MQTT_DIR/start-error" || break
	done
	cat "$MQTT_DIR/start-error" >&2
	return 1
}

# Stop it by its pid, and wait for it.
mosquitto_stop() {
	# the pid file first: a test that restarted the broker changed the pid
	# in its own process only, and teardown_file must stop the new one
	local pid=${MQTT_PID:-}
	if [ -f "${MQTT_DIR:-/nonexistent}/pid" ]; then pid=$(cat "$MQTT_DIR/pid"); fi
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "${MQTT_DIR:-/nonexistent}/pid"
	MQTT_PID=
}

# Stop and start again on the same ports and config.
mosquitto_restart() {
	mosquitto_stop
	_mosquitto_run
}

# Wait until N subscriptions to FILTER (as the broker logs them: a shared
# one is $share/GROUP/TOPIC) were made since the broker started, at most 5 s:
# a message published before a subscription exists is dropped.
mqtt_wait_subscribed() {
	local filter=$1 n=${2:-1} tries=250
	while [ "$(awk -v f="$filter" '$NF == f' "$MQTT_DIR/log" 2>/dev/null | wc -l)" -lt "$n" ]; do
		tries=$((tries - 1))
		[ "$tries" -le 0 ] && { echo "no $n subscription(s) to $filter: $(tail -5 "$MQTT_DIR/log")" >&2; return 1; }
		sleep 0.02
	done
}

# A test of the tools against the file's broker: skipped without mosquitto
# or when the tools were built without mqtt://, in its own namespaces (helper.bash), with T a topic of its own: a retained
# message or a session of one test must not reach another.
mosquitto_test_setup() {
	mosquitto_require
	require_tool mqsend mqrecv
	require_scheme mqtt
	ns_setup
	T=t$BATS_TEST_NUMBER
}
