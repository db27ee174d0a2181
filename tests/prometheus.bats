#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mqstat --prometheus: the exposition format read by the real thing,
# Debian's python3-prometheus-client parser and prometheus-node-exporter's
# textfile collector (started here on 127.0.0.1 and a random port, ended
# by pid with the test); the file written atomically and only where no other user can
# redirect it; the systemd units that refresh it.

load helper

# Debian's python3 and its python3-prometheus-client, whatever python3
# comes first on PATH.
PYTHON=/usr/bin/python3
NODE_EXPORTER=/usr/bin/prometheus-node-exporter

setup() {
	require_tool mqstat mqsend mqrecv
	ns_setup
}

require_prometheus_client() {
	if ! "$PYTHON" -c 'import prometheus_client.parser' 2>/dev/null; then
		[ "${MQTOOLS_NO_SKIP:-}" = 1 ] && fail "python3-prometheus-client is not installed, and MQTOOLS_NO_SKIP=1"
		skip "python3-prometheus-client is not installed"
	fi
}

require_node_exporter() {
	if [ ! -x "$NODE_EXPORTER" ]; then
		[ "${MQTOOLS_NO_SKIP:-}" = 1 ] && fail "prometheus-node-exporter is not installed, and MQTOOLS_NO_SKIP=1"
		skip "prometheus-node-exporter is not installed"
	fi
}

# The body of http://127.0.0.1:$NE_PORT/metrics on stdout.
scrape() {
	"$PYTHON" -c '
import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=10).read().decode())' "$NE_PORT"
}

# node_exporter with the textfile collector alone, reading DIR, on
# 127.0.0.1 and a random port ($NE_PORT). It runs in the test's IPC
# namespace, though it needs nothing there: the teardown then ends it by
# its pid, with the test's other processes.
start_node_exporter() {
	NE_PORT=$(free_loopback_port)
	nsenter -t "$NS_PID" --ipc --mount "${_ns_enter_user[@]}" -- "$NODE_EXPORTER" \
		--web.listen-address="127.0.0.1:$NE_PORT" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$1" \
		>"$BATS_TEST_TMPDIR/node-exporter.log" 2>&1 3>&- &
	wait_until scrape >/dev/null 2>&1 || { cat "$BATS_TEST_TMPDIR/node-exporter.log" >&2; return 1; }
}

# The queues every test below looks at: full by message count (POSIX and
# System V, whatever their bytes), a quarter full, names the format can
# carry with its escapes, names it cannot (not UTF-8, a terminal control),
# and another user's queue held open by a process of that user.
ODD=$'/odd"q\\b\nn\xffz'
NICE=$'/nice"q\\b\nn\u20ac'
EVIL=$'/evil\e[2J\u202e'
make_queues() {
	mqsend -c --maxmsg 3 --msgsize 100 /full a b c
	mqsend -c --maxmsg 4 --msgsize 64 /quarter 12345678
	mqsend -c --qbytes 10 key:0x51 </dev/null
	printf '\n\n\n\n\n\n\n\n\n\n' | mqsend key:0x51
	mqsend -c --maxmsg 4 --msgsize 64 "$ODD" x
	mqsend -c --maxmsg 4 --msgsize 64 "$NICE" </dev/null
	mqsend -c --maxmsg 4 --msgsize 64 "$EVIL" </dev/null
	as_nobody "$MQTOOLS_BIN/mqsend" -c --maxmsg 4 --msgsize 64 -m 0600 /theirs </dev/null
	start_bg nsenter -t "$NS_PID" --ipc --mount "${_ns_enter_user[@]}" -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BIN/mqrecv" /theirs
	wait_blocked "$BG_PID" mqrecv
}

