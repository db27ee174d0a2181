# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion of mqrm(1); the shared parts are in __mqtools.fish.
complete -c mqrm -f
__mqtools option mqrm a all '' 'Every queue'
__mqtools option mqrm '' orphaned '' 'Queues no process uses'
__mqtools option mqrm '' empty '' 'Queues holding no message'
__mqtools option mqrm '' idle duration 'Queues with no activity for DURATION'
__mqtools option mqrm '' idle-after duration 'How long --orphaned wants a queue inactive'
__mqtools option mqrm '' state choice 'Queues of these STATEs of mqstat, comma-separated'
complete -c mqrm -l state -x -a 'in-use recent idle stale orphaned unknown'
__mqtools option mqrm u user user 'Queues owned by USER'
__mqtools option mqrm Q posix '' 'POSIX queues only'
__mqtools option mqrm q sysv '' 'System V queues only'
__mqtools option mqrm P '' '' 'POSIX queues only (as -Q)'
__mqtools option mqrm S '' '' 'System V queues only (as -q)'
__mqtools option mqrm n dry-run '' 'List what would be removed'
__mqtools option mqrm i interactive '' 'Ask before each removal'
__mqtools option mqrm v verbose '' 'Report each removal'
__mqtools option mqrm f force '' 'A missing queue is not an error'
__mqtools option mqrm '' password-file file 'amqp://: the password, on the first line of FILE'
__mqtools common-options mqrm
__mqtools queue-operands mqrm all
