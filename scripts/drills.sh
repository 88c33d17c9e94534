#!/usr/bin/env bash
# The fault and attack drills of issue 12 (and the native produce path's, issue 11),
# each a test with real processes or a real HTTP server, run as one list that anyone
# can rerun; the outcome of each and the time it took are written to
# perf/results/<date>-<host>-drills.txt.
#
# Usage: scripts/drills.sh            (builds the tests first)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests >&2
out="perf/results/$(date +%F)-$(hostname)-drills.txt"
drills=(
  "kill -9 of standalone mid-run, restart: every line at least once|StandaloneCommandTests/killAndRestart"
  "kill -9 x3 while a .zst/.lz4 sink writes: file decodes, every line|StandaloneCommandTests/killCompressedSink"
  "SIGTERM/SIGINT while sources run: exit within seconds|StandaloneCommandTests/signalsWhileWaitingForSources"
  "offsets file unwritable: ERROR, retries, non-zero exit|StandaloneCommandTests/offsetsUnwritable"
  "corrupt .zst source: lines before the damage, offset named|StandaloneCommandTests/corruptSource"
  "SIGKILL of a distributed worker: tasks resume, nothing lost|DistributedClusterTests/failover"
  "20 concurrent creates over three workers: one 201|DistributedClusterTests/concurrentCreates"
  "secrets stay references in every REST answer|RestAPITests/secretsStayReferences"
  "bearer and basic auth: 401 for every bad credential|RestAPITests/bearer"
  "hostile REST bodies: one 400 naming every problem|ConnectRoutesTests"
  "native path: leader down/up and broker kill|NativeProduceDrillTests"
  "native path: broker errors, retries, bad input|NativeProducerTests"
  "torn compressed files: 20 random cuts per codec|TornFrameTests"
  "sluice broker --port: kill -9, restart on the port, worker reconnects|BrokerPortTests"
  "sink tasks with static member ids share the partitions|SinkStaticMembershipTests"
)
{
  echo "drills on $(hostname), $(nproc) cores, $(date -u), commit $(git rev-parse --short HEAD)"
  for entry in "${drills[@]}"; do
    name=${entry%%|*}; filter=${entry#*|}
    start=$(date +%s)
    if swift test --skip-build --filter "$filter" >"/tmp/sluice-drill.log" 2>&1; then verdict=PASS; else verdict=FAIL; fi
    count=$(grep -Eo 'Test run with [0-9]+ tests?' /tmp/sluice-drill.log | grep -Eo '[0-9]+' | head -1 || true)
    printf '%-4s %4ss  %2s tests  %s\n' "$verdict" "$(( $(date +%s) - start ))" "${count:-0}" "$name"
  done
} | tee "$out"
echo "written to $out" >&2
! grep -q '^FAIL' "$out"
