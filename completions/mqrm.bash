# SPDX-License-Identifier: GPL-2.0-or-later
# completions/mqrm.bash - mqrm's options for the engine in mqtools.bash;
# the build joins the two into $(bashcompletiondir)/mqrm.

_mqtools_options_mqrm=(
	'-a --all:'
	'--orphaned:'
	'--empty:'
	'--idle:duration'
	'--idle-after:duration'
	'--state:state'
	'-u --user:user'
	'-Q -P --posix:'
	'-q -S --sysv:'
	'-n --dry-run:'
	'-i --interactive:'
	'-v --verbose:'
	'-f --force:'
	"${_mqtools_options_network[@]}"
)
_mqtools_operands_mqrm=queues

# --state takes mqstat's STATE words, separated by commas; the rest is the
# shared engine's.
_mqrm()
{
	local cur prev words cword split
	_init_completion -s -n : || return
	if [[ $prev == --state ]]; then
		local last=${cur##*,}
		mapfile -t COMPREPLY < <(compgen -P "${cur%"$last"}" -W 'in-use recent idle stale orphaned unknown' -- "$last")
		compopt -o nospace
		return
	fi
	_mqtools
}

complete -F _mqrm mqrm
