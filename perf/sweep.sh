#!/usr/bin/env bash
# The standard scaling sweep on this machine: 1-3 workers x tasks.max 1,2,4 x record
# sizes 100 and 1000 bytes, embedded cluster, with the peers, once per producer path
# (the workers' producer.path), written as
# perf/results/<date>-<host>-<path>.{json,csv,svg}.
#
# Usage: perf/sweep.sh [extra sluice bench flags...]
# Env:   WORKERS (1,2,3) TASKS (1,2,4) SIZES (100,1000) DURATION (10s) WARMUP (3)
#        PATHS (native,librdkafka)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scratch="${SCRATCH:-.build}"
swift build -c release --scratch-path "$scratch" --product sluice >&2
mkdir -p perf/results
IFS=, read -r -a paths <<< "${PATHS:-native,librdkafka}"
for path in "${paths[@]}"; do
  out="perf/results/$(date +%F)-$(hostname)-$path"
  "$scratch/release/sluice" bench \
    --workers "${WORKERS:-1,2,3}" --tasks "${TASKS:-1,2,4}" --record-size "${SIZES:-100,1000}" \
    --duration "${DURATION:-10s}" --warmup "${WARMUP:-3}" --partitions 12 --peers \
    -W "producer.path=$path" --json "$out.json" --csv "$out.csv" --plot "$out.svg" "$@"
  echo "wrote $out.json, $out.csv and $out.svg" >&2
done
