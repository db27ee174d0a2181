# SPDX-License-Identifier: GPL-2.0-or-later
# completions/mqsend.bash - mqsend's options for the engine in mqtools.bash;
# the build joins the two into $(bashcompletiondir)/mqsend.

_mqtools_options_mqsend=(
	'-p --priority:number'
	'-t --type:number'
	'-0 --null:'
	'-d --delimiter:byte'
	'-w --whole:'
	'-J --json:'
	'-q --quiet:'
	'--dead-letter:file'
	"${_mqtools_options_create[@]}"
	"${_mqtools_options_wait[@]}"
	"${_mqtools_options_amqp[@]}"
)
_mqtools_operands_mqsend=queue # then MESSAGE... (free text)

complete -F _mqtools mqsend
