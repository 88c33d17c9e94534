#!/usr/bin/env python3
"""Failover and broker-outage measurements for distributed `sluice worker`s.

Runs real processes on loopback: `sluice broker` (the embedded cluster), three
`sluice worker`s in one group, one datagen connector created over the REST API.

  failover  SIGKILL one worker mid-run; report the time until every task of the
            killed worker runs on a survivor, then read the whole topic (kcat) and
            count lost and duplicated (task, seq) pairs.
  outage    a 3-broker cluster, topics with replication factor 3; take broker 2
            down for 10 s mid-run; report records/s per second (from the workers'
            /metrics) and lost/duplicated records.

Usage: perf/cluster-failover.py failover|outage [--runs N] [--session-ms MS]
Env:   SLUICE (default .build-release/release/sluice, else .build/debug/sluice)
Output: one JSON object per run on stdout; progress on stderr.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sluice_binary():
    if os.environ.get("SLUICE"):
        return os.environ["SLUICE"]
    for candidate in (".build-release/release/sluice", ".build/release/sluice", ".build/debug/sluice"):
        path = os.path.join(ROOT, candidate)
        if os.path.exists(path):
            return path
    sys.exit("no sluice binary: run `swift build -c release` first or set SLUICE")


def log(message):
    print(message, file=sys.stderr, flush=True)


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            text = reply.read().decode()
            return reply.status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, (json.loads(text) if text.strip().startswith("{") else text)


class Cluster:
    def __init__(self, folder, brokers, topic, partitions, replication, session_ms):
        self.folder = folder
        self.processes = []
        self.binary = sluice_binary()
        self.broker = subprocess.Popen(
            [self.binary, "broker", "--brokers", str(brokers), "--control-stdin",
             "--topic", f"{topic}:{partitions}:{replication}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.processes.append(self.broker)
        line = self.broker.stdout.readline().strip()
        self.bootstrap = line.split("=", 1)[1]
        self.session_ms = session_ms
        self.workers = []

    def control(self, command):
        self.broker.stdin.write(command + "\n")
        self.broker.stdin.flush()
        return self.broker.stdout.readline().strip()

    def start_worker(self, name):
        properties = os.path.join(self.folder, f"{name}.properties")
        with open(properties, "w") as handle:
            handle.write("\n".join([
                f"bootstrap.servers={self.bootstrap}", "group.id=perf-cluster",
                "config.storage.topic=connect-configs", "offset.storage.topic=connect-offsets",
                "status.storage.topic=connect-status", "listeners=http://127.0.0.1:0",
                "offset.flush.interval.ms=1000", f"session.timeout.ms={self.session_ms}",
                f"heartbeat.interval.ms={max(100, self.session_ms // 10)}", "log_level=0", ""]))
        err = open(os.path.join(self.folder, f"{name}.log"), "w")
        process = subprocess.Popen([self.binary, "worker", properties], stdout=subprocess.PIPE, stderr=err, text=True)
        self.processes.append(process)
        url = process.stdout.readline().strip().split("=", 1)[1]
        worker_id = url[len("http://"):].rstrip("/")
        self.workers.append({"name": name, "process": process, "url": url, "id": worker_id})
        return self.workers[-1]

    def close(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.kill()
                process.wait()


def wait(seconds, condition, step=0.1):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def placements(url, name):
    status, body = http("GET", url + f"connectors/{name}/status")
    if status != 200:
        return {}
    return {task["id"]: (task["state"], task.get("worker_id", "")) for task in body.get("tasks", [])}


def create(url, body):
    for _ in range(300):
        status, reply = http("POST", url + "connectors", body)
        if status != 409:
            return status, reply
        time.sleep(0.1)
    return status, reply


def verify(bootstrap, topic, tasks, per_task):
    output = subprocess.run(
        ["kcat", "-C", "-b", bootstrap, "-t", topic, "-e", "-q", "-f", "%s\n", "-X", "log_level=0"],
        capture_output=True, text=True, timeout=600).stdout
    seen = {}
    duplicates = unexpected = 0
    for line in output.splitlines():
        match = re.match(r'\{"task":(\d+),"seq":(\d+)', line)
        if not match:
            unexpected += 1
            continue
        key = (int(match.group(1)), int(match.group(2)))
        if key in seen:
            duplicates += 1
        seen[key] = True
    lost = sum(1 for task in range(tasks) for seq in range(per_task) if (task, seq) not in seen)
    return {"records_read": len(output.splitlines()), "lost": lost, "duplicates": duplicates, "unexpected": unexpected}


def write_rate(workers):
    total = 0
    for worker in workers:
        try:
            with urllib.request.urlopen(worker["url"] + "metrics", timeout=5) as reply:
                for line in reply.read().decode().splitlines():
                    if line.startswith("kafka_connect_source_task_metrics_source_record_write_total"):
                        total += float(line.rsplit(" ", 1)[1])
        except OSError:
            pass
    return total


def run_failover(args, run):
    folder = tempfile.mkdtemp(prefix="sluice-failover-")
    tasks, per_task, rate = 6, args.records_per_task, args.rate
    cluster = Cluster(folder, 1, "failover-out", 6, 1, args.session_ms)
    try:
        workers = [cluster.start_worker(f"w{i}") for i in range(3)]
        status, reply = create(workers[0]["url"], {"name": "gen", "config": {
            "connector.class": "datagen", "tasks.max": str(tasks), "topic": "failover-out", "value.format": "json",
            "iterations": str(per_task), "max.records.per.sec": str(rate), "record.size": "100"}})
        assert status == 201, reply
        spread = wait(60, lambda: len({w for s, w in placements(workers[0]["url"], "gen").values() if s == "RUNNING"}) == 3)
        assert spread, "tasks never spread over 3 workers"
        time.sleep(3)
        victim = workers[2]
        moved = [t for t, (s, w) in placements(workers[0]["url"], "gen").items() if w == victim["id"]]
        victim["process"].send_signal(signal.SIGKILL)
        killed = time.time()
        recovered = wait(120, lambda: all(
            w != victim["id"] and s in ("RUNNING", "STOPPED") for s, w in placements(workers[0]["url"], "gen").values()), step=0.05)
        recovery = time.time() - killed
        wait(300, lambda: all(s == "STOPPED" for s, w in placements(workers[0]["url"], "gen").values()), step=0.5)
        result = {"scenario": "failover", "run": run, "session_timeout_ms": args.session_ms, "tasks": tasks,
                  "tasks_moved": len(moved), "recovered": recovered, "recovery_seconds": round(recovery, 2),
                  "target_seconds": args.session_ms / 1000 + 5, "rate_per_task": rate, "flush_interval_ms": 1000}
        result.update(verify(cluster.bootstrap, "failover-out", tasks, per_task))
        return result
    finally:
        cluster.close()


def run_outage(args, run):
    folder = tempfile.mkdtemp(prefix="sluice-outage-")
    tasks, per_task, rate = 4, args.records_per_task, args.rate
    cluster = Cluster(folder, 3, "outage-out", 6, 3, args.session_ms)
    try:
        workers = [cluster.start_worker(f"w{i}") for i in range(2)]
        status, reply = create(workers[0]["url"], {"name": "gen", "config": {
            "connector.class": "datagen", "tasks.max": str(tasks), "topic": "outage-out", "value.format": "json",
            "iterations": str(per_task), "max.records.per.sec": str(rate), "record.size": "100"}})
        assert status == 201, reply
        assert wait(60, lambda: all(s == "RUNNING" for s, w in placements(workers[0]["url"], "gen").values())
                    and len(placements(workers[0]["url"], "gen")) == tasks)
        timeline = []
        start = time.time()
        last = write_rate(workers)
        down_at, up_at = 5, 15
        state = "up"
        while time.time() - start < 30:
            time.sleep(1)
            elapsed = time.time() - start
            if state == "up" and elapsed >= down_at:
                log(f"down 2: {cluster.control('down 2')}")
                state = "down"
            elif state == "down" and elapsed >= up_at:
                log(f"up 2: {cluster.control('up 2')}")
                state = "back"
            now = write_rate(workers)
            # A task that finished drops out of /metrics; never report a negative rate.
            timeline.append({"second": round(elapsed, 1), "records_per_second": max(0, round(now - last)), "broker_2": "down" if state == "down" else "up"})
            last = now
            if all(s == "STOPPED" for s, w in placements(workers[0]["url"], "gen").values()):
                break
        wait(300, lambda: all(s == "STOPPED" for s, w in placements(workers[0]["url"], "gen").values()), step=0.5)
        before = [p["records_per_second"] for p in timeline if p["second"] < down_at]
        after = [p["records_per_second"] for p in timeline if p["second"] > up_at + 2]
        result = {"scenario": "outage", "run": run, "tasks": tasks, "rate_per_task": rate, "broker_down_seconds": up_at - down_at,
                  "median_rate_before": sorted(before)[len(before) // 2] if before else None,
                  "median_rate_after": sorted(after)[len(after) // 2] if after else None, "timeline": timeline,
                  "final_states": sorted({s for s, w in placements(workers[0]["url"], "gen").values()})}
        result.update(verify(cluster.bootstrap, "outage-out", tasks, per_task))
        return result
    finally:
        cluster.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=["failover", "outage"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--session-ms", type=int, default=3000)
    parser.add_argument("--records-per-task", type=int, default=40000)
    parser.add_argument("--rate", type=int, default=1000, help="records/s per task")
    args = parser.parse_args()
    for run in range(1, args.runs + 1):
        result = (run_failover if args.scenario == "failover" else run_outage)(args, run)
        print(json.dumps(result), flush=True)
        log(f"run {run}: {json.dumps({k: v for k, v in result.items() if k != 'timeline'})}")


if __name__ == "__main__":
    main()
