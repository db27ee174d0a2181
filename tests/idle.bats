#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# idle.bats - mqrecv -f --idle DURATION (issue 26): a worker that ends with
# status 0 once its queue stayed quiet, for output, --exec and --to alike;
# -T still ends with status 4. The waits are short: what is checked is the
# status and what was taken, never how long it took.

load helper

setup() {
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

@test "-f --idle: every message written, then status 0 once none comes (POSIX, System V)" {
	local q
	for q in /q key:0x81; do
		mqsend -c "$q" one two
		run mqrecv -f --idle 200ms "$q"
		assert_success
		assert_output $'one\ntwo'
	done
	# -T is a failure where --idle is not
	run mqrecv -f -T 200ms /q
	assert_failure 4
	assert_output --partial 'timed out waiting for a message'
}

@test "-f --idle with --exec: the commands run, the last waited for, then status 0" {
	mqsend -c /jobs a b c
	run mqrecv -f --idle 200ms -P 2 /jobs --exec sh -c 'cat >"$0/done.$$"' "$PWD"
	assert_success
	run sort done.*
	assert_output $'a\nb\nc'
	run mqrecv --nonblock /jobs
	assert_failure 4
}

@test "-f --idle with --to: every message moved, then status 0" {
	mqsend -c /src one two
	mqsend -c key:0x82 </dev/null
	run mqrecv -f --idle 200ms /src --to key:0x82
	assert_success
	run mqrecv --drain key:0x82
	assert_output $'one\ntwo'
}

@test "--idle needs -f and a duration, and takes neither -T, --nonblock nor --wait" {
	mqsend -c /q </dev/null
	run mqrecv --idle 1s /q
	assert_failure 2
	assert_output --partial 'add -f'
	run mqrecv --drain --idle 1s /q
	assert_failure 2
	run mqrecv -f --idle 0 /q
	assert_failure 2
	run mqrecv -f --idle soon /q
	assert_failure 2
	for opt in '-T 1s' --nonblock --wait; do
		# shellcheck disable=SC2086 # the option's words
		run mqrecv -f --idle 1s $opt /q
		assert_failure 2
		assert_output --partial -- '--idle is how long --follow waits'
	done
}

@test "completions: --idle takes a duration (bash offers them; zsh and fish know it)" {
	require_bash_completion
	run bash_complete 'mqrecv -f --idle '
	assert_success
	assert_line 30s
	grep -q -- "--idle=\[with -f" "$BATS_TEST_DIRNAME/../completions/_mqrecv"
	grep -q -- "option mqrecv '' idle duration" "$BATS_TEST_DIRNAME/../completions/mqrecv.fish"
}
