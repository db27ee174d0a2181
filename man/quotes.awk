# SPDX-License-Identifier: GPL-2.0-or-later
# man/quotes.awk - run by check-man on a page rendered with
# `mandoc -T utf8`, read byte by byte (LC_ALL=C). Reports quotes that do
# not pair up: a ‘ opened inside another ‘...’ (or “ inside “...”), a
# closing quote with none open, and a quote still open at the end of a
# paragraph. The usual cause is a quoting macro (Ql, Sq, Dq, ...) whose
# scope runs to the end of its line and swallows what follows, as in
#     .Pq Ql led0 and Ql led1 on older images .
# which renders "(‘led0 and ‘led1 on older images’’)". Neither mandoc -T lint
# nor groff -ww warns about it: only the rendered text shows it.
# Usage: LC_ALL=C awk -v page=NAME -f quotes.awk; exit status 1 if reported.

function report_at(n, t, what) {
	printf "check-man: %s: rendered line %d: %s: %s\n", page, n, what, t
	bad = 1
}
function report(what) {
	report_at(NR, text, what)
}
function para_end() {
	if (open["s"] > 0)
		report_at(at_n["s"], at_text["s"], "a \342\200\230 opened here is not closed in its paragraph")
	if (open["d"] > 0)
		report_at(at_n["d"], at_text["d"], "a \342\200\234 opened here is not closed in its paragraph")
	open["s"] = open["d"] = 0
}
BEGIN { bad = 0; open["s"] = open["d"] = 0 }
{
	# overstrike: "_\bX" underlines X, "X\bX" makes it bold (X may be a
	# multibyte character)
	line = $0
	gsub(/_\010/, "", line)
	gsub(/([\001-\177]|[\300-\377][\200-\277]+)\010/, "", line)
	text = line
	sub(/^[ \t]+/, "", text)
	if (line ~ /^[ \t]*$/) {
		para_end()
		next
	}
	while (match(line, /\342\200[\230\231\234\235]/)) {
		q = substr(line, RSTART + 2, 1)
		line = substr(line, RSTART + RLENGTH)
		kind = (q == "\230" || q == "\231") ? "s" : "d"
		if (q == "\230" || q == "\234") {
			if (open[kind] > 0)
				report("a quote opens inside a quote of the same kind (a quoting macro swallowed the rest of its line?)")
			if (open[kind]++ == 0) {
				at_n[kind] = NR
				at_text[kind] = text
			}
		} else if (open[kind] == 0) {
			report("a closing quote with none open")
		} else {
			open[kind]--
		}
	}
}
END {
	para_end()
	exit bad
}
