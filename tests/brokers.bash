# SPDX-License-Identifier: GPL-2.0-or-later
# tests/brokers.bash - a RabbitMQ and a mosquitto for a test file that moves
# messages between every kind (json.bats, forward.bats): both started once
# for the file in setup_file (brokers_start), on 127.0.0.1 and random ports,
# each only when installed and the tools speak its protocol; stopped by pid
# in teardown_file (brokers_stop). A test that needs one calls need_amqp or
# need_mqtt, which skip without it.

# shellcheck source=rabbitmq.bash
. "${BASH_SOURCE[0]%/*}/rabbitmq.bash"
# shellcheck source=mosquitto.bash
. "${BASH_SOURCE[0]%/*}/mosquitto.bash"

brokers_start() {
	[ -x "$MQTOOLS_BUILDDIR/mqsend" ] || return 0
	if rabbitmq_installed && tools_speak amqp; then rabbitmq_start; fi
	if mosquitto_installed && tools_speak mqtt; then mosquitto_start; fi
}

# Each test's setup: the tools, jq, and the test's own namespaces, whose
# POSIX queues are small (RLIMIT_MSGQUEUE is shared by every root process
# of the machine: see helper.bash).
brokers_test_setup() {
	require_tool mqsend mqrecv
	require_command jq
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

brokers_stop() {
	rabbitmq_stop
	mosquitto_stop
}

# The file's RabbitMQ, started again if a test that stopped it failed.
need_amqp() {
	[ -n "${RMQ_URL:-}" ] || skip "no RabbitMQ (rabbitmq-server, and tools built with rabbitmq-c)"
	rmq_wait_port "$RMQ_PORT" 0 || rabbitmq_respawn
}

need_mqtt() {
	[ -n "${MQTT_PORT:-}" ] || skip "no mosquitto (mosquitto, and tools built with libmosquitto)"
}
