#!/usr/bin/env bash
# File source -> embedded Kafka and embedded Kafka -> file sink, Sluice against kcat
# on the same data and the same cluster, in one run (issue 3's targets). The sink is
# compared with kcat -C (no group: reads at once) and kcat -G (joins a group first,
# as every Kafka Connect sink task does).
#   SIZE_MB (default 200) of 100-byte lines; results in perf/results/<date>-<host>-file-vs-kcat.txt
#   (or OUT); SLUICE=path uses an already built binary instead of `make release`;
#   TMPBASE (default /tmp) is where the input and output files go.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${SLUICE:-}" ]]; then bin=$(realpath "$SLUICE"); else make -s release >/dev/null; bin=$PWD/.build/release/sluice; fi
command -v kcat >/dev/null || { apt-get install -y -qq kcat >/dev/null; }
size_mb=${SIZE_MB:-200}
work=$(mktemp -d "${TMPBASE:-/tmp}/sluice-perf-XXXXXX")
out="${OUT:-perf/results/$(date +%Y-%m-%d)-$(hostname)-file-vs-kcat.txt}"
trap 'kill $(cat "$work/broker.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

lines=$((size_mb * 1024 * 1024 / 100))
python3 - "$work/in.txt" "$lines" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write(("%012d " % i) + "x" * 86 + "\n")   # 100 bytes with the newline
PY
split -n l/4 -d "$work/in.txt" "$work/part-"
# The mock broker keeps 5 MiB per partition: the sink topics get enough partitions to hold it all.
sink_partitions=$(( size_mb / 2 + 16 ))
# start_broker TOPIC...: a fresh embedded cluster (the previous one stopped), and a
# worker.properties pointing at it.
start_broker() {
  if [[ -s "$work/broker.pid" ]]; then
    local old; old=$(cat "$work/broker.pid")
    kill "$old" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.05; done
  fi
  rm -f "$work/broker.out"
  "$bin" broker "${@/#/--topic=}" > "$work/broker.out" &
  broker_pid=$!
  echo "$broker_pid" > "$work/broker.pid"
  for _ in $(seq 50); do grep -q bootstrap "$work/broker.out" 2>/dev/null && break; sleep 0.1; done
  bs=$(sed -n 's/bootstrap.servers=//p' "$work/broker.out")
  printf 'bootstrap.servers=%s\noffset.storage.file.filename=%s/offsets.json\noffset.flush.interval.ms=1000\n' "$bs" "$work" > "$work/worker.properties"
}
start_broker kcat-src:4 sluice-src1:4 sluice-src4:4

