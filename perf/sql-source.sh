#!/usr/bin/env bash
# The SQL source against the database's own client piped into kcat, on one table in the
# same run (issue 13's throughput target): a private PostgreSQL (DB=postgresql, the default;
# trust auth, fsync off) or MariaDB (DB=mariadb; no binary log, lazy log flush), each with
# a temporary data directory on a loopback port, ROWS rows of about 100 bytes,
# `sluice broker` on loopback, then A/B/A/B: kcat fed by `psql \copy (SELECT ...) TO STDOUT`
# or `mariadb --batch --quick -e "SELECT ..."`, and `sluice standalone` with the SQL source in
# incrementing mode, each into its own topic; the time to the topic's last record is
# measured from outside (high watermark).
# PROFILE=1 prints where the machine's CPU goes during each SQL source run (1.5 s of perf record -a,
# by process and library, then sluice's symbols) to stderr.
# Each round also gives the sluice process's peak RSS (VmHWM), read just before it is stopped.
# TABLES=N TASKS=M splits ROWS over N tables and compares tasks.max=1 with tasks.max=M instead
# (issue 13's second target), tasks.max=M once split by range and once by remainder
# (split.strategy; which of the two goes first alternates by round).
# Usage: [DB=postgresql|mariadb] [TABLES=n TASKS=m] [OUT=file] perf/sql-source.sh [ROWS] [ROUNDS]
#   (release build; writes perf/results/<date>-<host>-sql-source[-mariadb].txt)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${DB:-postgresql}
tables=${TABLES:-1}
tasks=${TASKS:-}
rows=${1:-2000000}
rounds=${2:-2}
per=$((rows / tables))
names=(orders); [ "$tables" -gt 1 ] && names=($(seq -f 'orders_%g' 1 "$tables"))
scripts/install-deps.sh
swift build -c release >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d /tmp/sluice-sql-perf.XXXXXX)
chmod 755 "$work"
db_pid=""
broker_pid=""
cleanup() {
  # The postmaster runs under runuser as root: stop it by the pid it wrote, not runuser's.
  [ -f "$work/data/postmaster.pid" ] && kill "$(head -1 "$work/data/postmaster.pid")" 2>/dev/null
  [ -n "$db_pid" ] && kill "$db_pid" 2>/dev/null; [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
case "$db" in
postgresql)
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" -eq 0 ] && chown postgres "$work"
  run_pg "$bin/initdb" -D "$work/data" -U sluice --auth=trust >/dev/null
  run_pg "$bin/postgres" -D "$work/data" -p "$port" -k "$work" -c listen_addresses=127.0.0.1 -c fsync=off \
    -c synchronous_commit=off -c full_page_writes=off >"$work/pg.log" 2>&1 &
  db_pid=$!
  for _ in $(seq 100); do psql -h 127.0.0.1 -p "$port" -U sluice -d postgres -c 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
  psql -q -h 127.0.0.1 -p "$port" -U sluice -d postgres <<SQL
$(for t in "${names[@]}"; do echo "CREATE TABLE $t (id BIGINT PRIMARY KEY, customer INT NOT NULL, item VARCHAR(64) NOT NULL, amount NUMERIC(10,2) NOT NULL);
INSERT INTO $t SELECT g, g % 1000, 'item-' || md5(g::text), (g % 100000) / 100.0 FROM generate_series(1, $per) g;
VACUUM ANALYZE $t;"; done)
SQL
  label="PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
  baseline="psql \\copy"
  url="jdbc:postgresql://127.0.0.1:$port/postgres"
  dump() { psql -h 127.0.0.1 -p "$port" -U sluice -d postgres -c "\\copy (SELECT id, customer, item, amount FROM orders ORDER BY id) TO STDOUT"; }
  ;;
mariadb)
  as_root=(); [ "$(id -u)" -eq 0 ] && as_root=(--user=root)
  mariadb-install-db --no-defaults --datadir="$work/data" --auth-root-authentication-method=normal --skip-test-db "${as_root[@]}" >/dev/null
  mariadbd --no-defaults --datadir="$work/data" --port="$port" --bind-address=127.0.0.1 --socket="$work/mysqld.sock" \
    --pid-file="$work/mysqld.pid" --log-error="$work/error.log" --tmpdir="$work" --skip-name-resolve --skip-log-bin \
    --innodb-flush-log-at-trx-commit=0 --innodb-buffer-pool-size=1G "${as_root[@]}" >/dev/null 2>&1 &
  db_pid=$!
  for _ in $(seq 150); do mariadb --no-defaults -S "$work/mysqld.sock" -u root -e 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
  mariadb --no-defaults -S "$work/mysqld.sock" -u root >/dev/null <<SQL
CREATE DATABASE mydb; USE mydb; CREATE USER 'sluice'@'%'; GRANT ALL ON mydb.* TO 'sluice'@'%';
$(for t in "${names[@]}"; do echo "CREATE TABLE mydb.$t (id BIGINT PRIMARY KEY, customer INT NOT NULL, item VARCHAR(64) NOT NULL, amount DECIMAL(10,2) NOT NULL);
INSERT INTO mydb.$t SELECT seq, seq % 1000, CONCAT('item-', MD5(seq)), (seq % 100000) / 100.0 FROM seq_1_to_$per;
ANALYZE TABLE mydb.$t \\G"; done)
SQL
  label="MariaDB $(mariadbd --version | awk '{print $3}')"
  baseline="mariadb --batch --quick"
  url="jdbc:mariadb://127.0.0.1:$port/mydb"
  # --quick streams rows (mysql_use_result) instead of reading the whole result first.
  dump() { mariadb --no-defaults -h 127.0.0.1 -P "$port" -u sluice --batch --quick --skip-column-names -e "SELECT id, customer, item, amount FROM mydb.orders ORDER BY id"; }
  ;;
*) echo "DB must be postgresql or mariadb, not $db" >&2; exit 2 ;;
esac
topics=()
for r in $(seq "$rounds"); do
  topics+=(--topic "copy$r:1")
  for t in "${names[@]}"; do topics+=(--topic "sql$r-$t:1" --topic "one$r-$t:1" --topic "rem$r-$t:1"); done
done
mkfifo "$work/broker.in"
sleep infinity > "$work/broker.in" &
keep=$!
.build/release/sluice broker --no-connect-topics --control-stdin "${topics[@]}" < "$work/broker.in" > "$work/broker.out" &
broker_pid=$!
for _ in $(seq 100); do [ -s "$work/broker.out" ] && break; sleep 0.1; done
bootstrap=$(head -1 "$work/broker.out" | sed 's/bootstrap.servers=//')
high() { kcat -Q -b "$bootstrap" -t "$1:0:-1" 2>/dev/null | awk '{print $NF}'; }
# Waits for the topic's last record; a second argument is a process that must stay alive.
wait_for() {
  local expected=$rows; [ "$1" != "${1#copy}" ] || expected=$per
  while [ "$(high "$1")" != "$expected" ]; do
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then echo "the run into $1 ended early:" >&2; cat "$work/standalone.log" >&2; exit 1; fi
    if grep -q FAILED "$work/standalone.log" 2>/dev/null; then echo "the SQL source failed:" >&2; cat "$work/standalone.log" >&2; exit 1; fi
    sleep 0.05
  done
}
# Runs `sluice standalone` with the SQL source over every table, topics PREFIX-<table>,
# tasks.max TASKS, split.strategy STRATEGY (default range); prints "seconds peak-RSS-MiB".
run_sluice() {
  local prefix=$1 max=$2 strategy=${3:-range}
  printf 'listeners=http://127.0.0.1:0\nbootstrap.servers=%s\noffset.storage.file.filename=%s/offsets-%s.json\n' "$bootstrap" "$work" "$prefix" > "$work/worker.properties"
  printf 'name=sql-%s\nconnector.class=io.confluent.connect.jdbc.JdbcSourceConnector\nconnection.url=%s\nconnection.user=sluice\nmode=incrementing\nincrementing.column.name=id\ntopic.prefix=%s-\nbatch.max.rows=10000\ntasks.max=%s\nsplit.strategy=%s\nvalue.converter.schemas.enable=false\nkey.converter=org.apache.kafka.connect.storage.StringConverter\n' "$prefix" "$url" "$prefix" "$max" "$strategy" > "$work/sql.properties"
  local start; start=$(date +%s.%N)
  .build/release/sluice standalone "$work/worker.properties" "$work/sql.properties" >/dev/null 2>"$work/standalone.log" &
  local sluice=$!
  if [ -n "${PROFILE:-}" ]; then
    sleep 0.5; perf record -a -F 1999 -o "$work/perf.data" -- sleep 1.5 >/dev/null 2>&1
    { echo "== $prefix: the whole machine by process and library"
      timeout 120 perf report -i "$work/perf.data" --stdio --sort comm,dso 2>/dev/null | grep -E '^ +[0-9]' | head -20
      echo "== the task thread's symbols"
      timeout 120 perf report -i "$work/perf.data" --stdio --comm sluice-task-0 --sort dso,symbol 2>/dev/null | grep -E '^ +[0-9]' | head -30; } >&2
  fi
  for t in "${names[@]}"; do wait_for "$prefix-$t" "$sluice"; done
  local elapsed; elapsed=$(echo "$(date +%s.%N) - $start" | bc)
  local peak; peak=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$sluice/status")
  kill "$sluice"; wait "$sluice" || true
  echo "$elapsed $peak"
}
suffix=""; [ "$db" = mariadb ] && suffix="-mariadb"; [ -n "$tasks" ] && suffix="$suffix-$tables-tables-$tasks-tasks"
out=${OUT:-"perf/results/$(date +%F)-$(hostname)-sql-source$suffix.txt"}
{
  if [ -n "$tasks" ]; then
    echo "SQL source, tasks.max=1 against tasks.max=$tasks split by range and by remainder: $label, $rows rows in $tables tables, $(nproc) cores, $(date -u), commit $(git rev-parse --short HEAD)"
  else
    echo "SQL source vs $baseline | kcat -P: $label, $rows rows, $(nproc) cores, $(date -u), commit $(git rev-parse --short HEAD)"
  fi
  for r in $(seq "$rounds"); do
    if [ -n "$tasks" ]; then
      # Both split strategies against one task; which goes first alternates by round.
      read -r one onepeak < <(run_sluice "one$r" 1)
      if [ $((r % 2)) = 1 ]; then
        read -r many peak < <(run_sluice "sql$r" "$tasks" range)
        read -r rest restpeak < <(run_sluice "rem$r" "$tasks" remainder)
      else
        read -r rest restpeak < <(run_sluice "rem$r" "$tasks" remainder)
        read -r many peak < <(run_sluice "sql$r" "$tasks" range)
      fi
      [ -n "$one" ] && [ -n "$many" ] && [ -n "$rest" ] || exit 1
      printf 'round %s  1 task %8.0f rows/s  %s tasks: range %8.0f rows/s  ratio %.2f  remainder %8.0f rows/s  ratio %.2f  peak RSS %s / %s / %s MiB\n' "$r" "$(echo "$rows / $one" | bc -l)" "$tasks" "$(echo "$rows / $many" | bc -l)" "$(echo "$one / $many" | bc -l)" "$(echo "$rows / $rest" | bc -l)" "$(echo "$one / $rest" | bc -l)" "$onepeak" "$peak" "$restpeak"
      continue
    fi
    start=$(date +%s.%N)
    dump | kcat -P -b "$bootstrap" -t "copy$r" -X linger.ms=5 -X batch.num.messages=10000
    wait_for "copy$r"
    copy=$(echo "$(date +%s.%N) - $start" | bc)
    read -r sql peak < <(run_sluice "sql$r" 1)
    [ -n "$sql" ] || exit 1
    printf 'round %s  baseline %8.0f rows/s  sluice %8.0f rows/s  ratio %.2f  sluice peak RSS %s MiB\n' "$r" "$(echo "$rows / $copy" | bc -l)" "$(echo "$rows / $sql" | bc -l)" "$(echo "$copy / $sql" | bc -l)" "$peak"
  done
} | tee "$out"
kill "$keep" 2>/dev/null || true
echo "written to $out" >&2
