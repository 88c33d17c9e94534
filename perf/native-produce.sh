#!/usr/bin/env bash
# The native produce path against librdkafka, in one embedded cluster per case:
# `sluice bench --producer native,librdkafka --repeat N` measures, per row, Sluice's
# task and the tuned raw librdkafka loop alternately (A/B/A/B) and keeps medians;
# the native and librdkafka rows of one case share the cluster and the hour.
# Then --verify runs of the native path (lost and duplicates must be 0), and kcat -P
# on the same records (--peers) for the headline case.
#   REPEAT (default 5), RECORDS (default 3000000); SLUICE=path uses a built binary;
#   OUT (default perf/results/<date>-<host>-native-produce.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${SLUICE:-}" ]]; then bin=$(realpath "$SLUICE"); else make -s release >/dev/null; bin=$PWD/.build/release/sluice; fi
repeat=${REPEAT:-5}
records=${RECORDS:-3000000}
out="${OUT:-perf/results/$(date +%Y-%m-%d)-$(hostname)-native-produce.txt}"
work=$(mktemp -d /tmp/sluice-native-XXXXXX)
trap 'rm -rf "$work"' EXIT
cases=(
  "100B-none-keys|--record-size 100 --compression none --key-cardinality 1000"
  "100B-none-nullkeys|--record-size 100 --compression none --key-cardinality 0"
  "100B-lz4-keys|--record-size 100 --compression lz4 --key-cardinality 1000"
  "100B-zstd-keys|--record-size 100 --compression zstd --key-cardinality 1000"
  "1000B-none-keys|--record-size 1000 --compression none --key-cardinality 1000 --records $((records / 5))"
)
{
echo "machine: $(nproc) cores, $(date -u); $bin"
echo "raw loop: RawProduceLoop.tunedSettings (linger.ms=5, batch.num.messages=10000) unless -X sets them"
printf '%-20s %-11s %12s %8s %12s %8s %9s %9s %9s %14s\n' case path records/s MB/s raw_rec/s ratio cpu_s/M raw_cpu cpu_ratio broker_busy
for entry in "${cases[@]}"; do
  name=${entry%%|*}; flags=${entry#*|}
  # shellcheck disable=SC2086
  "$bin" bench --producer native,librdkafka --records "$records" --repeat "$repeat" $flags --json "$work/$name.json" >/dev/null 2>&1
  python3 - "$work/$name.json" "$name" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["runs"]:
    path = r["mode"].rsplit("/", 1)[-1]
    busy = f"{r['broker_busy'] or 0:.2f}/{r['raw_broker_busy'] or 0:.2f}"
    print(f"{sys.argv[2]:<20} {path:<11} {r['records_per_sec']:>12,.0f} {r['mb_per_sec']:>8.1f} {r['raw_records_per_sec']:>12,.0f} "
          f"{r['ratio_to_raw']:>8.2f} {r['cpu_sec_per_million']:>9.3f} {r['raw_cpu_sec_per_million']:>9.3f} "
          f"{r['cpu_sec_per_million'] / r['raw_cpu_sec_per_million']:>9.2f} {busy:>14}")
PY
done
echo
echo "verification (native path, 500000 records, 64 partitions):"
for keys in 1000 0; do
  "$bin" bench --producer native --records 500000 --partitions 64 --verify --skip-raw --compression none,lz4,zstd \
    --key-cardinality "$keys" --json "$work/verify-$keys.json" >/dev/null 2>&1 || echo "verify run failed (keys $keys)"
  python3 - "$work/verify-$keys.json" "$keys" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["runs"]:
    print(f"  keys {sys.argv[2]:>4} {r['compression']:<5} records/s {r['records_per_sec']:>12,.0f} lost {r['lost']} duplicates {r['duplicates']} failed {r['failed']}")
PY
done
echo
echo "kcat -P on the same records (peers), 100-byte values, 1000 keys:"
"$bin" bench --producer native --records 1000000 --peers --skip-raw --json "$work/peers.json" >/dev/null 2>&1 || true
python3 - "$work/peers.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
print(f"  sluice native: {run['records_per_sec']:,.0f} records/s, {run['cpu_sec_per_million']:.3f} cpu s/M")
for p in d.get("peers", []):
    print(f"  {p['name']}: {p['records_per_sec']:,.0f} records/s, {p.get('cpu_sec_per_million') or 0:.3f} cpu s/M ({p['compression']}, {p['record_size']} B)"
          f" -> native/peer {run['records_per_sec'] / p['records_per_sec']:.2f}")
PY
} | tee "$out"
echo "written to $out" >&2
