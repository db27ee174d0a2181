# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion of mqstat(1); the shared parts are in __mqtools.fish.
complete -c mqstat -f
__mqtools option mqstat Q posix '' 'POSIX queues only'
__mqtools option mqstat q sysv '' 'System V queues only'
__mqtools option mqstat J json '' 'JSON output'
__mqtools option mqstat r raw '' 'Raw output'
__mqtools option mqstat e export '' 'KEY="value" pairs, safe to eval'
__mqtools option mqstat y shell '' 'Column names usable as shell variables'
__mqtools option mqstat n newline '' 'Every queue as FIELD value lines'
__mqtools option mqstat l list '' 'QUEUE arguments as a table'
__mqtools option mqstat '' noheadings '' 'No header line'
__mqtools option mqstat o output columns 'Columns to show (+COL adds to the default)'
__mqtools option mqstat '' output-all '' 'Every column'
__mqtools option mqstat b bytes '' 'Sizes in bytes'
__mqtools option mqstat P numeric-perms '' 'PERMS in octal'
__mqtools option mqstat '' time-format choice 'How times are written'
complete -c mqstat -l time-format -x -a 'short full iso relative'
__mqtools option mqstat H list-columns '' 'List the columns'
__mqtools option mqstat g limits '' 'System limits and their use'
__mqtools option mqstat '' global '' 'System limits and their use (lsipc -g)'
__mqtools option mqstat w watch '' 'Redraw every SECONDS on the terminal'
__mqtools option mqstat '' idle-after duration 'A queue unused this long is idle'
__mqtools option mqstat '' check '' 'Status line and perfdata for a monitor (exit 0-3)'
__mqtools option mqstat '' warn-fill number 'WARNING when a queue is fuller than PERCENT'
__mqtools option mqstat '' crit-fill number 'CRITICAL when a queue is fuller than PERCENT'
__mqtools option mqstat '' warn-orphaned number 'WARNING when more than N queues are orphaned'
__mqtools option mqstat '' warn-idle duration 'WARNING when messages wait untaken this long'
__mqtools option mqstat '' baseline file 'Save the set of queues there are'
__mqtools option mqstat '' new-since file 'List the queues made since the baseline'
__mqtools option mqstat '' password-file file 'amqp://: the password, on the first line of FILE'
complete -c mqstat -l baseline -l new-since -r -F
__mqtools common-options mqstat
__mqtools queue-operands mqstat all
