# SPDX-License-Identifier: GPL-2.0-or-later
# __mqtools - what the fish completions of the mqtools commands share.
# Installed in fish's vendor_functions.d, from where fish autoloads it the
# first time a command's completion file (vendor_completions.d/CMD.fish)
# calls it:
#
#   __mqtools option CMD SHORT LONG KIND DESCRIPTION
#       register option -SHORT/--LONG of CMD (either may be ''), whose value
#       is of KIND: '' for a flag, queue, duration, mode, size, columns
#       (mqstat's comma-separated list), user, file (file names), or number
#       or byte (nothing suggested)
#   __mqtools create-options CMD   register the options that create a queue
#                                  and bound waits (mqsend, mqrecv)
#   __mqtools common-options CMD   register --help and --version
#   __mqtools queue-operands CMD first|all
#       complete live queue names for CMD's first operand, or every operand
#   __mqtools queues               print the live queue addresses
#   __mqtools values KIND          print suggestions for a value of KIND
#   __mqtools wants-queue first|all  whether the token being completed is a
#                                    queue operand
function __mqtools
    set -l what $argv[1]
    set -e argv[1]
    switch $what
        case option
            set -l cmd $argv[1]
            set -l args -c $cmd
            test -n "$argv[2]"; and set -a args -s $argv[2]
            test -n "$argv[3]"; and set -a args -l $argv[3]
            set -l kind $argv[4]
            if test -n "$kind"
                # Options that take a value: remembered for wants-queue.
                test -n "$argv[2]"; and set -ga __mqtools_valued_$cmd -$argv[2]
                test -n "$argv[3]"; and set -ga __mqtools_valued_$cmd --$argv[3]
                switch $kind
                    case file
                        set -a args -r -F
                    case queue duration mode size columns user
                        set -a args -x -a "(__mqtools values $kind)"
                    case '*'
                        set -a args -x
                end
            end
            complete $args -d $argv[5]
        case create-options
            set -l cmd $argv[1]
            __mqtools option $cmd c create '' 'Create the queue if missing'
            __mqtools option $cmd x exclusive '' 'Create the queue, fail if it exists'
            __mqtools option $cmd m mode mode 'Permissions of a created queue (octal)'
            __mqtools option $cmd '' maxmsg number 'POSIX: capacity in messages when creating'
            __mqtools option $cmd '' msgsize size 'POSIX: largest message when creating'
            __mqtools option $cmd '' qbytes size 'System V: capacity in bytes when creating'
            __mqtools option $cmd '' nonblock '' 'Fail at once instead of waiting'
            __mqtools option $cmd T timeout duration 'Give up after waiting this long'
            __mqtools option $cmd '' password-file file 'amqp://: the password, on the first line of FILE'
            __mqtools option $cmd '' max-priority number 'amqp:// create: priorities 0..K'
            __mqtools option $cmd '' replicated '' 'amqp:// create: a quorum queue'
        case common-options
            __mqtools option $argv[1] h help '' 'Display help'
            __mqtools option $argv[1] V version '' 'Display version'
        case queue-operands
            complete -c $argv[1] -f -n "__mqtools wants-queue $argv[2]" -a '(__mqtools values queue)'
        case values
            switch $argv[1]
                case queue
                    set -l token (commandline -ct)
                    if string match -q 'ftok:*' -- $token
                        # ftok:PATH[:PROJ]: complete the path.
                        for p in (__fish_complete_path (string replace 'ftok:' '' -- $token))
                            printf 'ftok:%s\n' $p
                        end
                    else
                        __mqtools queues
                        printf 'ftok:\tSystem V key from a path (ftok:PATH[:PROJ])\n'
                        printf 'amqp://\tA queue on a RabbitMQ broker (amqp://host/queue)\n'
                        printf 'amqps://\tThe same over TLS\n'
                        printf 'mqtt://\tA topic on an MQTT broker (mqtt://host/topic)\n'
                        printf 'mqtts://\tA topic on an MQTT broker, over TLS\n'
                    end
                case duration
                    set -l token (commandline -ct | string replace -r '^--?[^=]*=' '')
                    if string match -qr '^[0-9]+(\.[0-9]*)?$' -- $token
                        printf '%s\n' {$token}ms {$token}s {$token}m {$token}h {$token}d {$token}w
                    else
                        printf '%s\n' 100ms 500ms 1s 2s 5s 30s 1m 1h
                    end
                case columns
                    # NAME,NAME,... or +NAME,...: the names after the last
                    # comma, each after what stands before it
                    set -l token (commandline -ct | string replace -r '^--?[^=]*=' '')
                    set -l before (string match -r '^.*[,+]' -- $token)
                    set -l tab (printf '\t')
                    mqstat --list-columns 2>/dev/null | string replace -r '^(\S+)\s+(.*)$' "$before\$1$tab\$2"
                case user
                    __fish_complete_users
                case mode
                    printf '%s\n' 0600\t'owner only (default)' 0640\t'owner, group reads' \
                        0660\t'owner and group' 0620\t'owner, group writes' 0666\t'everyone'
                case size
                    set -l token (commandline -ct | string replace -r '^--?[^=]*=' '')
                    if string match -qr '^[0-9]+$' -- $token
                        printf '%s\n' $token {$token}k {$token}M
                    else
                        printf '%s\n' 4096 8192 64k 1M
                    end
            end
        case queues
            for f in /dev/mqueue/* /dev/mqueue/.*
                test -f $f; and printf '/%s\tPOSIX queue\n' (basename -- $f)
            end
            test -r /proc/sysvipc/msg; or return 0
            while read -l key id rest
                # The header line, then one line per queue; the key is a
                # signed decimal, 0 (IPC_PRIVATE) reachable by id only.
                string match -qr '^-?[0-9]+$' -- $key; or continue
                test $key -lt 0; and set key (math $key + 4294967296)
                test $key -ne 0; and printf 'key:0x%08x\tSystem V queue (id %s)\n' $key $id
                printf 'id:%s\tSystem V queue\n' $id
            end </proc/sysvipc/msg
        case wants-queue
            # Walk the tokens before the cursor as getopt_long would.
            set -l tokens (commandline -opc)
            set -l valued __mqtools_valued_(basename -- $tokens[1])
            set -e tokens[1]
            set -l operands 0
            set -l want 0
            set -l end_of_options 0
            for t in $tokens
                if test $want = 1
                    set want 0
                else if test $end_of_options = 1; or not string match -q -- '-?*' $t
                    set operands (math $operands + 1)
                else if test "$t" = --
                    set end_of_options 1
                else if string match -q -- '--*' $t
                    string match -q -- '*=*' $t; or contains -- $t $$valued; and set want 1
                else
                    # -abc: flags until one that takes a value.
                    set -l letters (string split '' -- (string sub -s 2 -- $t))
                    for i in (seq (count $letters))
                        if contains -- -$letters[$i] $$valued
                            test $i -eq (count $letters); and set want 1
                            break
                        end
                    end
                end
            end
            test $want = 0; or return 1
            test "$argv[1]" = all; or test $operands -eq 0
    end
end