# check_exposition PROM QUEUES LIMITS NAME...: the exposition in file PROM
# against `mqstat -J --output-all` (file QUEUES) and `mqstat -g -J` (file
# LIMITS): every family a gauge with HELP, no series twice, every queue's
# labels and values as mqstat shows them, the queue label of each NAME in
# its documented form; then $ASSERTIONS (python: `m` the samples by
# family, `value(family, queue)` one sample, `label(bytes)` a name's label,
# sys.argv[4:] the NAMEs).
check_exposition() {
	local script
	script=$(cat <<-'EOF'
		import json, os, sys
		from prometheus_client.parser import text_string_to_metric_families

		def unsafe(cp):
		    return (cp < 0x20 or 0x7f <= cp <= 0x9f or cp in (0x61c, 0x200e, 0x200f)
		            or 0x202a <= cp <= 0x202e or 0x2066 <= cp <= 0x2069)

		def label(name):
		    """The queue label mqstat(1) documents for the raw bytes NAME."""
		    s = name.decode("utf-8", "surrogateescape")
		    if all(not 0xdc80 <= ord(c) <= 0xdcff and (c == "\n" or not unsafe(ord(c))) for c in s):
		        return s
		    out = "/"
		    for c in s:
		        if 0xdc80 <= ord(c) <= 0xdcff:
		            out += "\\x%02x" % (ord(c) - 0xdc00)
		        elif c == "\\":
		            out += "\\\\"
		        elif unsafe(ord(c)):
		            out += "".join("\\x%02x" % b for b in c.encode())
		        else:
		            out += c
		    return out

		def json_name(name):
		    """NAME as mqstat -J writes it: a byte that is not UTF-8 as U+0080-U+00FF."""
		    s = name.decode("utf-8", "surrogateescape")
		    return "".join(chr(ord(c) - 0xdc00) if 0xdc80 <= ord(c) <= 0xdcff else c for c in s)

		text = open(sys.argv[1], encoding="utf-8").read()
		fams = list(text_string_to_metric_families(text))
		m = {f.name: f.samples for f in fams}
		for f in fams:
		    assert f.type == "gauge", f.name
		    assert f.documentation, f.name
		    assert text.count("# HELP %s " % f.name) == 1 and text.count("# TYPE %s gauge\n" % f.name) == 1, f.name
		    keys = [tuple(sorted(s.labels.items())) for s in f.samples]
		    assert len(keys) == len(set(keys)), "a series twice in " + f.name
		expected = {"mqtools_queue_messages", "mqtools_queue_bytes", "mqtools_queue_capacity_bytes",
		            "mqtools_queue_capacity_messages", "mqtools_queue_fill_ratio", "mqtools_queue_inactive_seconds",
		            "mqtools_queue_holders", "mqtools_queue_state", "mqtools_limit", "mqtools_limit_used",
		            "mqtools_collect_success", "mqtools_collect_duration_seconds"}
		assert set(m) == expected, set(m) ^ expected

		def value(family, queue):
		    found = [s for s in m[family] if s.labels["queue"] == queue]
		    assert len(found) <= 1
		    return found[0] if found else None

		rows = json.load(open(sys.argv[2]))["queues"]
		names = {json_name(os.fsencode(n)): os.fsencode(n) for n in sys.argv[4:]}
		assert len(rows) == len(m["mqtools_queue_state"]), (len(rows), len(m["mqtools_queue_state"]))
		for r in rows:
		    q = label(names[r["name"]]) if r["name"] in names else r["name"]
		    s = value("mqtools_queue_state", q)
		    assert s, "no queue " + repr(q)
		    assert s.labels == {"queue": q, "kind": r["kind"], "owner": r["owner"], "state": r["state"]}, (s.labels, r)
		    for family, column in (("mqtools_queue_messages", "msgs"), ("mqtools_queue_bytes", "used"),
		                           ("mqtools_queue_capacity_bytes", "capacity"),
		                           ("mqtools_queue_capacity_messages", "maxmsgs")):
		        s = value(family, q)
		        assert (s.value if s else None) == r[column], (family, q, s, r[column])
		        assert not s or s.labels == {"queue": q, "kind": r["kind"], "owner": r["owner"]}
		    holders = len(r["holders"].split(",")) if r["holders"] else 0
		    assert value("mqtools_queue_holders", q).value == holders, (q, r["holders"])
		    # a second or two apart, on a loaded machine maybe more
		    assert 0 <= value("mqtools_queue_inactive_seconds", q).value - r["inactive"] <= 60
		limits = {r["resource"]: r for r in json.load(open(sys.argv[3]))["limits"]}
		for s in m["mqtools_limit"]:
		    assert s.value == limits[s.labels["resource"]]["limit"], s
		for s in m["mqtools_limit_used"]:
		    assert s.value == limits[s.labels["resource"]]["used"], s
		assert {s.labels["resource"] for s in m["mqtools_limit"]} == {k for k, r in limits.items() if r["limit"] is not None}
		assert {s.labels["resource"] for s in m["mqtools_limit_used"]} == {k for k, r in limits.items() if r["used"] is not None}
		exec(os.environ.get("ASSERTIONS", ""))
		print("checked %d queues" % len(rows))
	EOF
	)
	"$PYTHON" -c "$script" "$@"
}

