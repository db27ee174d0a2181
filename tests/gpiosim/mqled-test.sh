# SPDX-License-Identifier: GPL-2.0-or-later
# mqled on a simulated GPIO chip (guest side, busybox sh; see README.md).
# After each command the line's level is read from gpio-sim's sysfs, i.e.
# what the kernel driver sees, not what mqled believes. Run with the mqled
# built against libgpiod 1.x ($GS_GPIOD = 1) or 2.x (2).
. "$GS_LIB"

# the controllers' locks live in /dev/shm, which devtmpfs does not make
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm

# Two chips, GPIO17 on the second, as on a Pi whose RP1 chip is not gpiochip0.
gs_chip_create other 8 || gs_finish
gs_chip_create pi 32 17=GPIO17 5=SPARE || gs_finish
pi=$GS_CHIP
pinum=${pi#gpiochip}
echo "### chips: other=$(gs_chip other) pi=$pi; mqled: $(mqled --version)"

# The client, with room for a slow emulated machine.
led() { mqled -T 5s "$@"; }
# start_ctl LOG ARGS...: a controller in the background, ready to answer.
start_ctl() {
	_log=$1; shift
	mqled run "$@" 2>"$_log" & ctl=$!
	_q=/mqled
	while [ $# -gt 0 ]; do [ "$1" = -q ] && _q=$2; shift; done
	gs_wait 15000 sh -c "mqled -q $_q -T 2s status >/dev/null 2>&1" ||
		{ bad "controller did not start: $(cat "$_log")"; return 1; }
}
# stop_ctl DESC: mqled stop; the controller exits 0.
stop_ctl() {
	if led stop; then ok "$1: mqled stop answered"; else bad "$1: mqled stop failed"; fi
	wait "$ctl"
	expect "$1: controller exit status" 0 "$?"
}
# released DESC ID LINE: nobody drives the line any more: it follows its pull.
released() {
	gs_pull "$2" "$3" up
	expect_value "$1: line released (follows pull-up)" "$2" "$3" 1
	gs_pull "$2" "$3" down
	expect_value "$1: line released (follows pull-down)" "$2" "$3" 0
}
# fails_with DESC TEXT CMD...: CMD exits 1 and says TEXT.
fails_with() {
	_d=$1 _t=$2; shift 2
	_out=$("$@" 2>&1); _st=$?
	case "$_st:$_out" in
	1:*"$_t"*) ok "$_d: exit 1, '$_t'" ;;
	*) bad "$_d: want exit 1 and '$_t', got $_st: $_out" ;;
	esac
}

# --- default line: GPIO17 found by name, on the second chip ----------------
start_ctl /tmp/ctl1.log || gs_finish
expect_value "started: LED off" pi 17 0
st=$(led status)
case $st in
*"backend: gpio $pi line 17 (GPIO17)"*) ok "status names chip and line: $(echo "$st" | sed -n 2p)" ;;
*) bad "status: $st" ;;
esac
led on;     expect_value "mqled on" pi 17 1
led off;    expect_value "mqled off" pi 17 0
led toggle; expect_value "mqled toggle (from off)" pi 17 1
led toggle; expect_value "mqled toggle (from on)" pi 17 0
mqsend /mqled on;  expect_value "plain 'mqsend /mqled on'" pi 17 1
mqsend /mqled dance
expect_steady "unknown command leaves the LED on" pi 17 1 300
mqsend /mqled off; expect_value "plain 'mqsend /mqled off'" pi 17 0

# a second controller on the same line, and a line another program holds
fails_with "second controller on GPIO17" "in use by 'mqled'" mqled run -q /other --chip "$pi" --line 17
if [ "$GS_GPIOD" = 1 ]; then gpioset --mode=signal "$pi" 5=1 & holder=$!
else gpioset -c "$pi" 5=1 & holder=$!; fi
expect_value "gpioset holds line 5" pi 5 1
fails_with "line held by gpioset" "in use by 'gpioset'" mqled run -q /other --chip "$pi" --line SPARE
kill "$holder"; wait "$holder" 2>/dev/null
led on; expect_value "first controller still drives the line" pi 17 1
led off; expect_value "and off again" pi 17 0

# --- blinking: timing within a tolerance, commands never blocked -----------
# blink 300 300 3: on at 0, off 300, on 600, off 900, on 1200, off 1500.
led blink 300 300 3
t0= t1= t2=
gs_wait 5000 gs_is_value pi 17 0 && t0=$(gs_now_ms) &&
	gs_wait 5000 gs_is_value pi 17 1 && t1=$(gs_now_ms) &&
	gs_wait 5000 gs_is_value pi 17 0 && t2=$(gs_now_ms)
if [ -z "$t2" ]; then
	bad "blink 300 300 3: fewer than 3 edges"
