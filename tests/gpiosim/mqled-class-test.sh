# SPDX-License-Identifier: GPL-2.0-or-later
# mqled's LED class backend on a real kernel LED class device (guest side,
# busybox sh; see README.md, "LED class"). uleds-led makes the LED through
# the kernel's uleds driver and logs every brightness the kernel sets on it
# with a timestamp; the checks read sysfs (brightness, trigger) and that
# log, i.e. what the kernel did, not what mqled believes.
. "$GS_LIB"

# the controllers' locks live in /dev/shm or /run/mqled
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm

# led_create NAME MAX: a kernel LED, its events in /tmp/NAME.events
led_create() {
	uleds-led "$1" "$2" > "/tmp/$1.events" 2>&1 &
	gs_wait 5000 test -e "/sys/class/leds/$1/brightness" ||
		{ bad "LED $1 not created: $(cat "/tmp/$1.events")"; gs_finish; }
}
led_create act 255
led_create pwr 1
L=/sys/class/leds/act
# The board's trigger, as mmc0 is the ACT LED's on a Pi.
echo heartbeat > $L/trigger
echo "### LEDs: $(ls /sys/class/leds | tr '\n' ' '); act's triggers: $(cat $L/trigger); mqled: $(mqled --version)"

# trigger_of NAME: the selected trigger, as the kernel shows it
trigger_of() { sed -n 's/.*\[\([^]]*\)\].*/\1/p' "/sys/class/leds/$1/trigger"; }
# is_brightness NAME WANT: builtins only, for polling
is_brightness() { read -r _b < "/sys/class/leds/$1/brightness" && [ "$_b" = "$2" ]; }
# expect_brightness DESC NAME WANT: wait for the kernel's brightness
expect_brightness() {
	if gs_wait 5000 is_brightness "$2" "$3"; then ok "$1 (brightness $3)"
	else bad "$1 (brightness: want $3, got $(cat "/sys/class/leds/$2/brightness"))"; fi
}
# last_event NAME: the last brightness the kernel set, from uleds
last_event() { tail -n 1 "/tmp/$1.events" | cut -d' ' -f2; }

led() { mqled -T 5s "$@"; }
start_ctl() {
	_log=$1; shift
	mqled run "$@" 2>"$_log" & ctl=$!
	_q=/mqled
	while [ $# -gt 0 ]; do [ "$1" = -q ] && _q=$2; shift; done
	gs_wait 15000 sh -c "mqled -q $_q -T 2s status >/dev/null 2>&1" ||
		{ bad "controller did not start: $(cat "$_log")"; return 1; }
}
stop_ctl() {
	if led "$@" stop; then ok "mqled $* stop answered"; else bad "mqled $* stop failed"; fi
	wait "$ctl"
	expect "controller exit status" 0 "$?"
}
fails_with() {
	_d=$1 _t=$2; shift 2
	_out=$("$@" 2>&1); _st=$?
	case "$_st:$_out" in
	1:*"$_t"*) ok "$_d: exit 1, '$_t'" ;;
	*) bad "$_d: want exit 1 and '$_t', got $_st: $_out" ;;
	esac
}

# --- on, off, the trigger taken and given back -------------------------------
start_ctl /tmp/ctl1.log --led act || gs_finish
expect "held: the trigger is none" none "$(trigger_of act)"
expect_brightness "started: LED off" act 0
led on;  expect_brightness "mqled on: max_brightness" act 255
expect "uleds saw 255" 255 "$(last_event act)"
led off; expect_brightness "mqled off" act 0
expect "uleds saw 0" 0 "$(last_event act)"
led toggle; expect_brightness "mqled toggle" act 255
mqsend /mqled off; expect_brightness "plain mqsend off" act 0
case $(led status) in *"backend: led act (/sys/class/leds/act), trigger heartbeat at exit"*)
	ok "status names the LED and the trigger to restore" ;;
*) bad "status: $(led status)" ;; esac
# a second controller on the same LED, even on another queue
fails_with "second controller on LED act" "already driven by another mqled controller" \
	mqled run -q /other --led act
led on; expect_brightness "the first still drives it" act 255
stop_ctl
expect "stop: heartbeat trigger restored" heartbeat "$(trigger_of act)"
[ ! -e /dev/mqueue/mqled ] && ok "queue removed at stop" || bad "queue /mqled left after stop"

