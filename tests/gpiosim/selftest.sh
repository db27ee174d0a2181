# SPDX-License-Identifier: GPL-2.0-or-later
# gpiosim self-test (guest side): drives simulated lines with the libgpiod
# tools of the guest ($GS_GPIOD: 1 = Debian 12's 1.6, 2 = 2.x) and checks
# through gpio-sim's sysfs what the driver sees. It exercises what an LED
# controller's tests need: hold a line, release it, active-low, a line
# already in use, a line found by name on the second chip, an input.
. "$GS_LIB"

# Two chips, GPIO17 on the second, as on a Pi whose LED chip is not gpiochip0.
gs_chip_create other 8 || gs_finish
gs_chip_create pi 32 17=GPIO17 || gs_finish
pi=$GS_CHIP
echo "### chips: other=$(gs_chip other) pi=$pi"

# The same actions in each libgpiod generation's command-line words.
if [ "$GS_GPIOD" = 1 ]; then
	hold()      { gpioset --mode=signal "$@" & holder=$!; }  # [-l] CHIP LINE=V
	set_once()  { gpioset "$1" "$2"; }                       # CHIP LINE=V
	get()       { gpioget "$1" "$2"; }                       # CHIP LINE
	find_line() { gpiofind "$1"; }                           # NAME -> "gpiochipN OFFSET"
else
	hold() {
		if [ "$1" = -l ]; then gpioset -l -c "$2" "$3" & else gpioset -c "$1" "$2" & fi
		holder=$!
	}
	set_once()  { gpioset -t 0 -c "$1" "$2"; }
	get()       { gpioget --numeric -c "$1" "$2"; }
	find_line() { gpioinfo "$1" | awk '{ print $1, $2 }'; }
fi
ver=$(gpioset --version | head -n 1)
echo "### tools: $ver"
case $ver in *" v$GS_GPIOD."*) ok "tools are libgpiod $GS_GPIOD.x" ;; *) bad "tools are not libgpiod $GS_GPIOD.x: $ver" ;; esac
release() { kill "$holder"; wait "$holder" 2>/dev/null; }

expect_value "line 17 idle" pi 17 0 0
hold "$pi" 17=1
expect_value "line 17 held at 1" pi 17 1
if err=$(set_once "$pi" 17=0 2>&1); then bad "second consumer got line 17"
else case $err in
	*busy*) ok "second consumer refused while line 17 is held: busy" ;;
	*) bad "second consumer failed, but not as busy: $err" ;;
esac; fi
if err=$(set_once "$pi" 16=1 2>&1); then ok "a free line is not refused"
else bad "a free line is refused: $err"; fi
expect_steady "line 17 untouched by the refused consumer" pi 17 1 300
release
expect_value "line 17 released: back to 0" pi 17 0

# Each active-low check starts from the opposite level, set by the pull the
# line rests at when no consumer drives it.
hold -l "$pi" 17=0
expect_value "active-low: 0 drives the line high" pi 17 1
release
expect_value "released: back to pull-down" pi 17 0
gs_pull pi 17 up
expect_value "unheld line 17 follows pull-up" pi 17 1
hold -l "$pi" 17=1
expect_value "active-low: 1 drives the line low" pi 17 0
release
gs_pull pi 17 down

expect "GPIO17 found by name" "$pi 17" "$(find_line GPIO17)"

gs_pull pi 3 up
expect "input line 3 pulled up" 1 "$(get "$pi" 3)"
gs_pull pi 3 down
expect "input line 3 pulled down" 0 "$(get "$pi" 3)"

# Blink timing as a controller's test would measure it: edges seen by
# polling sysfs (libgpiod 2.x's gpioset can toggle by itself; 1.6's cannot).
if [ "$GS_GPIOD" = 2 ]; then
	gpioset -t 300 -c "$pi" 17=1 & holder=$!
	t0= t1= t2=
	# the line starts at 1: the first edge that times anything is 1 -> 0
	gs_wait 5000 gs_is_value pi 17 1 && gs_wait 5000 gs_is_value pi 17 0 && t0=$(gs_now_ms) &&
		gs_wait 5000 gs_is_value pi 17 1 && t1=$(gs_now_ms) &&
		gs_wait 5000 gs_is_value pi 17 0 && t2=$(gs_now_ms)
	release
	on=$((t2 - t1)) off=$((t1 - t0))
	if [ -z "$t2" ]; then
		bad "toggle every 300 ms: fewer than 3 edges in 20 s"
	elif [ "$on" -ge 200 ] && [ "$on" -le 500 ] && [ "$off" -ge 200 ] && [ "$off" -le 500 ]; then
		ok "toggle every 300 ms measured as off $off ms, on $on ms"
	else
		bad "toggle every 300 ms measured as off $off ms, on $on ms (want 200..500)"
	fi
fi

gs_finish
