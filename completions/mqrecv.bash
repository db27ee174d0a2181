# SPDX-License-Identifier: GPL-2.0-or-later
# completions/mqrecv.bash - mqrecv's options for the engine in mqtools.bash;
# the build joins the two into $(bashcompletiondir)/mqrecv.

_mqtools_options_mqrecv=(
	'-n --count:number'
	'-f --follow:'
	'--drain:'
	'--idle:duration'
	'-t --type:number'
	'-e --except:'
	'--peek:'
	'-0 --null:'
	'-r --raw:'
	'-d --delimiter:byte'
	'-J -j --json:'
	'--batch:number'
	'--dead-letter:file'
	'--to:queue'
	'-q --quiet:'
	'-v --verbose:'
	'--wait:'
	'--exec:'
	'-P --workers:number'
	'--retries:number'
	'--kill-after:duration'
	'--group:text'
	'--fanout:'
	'--session:text'
	"${_mqtools_options_create[@]}"
	"${_mqtools_options_wait[@]}"
	"${_mqtools_options_amqp[@]}"
)
_mqtools_operands_mqrecv=queue

# Every word after --exec is the command's: complete it as a command line
# of its own (bash-completion's _command_offset).
_mqtools_mqrecv()
{
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == --exec ]]; then
			_command_offset $((i + 1))
			return
		fi
	done
	_mqtools "$@"
}

complete -F _mqtools_mqrecv mqrecv