# --- a one-level LED: on is its max_brightness, 1 ----------------------------
start_ctl /tmp/ctl2.log --led pwr -q /pwr || gs_finish
led -q /pwr on;  expect_brightness "pwr on: 1" pwr 1
led -q /pwr off; expect_brightness "pwr off" pwr 0
fails_with "brightness on a one-level LED" "max_brightness 1: it is on or off only" led -q /pwr brightness 1
stop_ctl -q /pwr

# --- --keep: left lit, its trigger none --------------------------------------
start_ctl /tmp/ctl3.log --led act --keep || gs_finish
led on; expect_brightness "--keep: on" act 255
stop_ctl
expect_brightness "--keep: still lit after stop" act 255
expect "--keep: trigger left none" none "$(trigger_of act)"
echo heartbeat > $L/trigger

# --- blinking in the kernel: timing measured on the kernel's own events ------
# phases_since MARK: the on and off phases after line MARK of the events,
# "MS:BRIGHTNESS" each, from the timestamps of the changes (repeated values
# coalesce: only changes count; the last, unfinished phase is left out)
phases_since() {
	tail -n +$(($1 + 1)) /tmp/act.events | awk '
		$2 != last { if (t) printf "%s%d:%d", sep, $1 - t, last; sep = " "; t = $1; last = $2 }'
}
# check_phases DESC PHASES ON_MS OFF_MS MIN_ON: at least MIN_ON on phases,
# each phase within -120..+180 ms of what was asked
check_phases() {
	_n_on=0 _n_bad=0
	for _p in $2; do
		_d=${_p%:*}
		if [ "${_p#*:}" = 0 ]; then _want=$4; else _want=$3; _n_on=$((_n_on + 1)); fi
		{ [ "$_d" -ge $((_want - 120)) ] && [ "$_d" -le $((_want + 180)) ]; } || _n_bad=$((_n_bad + 1))
	done
	echo "### $1, kernel events (ms:brightness): $2"
	[ "$_n_on" -ge "$5" ] && ok "$1: $_n_on on phases" || bad "$1: $_n_on on phases, want $5 or more"
	expect "$1: phases off by more than -120/+180 ms" 0 "$_n_bad"
}

start_ctl /tmp/ctl4.log --led act || gs_finish
mark=$(wc -l < /tmp/act.events)
led blink 300 300 3
expect "blink 300 300 3: the pattern trigger" pattern "$(trigger_of act)"
expect "blink 300 300 3: repeat" 3 "$(cat $L/repeat)"
gs_wait 10000 sh -c 'mqled -T 2s status | grep -q "^LED: off"' || bad "blink 300 300 3 did not end"
expect_brightness "after 3 cycles the LED is off" act 0
expect "after 3 cycles the controller has it again" none "$(trigger_of act)"
phases=$(phases_since "$mark")
check_phases "blink 300 300 3" "$phases" 300 300 3
n_on=$(echo "$phases" | tr ' ' '\n' | grep -c ':255$')
expect "blink 300 300 3: exactly 3 on phases" 3 "$n_on"

mark=$(wc -l < /tmp/act.events)
led blink 200 400
expect "blink 200 400: the timer trigger" timer "$(trigger_of act)"
expect "blink 200 400: delay_on" 200 "$(cat $L/delay_on)"
expect "blink 200 400: delay_off" 400 "$(cat $L/delay_off)"
gs_wait 10000 sh -c "[ \$(tail -n +$((mark + 1)) /tmp/act.events | wc -l) -ge 8 ]" || bad "blink 200 400: fewer than 8 changes"
check_phases "blink 200 400" "$(phases_since "$mark")" 200 400 3
led off
expect "off ends the kernel's blink" none "$(trigger_of act)"
expect_brightness "and puts the LED out" act 0
n=$(wc -l < /tmp/act.events)
sleep 1
expect "no change after off (events)" "$n" "$(wc -l < /tmp/act.events)"

# pattern and pulse: the pattern trigger, timed on the kernel's events
mark=$(wc -l < /tmp/act.events)
led pattern 150,150,150,450 2
expect "pattern: the pattern trigger" pattern "$(trigger_of act)"
gs_wait 10000 sh -c 'mqled -T 2s status | grep -q "^LED: off"' || bad "pattern 150,150,150,450 2 did not end"
phases=$(phases_since "$mark")
echo "### pattern 150,150,150,450 2, kernel events (ms:brightness): $phases"
n_bad=0 i=0
for p in $phases; do
	case $((i % 4)) in 1) want=150 ;; 3) want=450 ;; *) want=150 ;; esac
	d=${p%:*}
	{ [ "$d" -ge $((want - 120)) ] && [ "$d" -le $((want + 180)) ]; } || n_bad=$((n_bad + 1))
	i=$((i + 1))
