#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/completions.bats - the bash, zsh and fish completions of completions/,
# run for real: each completes command lines inside the test's private IPC +
# mount namespace, where this test has made the queues it expects to see.

load helper

COMPLETIONS=$BATS_TEST_DIRNAME/../completions

# Each test needs its shell: the name says which. The check is made here,
# in the test's own shell, where a skip counts as one (inside a function run
# through `run` it would only end the subshell, and the test would fail).
setup() {
	case $BATS_TEST_DESCRIPTION in
	bash:*) require_bash_completion ;;
	zsh:*) require_command zsh ;;
	fish:*) require_command fish ;;
	esac
	# small queues: root's RLIMIT_MSGQUEUE is shared with the machine
	NS_MSGSIZE_DEFAULT=1024 ns_setup
}

# The queues every test sees: two POSIX ones, a System V one with key
# 0x1234, one with a key that /proc shows negative, and a private one (key
# 0, which has no key: form). Made without mqtools, so that only the
# completions are under test. Prints the ids of the System V ones.
make_queues() {
	ns touch /dev/mqueue/jobs /dev/mqueue/logs
	ns python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
for key in (0x1234, -2, 0):  # 0 is IPC_PRIVATE
    qid = libc.msgget(key, 0o1600)
    if qid < 0:
        sys.exit("msgget: errno %d" % ctypes.get_errno())
    print(qid)'
}

# Whether $output (one completion a line) has exactly the words given, in
# any order.
assert_offers_exactly() {
	local want got
	want=$(printf '%s\n' "$@" | sort)
	got=$(printf '%s\n' "$output" | sed '/^$/d' | sort)
	[ "$got" = "$want" ] || fail "offered:
$got
expected:
$want"
}

@test "bash: mqsend - offers every mqsend option and none of mqrecv's" {
	run bash_complete 'mqsend -'
	assert_success
	for opt in -p --priority -t --type -0 --null -d --delimiter -w --whole -J --json \
		-c --create -x --exclusive -m --mode --maxmsg --msgsize --qbytes \
		--nonblock -T --timeout -h --help -V --version; do
		assert_line -- "$opt"
	done
	refute_line -- --follow
	refute_line -- --peek
}

@test "bash: mqrecv -- offers mqrecv's long options" {
	run bash_complete 'mqrecv --'
	assert_success
	for opt in --count --follow --drain --type --except --peek --null --raw --delimiter --json \
		--create --exclusive --mode --maxmsg --msgsize --qbytes --nonblock --timeout; do
		assert_line -- "$opt"
	done
	refute_line -- --priority
	refute_line -- --whole
}

@test "bash: the queue operand offers the namespace's live POSIX and System V queues" {
	local ids
	ids=($(make_queues))
	run bash_complete 'mqsend '
	assert_success
	assert_offers_exactly /jobs /logs key:0x00001234 key:0xfffffffe \
		"id:${ids[0]}" "id:${ids[1]}" "id:${ids[2]}"

	run bash_complete 'mqrecv /j'
	assert_offers_exactly /jobs
	run bash_complete 'mqrecv -n 2 i'
	assert_offers_exactly "id:${ids[0]}" "id:${ids[1]}" "id:${ids[2]}"
}

@test "bash: key: completes after the colon, as bash splits words there" {
	make_queues >/dev/null
	run bash_complete 'mqrecv key:0x0'
	assert_success
	assert_offers_exactly 0x00001234
}

@test "bash: a queue removed is no longer offered" {
	make_queues >/dev/null
	ns rm /dev/mqueue/jobs
	run bash_complete 'mqrecv /'
	assert_offers_exactly /logs
}

@test "bash: option values: durations, modes, sizes, and nothing for numbers" {
	make_queues >/dev/null
	run bash_complete 'mqsend -T '
	assert_offers_exactly 100ms 500ms 1s 2s 5s 30s 1m 1h
	run bash_complete 'mqrecv --timeout 5'
	assert_offers_exactly 5ms 5s 5m 5h 5d 5w
	run bash_complete 'mqrecv --timeout=1.5'
	assert_offers_exactly 1.5ms 1.5s 1.5m 1.5h 1.5d 1.5w
	run bash_complete 'mqsend -cT '
	assert_offers_exactly 100ms 500ms 1s 2s 5s 30s 1m 1h
	run bash_complete 'mqsend --mode 06'
	assert_offers_exactly 0600 0640 0660 0620 0644 0666
	run bash_complete 'mqsend --msgsize 4'
	assert_offers_exactly 4 4k 4M
	# A priority is a number: no queue names in its place.
	run bash_complete 'mqsend -p '
	assert_success
	assert_output ''
}

