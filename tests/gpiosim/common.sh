# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the host-side gpiosim scripts: where things are cached, which
# kernel, and small helpers. Not for the guest (see guest-lib.sh).
# shellcheck shell=sh disable=SC2034 # the variables are for those scripts

GS_HERE=$(cd "$(dirname "$0")" && pwd)
# Everything downloaded or built lands here, so a second run is fast.
GPIOSIM_WORK=${GPIOSIM_WORK:-$GS_HERE/../gpiosim-work}
mkdir -p "$GPIOSIM_WORK/logs" && GPIOSIM_WORK=$(cd "$GPIOSIM_WORK" && pwd)
export GPIOSIM_WORK DEBIAN_FRONTEND=noninteractive

# The kernel ABI of Debian 12's current kernel; the module is built against
# its headers and the guest boots its image.
if [ -z "${KVER:-}" ]; then
	KVER=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-//p' | head -n 1)
fi
export KVER
GS_KERNEL=$GPIOSIM_WORK/kernel-$KVER           # the linux-image .deb, unpacked
GS_MODULE=$GPIOSIM_WORK/module-$KVER           # gpio-sim.ko
GS_ULEDS=$GPIOSIM_WORK/uleds-$KVER             # uleds.ko
GS_GPIOD2=$GPIOSIM_WORK/gpiod2                 # libgpiod 2.x: src/ and prefix/

gs_die() { echo "gpiosim: $*" >&2; exit 1; }
gs_log() { echo "gpiosim: $*" >&2; }

# gs_quiet NAME CMD...: run CMD with its output in logs/NAME.log, shown
# only when it fails (which ends the script).
gs_quiet() {
	_log=$GPIOSIM_WORK/logs/$1.log; shift
	"$@" > "$_log" 2>&1 || { tail -n 20 "$_log" >&2; gs_die "failed: $* (whole log: $_log)"; }
}

# gs_timed NAME CMD...: run CMD, report how long it took on stderr. Callers
# run under set -e, so a failing CMD ends the script (calling it with || or
# in an if would switch set -e off inside CMD).
gs_timed() {
	_name=$1; shift
	_t0=$(date +%s.%N)
	"$@"
	gs_log "$_name: $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $_t0 }") s"
}