done
expect "pattern: phases the kernel ran (4 on, 3 off between)" 7 "$i"
expect "pattern: phases off by more than -120/+180 ms" 0 "$n_bad"
mark=$(wc -l < /tmp/act.events)
led pulse 400
gs_wait 5000 sh -c 'mqled -T 2s status | grep -q "^LED: off"' || bad "pulse 400 did not end"
phases=$(phases_since "$mark")
case $phases in
*:255)
	d=${phases%:*}; d=${d##* }
	if [ "$d" -ge 280 ] && [ "$d" -le 580 ]; then ok "pulse 400 lit $d ms (kernel events: $phases)"
	else bad "pulse 400 lit $d ms (kernel events: $phases)"; fi ;;
*) bad "pulse 400: kernel events $phases" ;;
esac
expect "pulse: the controller has the LED again" none "$(trigger_of act)"

# brightness levels
led brightness 50%; expect_brightness "brightness 50%" act 128
led brightness 7;   expect_brightness "brightness 7" act 7
expect "uleds saw 7" 7 "$(last_event act)"
fails_with "brightness over max_brightness" "over /sys/class/leds/act's max_brightness 255" led brightness 300
led on; expect_brightness "on after brightness: max" act 255
stop_ctl
expect "after the blinks, stop restores heartbeat" heartbeat "$(trigger_of act)"

# --- the board's trigger survives a SIGKILL mid-blink --------------------------
start_ctl /tmp/ctl5.log --led act || gs_finish
led blink 100 100
kill -KILL "$ctl"; wait "$ctl" 2>/dev/null
expect "SIGKILL mid-blink: the kernel still blinks (timer)" timer "$(trigger_of act)"
start_ctl /tmp/ctl6.log --led act || gs_finish
expect "restarted: trigger none" none "$(trigger_of act)"
case $(led status) in *"trigger heartbeat at exit (saved by a killed controller)"*)
	ok "restarted: heartbeat is the trigger to restore, from the state file" ;;
