#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# stress.bats - 8 producers and 8 consumers through one queue of each kind,
# 100,000 messages carrying a producer number, a sequence number and a
# checksum of a payload derived from both: each must be delivered exactly
# once and intact. Then again with consumers stopped by SIGTERM and
# replaced: mqrecv writes out whole whatever it received before it exits,
# so still nothing is lost. And with consumers SIGKILLed and replaced
# (fault injection): nothing is delivered twice, and no more is
# lost than the in-flight window (--batch N) per kill, counted. The stops
# are driven by message counts, not by time (see interrupted): a slow,
# loaded machine stops as many consumers as a fast one.

load helper

PRODUCERS=8
PER_PRODUCER=12500

# The consumer slots of interrupted() run outside the test's namespace: a
# test that failed must not leave them restarting consumers.
eval "helper_$(declare -f teardown)"
teardown() {
	touch stop 2>/dev/null
	[ -z "${SLOT_PIDS:-}" ] || kill $SLOT_PIDS 2>/dev/null
	helper_teardown
}

# Input of producer P: "P SEQ PAYLOAD SUM", PAYLOAD a slice of a fixed text
# chosen by P and SEQ (0..59 bytes), SUM a checksum of P, SEQ and PAYLOAD.
make_inputs() {
	awk -v np=$PRODUCERS -v n=$PER_PRODUCER '
		BEGIN {
			text = "the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz!"
			for (p = 1; p <= np; p++) {
				f = "in." p
				for (s = 1; s <= n; s++) {
					pl = substr(text, 1 + (s * 7 + p) % 50, (s * 13 + p) % 60)
					printf "%d %d %s %d\n", p, s, pl, (length(pl) * 7919 + s * 31 + p * 17) % 9973 > f
				}
				close(f)
			}
		}'
}

# Every received line intact (payload and checksum recomputed), none twice,
# all PRODUCERS * PER_PRODUCER of them.
check_outputs() {
	cat out.* >all.txt
	run awk '
		BEGIN { text = "the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz!" }
		{
			p = $1; s = $2
			pl = substr(text, 1 + (s * 7 + p) % 50, (s * 13 + p) % 60)
			want = sprintf("%d %d %s %d", p, s, pl, (length(pl) * 7919 + s * 31 + p * 17) % 9973)
			if ($0 != want) { print "corrupt: " $0; bad++ }
			if (seen[p, s]++) { print "twice: " $0; bad++ }
			n++
		}
		END { print n " received"; exit bad > 0 }' all.txt
	assert_success
	assert_output "$((PRODUCERS * PER_PRODUCER)) received"
	sort all.txt >all.sorted
	sort in.* >in.sorted
	cmp in.sorted all.sorted
}

