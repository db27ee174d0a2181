# completions/mqstat.bash - mqstat's options for the engine in mqtools.bash;
# the build joins the two into $(bashcompletiondir)/mqstat.

_mqtools_options_mqstat=(
	'-P --posix:'
	'-S --sysv:'
	'-J --json:'
	'-r --raw:'
	'-n --noheadings:'
	'-o --output:columns'
	'--output-all:'
	'-b --bytes:'
	'-H --list-columns:'
	'-l --limits:'
	'-w --watch:' # its SECONDS is optional: nothing to suggest
	'--idle-after:duration'
)
_mqtools_operands_mqstat=queues

complete -F _mqtools mqstat
