#!/usr/bin/env bash
# Issue 3's converted-path target: a datagen source with JSON values, a JsonConverter
# (schemas.enable=false) and one InsertField keeps >= 50 % of the zero-copy path's
# records/s. Each round runs the zero-copy and the converted pipeline back to back in
# one `sluice bench` (the same embedded cluster), alternating which goes first, so a
# change in the machine's speed falls on both; the ratio is taken per round and the
# median over rounds is reported.
#   ROUNDS (default 10), RECORDS (default 1000000); SLUICE=path uses a built binary;
#   OUT (default perf/results/<date>-<host>-converted-ratio.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${SLUICE:-}" ]]; then bin=$(realpath "$SLUICE"); else make -s release >/dev/null; bin=$PWD/.build/release/sluice; fi
rounds=${ROUNDS:-10}
records=${RECORDS:-1000000}
out="${OUT:-perf/results/$(date +%Y-%m-%d)-$(hostname)-converted-ratio.txt}"
work=$(mktemp -d /tmp/sluice-ratio-XXXXXX)
trap 'rm -rf "$work"' EXIT
{
echo "machine: $(nproc) cores, $(date -u), $records records of 100 bytes per pipeline per round"
echo "command per round: $bin bench --records $records --value-format json --pipeline <order> --skip-raw --json <file>"
printf '%-6s %-22s %14s %14s %8s\n' round order zero-copy/s converted/s ratio
for round in $(seq "$rounds"); do
  if (( round % 2 )); then order=zero-copy,converted; else order=converted,zero-copy; fi
  "$bin" bench --records "$records" --value-format json --pipeline "$order" --skip-raw \
    --json "$work/round-$round.json" >/dev/null 2>&1
  python3 - "$work/round-$round.json" "$round" "$order" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
zero = next(r for r in runs if "+conv" not in r["mode"])["records_per_sec"]
conv = next(r for r in runs if "+conv" in r["mode"])["records_per_sec"]
print(f"{sys.argv[2]:<6} {sys.argv[3]:<22} {zero:>14,.0f} {conv:>14,.0f} {conv / zero:>8.3f}")
PY
done | tee "$work/rows"
python3 - "$work/rows" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
ratios = sorted(float(r[-1]) for r in rows)
zero = statistics.median(float(r[2].replace(",", "")) for r in rows)
conv = statistics.median(float(r[3].replace(",", "")) for r in rows)
print(f"median ratio {statistics.median(ratios):.3f} (lowest {ratios[0]:.3f}, highest {ratios[-1]:.3f}); "
      f"median records/s zero-copy {zero:,.0f}, converted {conv:,.0f}")
PY
} | tee "$out"
echo "written to $out" >&2
