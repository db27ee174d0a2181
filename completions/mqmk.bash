# SPDX-License-Identifier: GPL-2.0-or-later
# completions/mqmk.bash - mqmk's options for the engine in mqtools.bash;
# the build joins the two into $(bashcompletiondir)/mqmk.

_mqtools_options_mqmk=(
	'-m --mode:mode'
	'-o --owner:user'
	'-g --group:group'
	'--maxmsg:number'
	'--msgsize:size'
	'--qbytes:size'
	'--private:'
	'-e --exist-ok:'
	'-C --change:'
)
_mqtools_operands_mqmk=queues

# The engine suggests no group names: a group value is completed here.
_mqmk()
{
	local cur prev words cword split
	_init_completion -s -n : || return
	if [[ $prev == -g || $prev == --group ]]; then
		mapfile -t COMPREPLY < <(compgen -g -- "$cur")
		return
	fi
	_mqtools
}

complete -F _mqmk mqmk