else
	off=$((t1 - t0)) on=$((t2 - t1))
	if [ "$on" -ge 180 ] && [ "$on" -le 480 ] && [ "$off" -ge 180 ] && [ "$off" -le 480 ]; then
		ok "blink 300 300 measured as off $off ms, on $on ms (want 180..480)"
	else
		bad "blink 300 300 measured as off $off ms, on $on ms (want 180..480)"
	fi
fi
gs_wait 5000 gs_is_value pi 17 1 && gs_wait 5000 gs_is_value pi 17 0
expect_steady "after 3 cycles the blink ends with the LED off" pi 17 0 800
case $(led status) in "LED: off"*) ok "status after the blink: LED: off" ;; *) bad "status after the blink: $(led status)" ;; esac

led blink 2000 2000
expect_value "blink 2000: on at once" pi 17 1 1000
ta=$(gs_now_ms)
led off
expect_value "off during a 2 s on-phase is executed at once" pi 17 0 1500
tb=$(gs_now_ms)
[ $((tb - ta)) -lt 1500 ] && ok "off took $((tb - ta)) ms during the blink" || bad "off took $((tb - ta)) ms during the blink"
expect_steady "the blink stopped" pi 17 0 2500

# --- stop: LED off, line released, queue removed ---------------------------
led on; expect_value "on before stop" pi 17 1
stop_ctl "stop"
expect_value "after stop the line is low" pi 17 0
released "after stop" pi 17
[ ! -e /dev/mqueue/mqled ] && ok "queue removed at stop" || bad "queue /mqled left after stop"
grep -q "LED released, off" /tmp/ctl1.log && ok "log: LED released, off" || bad "log: $(cat /tmp/ctl1.log)"

# --- SIGTERM: the same cleanup ----------------------------------------------
start_ctl /tmp/ctl2.log --chip "$pi" --line 17 || gs_finish
led on; expect_value "--chip NAME --line OFFSET: on" pi 17 1
kill -TERM "$ctl"; wait "$ctl"
expect "SIGTERM: exit status" 0 "$?"
expect_value "SIGTERM: line low" pi 17 0
released "after SIGTERM" pi 17

# --- active-low ---------------------------------------------------------------
start_ctl /tmp/ctl3.log --chip "$pinum" --line GPIO17 --active-low || gs_finish
expect_value "active-low: off drives the line high" pi 17 1
led on;  expect_value "active-low: on drives the line low" pi 17 0
led off; expect_value "active-low: off drives it high again" pi 17 1
case $(led status) in *"active-low"*) ok "status says active-low" ;; *) bad "status: $(led status)" ;; esac
stop_ctl "active-low stop"
released "active-low, after stop" pi 17

# --- --bias and --drive: what the kernel and gpio-sim were told ---------------
# info_of LINE: gpioinfo's line for LINE of the pi chip (both generations
# name the flags: pull-up, open-drain, ...)
info_of() {
	if [ "$GS_GPIOD" = 1 ]; then gpioinfo "$pi"; else gpioinfo -c "$pi"; fi | grep -E "line +$1:"
}
sim_pull() { cat "$(gs_sim_dir pi)/sim_gpio$1/pull"; }
gs_pull pi 17 down
start_ctl /tmp/ctl5.log --chip "$pi" --line 17 --bias pull-up || gs_finish
expect "--bias pull-up: gpio-sim's pull is the request's" pull-up "$(sim_pull 17)"
case $(info_of 17) in *pull-up*) ok "--bias pull-up: gpioinfo: $(info_of 17)" ;; *) bad "--bias pull-up: gpioinfo: $(info_of 17)" ;; esac
case $(led status) in *"bias pull-up"*) ok "status says bias pull-up" ;; *) bad "status: $(led status)" ;; esac
led on;  expect_value "--bias pull-up, push-pull: on" pi 17 1
led off; expect_value "--bias pull-up, push-pull: off drives low" pi 17 0
stop_ctl "--bias pull-up"
start_ctl /tmp/ctl6.log --chip "$pi" --line 17 --bias pull-down || gs_finish
expect "--bias pull-down: gpio-sim's pull" pull-down "$(sim_pull 17)"
case $(info_of 17) in *pull-down*) ok "--bias pull-down: gpioinfo: $(info_of 17)" ;; *) bad "--bias pull-down: gpioinfo: $(info_of 17)" ;; esac
stop_ctl "--bias pull-down"
start_ctl /tmp/ctl7.log --chip "$pi" --line 17 --bias disable || gs_finish
case $(info_of 17) in *disabled*) ok "--bias disable: gpioinfo: $(info_of 17)" ;; *) bad "--bias disable: gpioinfo: $(info_of 17)" ;; esac
stop_ctl "--bias disable"

