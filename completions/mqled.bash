# SPDX-License-Identifier: GPL-2.0-or-later
# completions/mqled.bash - mqled's options and commands for the engine in
# mqtools.bash; the build joins the two into $(bashcompletiondir)/mqled.
# mqled's operands are a command word (run, on, ...), not queues, so it has
# a completion function of its own around the engine's helpers.

_mqtools_options_mqled=(
	'-q --queue:queue'
	'-T --timeout:duration'
	'--chip:chip'
	'--line:number'
	'--active-low:'
	'--bias:bias'
	'--drive:drive'
	'--led:led'
	'--console:'
	'-L --leds:ledspec'
	'-m --mode:mode'
	'-k --keep:'
	'-d --daemon:'
	'-p --pidfile:file'
	'--password-file:file'
	'--ha-discovery:'
)

_mqled()
{
	local cur prev words cword split
	_init_completion -s -n : || return
	local -a options=("${_mqtools_options_mqled[@]}" "${_mqtools_options_common[@]}")
	local i w want= kind operands=0

	if [[ $split == true ]]; then
		want=$(_mqtools_option_kind "$prev" "${options[@]}")
	else
		# the words before the cursor, as getopt_long sees them
		for ((i = 1; i < cword; i++)); do
			w=${words[i]}
			if [[ -n $want ]]; then
				want=
			elif [[ $w == --*=* || $w != -?* ]]; then
				[[ $w == -* ]] || ((operands++))
			else
				want=$(_mqtools_option_kind "$w" "${options[@]}")
			fi
		done
	fi
	case $want in
	chip)
		mapfile -t COMPREPLY < <(compgen -W "$(cd /dev 2>/dev/null && echo gpiochip*)" -- "$cur")
		;;
	led)
		mapfile -t COMPREPLY < <(compgen -W "$(cd "${MQLED_SYS_CLASS_LEDS:-/sys/class/leds}" 2>/dev/null && echo *)" -- "$cur")
		;;
	ledspec) [[ $cur == *=* ]] && mapfile -t COMPREPLY < <(compgen -P "${cur%%=*}=" -W 'console led: gpio:' -- "${cur#*=}") ;;
	bias) mapfile -t COMPREPLY < <(compgen -W 'pull-up pull-down disable as-is' -- "$cur") ;;
	drive) mapfile -t COMPREPLY < <(compgen -W 'push-pull open-drain open-source' -- "$cur") ;;
	file) _filedir ;;
	?*) _mqtools_complete_value "$want" "$cur" ;;
	*)
		if [[ $cur == -* ]]; then
			local entry all=
			for entry in "${options[@]}"; do
				all+=" ${entry%:*}"
			done
			_mqtools_reply_words "$all" "$cur"
		elif ((operands == 0)); then
			_mqtools_reply_words 'run on off toggle blink pulse pattern brightness status stop exit' "$cur"
		fi
		;;
	esac
}

complete -F _mqled mqled
