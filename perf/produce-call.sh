#!/usr/bin/env bash
# Which librdkafka call plain records go through (ProduceCall, docs/data-path.md):
# rd_kafka_produce per record, rd_kafka_produce_batch per run of records, or automatic
# (batch for null-key or explicitly partitioned records, per record for keyed ones).
# Each round runs the three in one `sluice bench` (one embedded cluster), rotating their
# order, once with null keys and once with 1000 keys; the ratio to `record` is taken
# per round and the median over rounds is reported.
#   ROUNDS (default 6), RECORDS (default 2000000); SLUICE=path uses a built binary;
#   OUT (default perf/results/<date>-<host>-produce-call.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${SLUICE:-}" ]]; then bin=$(realpath "$SLUICE"); else make -s release >/dev/null; bin=$PWD/.build/release/sluice; fi
rounds=${ROUNDS:-6}
records=${RECORDS:-2000000}
out="${OUT:-perf/results/$(date +%Y-%m-%d)-$(hostname)-produce-call.txt}"
work=$(mktemp -d /tmp/sluice-produce-call-XXXXXX)
trap 'rm -rf "$work"' EXIT
orders=(record,automatic,batch automatic,batch,record batch,record,automatic)
{
echo "machine: $(nproc) cores, $(date -u), $records records of 100 bytes per call per round, one task, direct mode"
echo "command per round: $bin bench --records $records --key-cardinality <0|1000> --produce-call <order> --skip-raw --json <file>"
printf '%-6s %-6s %-26s %12s %12s %12s %9s %9s %22s\n' round keys order record/s automatic/s batch/s auto/rec batch/rec "cpu s/M rec/auto/batch"
for round in $(seq "$rounds"); do
  order=${orders[$(( (round - 1) % 3 ))]}
  for keys in 0 1000; do
    "$bin" bench --records "$records" --key-cardinality "$keys" --produce-call "$order" --skip-raw \
      --json "$work/round-$round-$keys.json" >/dev/null 2>&1
    python3 - "$work/round-$round-$keys.json" "$round" "$keys" "$order" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
def pick(call):
    return next(r for r in runs if (r["mode"].endswith("/" + call) if call != "automatic" else "/" not in r["mode"]))
rec, auto, batch = pick("record"), pick("automatic"), pick("batch")
cpu = "/".join(f"{r['cpu_sec_per_million']:.2f}" for r in (rec, auto, batch))
print(f"{sys.argv[2]:<6} {sys.argv[3]:<6} {sys.argv[4]:<26} {rec['records_per_sec']:>12,.0f} {auto['records_per_sec']:>12,.0f} "
      f"{batch['records_per_sec']:>12,.0f} {auto['records_per_sec'] / rec['records_per_sec']:>9.3f} "
      f"{batch['records_per_sec'] / rec['records_per_sec']:>9.3f} {cpu:>22}")
PY
  done
done | tee "$work/rows"
python3 - "$work/rows" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for keys in ("0", "1000"):
    mine = [r for r in rows if r[1] == keys]
    auto = sorted(float(r[6]) for r in mine)
    batch = sorted(float(r[7]) for r in mine)
    print(f"keys {keys}: median automatic/record {statistics.median(auto):.3f} ({auto[0]:.3f}-{auto[-1]:.3f}), "
          f"median batch/record {statistics.median(batch):.3f} ({batch[0]:.3f}-{batch[-1]:.3f}) over {len(mine)} rounds")
PY
} | tee "$out"
