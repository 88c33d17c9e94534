#!/usr/bin/env bash
# Profiles one Sluice source run and prints the top symbols by cost.
#
# Uses `perf record` when the kernel allows it (perf_event_paranoid <= 2 and a
# working PMU or the cpu-clock software event); otherwise valgrind's callgrind
# (counts instructions, slower, repeatable). The run is the in-process
# `sluice bench` (one task, datagen, embedded broker in a child process, which
# is not profiled).
#
# Usage: perf/profile.sh [--tool perf|callgrind] [sluice bench flags...]
# Output: perf/results/profile-<date>-<host>-<tool>.txt (top 40 symbols) and the raw data next to it.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=auto
if [[ "${1:-}" == "--tool" ]]; then tool="$2"; shift 2; fi
scripts/install-deps.sh
scratch="${SCRATCH:-.build}"
swift build -c release -Xswiftc -g --scratch-path "$scratch" --product sluice >&2
bin="$scratch/release/sluice"
args=(bench --tasks 1 --records 3000000 --skip-raw --warmup-records 0 "$@")
stem="perf/results/profile-$(date +%F)-$(hostname)"
mkdir -p perf/results
if [[ "$tool" == auto ]]; then
  if command -v perf >/dev/null && perf record -e cpu-clock -o /dev/null -- true >/dev/null 2>&1; then tool=perf; else tool=callgrind; fi
fi
case "$tool" in
  perf)
    command -v perf >/dev/null || sudo -n apt-get install -y linux-perf >/dev/null 2>&1 || apt-get install -y linux-perf >/dev/null
    perf record -e cpu-clock -F 2000 -g -o "$stem-perf.data" -- "$bin" "${args[@]}" >&2
    # Library and symbol; librdkafka's own symbols are stripped in Debian's package,
    # so its samples show as addresses in librdkafka.so.1. (|| true: head closes the pipe.)
    { perf report -i "$stem-perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null \
      | grep -E '^ +[0-9]' | sed -E 's/ +/ /g' | head -40 > "$stem-perf.txt"; } || true
    echo "top symbols (share of samples), from $stem-perf.data:" ; cat "$stem-perf.txt" ;;
  callgrind)
    command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
    valgrind --tool=callgrind --callgrind-out-file="$stem-callgrind.out" "$bin" "${args[@]/3000000/300000}" >&2
    { callgrind_annotate "$stem-callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ ' | head -40 > "$stem-callgrind.txt"; } || true
    echo "top symbols (instructions), from $stem-callgrind.out:" ; cat "$stem-callgrind.txt" ;;
  *) echo "unknown --tool $tool (perf or callgrind)" >&2; exit 2 ;;
esac
