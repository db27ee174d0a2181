# SPDX-License-Identifier: GPL-2.0-or-later
# completions/mqrecv.bash - mqrecv's options for the engine in mqtools.bash;
# the build joins the two into $(bashcompletiondir)/mqrecv.

_mqtools_options_mqrecv=(
	'-n --count:number'
	'-f --follow:'
	'--drain:'
	'-t --type:number'
	'-e --except:'
	'--peek:'
	'-0 --null:'
	'-r --raw:'
	'-j --json:'
	'--batch:number'
	'--dead-letter:file'
	"${_mqtools_options_create[@]}"
	"${_mqtools_options_wait[@]}"
)
_mqtools_operands_mqrecv=queue

complete -F _mqtools mqrecv
