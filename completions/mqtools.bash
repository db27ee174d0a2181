# SPDX-License-Identifier: GPL-2.0-or-later
# completions/mqtools.bash - bash completion engine shared by the mqtools
# commands; needs bash-completion (it uses _init_completion).
#
# Each command describes itself in completions/CMD.bash; the build joins
# this file and that one into $(bashcompletiondir)/CMD, which bash-completion
# loads the first time CMD is completed. A command's file sets:
#
#   _mqtools_options_CMD   one entry per option: its names, a colon, and the
#                          kind of value it takes (empty for a flag), e.g.
#                          '-T --timeout:duration'. --help and --version are
#                          added for every command.
#   _mqtools_operands_CMD  "queue": the first operand is a queue, the rest are
#                          free text; "queues": every operand is a queue.
#
# and registers itself with `complete -F _mqtools CMD`.
#
# Value kinds: queue, duration, mode, size, columns (mqstat's, as a
# comma-separated list, from `mqstat --list-columns`), user, and number or
# byte, for which nothing is suggested. Queue names are read live: POSIX queues from the
# mqueue mount as /name, System V queues from /proc/sysvipc/msg as
# key:0x... and id:N, of the shell's own IPC namespace.

_mqtools_options_common=(
	'-h --help:'
	'-V --version:'
)
# Creating a queue and waiting on it: the same for mqsend and mqrecv.
_mqtools_options_create=(
	'-c --create:'
	'-x --exclusive:'
	'-m --mode:mode'
	'--maxmsg:number'
	'--msgsize:size'
	'--qbytes:size'
)
# A broker's queue (amqp://): its password file, and what --create declares.
_mqtools_options_network=(
	'--password-file:file'
)
_mqtools_options_amqp=(
	"${_mqtools_options_network[@]}"
	'--max-priority:number'
	'--replicated:'
)
_mqtools_options_wait=(
	'--nonblock:'
	'-T --timeout:duration'
)

# The live queue addresses, one a line.
_mqtools_queue_names()
{
	local f key id rest
	for f in /dev/mqueue/* /dev/mqueue/.*; do
		[[ -f $f ]] && printf '/%s\n' "${f##*/}"
	done
	[[ -r /proc/sysvipc/msg ]] || return 0
	while read -r key id rest; do
		[[ $key =~ ^-?[0-9]+$ ]] || continue # the header line
		# /proc shows the key as a signed decimal; key 0 is IPC_PRIVATE,
		# which only the id reaches.
		((key != 0)) && printf 'key:0x%08x\n' $((key & 0xffffffff))
		printf 'id:%s\n' "$id"
	done </proc/sysvipc/msg
}