@test "--prometheus: gauges with HELP and TYPE, values as mqstat -J shows them, fill by the kernel's rule, odd names escaped" {
	require_prometheus_client
	make_queues
	# -g and --prometheus run under a real uid of their own: the
	# RLIMIT_MSGQUEUE use they show is that uid's account, which nothing
	# else changes between the two (root's is every root process's, other
	# tests' too); one queue is charged to it
	with_own_mq_charge mqsend -c --maxmsg 2 --msgsize 64 /charged </dev/null
	mqstat -J --output-all >"$BATS_TEST_TMPDIR/queues.json"
	with_own_mq_charge mqstat -g -J >"$BATS_TEST_TMPDIR/limits.json"
	run --separate-stderr with_own_mq_charge mqstat --prometheus
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.prom"
	# no byte a terminal acts on, whatever the names
	! LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]' \
		"$BATS_TEST_TMPDIR/out.prom"
	iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/out.prom" >/dev/null
	export ASSERTIONS='
assert value("mqtools_queue_fill_ratio", "/full").value == 1      # 3 of 3 messages, 3 of 300 bytes
assert value("mqtools_queue_fill_ratio", "key:0x00000051").value == 1  # 10 empty messages in 10 bytes
assert value("mqtools_queue_fill_ratio", "/quarter").value == 0.25
assert value("mqtools_queue_fill_ratio", label(os.fsencode(sys.argv[4]))).value == 0.25
# the format carries quote, backslash, newline and UTF-8 as they are
assert value("mqtools_queue_state", sys.argv[5]) is not None
# the others in their escaped form
assert value("mqtools_queue_state", "//odd\"q\\\\b\\x0an\\xffz") is not None
assert value("mqtools_queue_state", "//evil\\x1b[2J\\xe2\\x80\\xae") is not None
assert value("mqtools_queue_state", "/theirs").labels["owner"] == "nobody"
assert value("mqtools_queue_holders", "/theirs").value == 1
assert [s.value for s in m["mqtools_collect_success"]] == [1, 1]
assert m["mqtools_collect_duration_seconds"][0].value >= 0
# 2 * (struct msg_msg 48 + priority node 48 + 64), as mqstat.bats -g
assert [s.value for s in m["mqtools_limit_used"] if s.labels["resource"] == "RLIMIT_MSGQUEUE"] == [320]
'
	run check_exposition "$BATS_TEST_TMPDIR/out.prom" "$BATS_TEST_TMPDIR/queues.json" "$BATS_TEST_TMPDIR/limits.json" \
		"$ODD" "$NICE" "$EVIL"
	assert_success
	assert_output "checked 8 queues"
}

@test "--prometheus=FILE: node_exporter's textfile collector serves it, without a scrape error, and the next write replaces it" {
	require_prometheus_client
	require_node_exporter
	local dir=$BATS_TEST_TMPDIR/textfile
	mkdir -m 0755 "$dir"
	make_queues
	(umask 077 && mqstat --prometheus="$dir/mqtools.prom")
	# 0644 whatever the umask, for node_exporter's user; no temporary file left
	[ "$(stat -c %a "$dir/mqtools.prom")" = 644 ]
	run ls -A "$dir"
	assert_output mqtools.prom
	start_node_exporter "$dir"
	run scrape
	assert_success
	assert_line 'node_textfile_scrape_error 0'
	assert_line 'mqtools_queue_fill_ratio{kind="posix",owner="root",queue="/full"} 1'
	assert_line 'mqtools_queue_messages{kind="posix",owner="root",queue="//odd\"q\\\\b\\x0an\\xffz"} 1'
	assert_line --regexp '^mqtools_queue_state\{kind="posix",owner="nobody",queue="/theirs",state="[^"]+"\} 1$'
	refute_line --partial 'queue="/later"'
	# a queue made since is there once the file is written again
	mqsend -c --maxmsg 4 --msgsize 64 /later x
	mqstat --prometheus="$dir/mqtools.prom"
	run scrape
	assert_line 'node_textfile_scrape_error 0'
	assert_line 'mqtools_queue_messages{kind="posix",owner="root",queue="/later"} 1'
	run ls -A "$dir"
	assert_output mqtools.prom
}