queue_empty() {
	case $1 in
	/*) grep -q '^QSIZE:0 ' "$MQUEUE_DIR/${1#/}" ;;
	key:*) sysv_empty_key "${1#key:}" ;;
	esac
}

# One mqsend to Q per producer, of its input, or with PART of part PART of
# it (interrupted); the lines they send in $SENDING.
start_producers() {
	local p input
	PRODUCER_PIDS=()
	SENDING=0
	for ((p = 1; p <= PRODUCERS; p++)); do
		input=in.$p
		[ -z "${2:-}" ] || input=part.$p.$2
		start_bg mqsend "$1" <"$input"
		PRODUCER_PIDS+=("$BG_PID")
		SENDING=$((SENDING + $(wc -l <"$input")))
	done
}

wait_producers() {
	local pid
	for pid in "${PRODUCER_PIDS[@]}"; do
		wait "$pid" || fail "a producer failed"
	done
}

# Whether any of the PIDs still runs.
alive() {
	local pid
	for pid; do
		kill -0 "$pid" 2>/dev/null && return 0
	done
	return 1
}

# The tools named NAME running in the test's namespace.
ns_pids_named() {
	local p
	for p in $(_ns_pids); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$1" ] && echo "$p"
	done
	return 0
}

# Exactly once through Q with 8 consumers that run until stopped.
steady() {
	local q=$1 i pids=()
	make_inputs
	for ((i = 1; i <= 8; i++)); do
		start_bg mqrecv -f "$q" >"out.$i"
		pids+=("$BG_PID")
	done
	start_producers "$q"
	wait_producers
	wait_until queue_empty "$q"
	kill -TERM "${pids[@]}"
	for i in "${pids[@]}"; do
		wait "$i" || fail "a consumer did not end with 0 on SIGTERM"
	done
	check_outputs
}

# Lines written so far, in all the outputs.
received() {
	cat out.* 2>/dev/null | wc -l
}

# Wait until at least N lines have been written, looking often; a
# liveness bound of some 120 s, for a loaded machine.
wait_received() {
	local i
	for ((i = 0; i < 12000; i++)); do
		[ "$(received)" -ge "$1" ] && return 0
		sleep 0.01
	done
	fail "only $(received) of $1 messages received"
}

# Stop the consumer of a random slot of interrupted() with SIG; the one of a
# slot may be starting again after a stop: then another's.
stop_a_consumer() {
	local sig=$1 i pid
	for ((i = 0; i < 1000; i++)); do
		pid=$(cat "pid.$((RANDOM % 8 + 1))" 2>/dev/null)
		if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = mqrecv ] &&
			kill -"$sig" "$pid" 2>/dev/null; then
			return 0
		fi
		sleep 0.005
	done
	fail "no consumer ran to be stopped"
}

PARTS=20

# Consumers are stopped with SIG and replaced while the input flows. The
# producers send their input in PARTS parts, all of them part k at once;
# once half of part k has been written out, one consumer is stopped: the
# stops are driven by message counts, not by time, so that a slow, loaded
# machine stops as many as a fast one (where a part may have flowed past
# before the test looks). Then the last ones drain the queue. Further
# arguments go to each mqrecv. Sets STOPS, the number of consumers
# stopped: PARTS.
interrupted() {
	local q=$1 sig=$2 i k slot_pids=() stops=0 pids before=0
	shift 2
	make_inputs
	for ((i = 1; i <= 8; i++)); do
		(
			n=0
			while [ ! -e stop ]; do
				mqrecv -f "$@" "$q" >"out.$i.$n" &
				echo $! >"pid.$i"
				wait $! || true # 137 after SIGKILL
				n=$((n + 1))
			done
		) 3>&- &
		slot_pids+=("$!")
	done
	SLOT_PIDS=${slot_pids[*]}
	for ((i = 1; i <= PRODUCERS; i++)); do
		split -a 2 -d -n l/$PARTS "in.$i" "part.$i."
	done
	for ((k = 0; k < PARTS; k++)); do
		start_producers "$q" "$(printf '%02d' "$k")"
		# a SIGKILL loses at most a window: allow for those of the stops so far
		wait_received $((before + SENDING / 2 - stops * 64))
		stop_a_consumer "$sig"
		stops=$((stops + 1))
		wait_producers
		before=$((before + SENDING))
	done
	wait_until queue_empty "$q"
	# stop the slots: end their consumers until none starts another
	touch stop
	while alive "${slot_pids[@]}"; do
		# the last consumers may all be gone between the two looks: a kill
		# with no pid is a usage error, not a failure of the test
		mapfile -t pids < <(ns_pids_named mqrecv)
		[ ${#pids[@]} -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null || true
		sleep 0.05
	done
	echo "# $stops consumers stopped by SIG$sig" >&3
	STOPS=$stops
}

# After SIGKILLs: every line intact but the last of an output (a write cut
# by the kill), none twice, and at most BATCH * STOPS messages missing.
check_killed() {
	local batch=$1 total=$((PRODUCERS * PER_PRODUCER))
	local f
	for f in out.*; do
		awk -v file="$f" '
			BEGIN { text = "the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz!" }
			{
				p = $1; s = $2
				pl = substr(text, 1 + (s * 7 + p) % 50, (s * 13 + p) % 60)
				want = sprintf("%d %d %s %d", p, s, pl, (length(pl) * 7919 + s * 31 + p * 17) % 9973)
				# only the last line may be cut short
				if (bad != "") { print "corrupt in " file ": " bad > "/dev/stderr"; exit 1 }
				if ($0 == want) print; else bad = $0
			}' "$f" || fail "a message was corrupted"
	done >intact.txt
	run bash -c 'sort intact.txt | uniq -d | head -5'
	assert_output ""
	local got lost
	got=$(wc -l <intact.txt)
	lost=$((total - got))
	echo "# $lost of $total lost to $STOPS SIGKILLs (window $batch: at most $((batch * STOPS)))" >&3
	[ "$lost" -le $((batch * STOPS)) ] || fail "$lost lost: more than $batch per SIGKILL"
	# what was received is what was sent
	sort intact.txt | comm -23 - <(sort in.*) >extra.txt
	[ ! -s extra.txt ] || fail "received what no one sent: $(head -3 extra.txt)"
}
@test "stress: 8 producers, 8 consumers, 100,000 messages exactly once (POSIX)" {
	require_tool mqsend mqrecv
	mqsend -c /s </dev/null
	steady /s
}

@test "stress: 8 producers, 8 consumers, 100,000 messages exactly once (System V)" {
	require_tool mqsend mqrecv
	mqsend -c key:0x5175 </dev/null
	steady key:0x00005175
}

@test "stress: consumers stopped by SIGTERM at message counts lose nothing (POSIX)" {
	require_tool mqsend mqrecv
	mqsend -c /s </dev/null
	interrupted /s TERM
	check_outputs
}

@test "stress: consumers stopped by SIGTERM at message counts lose nothing (System V)" {
	require_tool mqsend mqrecv
	mqsend -c key:0x5176 </dev/null
	interrupted key:0x00005176 TERM
	check_outputs
}

@test "stress: consumers SIGKILLed at message counts lose at most --batch N each, none twice (POSIX)" {
	require_tool mqsend mqrecv
	mqsend -c /s </dev/null
	interrupted /s KILL --batch 4
	check_killed 4
}

@test "stress: consumers SIGKILLed at message counts lose at most --batch N each, none twice (System V)" {
	require_tool mqsend mqrecv
	mqsend -c key:0x5177 </dev/null
	interrupted key:0x00005177 KILL --batch 4
	check_killed 4
}
