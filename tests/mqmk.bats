#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/mqmk.bats - mqmk: creating queues of both kinds, --private,
# --exist-ok, --owner/--group, --change, the limits of mqsend -c, and its
# completions and provisioning unit. Other users through setpriv.

load helper

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

setup() {
	require_tool mqmk mqsend
	# POSIX queues count against root's RLIMIT_MSGQUEUE, machine-wide: keep them small
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

# The mode, owner and group of POSIX queue /NAME: "600 0 0".
posix_perms() {
	stat -c '%a %u %g' "$MQUEUE_DIR/${1#/}"
}

# The same of the System V queue with identifier ID, from the kernel's table.
sysv_perms() {
	ns awk -v id="$1" '$2 == id { print $3, $8, $9; found = 1 } END { exit !found }' /proc/sysvipc/msg
}

# msg_qbytes of System V queue ID.
sysv_qbytes() {
	ns ipcs -q -i "$1" | sed -n 's/.*qbytes=\([0-9]*\).*/\1/p'
}

@test "mqmk creates a POSIX queue mode 0600 and prints its name; --mode is exact, not umasked" {
	require_tool mqstat
	run ns sh -c "umask 077; '$MQTOOLS_BUILDDIR/mqmk' /jobs; umask 022; '$MQTOOLS_BUILDDIR/mqmk' -m 0666 /open"
	assert_success
	assert_output $'/jobs\n/open'
	[ "$(posix_perms /jobs)" = "600 0 0" ]
	[ "$(posix_perms /open)" = "666 0 0" ]
	# the kernel's default capacity, as mqsend -c gives
	run mqstat --raw --noheadings --bytes --output MAXMSGS,MSGSIZE /jobs
	assert_output "$(ns cat /proc/sys/fs/mqueue/msg_default) $(ns cat /proc/sys/fs/mqueue/msgsize_default)"
}

@test "mqmk creates System V queues by key and ftok, printing key and id" {
	touch "$BATS_TEST_TMPDIR/anchor"
	run ns sh -c "umask 077; '$MQTOOLS_BUILDDIR/mqmk' -m 0640 key:0x4d51 ftok:$BATS_TEST_TMPDIR/anchor:7"
	assert_success
	[ "${#lines[@]}" = 2 ]
	assert_line --index 0 --regexp '^key:0x00004d51 id:[0-9]+$'
	assert_line --index 1 --regexp '^key:0x[0-9a-f]{8} id:[0-9]+$'
	local id=${lines[0]##*id:}
	[ "$(sysv_perms "$id")" = "640 0 0" ]
	[ "$(sysv_qbytes "$id")" = "$(ns cat /proc/sys/kernel/msgmnb)" ]
	# the printed address reaches the queue
	run mqsend "${lines[0]%% *}" hi
	assert_success
	run mqsend "id:$id" hi
	assert_success
	[ "$(sysv_count 0x00004d51)" = 2 ]
}

@test "mqmk --maxmsg/--msgsize and --qbytes size the queue" {
	require_tool mqstat
	run mqmk --maxmsg 4 --msgsize 2k /small
	assert_success
	run mqstat --raw --noheadings --bytes --output MAXMSGS,MSGSIZE /small
	assert_output "4 2048"
	run mqmk --qbytes 4k key:0x20
	assert_success
	[ "$(sysv_qbytes "${output##*id:}")" = 4096 ]
}

@test "mqmk --private makes a keyless System V queue and prints only its id" {
	run mqmk --private -m 0620
	assert_success
	assert_output --regexp '^id:[0-9]+$'
	local id=${output#id:}
	run ns awk -v id="$id" '$2 == id { print $1, $3 }' /proc/sysvipc/msg
	assert_output "0 620"
	run mqmk --private
	assert_success
	[ "$output" != "id:$id" ]
	run mqmk --private /q
	assert_failure 2
	assert_output --partial 'not with QUEUE arguments'
	run mqmk --private --exist-ok
	assert_failure 2
	run mqmk --private --maxmsg 3
	assert_failure 2
	assert_output --partial '--maxmsg is for POSIX and amqp:// queues: a System V'
}

@test "mqmk: an existing queue is an error naming it; nothing else is touched" {
	mqmk -m 0644 /jobs key:0x30 >/dev/null
	run mqmk /jobs
	assert_failure 1
	assert_output --partial '/jobs: the queue already exists'
	run mqmk key:0x30
	assert_failure 1
	assert_output --partial 'key:0x30: the queue already exists'
	[ "$(posix_perms /jobs)" = "644 0 0" ]
	# the others are still made; the output names only those
	run mqmk /jobs /new
	assert_failure 1
	assert_line /new
	[ -e "$MQUEUE_DIR/new" ]
}

@test "mqmk --exist-ok accepts a queue as asked, and prints it" {
	mqmk --maxmsg 5 /jobs >/dev/null
	run mqmk --qbytes 2k key:0x31
	assert_success
	local sysv=$output
	run mqmk --exist-ok --maxmsg 5 /jobs
	assert_success
	assert_output /jobs
	run mqmk --exist-ok --qbytes 2k key:0x31
	assert_success
	assert_output "$sysv"
	# what was not asked for passes, unless it is the mode, owner or group
	run mqmk --exist-ok /jobs
	assert_success
	run --separate-stderr mqmk -e -o root -g 0 -m 0600 key:0x31 /jobs
	assert_success
	assert_output "$sysv
/jobs"
}

@test "mqmk --exist-ok refuses a queue unlike the one asked, naming each difference" {
	mqmk -m 0644 --maxmsg 5 /jobs >/dev/null
	mqmk --qbytes 2k key:0x32 >/dev/null
	run mqmk --exist-ok /jobs
	assert_failure 1
	assert_output --partial '/jobs: exists, but not as asked: mode 0644, not 0600'
	run mqmk --exist-ok -m 0644 --maxmsg 6 --msgsize 100 /jobs
	assert_failure 1
	assert_output --partial 'maxmsg 5, not 6'
	assert_output --partial 'msgsize'
	run mqmk --exist-ok --qbytes 4k key:0x32
	assert_failure 1
	assert_output --partial 'qbytes 2048, not 4096'
	run mqmk --exist-ok --owner nobody key:0x32
	assert_failure 1
	assert_output --partial 'owner root, not nobody'
	# left as it was
	[ "$(posix_perms /jobs)" = "644 0 0" ]
}

@test "mqmk --exist-ok: a capacity not asked for passes, and is named; an owner not asked for must be the caller" {
	mqmk -m 0644 --maxmsg 3 /jobs >/dev/null
	run --separate-stderr mqmk --exist-ok -m 0644 /jobs
	assert_success
	assert_output /jobs
	[[ $stderr == *"maxmsg 3 (a new queue's default: $(ns cat /proc/sys/fs/mqueue/msg_default))"* ]]
	# a name squatted by another user does not pass for ours
	ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" /squat key:0x33 >/dev/null
	run mqmk --exist-ok /squat
	assert_failure 1
	assert_output --partial 'owner nobody, not root (give --owner to accept another)'
	assert_output --partial 'group nogroup, not root'
	run mqmk --exist-ok key:0x33
	assert_failure 1
	assert_output --partial 'owner nobody, not root'
	run mqmk --exist-ok -o nobody -g 65534 /squat key:0x33
	assert_success
}

@test "mqmk --owner/--group give a new queue away, by name or number, mode applied after" {
	run mqmk -o nobody -g nogroup -m 0640 /jobs key:0x40
	assert_success
	[ "$(posix_perms /jobs)" = "640 65534 65534" ]
	[ "$(sysv_perms "${lines[1]##*id:}")" = "640 65534 65534" ]
	run mqmk -o 65534 -g 65534 /n key:0x41
	assert_success
	[ "$(posix_perms /n)" = "600 65534 65534" ]
	[ "$(sysv_perms "${lines[1]##*id:}")" = "600 65534 65534" ]
	# the new owner can use it, root's group alone cannot get in
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqsend" /n hello
	assert_success
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqsend" key:0x41 hello
	assert_success
	run mqmk -o no-such-user-here /x
	assert_failure 2
	assert_output --partial "invalid --owner value: no user 'no-such-user-here'"
	run mqmk -g no-such-group-here /x
	assert_failure 2
	[ ! -e "$MQUEUE_DIR/x" ]
}

@test "mqmk: a POSIX queue cannot be given away without root, and is not left behind" {
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -o root /theirs
	assert_failure 1
	assert_output --partial 'permission denied: only root (CAP_CHOWN) may give a POSIX queue another owner'
	assert_output --partial '/theirs: removed again, not created'
	[ ! -e "$MQUEUE_DIR/theirs" ]
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -g root /theirs
	assert_failure 1
	[ ! -e "$MQUEUE_DIR/theirs" ]
	# a System V creator may give it to anyone (IPC_SET's rule)
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -o root key:0x42
	assert_success
	[ "$(sysv_perms "${output##*id:}")" = "600 0 65534" ]
}

@test "mqmk: the limit errors are those of mqsend -c, word for word" {
	local q
	for q in "--maxmsg 100000 /a" "--msgsize 1G /a" "--maxmsg 0 /a" "--qbytes 0 key:5" "--qbytes 4k /a" \
		"--maxmsg 3 key:5" "id:5"; do
		run mqsend -c $q </dev/null
		local want_status=$status want=${output//mqsend/mqmk}
		run mqmk $q
		[ "$status" = "$want_status" ] || fail "mqmk $q: status $status, mqsend -c: $want_status"
		[ "$status" != 0 ] || fail "mqmk $q succeeded"
		if [ "$q" != id:5 ]; then
			[ "$output" = "$want" ] || fail "mqmk $q said: $output
mqsend -c said: $want"
		fi
	done
	# --qbytes over msgmnb, without CAP_SYS_RESOURCE
	run ns setpriv --bounding-set -sys_resource "$MQTOOLS_BUILDDIR/mqsend" -c --qbytes 1M key:0x10f x
	local want=${output//mqsend/mqmk}
	run ns setpriv --bounding-set -sys_resource "$MQTOOLS_BUILDDIR/mqmk" --qbytes 1M key:0x10f
	assert_failure 1
	assert_output "$want"
	assert_output --partial 'over the system limit'
	run ns awk '$1 == 271' /proc/sysvipc/msg
	assert_output ''
}

@test "mqmk: every address is checked before the first queue is made" {
	run mqmk /a --maxmsg 4 key:7
	assert_failure 2
	assert_output --partial '--maxmsg is for POSIX and amqp:// queues: a System V'
	run mqmk /a /
	assert_failure 2
	run mqmk /a id:3
	assert_failure 2
	assert_output --partial 'id:3 names a queue that exists'
	[ ! -e "$MQUEUE_DIR/a" ]
	run mqmk
	assert_failure 2
	assert_output --partial 'no queue given'
}

@test "mqmk does not read standard input" {
	# mqsend -c waits for input; mqmk returns at once
	run timeout 2 mqsend -c /waits < <(sleep 5)
	assert_failure 124
	run timeout 2 mqmk /new < <(sleep 5)
	assert_success
	assert_output /new
	run timeout 2 mqmk --private < <(sleep 5)
	assert_success
}

@test "mqmk --change changes mode, owner and group of a POSIX queue, keeping its messages" {
	mqmk /jobs >/dev/null
	mqsend /jobs one
	run mqmk --change -m 0604 /jobs
	assert_success
	assert_output ''
	[ "$(posix_perms /jobs)" = "604 0 0" ]
	run mqmk -C -o nobody -g nogroup /jobs
	assert_success
	[ "$(posix_perms /jobs)" = "604 65534 65534" ]
	# its message still there, as the kernel counts it (QSIZE: bytes queued)
	run cat "$MQUEUE_DIR/jobs"
	assert_output --regexp '^QSIZE:3 '
	# the owner may change a queue that its mode closes even to them
	ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -C -m 0 /jobs
	[ "$(posix_perms /jobs)" = "0 65534 65534" ]
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -C -m 0620 /jobs
	assert_success
	[ "$(posix_perms /jobs)" = "620 65534 65534" ]
	# but not give it away
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -C -o root /jobs
	assert_failure 1
	assert_output --partial 'only root (CAP_CHOWN)'
}

@test "mqmk --change changes a System V queue: mode, owner, group and --qbytes, by key or id" {
	run mqmk key:0x50
	local id=${output##*id:}
	mqsend key:0x50 one
	run mqmk --change -m 0660 -g nogroup --qbytes 3k key:0x50
	assert_success
	[ "$(sysv_perms "$id")" = "660 0 65534" ]
	[ "$(sysv_qbytes "$id")" = 3072 ]
	run mqmk -C -o nobody "id:$id"
	assert_success
	[ "$(sysv_perms "$id")" = "660 65534 65534" ]
	[ "$(sysv_count 0x00000050)" = 1 ]
	# the owner, with mode 0 (IPC_STAT refused), may still change it
	ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -C -m 0 key:0x50
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -C -m 0600 key:0x50
	assert_success
	[ "$(sysv_perms "$id")" = "600 65534 65534" ]
	# over msgmnb takes CAP_SYS_RESOURCE
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -C --qbytes 1G key:0x50
	assert_failure 1
	assert_output --partial "--qbytes 1073741824 is over the system limit of $(ns cat /proc/sys/kernel/msgmnb) bytes"
}

@test "mqmk --change: permission, missing queues and what cannot change" {
	mqmk /roots key:0x60 >/dev/null
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -C -m 0666 /roots
	assert_failure 1
	assert_output --partial '/roots: permission denied: only its owner (uid 0) or root may change its mode'
	run ns "${NOBODY[@]}" "$MQTOOLS_BUILDDIR/mqmk" -C -m 0666 key:0x60
	assert_failure 1
	assert_output --partial 'permission denied: only its owner (uid 0), its creator (uid 0) or root may change it'
	[ "$(posix_perms /roots)" = "600 0 0" ]
	run mqmk -C -m 0600 /nope
	assert_failure 3
	assert_output --partial '/nope: no such queue'
	run mqmk -C -m 0600 key:0x61 id:12345
	assert_failure 3
	run mqmk -C -m 0600 /nope /roots
	assert_failure 3
	run mqmk -C --maxmsg 3 /roots
	assert_failure 2
	assert_output --partial 'fixed when it is created'
	run mqmk -C --qbytes 4k /roots
	assert_failure 2
	assert_output --partial '--qbytes is for System V and amqp:// queues: a POSIX'
	run mqmk -C /roots
	assert_failure 2
	assert_output --partial '--change needs something to change'
	run mqmk -C -e -m 0600 /roots
	assert_failure 2
}

@test "mqmk: the provisioning unit's command makes the queues of its file, and again at a restart" {
	local unit=$BATS_TEST_DIRNAME/../dist/mqtools-queues@.service.in
	local exec
	exec=$(sed -n 's/^ExecStart=@bindir@\/mqmk //p' "$unit")
	[ "$exec" = '--exist-ok $MQMK_OPTIONS' ]
	cat >"$BATS_TEST_TMPDIR/jobs" <<-'EOF'
		MQMK_OPTIONS="-o nobody -g nogroup -m 0660 --maxmsg 4 /jobs /jobs-done"
	EOF
	# as systemd runs it: $VAR unquoted is split at white space
	local i
	for i in 1 2; do
		run ns sh -c 'set -f; . "$1"; exec "$2" --exist-ok $MQMK_OPTIONS' _ "$BATS_TEST_TMPDIR/jobs" "$MQTOOLS_BUILDDIR/mqmk"
		assert_success
		assert_output $'/jobs\n/jobs-done'
	done
	[ "$(posix_perms /jobs-done)" = "660 65534 65534" ]
	if command -v systemd-analyze >/dev/null; then
		sed "s|@bindir@|$MQTOOLS_BUILDDIR|" "$unit" >"$BATS_TEST_TMPDIR/mqtools-queues@jobs.service"
		run systemd-analyze verify --man=no "$BATS_TEST_TMPDIR/mqtools-queues@jobs.service"
		assert_success
		refute_output --partial 'Unknown'
	fi
}

@test "mqmk completions: bash, zsh and fish offer its options and values" {
	run bash_complete 'mqmk -'
	assert_success
	for opt in -m --mode -o --owner -g --group --maxmsg --msgsize --qbytes --private \
		-e --exist-ok -C --change -h --help -V --version; do
		assert_line -- "$opt"
	done
	refute_line -- --create
	refute_line -- --timeout
	run bash_complete 'mqmk -g ro'
	assert_line root
	run bash_complete 'mqmk --group=nog'
	assert_output nogroup
	run bash_complete 'mqmk -m 064'
	assert_output $'0640\n0644'
	mqmk /jobs >/dev/null
	run bash_complete 'mqmk -C -m 0600 /j'
	assert_output /jobs

	local c=$BATS_TEST_DIRNAME/../completions
	if command -v fish >/dev/null; then
		mkdir -p "$BATS_TEST_TMPDIR/fish-functions"
		cp "$c/__mqtools.fish" "$BATS_TEST_TMPDIR/fish-functions/"
		run ns fish --no-config -c '
			set -p fish_function_path $argv[1]
			set -p fish_complete_path $argv[2]
			for line in $argv[3..]
				echo "$line =>" (complete -C "$line" | string replace -r "\t.*" "")
			end' "$BATS_TEST_TMPDIR/fish-functions" "$c" 'mqmk --' 'mqmk --group nog' 'mqmk -o 0 /j'
		assert_success
		assert_line --regexp '^mqmk -- => .*--change .*--exist-ok .*--group .*--private'
		assert_line 'mqmk --group nog => nogroup'
		assert_line 'mqmk -o 0 /j => /jobs'
	fi
	if command -v zsh >/dev/null; then
		# the zpty driver of completions.bats, taken from there
		eval "$(sed -n '/^zsh_complete() {/,/^}/p' "$BATS_TEST_DIRNAME/completions.bats")"
		COMPLETIONS=$c
		run zsh_complete 'mqmk --' 'mqmk -C -m 06'
		assert_success
		assert_line --regexp '^mqmk -- => (.* )?--exist-ok( |$)'
		assert_line --regexp '^mqmk -- => (.* )?--private( |$)'
		assert_line 'mqmk -C -m 06 => 0600 0640 0660 0620 0644 0666'
	fi
}