now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1/($3-$2):,.0f}')"; }
{
echo "machine: $(nproc) cores, $(date -u), $size_mb MB of 100-byte lines ($lines lines)"

t0=$(now); kcat -P -b "$bs" -t kcat-src -l "$work/in.txt"; t1=$(now)
echo "kcat -P -l, 1 file:                 $(rate $lines $t0 $t1) records/s"

cat > "$work/src1.json" <<J
{"name": "src1", "config": {"connector.class": "FileStreamSource", "file": "$work/in.txt", "topic": "sluice-src1", "follow": "false", "batch.size": "100000"}}
J
t0=$(now); "$bin" standalone --exit-when-sources-end "$work/worker.properties" "$work/src1.json"; t1=$(now)
echo "sluice FileStreamSource, 1 task:    $(rate $lines $t0 $t1) records/s"

cat > "$work/src4.json" <<J
{"name": "src4", "config": {"connector.class": "FileStreamSource", "files": "$work/part-00,$work/part-01,$work/part-02,$work/part-03", "tasks.max": "4", "topic": "sluice-src4", "follow": "false", "batch.size": "100000"}}
J
t0=$(now); "$bin" standalone --exit-when-sources-end "$work/worker.properties" "$work/src4.json"; t1=$(now)
echo "sluice FileStreamSource, 4 files, tasks.max=4: $(rate $lines $t0 $t1) records/s"

# Sink direction, on a fresh cluster (the source runs above leave the embedded broker
# slower): fill a topic that holds everything (through Sluice, whose deliveries are all
# acknowledged), then read it to a file with each tool. kcat -C reads before and after the
# others, and the sink is compared with the mean of the two, so drift falls on both.
start_broker "sluice-sink:$sink_partitions"
cat > "$work/fill.json" <<J
{"name": "fill", "config": {"connector.class": "FileStreamSource", "file": "$work/in.txt", "topic": "sluice-sink", "follow": "false", "batch.size": "100000"}}
J
# Without sticky partitioning the records spread evenly, so no partition outgrows the mock's 5 MiB.
printf 'producer.sticky.partitioning.linger.ms=0\n' | cat "$work/worker.properties" - > "$work/fill.properties"
"$bin" standalone --exit-when-sources-end "$work/fill.properties" "$work/fill.json"
rm -f "$work"/part-*
# kcat_c: kcat -C reads the whole topic to a file; prints its records/s.
kcat_c() {
  local t0 t1
  t0=$(now); kcat -C -b "$bs" -t sluice-sink -o beginning -e -q -D '\n' > "$work/kcat-out.txt"; t1=$(now)
  python3 -c "print($(wc -l < "$work/kcat-out.txt")/($t1-$t0))"
}
kcat_first=$(kcat_c)
echo "kcat -C to a file (first):          $(python3 -c "print(f'{$kcat_first:,.0f}')") records/s ($(wc -l < "$work/kcat-out.txt") lines)"
# The like-for-like peer of a sink connector: kcat in a consumer group (-G), which
# waits for the same group join (the broker's group.initial.rebalance.delay.ms, 3 s
# by default and in the embedded broker) before it reads.
t0=$(now); kcat -G kcat-sink-group -b "$bs" -X auto.offset.reset=earliest -e -q -D '\n' sluice-sink > "$work/kcat-group-out.txt"; t1=$(now)
echo "kcat -G (consumer group) to a file: $(rate $(wc -l < "$work/kcat-group-out.txt") $t0 $t1) records/s ($(wc -l < "$work/kcat-group-out.txt") lines)"
rm -f "$work/kcat-group-out.txt"

cat > "$work/sink.json" <<J
{"name": "sink", "config": {"connector.class": "FileStreamSink", "topics": "sluice-sink", "file": "$work/sluice-out.txt"}}
J
# Both read what the topic holds: what kcat read (the mock broker may have aged some out).
expected=$(stat -c %s "$work/kcat-out.txt")
sink_lines=$(wc -l < "$work/kcat-out.txt")
t0=$(now); "$bin" standalone "$work/worker.properties" "$work/sink.json" 2>/dev/null & sink_pid=$!
first_deadline=$(( $(date +%s) + 60 ))
while [ ! -s "$work/sluice-out.txt" ] && [ "$(date +%s)" -lt $first_deadline ]; do sleep 0.01; done; t_first=$(now)
deadline=$(( $(date +%s) + 300 ))
while [ "$(stat -c %s "$work/sluice-out.txt" 2>/dev/null || echo 0)" -lt "$expected" ] && [ "$(date +%s)" -lt $deadline ]; do sleep 0.05; done; t1=$(now)
kill -TERM $sink_pid; wait $sink_pid || true
join_seconds=$(python3 -c "print('%.2f' % ($t_first - $t0))")
echo "sluice FileStreamSink to a file:    $(rate $sink_lines $t0 $t1) records/s ($(wc -l < "$work/sluice-out.txt") lines; $join_seconds s of it before the first record: joining the consumer group)"
echo "sluice FileStreamSink after joining: $(rate $sink_lines $t_first $t1) records/s"
sink_after=$(python3 -c "print($sink_lines/($t1-$t_first))")
rm -f "$work/sluice-out.txt"
kcat_second=$(kcat_c)
echo "kcat -C to a file (second):         $(python3 -c "print(f'{$kcat_second:,.0f}')") records/s"
python3 -c "m=($kcat_first+$kcat_second)/2; print(f'sink after joining / mean kcat -C:  {$sink_after/m:.2f} (mean kcat -C {m:,.0f})')"
} | tee "$out"
