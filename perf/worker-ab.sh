#!/usr/bin/env bash
# A/B of two sluice builds, same machine, same hour: the in-process bench (records/s and
# the ratio to the raw librdkafka loop measured in the same run) and the 1x1 sweep row
# (a real `sluice worker`, records/s and CPU s per million records). Each round runs
# both builds, alternating which goes first (ABBA...), because this machine's speed
# drifts between runs; medians and ranges are printed per build.
#   OLD, NEW: paths of the two sluice binaries (required); OLD_LABEL, NEW_LABEL: names;
#   ROUNDS (default 4), RECORDS (default 2000000), SWEEP=0 skips the sweep rows;
#   OUT (default perf/results/<date>-<host>-worker-ab.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "${OLD:?OLD=path/to/old/sluice}")
new=$(realpath "${NEW:?NEW=path/to/new/sluice}")
rounds=${ROUNDS:-4}
records=${RECORDS:-2000000}
out="${OUT:-perf/results/$(date +%Y-%m-%d)-$(hostname)-worker-ab.txt}"
work=$(mktemp -d /tmp/sluice-worker-ab-XXXXXX)
trap 'rm -rf "$work"' EXIT
{
echo "A/B, $(nproc) cores, $(date -u): old=${OLD_LABEL:-$old} new=${NEW_LABEL:-$new}"
echo "bench: <bin> bench --tasks 1 --records $records --json <file>   (datagen 100 B, raw loop in the same run)"
echo "sweep: <bin> bench --workers 1 --tasks 1 --record-size 100 --duration 10s --warmup 3 --partitions 12 --json <file>"
for round in $(seq "$rounds"); do
  if (( round % 2 )); then order="old new"; else order="new old"; fi
  for side in $order; do
    bin=$old; [[ $side == new ]] && bin=$new
    "$bin" bench --tasks 1 --records "$records" --json "$work/bench-$round-$side.json" >/dev/null 2>&1
    python3 - "$work/bench-$round-$side.json" "$round" "$side" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
print(f"bench {sys.argv[2]} {sys.argv[3]:<4} records/s {r['records_per_sec']:>10,.0f} raw {r['raw_records_per_sec']:>10,.0f} "
      f"ratio {r['ratio_to_raw']:.3f} cpu_s/M {r['cpu_sec_per_million']:.3f}")
PY
    if [[ "${SWEEP:-1}" != 0 ]]; then
      "$bin" bench --workers 1 --tasks 1 --record-size 100 --duration 10s --warmup 3 --partitions 12 \
        --json "$work/sweep-$round-$side.json" >/dev/null 2>&1
      python3 - "$work/sweep-$round-$side.json" "$round" "$side" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
print(f"sweep {sys.argv[2]} {sys.argv[3]:<4} records/s {r['records_per_sec']:>10,.0f} cpu_s/M {r['cpu_sec_per_million']:.3f}")
PY
    fi
  done
done | tee "$work/rows"
python3 - "$work/rows" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def summary(kind, side, field):
    values = [float(r[r.index(field) + 1].replace(",", "")) for r in rows if r[0] == kind and r[2] == side]
    if not values: return None
    return f"median {statistics.median(values):,.3f} (range {min(values):,.3f}-{max(values):,.3f}, n={len(values)})"
for kind, fields in (("bench", ("records/s", "ratio", "cpu_s/M")), ("sweep", ("records/s", "cpu_s/M"))):
    for field in fields:
        for side in ("old", "new"):
            text = summary(kind, side, field)
            if text: print(f"{kind} {field:<10} {side:<4} {text}")
PY
} | tee "$out"
