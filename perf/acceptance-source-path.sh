#!/usr/bin/env bash
# Measures the source data path's acceptance figures (issue 2) on this machine and
# writes them under perf/results/<date>-<host>-source-path/.
#   1. records/s against the raw librdkafka loop, 100-byte records, --tasks 1, all codecs,
#      keyed (1000 keys) and unkeyed records, several runs;
#   2. a verified run: lost and duplicates;
#   3. peak RSS for 1M and 10M records;
#   4. direct versus producer-lane hand-off.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s release >/dev/null
out="perf/results/$(date +%Y-%m-%d)-$(hostname)-source-path"
mkdir -p "$out"
bin=.build/release/sluice
run() { local name=$1; shift; echo "== $name: sluice bench $*" | tee -a "$out/summary.txt"; "$bin" bench "$@" --json "$out/$name.json" | tee -a "$out/summary.txt"; }
{ echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), $(date -u)"; } > "$out/summary.txt"
run ratio-keyed   --tasks 1,2 --compression none,lz4,zstd --records 2000000 --repeat 3
run ratio-unkeyed --tasks 1 --compression none --records 2000000 --key-cardinality 0 --repeat 3
run verified      --tasks 1,2 --compression none,lz4,zstd --records 500000 --partitions 16 --verify
run rss-1m        --tasks 1 --records 1000000 --skip-raw
run rss-10m       --tasks 1 --records 10000000 --skip-raw
run modes         --tasks 1,2 --mode direct,lane --records 2000000 --repeat 3
echo "results in $out"
