#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# amqps://: mqsend and mqrecv over TLS to a real RabbitMQ node with a TLS
# listener on 127.0.0.1 and a random port, its certificate from a CA made
# for this run (test_ca). The server is verified against MQTOOLS_CAFILE,
# else the system's CAs, which do not know it. Skipped only when
# rabbitmq-server is not installed or the tools were built without amqp://.

load helper
load rabbitmq

setup_file() {
	tools_speak amqp || return 0
	rabbitmq_installed || return 0
	TLS_DIR=$(mktemp -d /tmp/mqtools-amqps.XXXXXX)
	test_ca "$TLS_DIR" || return 1
	RMQ_TLS_PORT=$(rmq_freeport)
	RMQ_EXTRA_CONF="listeners.ssl.default = 127.0.0.1:$RMQ_TLS_PORT
ssl_options.cacertfile = $TLS_DIR/ca.pem
ssl_options.certfile = $TLS_DIR/server.pem
ssl_options.keyfile = $TLS_DIR/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false"
	export TLS_DIR RMQ_TLS_PORT RMQ_EXTRA_CONF
	rabbitmq_start || return 1
	rmq_wait_port "$RMQ_TLS_PORT" 30 || { echo "no TLS listener on 127.0.0.1:$RMQ_TLS_PORT" >&2; return 1; }
}

teardown_file() {
	rabbitmq_stop
	[ -z "${TLS_DIR:-}" ] || rm -rf "$TLS_DIR"
}

setup() {
	skip_without_rabbitmq
	require_tool mqsend mqrecv
	require_scheme amqp
	ns_setup
	S=amqps://localhost:$RMQ_TLS_PORT/tls$BATS_TEST_NUMBER
}

@test "amqps:// with the test CA in MQTOOLS_CAFILE: sent and received over TLS" {
	MQTOOLS_CAFILE=$TLS_DIR/ca.pem mqsend -c "$S" one two
	run env MQTOOLS_CAFILE="$TLS_DIR/ca.pem" mqrecv -n 2 "$S"
	assert_success
	assert_output $'one\ntwo'
	# it went through the TLS listener: the plain one holds the same queue
	run mqrecv --nonblock "$RMQ_URL/tls$BATS_TEST_NUMBER"
	assert_failure 4
}

@test "amqps:// without the CA: the server is not trusted, exit 1 naming the broker" {
	run mqsend -c "$S" x
	assert_failure 1
	assert_output --partial "localhost:$RMQ_TLS_PORT"
	assert_output --partial "TLS"
	refute_output --partial "built without"
	# nor with a CA that did not sign its certificate
	mkdir other && test_ca "$PWD/other"
	run env MQTOOLS_CAFILE="$PWD/other/ca.pem" mqsend -c "$S" x
	assert_failure 1
	assert_output --partial "localhost:$RMQ_TLS_PORT: TLS failed"
	# and nothing was sent
	run env MQTOOLS_CAFILE="$TLS_DIR/ca.pem" mqrecv --nonblock "$S"
	assert_failure
}
