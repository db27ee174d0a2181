# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion of mqled(1); the shared parts are in __mqtools.fish.
complete -c mqled -f
__mqtools option mqled q queue queue 'The controller'\''s queue (default /mqled), or mqtt://host/topic'
__mqtools option mqled T timeout duration 'Client: how long to wait for the answer'
__mqtools option mqled '' chip chip 'GPIO chip: name, number or path'
__mqtools option mqled '' line number 'GPIO line: offset or name'
__mqtools option mqled '' active-low '' 'The LED lights when the line is low'
__mqtools option mqled '' led led 'A kernel LED under /sys/class/leds'
__mqtools option mqled '' console '' 'Show the LED in the terminal'
__mqtools option mqled m mode mode 'Permissions of the queue it creates'
__mqtools option mqled k keep '' 'Leave the LED as it is at exit'
__mqtools option mqled d daemon '' 'Detach, log to syslog, write a pidfile'
__mqtools option mqled p pidfile file 'Pidfile'
__mqtools option mqled '' password-file file 'mqtt://: the password, on the file'\''s first line'
__mqtools option mqled '' ha-discovery '' 'mqtt://: publish Home Assistant'\''s discovery config'
complete -c mqled -l chip -x -a '(string replace /dev/ "" /dev/gpiochip*)'
complete -c mqled -s L -l leds -x -d 'One of several LEDs: NAME=console|led:NAME|gpio:[CHIP:]LINE'
complete -c mqled -l bias -x -a 'pull-up pull-down disable as-is' -d 'GPIO line bias'
complete -c mqled -l drive -x -a 'push-pull open-drain open-source' -d 'GPIO line drive'
complete -c mqled -l led -x -a '(set -l d /sys/class/leds; set -q MQLED_SYS_CLASS_LEDS; and set d $MQLED_SYS_CLASS_LEDS; path basename $d/*)'
complete -c mqled -s p -l pidfile -F
complete -c mqled -l password-file -F
__mqtools common-options mqled
# the first operand is the command
complete -c mqled -n '__mqtools wants-queue first' -a 'run' -d 'Start the controller'
complete -c mqled -n '__mqtools wants-queue first' -a 'on off toggle' -d 'Set the LED'
complete -c mqled -n '__mqtools wants-queue first' -a 'blink' -d 'Blink [ON_MS [OFF_MS [COUNT]]]'
complete -c mqled -n '__mqtools wants-queue first' -a 'pulse' -d 'On for MS, then off'
complete -c mqled -n '__mqtools wants-queue first' -a 'pattern' -d 'On/off durations MS,MS,... [COUNT]'
complete -c mqled -n '__mqtools wants-queue first' -a 'brightness' -d 'A kernel LED\'s level N or N%'
complete -c mqled -n '__mqtools wants-queue first' -a 'status' -d 'Show the LED and the controller'
complete -c mqled -n '__mqtools wants-queue first' -a 'stop' -d 'Stop the controller'
complete -c mqled -n '__mqtools wants-queue first' -a 'exit' -d 'Stop the controller'