_mqtools_complete_queue()
{
	local cur=$1 name
	if [[ $cur == ftok:* ]]; then
		# ftok:PATH[:PROJ] - complete the path; no space after it, so
		# that :PROJ can follow.
		while IFS= read -r name; do
			[[ -d $name ]] && name+=/
			COMPREPLY+=("ftok:$name")
		done < <(compgen -f -- "${cur#ftok:}")
		compopt -o nospace
	else
		while IFS= read -r name; do
			[[ $name == "$cur"* ]] && COMPREPLY+=("$name")
		done < <(_mqtools_queue_names)
		if [[ -n $cur && ftok: == "$cur"* ]]; then
			COMPREPLY+=(ftok:)
			compopt -o nospace
		fi
		# a broker's queue: the scheme, then the user's own host and path
		local scheme schemes=()
		for scheme in amqp:// amqps://; do
			[[ -n $cur && $scheme == "$cur"* ]] && schemes+=("$scheme")
		done
		if ((${#schemes[@]})); then
			COMPREPLY+=("${schemes[@]}")
			compopt -o nospace
		fi
		# network addresses: the scheme, then the user's own host and topic
		for name in mqtt:// mqtts://; do
			if [[ -n $cur && $name == "$cur"* && $name != "$cur" ]]; then
				COMPREPLY+=("$name")
				compopt -o nospace
			fi
		done
	fi
	# A colon splits words in bash: offer only what follows the one typed.
	__ltrim_colon_completions "$cur"
}

# COMPREPLY: the words of the list WORDS that begin with CUR.
_mqtools_reply_words()
{
	mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}

_mqtools_complete_value()
{
	local kind=$1 cur=$2
	case $kind in
	queue) _mqtools_complete_queue "$cur" ;;
	duration)
		if [[ $cur =~ ^[0-9]+(\.[0-9]*)?$ ]]; then
			COMPREPLY=("${cur}ms" "${cur}s" "${cur}m" "${cur}h" "${cur}d" "${cur}w")
		else
			_mqtools_reply_words '100ms 500ms 1s 2s 5s 30s 1m 1h' "$cur"
		fi
		;;
	mode) _mqtools_reply_words '0600 0640 0660 0620 0644 0666' "$cur" ;;
	size)
		if [[ $cur =~ ^[0-9]+$ ]]; then
			COMPREPLY=("$cur" "${cur}k" "${cur}M")
		else
			_mqtools_reply_words '4096 8192 64k 1M' "$cur"
		fi
		;;
	columns)
		# NAME,NAME,... or +NAME,...: complete the name after the last
		# comma, keeping what stands before it.
		local last=${cur##*[,+]} name
		local before=${cur%"$last"}
		while read -r name _; do
			[[ $name == "${last^^}"* ]] && COMPREPLY+=("$before$name")
		done < <(mqstat --list-columns 2>/dev/null)
		compopt -o nospace
		;;
	user) mapfile -t COMPREPLY < <(compgen -u -- "$cur") ;;
	file) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
	*) COMPREPLY=() ;; # a number or a byte: nothing worth suggesting
	esac
}

# The kind of value option OPT (-x or --name) of the command takes: printed
# (empty for a flag); status 1 for an unknown option.
_mqtools_option_kind()
{
	local opt=$1 entry names name
	shift
	for entry; do
		names=${entry%:*}
		for name in $names; do
			if [[ $name == "$opt" ]]; then
				printf '%s' "${entry##*:}"
				return 0
			fi
		done
	done
	return 1
}

_mqtools()
{
	local cur prev words cword split
	_init_completion -s -n : || return

	local cmd=${words[0]##*/}
	local table="_mqtools_options_${cmd}[@]" operands="_mqtools_operands_${cmd}"
	local -a options=("${!table}" "${_mqtools_options_common[@]}")
	operands=${!operands}

	# --name=value: complete the value.
	if [[ $split == true ]]; then
		_mqtools_complete_value "$(_mqtools_option_kind "$prev" "${options[@]}")" "$cur"
		return
	fi

	# Walk the words before the cursor as getopt_long would, counting
	# operands and noting an option whose value is the next word.
	local i w j kind want='' seen_operands=0 end_of_options=''
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		if [[ -n $want ]]; then
			want=
		elif [[ -n $end_of_options || $w != -?* ]]; then
			((seen_operands++))
		elif [[ $w == -- ]]; then
			end_of_options=1
		elif [[ $w == --* ]]; then
			[[ $w == *=* ]] || want=$(_mqtools_option_kind "$w" "${options[@]}")
		else
			# -abc: flags, until one that takes a value takes the rest,
			# or the next word when it is the last letter.
			for ((j = 1; j < ${#w}; j++)); do
				kind=$(_mqtools_option_kind "-${w:j:1}" "${options[@]}")
				if [[ -n $kind ]]; then
					((j == ${#w} - 1)) && want=$kind
					break
				fi
			done
		fi
	done

	if [[ -n $want ]]; then
		_mqtools_complete_value "$want" "$cur"
	elif [[ -z $end_of_options && $cur == -* ]]; then
		local entry all=
		for entry in "${options[@]}"; do
			all+=" ${entry%:*}"
		done
		_mqtools_reply_words "$all" "$cur"
	elif [[ $operands == queues || ($operands == queue && $seen_operands == 0) ]]; then
		_mqtools_complete_queue "$cur"
	fi
}
