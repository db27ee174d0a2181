# SPDX-License-Identifier: GPL-2.0-or-later
# completions/mqrm.bash - mqrm's options for the engine in mqtools.bash;
# the build joins the two into $(bashcompletiondir)/mqrm.

_mqtools_options_mqrm=(
	'-a --all:'
	'--orphaned:'
	'--empty:'
	'--idle:duration'
	'--idle-after:duration'
	'-u --user:user'
	'-P --posix:'
	'-S --sysv:'
	'-n --dry-run:'
	'-i --interactive:'
	'-v --verbose:'
	'-f --force:'
	"${_mqtools_options_network[@]}"
)
_mqtools_operands_mqrm=queues

complete -F _mqtools mqrm