# open-drain: off drives the line low, on never drives it high (gpio-sim has
# no open-drain of its own: gpiolib makes the line an input, and gpio-sim's
# value stays the last one driven, as the kernel still counts the line an
# output); open-source the other way round
start_ctl /tmp/ctl8.log --chip "$pi" --line 17 --drive open-drain || gs_finish
case $(info_of 17) in *open-drain*) ok "--drive open-drain: gpioinfo: $(info_of 17)" ;; *) bad "--drive open-drain: gpioinfo: $(info_of 17)" ;; esac
expect_value "open-drain: off is low" pi 17 0
gs_pull pi 17 up
expect_steady "open-drain: off holds the line low against a pull-up" pi 17 0 300
led on
expect_steady "open-drain: on never drives the line high" pi 17 0 400
case $(led status) in "LED: on"*"open-drain"*) ok "status: on, open-drain" ;; *) bad "status: $(led status)" ;; esac
led off
gs_pull pi 17 up
expect_steady "open-drain: off again holds it low" pi 17 0 300
stop_ctl "--drive open-drain"
# open-source: on drives it high, off lets it go
gs_pull pi 17 down
start_ctl /tmp/ctl9.log --chip "$pi" --line 17 --drive open-source || gs_finish
case $(info_of 17) in *open-source*) ok "--drive open-source: gpioinfo: $(info_of 17)" ;; *) bad "--drive open-source: gpioinfo: $(info_of 17)" ;; esac
led on; expect_value "open-source: on is high" pi 17 1
gs_pull pi 17 down
expect_steady "open-source: on holds the line high against a pull-down" pi 17 1 300
led off
expect_steady "open-source: off never drives the line low" pi 17 1 400
stop_ctl "--drive open-source"
gs_pull pi 17 down
expect_value "open-source: released after stop (pull-down)" pi 17 0

# --- pulse and pattern on a GPIO line: the controller's own timer ------------
start_ctl /tmp/ctl10.log --chip "$pi" --line 17 || gs_finish
led pulse 400
expect_value "pulse 400: on at once" pi 17 1 1000
ta=$(gs_now_ms)
gs_wait 5000 gs_is_value pi 17 0 && tb=$(gs_now_ms)
d=$((tb - ta))
[ "$d" -ge 250 ] && [ "$d" -le 650 ] && ok "pulse 400 measured as $d ms on" || bad "pulse 400 measured as $d ms on"
expect_steady "after the pulse the LED stays off" pi 17 0 600
led pattern 200,200,200,600 1
expect_value "pattern: on at once" pi 17 1 1000
gs_wait 5000 gs_is_value pi 17 0 && t0=$(gs_now_ms) &&
	gs_wait 5000 gs_is_value pi 17 1 && t1=$(gs_now_ms) &&
	gs_wait 5000 gs_is_value pi 17 0 && t2=$(gs_now_ms)
if [ -n "${t2:-}" ]; then
	off=$((t1 - t0)) on=$((t2 - t1))
	[ "$off" -ge 80 ] && [ "$off" -le 380 ] && [ "$on" -ge 80 ] && [ "$on" -le 380 ] &&
		ok "pattern 200,200,...: off $off ms, on $on ms" || bad "pattern 200,200,...: off $off ms, on $on ms"
else
	bad "pattern 200,200,200,600 1: fewer edges than 3"
fi
expect_steady "one cycle: then off" pi 17 0 900
fails_with "brightness on a GPIO line" "is on or off only" led brightness 50%
stop_ctl "pulse and pattern"

# --- several LEDs: -L, GPIO lines with their own settings --------------------
start_ctl /tmp/ctl11.log -L red=gpio:GPIO17 -L spare=gpio:"$pi":5,active-low || gs_finish
expect_value "-L red: off" pi 17 0
expect_value "-L spare (active-low): off is high" pi 5 1
led red on;   expect_value "red on" pi 17 1
expect_steady "red on leaves spare alone" pi 5 1 200
led spare on; expect_value "spare on (active-low): low" pi 5 0
led off
expect_value "off without a name: red off" pi 17 0
expect_value "off without a name: spare off" pi 5 1
st=$(led status)
case $st in *"LED red: off"*"backend red: gpio $pi line 17 (GPIO17)"*"LED spare: off"*"backend spare: gpio $pi line 5 (SPARE) active-low"*)
	ok "status lists both LEDs" ;;
*) bad "status: $st" ;; esac
led spare blink 200 200 2
expect_value "spare blinks (on: low)" pi 5 0 1000
expect_value "spare blinks (off: high)" pi 5 1 1000
expect_steady "red stays off while spare blinks" pi 17 0 300
stop_ctl "-L"
released "-L: red after stop" pi 17
released "-L: spare after stop" pi 5

# --- chip by path; a name the chip lacks -------------------------------------
start_ctl /tmp/ctl4.log --chip "/dev/$pi" --line 17 || gs_finish
led on; expect_value "--chip /dev/$pi: on" pi 17 1
stop_ctl "chip by path"
fails_with "GPIO17 asked of the chip without it" "has no line named GPIO17" mqled run --chip "$(gs_chip other)"
fails_with "offset past the chip's lines" "has lines 0..7, not 9" mqled run --chip "$(gs_chip other)" --line 9
[ ! -e /dev/mqueue/mqled ] && ok "failed starts create no queue" || bad "a failed start left /dev/mqueue/mqled"

gs_finish