@test "bash: operands: the queue first, then free text for mqsend" {
	make_queues >/dev/null
	run bash_complete 'mqsend -p 3 /l'
	assert_offers_exactly /logs
	run bash_complete 'mqsend --priority=3 /l'
	assert_offers_exactly /logs
	run bash_complete 'mqsend /jobs /'
	assert_output ''
	run bash_complete 'mqsend -- /l'
	assert_offers_exactly /logs
}

@test "bash: ftok: completes a path and leaves room for :PROJ" {
	mkdir -p "$BATS_TEST_TMPDIR/keys"
	touch "$BATS_TEST_TMPDIR/keys/alpha"
	run bash_complete "mqsend f"
	assert_offers_exactly nospace ftok:
	run bash_complete "mqsend ftok:$BATS_TEST_TMPDIR/keys/al"
	assert_offers_exactly nospace "$BATS_TEST_TMPDIR/keys/alpha"
}

# zsh_complete LINE...: complete each LINE in an interactive zsh driven
# through zsh/zpty, printing "LINE => match match ..." with what the
# completion handed to compadd.
zsh_complete() {
	cat >"$BATS_TEST_TMPDIR/complete.zsh" <<-'EOF'
		zmodload zsh/zpty
		local dir=$1 line chunk all
		shift
		zpty z 'zsh -f -i'
		zpty -w z "PS1='> '; fpath=($dir \$fpath); autoload -U compinit; compinit -u -D"
		# Report what completion offers: every compadd that adds matches.
		zpty -w z 'compadd() { [[ ${(j: :)@} == *-[OAD]\ * ]] && { builtin compadd "$@"; return }; local -a m; builtin compadd -A m "$@"; local r=$?; (( $#m )) && print -rl -- "" ${m/#/MA""TCH:} >/dev/tty; builtin compadd "$@"; return r }'
		# Read until the shell prints MARK (its echo of the command does not match).
		read_to() {
			local i
			all=
			# up to 30 s: compinit is slow on a loaded machine
			for ((i = 0; i < 600; i++)); do
				while zpty -r -t z chunk; do all+=$chunk; done
				[[ $all == *"$1"* ]] && return 0
				sleep 0.05
			done
			print -u2 "zsh did not answer; it printed: $all"
			exit 1
		}
		zpty -w z 'print -- RE""ADY'; read_to READY
		for line; do
			zpty -w -n z "$line"$'\t'
			zpty -w z $'\C-u'"print -- DO""NE"
			read_to DONE
			all=${all//$'\r'/}
			print -r -- "$line =>" ${${(M)${(f)all}:#MATCH:*}#MATCH:}
		done
		zpty -d z
	EOF
	ns zsh -f "$BATS_TEST_TMPDIR/complete.zsh" "$COMPLETIONS" "$@"
}

@test "zsh: options, live queue names and option values" {
	local ids
	ids=($(make_queues))
	run zsh_complete 'mqsend -' 'mqrecv --' 'mqsend ' 'mqrecv key:0x' 'mqsend -T ' 'mqrecv --mode=' 'mqsend /jobs ' 'mqsend -p 3 /l'
	assert_success
	assert_line --regexp '^mqsend - => (.* )?--priority( |$)'
	assert_line --regexp '^mqsend - => (.* )?--whole( |$)'
	assert_line --regexp '^mqrecv -- => (.* )?--follow( |$)'
	refute_line --regexp '^mqrecv -- => (.* )?--priority( |$)'
	assert_line "mqsend  => /jobs /logs key:0x00001234 id:${ids[0]} key:0xfffffffe id:${ids[1]} id:${ids[2]} ftok:"
	assert_line 'mqrecv key:0x => key:0x00001234 key:0xfffffffe'
	assert_line 'mqsend -T  => 100ms 500ms 1s 2s 5s 30s 1m 1h'
	assert_line 'mqrecv --mode= => 0600 0640 0660 0620 0644 0666'
	assert_line 'mqsend /jobs  =>'
	assert_line 'mqsend -p 3 /l => /logs'
}

# fish_complete LINE...: "LINE => candidate ..." from fish's own complete -C,
# with the completions and the shared function loaded the way fish loads
# them once installed.
fish_complete() {
	mkdir -p "$BATS_TEST_TMPDIR/fish-functions"
	cp "$COMPLETIONS/__mqtools.fish" "$BATS_TEST_TMPDIR/fish-functions/"
	# fish loads a command's completions only when the command exists: the
	# wrappers helper.bash put on PATH are enough.
	ns fish --no-config -c '
		set -p fish_function_path $argv[1]
		set -p fish_complete_path $argv[2]
		for line in $argv[3..]
			echo "$line =>" (complete -C "$line" | string replace -r "\t.*" "")
		end' "$BATS_TEST_TMPDIR/fish-functions" "$COMPLETIONS" "$@"
}

@test "fish: options, live queue names and option values" {
	local ids
	ids=($(make_queues))
	run fish_complete 'mqsend --' 'mqrecv --' 'mqsend ' 'mqrecv key:0x' 'mqsend -T 5' 'mqsend -p ' 'mqsend /jobs ' 'mqsend -p 3 /l'
	assert_success
	assert_line --regexp '^mqsend -- => .*--priority .*--whole'
	assert_line --regexp '^mqrecv -- => .*--follow .*--peek'
	refute_line --regexp '^mqrecv -- => .*--priority'
	assert_line --regexp "^mqsend  => /jobs /logs .*id:${ids[0]} "
	assert_line --regexp "^mqsend  => .*key:0x00001234 "
	assert_line --regexp "^mqsend  => .*key:0xfffffffe"
	refute_line --regexp "^mqsend  => .*key:0x00000000"
	assert_line 'mqrecv key:0x => key:0x00001234 key:0xfffffffe'
	assert_line 'mqsend -T 5 => 5d 5h 5m 5ms 5s 5w'
	assert_line 'mqsend -p  =>'
	assert_line 'mqsend /jobs  =>'
	assert_line 'mqsend -p 3 /l => /logs'
}

@test "every bash completion file parses" {
	local f
	for f in "$COMPLETIONS"/*.bash; do
		bash -n "$f" || fail "bash -n $f"
	done
}

@test "zsh: every zsh completion file parses" {
	local f n=0
	for f in "$COMPLETIONS"/_*; do
		[[ $f == *.fish ]] && continue
		zsh -n "$f" || fail "zsh -n $f"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || fail "no zsh completion files in $COMPLETIONS"
}

@test "fish: every fish completion file parses" {
	local f n=0
	for f in "$COMPLETIONS"/*.fish; do
		fish -n "$f" || fail "fish -n $f"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || fail "no fish completion files in $COMPLETIONS"
}

@test "completions know mqtt:// and mqrecv's --group, --fanout and --session (bash, zsh, fish)" {
	run bash_complete 'mqsend mq'
	assert_success
	assert_line mqtt://
	assert_line mqtts://
	run bash_complete 'mqrecv --'
	assert_line -- --group
	assert_line -- --fanout
	assert_line -- --session
	run bash_complete 'mqsend --'
	refute_line -- --fanout
	run zsh_complete 'mqrecv mq' 'mqrecv --'
	assert_line 'mqrecv mq => mqtt:// mqtts://'
	assert_line --regexp '^mqrecv -- => (.* )?--fanout( |$)'
	assert_line --regexp '^mqrecv -- => (.* )?--session( |$)'
	run fish_complete 'mqrecv mq' 'mqrecv --'
	assert_line 'mqrecv mq => mqtt:// mqtts://'
	assert_line --regexp '^mqrecv -- => .*--fanout .*--group .*--session'
}

@test "amqp://: the scheme is offered, and the network options of each tool" {
	run bash_complete 'mqsend am'
	assert_success
	assert_offers_exactly nospace amqp:// amqps://
	run bash_complete 'mqsend --'
	for opt in --password-file --max-priority --replicated; do
		assert_line -- "$opt"
	done
	run bash_complete 'mqrecv --re'
	assert_line -- --replicated
	run bash_complete 'mqrm --pass'
	assert_offers_exactly --password-file
	run bash_complete 'mqstat --pass'
	assert_offers_exactly --password-file
	run bash_complete 'mqmk --'
	refute_line -- --max-priority
}
