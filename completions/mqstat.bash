# SPDX-License-Identifier: GPL-2.0-or-later
# completions/mqstat.bash - mqstat's options for the engine in mqtools.bash;
# the build joins the two into $(bashcompletiondir)/mqstat.

_mqtools_options_mqstat=(
	'-Q --posix:'
	'-q --sysv:'
	'-J --json:'
	'-r --raw:'
	'-e --export:'
	'-y --shell:'
	'-n --newline:'
	'-l --list:'
	'--noheadings:'
	'-o --output:columns'
	'--output-all:'
	'-b --bytes:'
	'-P --numeric-perms:'
	'--time-format:time-format'
	'-H --list-columns:'
	'-g --limits --global:'
	'-w --watch:' # its SECONDS is optional: nothing to suggest
	'--idle-after:duration'
	'--check:'
	'--warn-fill:number'
	'--crit-fill:number'
	'--warn-orphaned:number'
	'--warn-idle:duration'
	'--baseline:file'
	'--new-since:file'
	'--prometheus:' # its FILE goes after =: nothing to suggest
	"${_mqtools_options_network[@]}"
)
_mqtools_operands_mqstat=queues

# The two kinds of value only mqstat takes, then the shared engine.
_mqstat()
{
	local cur prev words cword split
	_init_completion -s -n : || return
	case $prev in
	--time-format)
		mapfile -t COMPREPLY < <(compgen -W 'short full iso relative' -- "$cur")
		return
		;;
	--baseline | --new-since)
		_filedir
		return
		;;
	esac
	_mqtools
}

complete -F _mqstat mqstat
