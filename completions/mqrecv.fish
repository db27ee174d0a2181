# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion of mqrecv(1); the shared parts are in __mqtools.fish.
complete -c mqrecv -f
__mqtools option mqrecv n count number 'Receive this many messages'
__mqtools option mqrecv f follow '' 'Keep receiving until interrupted'
__mqtools option mqrecv '' drain '' 'Receive what is queued now, then exit'
__mqtools option mqrecv '' idle duration 'With -f: end with status 0 after this long without a message'
__mqtools option mqrecv t type number 'System V: 0 any, N that type, -N lowest type <= N'
__mqtools option mqrecv e except '' 'System V: any type except the one of -t'
__mqtools option mqrecv '' peek '' 'System V: show messages without removing them'
__mqtools option mqrecv 0 null '' 'Write NUL after each message'
__mqtools option mqrecv r raw '' 'Write message bytes only'
__mqtools option mqrecv d delimiter byte 'End each message with this byte'
__mqtools option mqrecv J json '' 'One JSON object per message'
complete -c mqrecv -s j -d 'One JSON object per message (as -J)'
__mqtools option mqrecv '' batch number 'Hold at most N messages not yet written'
__mqtools option mqrecv '' dead-letter file 'Where messages that cannot be put back go'
__mqtools option mqrecv '' to queue 'Send each message to this queue (store-and-forward with -f)'
__mqtools option mqrecv v verbose '' 'Write PRIORITY or TYPE, a tab, then each message'
__mqtools option mqrecv '' wait '' 'POSIX: wait until a message is there, take none'
__mqtools option mqrecv '' exec '' 'Run a command per message; every word after it is its own'
__mqtools option mqrecv P workers number '--exec: run N commands at once'
__mqtools option mqrecv '' retries number '--exec: put a failed message back K times'
__mqtools option mqrecv '' kill-after duration '--exec: SIGKILL commands this long after SIGTERM'
__mqtools option mqrecv '' group text 'mqtt://: the shared subscription group'
__mqtools option mqrecv '' fanout '' 'mqtt://: every subscriber gets every message'
__mqtools option mqrecv '' session text 'mqtt://: a persistent session, collecting while away'
# after --exec: the command and its own arguments
complete -c mqrecv -n '__fish_contains_opt exec' -xa '(__fish_complete_subcommand -- --exec)'
__mqtools option mqrecv q quiet '' 'No progress line on a terminal'
__mqtools create-options mqrecv
__mqtools common-options mqrecv
__mqtools queue-operands mqrecv first
