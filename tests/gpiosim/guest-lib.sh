# SPDX-License-Identifier: GPL-2.0-or-later
# Guest-side helpers for gpiosim test scripts (busybox sh). A test script
# starts with  . "$GS_LIB"  and ends with  gs_finish.
#
# Results are lines the host reads from the serial console:
#   ### PASS: ...   ### FAIL: ...   ### RESULT: ...
# Emulation is slow and uneven: wait for a state with gs_wait / expect_value
# (bounded polling), never with a fixed sleep.

GS_CONFIG=/sys/kernel/config/gpio-sim
GS_PASSES=0
GS_FAILS=0

ok()  { GS_PASSES=$((GS_PASSES + 1)); echo "### PASS: $*"; }
bad() { GS_FAILS=$((GS_FAILS + 1));   echo "### FAIL: $*"; }

# expect DESC WANT GOT
expect() {
	if [ "$2" = "$3" ]; then ok "$1 (= $3)"; else bad "$1 (want $2, got $3)"; fi
}

# gs_now_ms: milliseconds since boot (10 ms steps), without forking.
gs_now_ms() {
	read -r _up _ < /proc/uptime
	_frac=${_up#*.}
	echo $(( ${_up%.*} * 1000 + ${_frac#0} * 10 ))
}

# gs_wait TIMEOUT_MS CMD...: run CMD until it succeeds; 1 if it never did
# within TIMEOUT_MS.
gs_wait() {
	_deadline=$(( $(gs_now_ms) + $1 )); shift
	until "$@"; do
		[ "$(gs_now_ms)" -lt "$_deadline" ] || return 1
		sleep 0.02
	done
}

# gs_chip_create ID NUM_LINES [OFFSET=NAME]...: a simulated chip, named
# lines as given (e.g. 17=GPIO17). Sets GS_CHIP to its gpiochipN name.
gs_chip_create() {
	_c=$GS_CONFIG/$1 _n=$2; shift 2
	mkdir "$_c" "$_c/bank0" && echo "$_n" > "$_c/bank0/num_lines" &&
		echo "${_c##*/}" > "$_c/bank0/label" || { bad "gs_chip_create $_c"; return 1; }
	for _l; do
		mkdir "$_c/bank0/line${_l%%=*}" && echo "${_l#*=}" > "$_c/bank0/line${_l%%=*}/name" ||
			{ bad "gs_chip_create: line name $_l"; return 1; }
	done
	echo 1 > "$_c/live" || { bad "gs_chip_create: $_c did not go live"; return 1; }
	GS_CHIP=$(gs_chip "${_c##*/}")
}

# gs_chip ID: the chip's device name (gpiochipN), as consumers open it.
gs_chip() { cat "$GS_CONFIG/$1/bank0/chip_name"; }

# gs_sim_dir ID: the chip's gpio-sim sysfs directory (sim_gpioN/ inside).
gs_sim_dir() {
	echo "/sys/devices/platform/$(cat "$GS_CONFIG/$1/dev_name")/$(gs_chip "$1")"
}

# gs_value ID LINE: the value a consumer drives on LINE, as the driver sees
# it (physical level: active-low is already applied), 0 or 1.
gs_value() { cat "$(gs_sim_dir "$1")/sim_gpio$2/value"; }

# gs_pull ID LINE up|down: what the outside world drives on an input LINE.
gs_pull() { echo "pull-$3" > "$(gs_sim_dir "$1")/sim_gpio$2/pull"; }

# gs_is_value ID LINE WANT: true when LINE is at WANT. Only builtins, no
# fork: it is what polling loops call.
gs_is_value() {
	read -r _dev < "$GS_CONFIG/$1/dev_name" &&
		read -r _chip < "$GS_CONFIG/$1/bank0/chip_name" &&
		read -r _v < "/sys/devices/platform/$_dev/$_chip/sim_gpio$2/value" &&
		[ "$_v" = "$3" ]
}

# expect_value DESC ID LINE WANT [TIMEOUT_MS]: wait up to TIMEOUT_MS
# (default 5000) for LINE to reach WANT, then pass or fail.
expect_value() {
	if gs_wait "${5:-5000}" gs_is_value "$2" "$3" "$4"; then
		ok "$1 (line $3 = $4)"
	else
		bad "$1 (line $3: want $4, got $(gs_value "$2" "$3") after ${5:-5000} ms)"
	fi
}

# expect_steady DESC ID LINE WANT MS: LINE stays at WANT for MS. This is the
# one fixed wait: showing that nothing changes takes time by nature.
expect_steady() {
	_end=$(( $(gs_now_ms) + $5 ))
	while [ "$(gs_now_ms)" -lt "$_end" ]; do
		gs_is_value "$2" "$3" "$4" || { bad "$1 (line $3 left $4)"; return 1; }
		sleep 0.02
	done
	ok "$1 (line $3 stayed $4 for $5 ms)"
}

# gs_finish: the RESULT line, kernel messages about GPIO when something
# failed, and the script's exit status.
gs_finish() {
	if [ "$GS_FAILS" = 0 ] && [ "$GS_PASSES" -gt 0 ]; then
		echo "### RESULT: ALL-PASS ($GS_PASSES checks)"
		exit 0
	fi
	echo "### dmesg (gpio):"; dmesg | grep -i gpio | tail -n 20
	echo "### RESULT: $GS_FAILS FAILED, $GS_PASSES passed"
	exit 1
}