@test "--prometheus=FILE refuses a place another user controls, and changes nothing there" {
	local d=$BATS_TEST_TMPDIR
	mqsend -c --maxmsg 4 --msgsize 64 /q x
	# a directory of another user: they could swap the file or the directory
	mkdir -m 0755 "$d/theirs" && chown 65534:65534 "$d/theirs"
	run mqstat --prometheus="$d/theirs/mqtools.prom"
	assert_failure 1
	assert_output "mqstat: cannot write $d/theirs/mqtools.prom: its directory $d/theirs belongs to uid 65534, neither root nor the writer"
	run ls -A "$d/theirs"
	assert_output ''
	# anyone may write in it, without the sticky bit
	mkdir -m 0777 "$d/open"
	run mqstat --prometheus="$d/open/mqtools.prom"
	assert_failure 1
	assert_output --partial "its directory $d/open may be written by any user (and is not sticky)"
	# sticky, as /tmp: ours is written; another user's file there is left alone
	mkdir -m 1777 "$d/sticky"
	run mqstat --prometheus="$d/sticky/mqtools.prom"
	assert_success
	[ "$(stat -c '%a %u' "$d/sticky/mqtools.prom")" = "644 0" ]
	echo 'planted 1' >"$d/sticky/planted.prom" && chown 65534 "$d/sticky/planted.prom"
	run mqstat --prometheus="$d/sticky/planted.prom"
	assert_failure 1
	assert_output --partial "planted.prom: it belongs to uid 65534, neither root nor the writer"
	[ "$(cat "$d/sticky/planted.prom")" = 'planted 1' ]
	# a symbolic link is not followed, nor replaced
	mkdir -m 0755 "$d/mine" && echo keep >"$d/target"
	ln -s "$d/target" "$d/mine/link.prom"
	run mqstat --prometheus="$d/mine/link.prom"
	assert_failure 1
	assert_output --partial "link.prom: it is not a regular file"
	[ "$(cat "$d/target")" = keep ] && [ -L "$d/mine/link.prom" ]
	run mqstat --prometheus="$d/mine"
	assert_failure 1
	assert_output --partial "it is not a regular file"
	run mqstat --prometheus="$d/missing/mqtools.prom"
	assert_failure 1
	assert_output "mqstat: cannot write $d/missing/mqtools.prom: No such file or directory"
	# a name the collector would not read: written, with a warning
	run mqstat --prometheus="$d/mine/mqtools.txt"
	assert_success
	assert_output "mqstat: $d/mine/mqtools.txt: node_exporter's textfile collector reads only files named *.prom"
	run ls -A "$d/mine" "$d/theirs" "$d/open" "$d/sticky"
	refute_output --partial '.mqtools'
}

@test "--prometheus as a user: into a directory it may not write, the system's error; a kind not listed is collect_success 0" {
	local d
	d=$(mktemp -d /tmp/mqtools-prom.XXXXXX)
	chmod 0755 "$d"
	mqsend -c key:0x61 x
	run as_nobody mqstat --prometheus="$d/mqtools.prom"
	assert_failure 1
	assert_output "mqstat: cannot write $d/mqtools.prom: Permission denied"
	chown 65534 "$d"
	run as_nobody mqstat --prometheus="$d/mqtools.prom"
	assert_success
	[ "$(stat -c '%a %u' "$d/mqtools.prom")" = "644 65534" ]
	rm -rf "$d"
	# without the mqueue mount POSIX queues cannot be listed: said, and
	# measured; the System V queues are written all the same
	ns umount /dev/mqueue
	run --separate-stderr mqstat --prometheus
	assert_success
	assert_line 'mqtools_collect_success{kind="posix"} 0'
	assert_line 'mqtools_collect_success{kind="sysv"} 1'
	assert_line 'mqtools_queue_messages{queue="key:0x00000061",kind="sysv",owner="root"} 1'
	[[ $stderr == *"POSIX queues are not listed"* ]]
}

@test "--prometheus on a full disk: exit 1, the write's own error said" {
	mqsend -c key:0x62 x
	run bash -c 'mqstat --prometheus >/dev/full'
	assert_failure 1
	assert_output 'mqstat: write error: No space left on device'
}

