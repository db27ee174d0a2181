# fish completion of mqstat(1); the shared parts are in __mqtools.fish.
complete -c mqstat -f
__mqtools option mqstat P posix '' 'POSIX queues only'
__mqtools option mqstat S sysv '' 'System V queues only'
__mqtools option mqstat J json '' 'JSON output'
__mqtools option mqstat r raw '' 'Raw output'
__mqtools option mqstat n noheadings '' 'No header line'
__mqtools option mqstat o output columns 'Columns to show (+COL adds to the default)'
__mqtools option mqstat '' output-all '' 'Every column'
__mqtools option mqstat b bytes '' 'Sizes in bytes'
__mqtools option mqstat H list-columns '' 'List the columns'
__mqtools option mqstat l limits '' 'System limits and their use'
__mqtools option mqstat w watch '' 'Redraw every SECONDS on the terminal'
__mqtools option mqstat '' idle-after duration 'A queue unused this long is idle'
__mqtools common-options mqstat
__mqtools queue-operands mqstat all
