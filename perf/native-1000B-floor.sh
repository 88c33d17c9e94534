#!/usr/bin/env bash
# The per-GB floor of one task thread producing 1,000-byte records on this machine:
# the CPU work (perf/floor/copy-crc-floor.c) and the kernel's TCP send over loopback
# (iperf3, installed with apt when missing and possible), with the send and receive
# buffer sizes that matter. Results: perf/results/2026-12-05-vm-native-1000B-limits.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/sluice-floor-XXXXXX)
trap 'rm -rf "$work"; pkill -f "iperf3 -s -p 5299" 2>/dev/null || true' EXIT
cc -O2 -o "$work/floor" perf/floor/copy-crc-floor.c Sources/CSluiceSystem/sluice_checksum.c \
  -ISources/CSluiceSystem/include
"$work/floor"
if ! command -v iperf3 >/dev/null; then
  if [[ $(id -u) == 0 ]]; then apt-get install -y -q iperf3 >/dev/null; else sudo apt-get install -y -q iperf3 >/dev/null; fi
fi
for window in default 4M 8M; do
  iperf3 -s -p 5299 -1 -D
  sleep 0.5
  flags=(-c 127.0.0.1 -p 5299 -l 1M -t 5 -V)
  [[ $window != default ]] && flags+=(-w "$window")
  echo "iperf3 -l 1M, buffers $window:"
  iperf3 "${flags[@]}" | grep -E "receiver$|CPU Utilization"
done
