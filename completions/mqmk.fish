# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion of mqmk(1); the shared parts are in __mqtools.fish.
complete -c mqmk -f
__mqtools option mqmk m mode mode 'Permissions (octal, default 0600)'
__mqtools option mqmk o owner user 'Owner (name or uid)'
# a value of a kind __mqtools has no suggestions for; the groups follow
__mqtools option mqmk g group number 'Group (name or gid)'
complete -c mqmk -s g -l group -x -a '(__fish_complete_groups)'
__mqtools option mqmk '' maxmsg number 'POSIX: capacity in messages'
__mqtools option mqmk '' msgsize size 'POSIX: largest message'
__mqtools option mqmk '' qbytes size 'System V: capacity in bytes'
__mqtools option mqmk '' private '' 'Create a System V queue with key IPC_PRIVATE'
__mqtools option mqmk e exist-ok '' 'A queue that exists as asked is fine'
__mqtools option mqmk C change '' 'Change existing queues, create none'
__mqtools common-options mqmk
__mqtools queue-operands mqmk all