*) bad "restarted: status: $(led status)" ;; esac
stop_ctl
expect "stop after a SIGKILL and restart: heartbeat restored" heartbeat "$(trigger_of act)"
ls /run/mqled/*.trigger >/dev/null 2>&1 && bad "a state file left: $(ls /run/mqled)" || ok "no state file left after a clean stop"

# --- several kernel LEDs in one controller -----------------------------------
start_ctl /tmp/ctl7.log -L act=led:act -L pwr=led:pwr || gs_finish
expect "-L: act's trigger none" none "$(trigger_of act)"
led act blink 200 200
expect "-L: act blinks in the kernel" timer "$(trigger_of act)"
led pwr on; expect_brightness "-L: pwr on" pwr 1
expect "-L: act still blinks" timer "$(trigger_of act)"
led off
expect "-L: off without a name ends act's blink" none "$(trigger_of act)"
expect_brightness "-L: and puts pwr out" pwr 0
stop_ctl
expect "-L: act's heartbeat restored" heartbeat "$(trigger_of act)"

# --- Home Assistant over MQTT, on the real LED --------------------------------
# A mosquitto in the guest on the loopback (run-guest --bin: the host's
# mosquitto, mosquitto_pub and mosquitto_sub, and so libmosquitto, which
# mqled loads). The config is read as Home Assistant reads it, and what it
# would send is sent: its command templates filled in for the values it
# sends (the bats suite renders them with Jinja itself, tests/ha-light.py).
if [ -x /usr/local/bin/mosquitto ]; then
	ip link set lo up
	# a lookup with AI_ADDRCONFIG (glibc) finds no IPv4 address while
	# 127.0.0.1 is the only one: whichever client asks for it, one more
	ip addr add 192.0.2.1/32 dev lo
	printf 'user root\nlistener 1884 127.0.0.1\nallow_anonymous true\npersistence false\n' > /tmp/mosq.conf
	mosquitto -c /tmp/mosq.conf > /tmp/mosq.log 2>&1 & mosq=$!
	M="-h 127.0.0.1 -p 1884"
	# mqtt_get TOPIC: its retained value
	mqtt_get() { mosquitto_sub $M -t "$1" -C 1 -W 2 2>/dev/null; }
	mqtt_is() { [ "$(mqtt_get "$1")" = "$2" ]; }
	ha() { mosquitto_pub $M -q 1 -t pi/led -m "$1"; }
	trigger_is() { [ "$(trigger_of act)" = "$1" ]; }
	gs_wait 10000 mosquitto_pub $M -t probe -m x || bad "mosquitto did not start: $(cat /tmp/mosq.log)"
	mqled run -q mqtt://127.0.0.1:1884/pi/led --led act --ha-discovery 2>/tmp/ctl8.log & ctl=$!
	if gs_wait 15000 mqtt_is pi/led/availability online; then ok "MQTT controller online"
	else bad "MQTT controller not online: $(cat /tmp/ctl8.log)"; fi
	config=$(mqtt_get homeassistant/light/mqled_pi_led/config)
	echo "### Home Assistant config: $config"
	# field NAME: a string or number field of the config
	field() { echo "$config" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",]*\).*/\1/p"; }
	expect "config: unique_id" mqled_pi_led "$(field unique_id)"
	expect "config: default_entity_id" light.mqled_pi_led "$(field default_entity_id)"
	expect "config: brightness_scale is act's max_brightness" 255 "$(field brightness_scale)"
	expect "config: on_command_type" brightness "$(field on_command_type)"
	case $config in *'"object_id"'*) bad "config: the deprecated object_id" ;; *) ok "config: no object_id" ;; esac
	tpl=$(field brightness_command_template)
	# effect NAME: its command, from the effect_command_template's dictionary
	effect() { echo "$config" | sed -n "s/.*'$1': '\([^']*\)'.*/\1/p"; }
	for e in blink heartbeat pulse; do
		case $config in *"\"effect_list\":["*"\"$e\""*) ok "effect_list has $e" ;; *) bad "effect_list lacks $e" ;; esac
	done

	ha "$(echo "$tpl" | sed 's/{{ value }}/255/')"
	expect_brightness "HA: on at 255 of 255" act 255
	gs_wait 5000 mqtt_is pi/led/state ON && ok "HA: state ON" || bad "HA: state $(mqtt_get pi/led/state)"
	ha "$(echo "$tpl" | sed 's/{{ value }}/128/')"
	expect_brightness "HA: brightness 128" act 128
	expect "uleds saw 128" 128 "$(last_event act)"
	gs_wait 5000 mqtt_is pi/led/brightness 128 && ok "HA: brightness state 128" ||
		bad "HA: brightness state $(mqtt_get pi/led/brightness)"
	ha "$(effect blink)"
	gs_wait 5000 trigger_is timer && ok "HA: effect blink is the timer trigger" ||
		bad "HA: effect blink: trigger $(trigger_of act)"
	expect "HA: blink delay_on" 500 "$(cat $L/delay_on)"
	gs_wait 5000 mqtt_is pi/led/effect blink && ok "HA: effect state blink" || bad "HA: effect $(mqtt_get pi/led/effect)"
	ha "$(effect heartbeat)"
	gs_wait 5000 trigger_is pattern && ok "HA: effect heartbeat is the pattern trigger" ||
		bad "HA: effect heartbeat: trigger $(trigger_of act)"
	expect "HA: heartbeat repeats" -1 "$(cat $L/repeat)"
	ha "$(effect pulse)"
	gs_wait 5000 mqtt_is pi/led/effect pulse && ok "HA: effect state pulse" || bad "HA: effect $(mqtt_get pi/led/effect)"
	gs_wait 5000 mqtt_is pi/led/effect off && ok "HA: the pulse ended, effect off" || bad "HA: effect $(mqtt_get pi/led/effect)"
	expect_brightness "HA: off after the pulse" act 0
	ha OFF
	gs_wait 5000 mqtt_is pi/led/state OFF && ok "HA: OFF" || bad "HA: state $(mqtt_get pi/led/state)"
	mosquitto_pub $M -q 1 -t pi/led -m stop
	wait "$ctl"
	expect "MQTT controller exit status" 0 "$?"
	expect "MQTT controller: heartbeat restored" heartbeat "$(trigger_of act)"
	kill "$mosq"
else
	echo "### NOTE: no mosquitto on the host: the Home Assistant part was not run"
fi

gs_finish