@test "--prometheus: usage errors for QUEUEs (kernel or network), other modes, formats and kinds" {
	local args
	for args in "/q" "amqp://127.0.0.1/q" "mqtt://127.0.0.1/t" "-J" "-r" "-o NAME" "-g" "-Q" \
		"--baseline $BATS_TEST_TMPDIR/b" "--time-format iso" "-b" "--prometheus="; do
		run mqstat --prometheus $args
		assert_failure 2
		assert_output --partial -- "--prometheus"
	done
	run mqstat --prometheus amqp://127.0.0.1/q
	assert_line "mqstat: --prometheus writes every kernel queue: no QUEUE with it (a broker's queues have its own exporter, such as RabbitMQ's rabbitmq_prometheus)"
	# a usage error of --check is UNKNOWN, for its monitor
	run mqstat --prometheus --check
	assert_failure 3
	assert_line --partial -- "--prometheus writes every queue of both kinds as metrics"
	run mqstat --prometheus --idle-after 1w
	assert_success
}

@test "mqtools-prometheus.service and .timer: valid units; the service's command, with only its capabilities, judges every queue" {
	local dist=$BATS_TEST_DIRNAME/../dist u=$BATS_TEST_TMPDIR/units
	mkdir -p "$u"
	sed "s|@bindir@|$MQTOOLS_BUILDDIR|" "$dist/mqtools-prometheus.service.in" >"$u/mqtools-prometheus.service"
	cp "$dist/mqtools-prometheus.timer" "$u/"
	# into node_exporter's Debian directory, every 15 seconds
	grep -qx "ExecStart=$MQTOOLS_BUILDDIR/mqstat --prometheus=/var/lib/prometheus/node-exporter/mqtools.prom" \
		"$u/mqtools-prometheus.service"
	grep -qx 'ReadWritePaths=/var/lib/prometheus/node-exporter' "$u/mqtools-prometheus.service"
	grep -qx 'OnUnitActiveSec=15s' "$u/mqtools-prometheus.timer"
	grep -qx 'WantedBy=timers.target' "$u/mqtools-prometheus.timer"
	if command -v systemd-analyze >/dev/null; then
		run systemd-analyze verify --man=no "$u/mqtools-prometheus.service" "$u/mqtools-prometheus.timer"
		assert_success
		refute_output --partial 'Unknown'
	fi
	# another user's queue, mode 0600, held open by that user
	as_nobody mqsend -c --maxmsg 4 --msgsize 64 -m 0600 /theirs </dev/null
	as_nobody mqsend /theirs x
	start_bg nsenter -t "$NS_PID" --ipc --mount "${_ns_enter_user[@]}" -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTOOLS_BIN/mqrecv" -c /held
	wait_blocked "$BG_PID" mqrecv
	local caps
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$u/mqtools-prometheus.service" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
	[ "$caps" = "+sys_ptrace,+dac_read_search" ]
	# root with that bounding set and no other capability, as systemd runs it
	run ns setpriv --bounding-set=-all,"$caps" "$MQTOOLS_BIN/mqstat" --prometheus
	assert_success
	assert_line 'mqtools_queue_messages{queue="/theirs",kind="posix",owner="nobody"} 1'
	assert_line 'mqtools_queue_holders{queue="/held",kind="posix",owner="nobody"} 1'
	assert_line --regexp '^mqtools_queue_state\{queue="/held",kind="posix",owner="nobody",state="in-use"\} 1$'
	# no namespace can be made with them (nor under RestrictNamespaces=):
	# the RLIMIT_MSGQUEUE use is -g's estimate, as mqstat(1) says
	run ns setpriv --bounding-set=-all,"$caps" "$MQTOOLS_BIN/mqstat" -g -o RESOURCE,DESCRIPTION
	assert_line --regexp '^RLIMIT_MSGQUEUE +.*estimated from the queues you own here'
	# the capabilities are what makes it so
	run ns setpriv --bounding-set=-all "$MQTOOLS_BIN/mqstat" --prometheus
	refute_line --partial 'mqtools_queue_messages{queue="/theirs"'
	assert_line --regexp '^mqtools_queue_state\{queue="/held",kind="posix",owner="nobody",state="unknown"\} 1$'
}

@test "completions offer --prometheus (bash, zsh)" {
	require_bash_completion
	run bash_complete 'mqstat --prom'
	assert_output -- --prometheus
	if command -v zsh >/dev/null; then
		grep -q -- "--prometheus=-" "$BATS_TEST_DIRNAME/../completions/_mqstat"
		run zsh -n "$BATS_TEST_DIRNAME/../completions/_mqstat"
		assert_success
	fi
}
