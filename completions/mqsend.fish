# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion of mqsend(1); the shared parts are in __mqtools.fish.
complete -c mqsend -f
__mqtools option mqsend p priority number 'POSIX priority 0..32767, higher first'
__mqtools option mqsend t type number 'System V message type, 1 or more'
__mqtools option mqsend 0 null '' 'Input records end with NUL'
__mqtools option mqsend d delimiter byte 'Input records end with this byte'
__mqtools option mqsend w whole '' 'All of the input is one message'
__mqtools option mqsend J json '' 'Input lines are JSON objects, as mqrecv --json writes them'
__mqtools option mqsend q quiet '' 'No progress line on a terminal'
__mqtools option mqsend '' dead-letter file 'Where records read but not sent go'
__mqtools create-options mqsend
__mqtools common-options mqsend
__mqtools queue-operands mqsend first
