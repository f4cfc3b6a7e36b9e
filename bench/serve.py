#!/usr/bin/env python3
"""Load on the job API (`diglot serve`) over loopback.

Usage:  bench/serve.py [--seconds N] [--only sqlite-1,sqlite-3,postgres-1,postgres-3]
                       [--database URL] [--diglot PATH] [--clients N]

Four configurations: SQLite (the project's `.diglot/jobs.sqlite`, one process
running `--workers 1` or `--workers 3`) and PostgreSQL (`diglot serve
--workers 0` and one or three `diglot worker --workers 1` processes on one
database; each configuration gets a schema of its own, dropped afterwards).
Each runs in a fresh copy of the example project's articles and pipelines
(no locale files, so the translation memory is empty and Apertium translates).
Per configuration:

  submit   --clients threads, each on one keep-alive connection, POST the
           example article (9 KB, en-US -> es-ES, providers ["apertium"]) for
           N seconds, to a server without workers: jobs accepted (202) per
           second. Every submit is validated and segmented.
  get      the same threads GET /v1/jobs/{id} of those jobs for N seconds:
           p50 and p99 latency, requests per second.
  cold     a server with its workers, the queue filled with the example
           article, each job's sentences made unique (a tag in every
           sentence), so Apertium translates the whole article every time:
           jobs that succeeded per minute, counted from the first success for
           3 x N seconds (from /metrics).
  warm     the same article every time: after the first, every sentence is
           an MT cache hit. Jobs per minute over N seconds.

diglot is the release binary (target/release/diglot; `cargo build --release
-p diglot-cli`). Apertium: `apt-get install apertium apertium-eng-spa`.
PostgreSQL: the --database URL (default postgres://postgres@127.0.0.1:5432/test)
and `psql` to create and drop the schemas.
"""

import argparse
import http.client
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "serve"
ARTICLE = (ROOT / "articles" / "andry-hernandez-romero.txt").read_text()


def job(text):
    return json.dumps(
        {
            "article": {"format": "text", "lang": "en-US", "text": text},
            "target_locales": ["es-ES"],
            "providers": ["apertium"],
        }
    ).encode()


def unique(n):
    """The example article with a tag in every sentence: no MT cache hit."""
    return re.sub(r"([.!?])(\s|$)", rf" q{n}z\1\2", ARTICLE)


class Client:
    def __init__(self, url, token):
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}"}

    def request(self, method, path, body=None):
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.read()


class Fleet:
    """A project copy, its job database, and the diglot processes on it."""

    def __init__(self, args, name, database):
        self.args, self.database, self.procs = args, database, []
        self.dir = WORK / name
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        for d in ["articles", "pipelines"]:
            shutil.copytree(ROOT / d, self.dir / d)
        self.db = ["--database", database] if database else []
        self.token = self.run(["token", "create", "--name", "bench", "--scope", "admin"])

    def run(self, argv):
        out = subprocess.run(
            [self.args.diglot, *argv, *self.db], cwd=self.dir, check=True,
            capture_output=True, text=True,
        )
        return out.stdout.strip()

    def serve(self, workers):
        limits = ["--rate-limit", "100000000", "--max-active-jobs", "100000000"]
        p = subprocess.Popen(
            [self.args.diglot, "serve", "--listen", "127.0.0.1:0", "--workers", str(workers),
             *limits, *self.db],
            cwd=self.dir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True,
        )
        self.procs.append(p)
        for line in p.stderr:
            if line.startswith("diglot: serving the job API on "):
                url = line.split(" on ", 1)[1].strip()
                # Keep reading stderr so the process never blocks on it.
                threading.Thread(target=drain, args=(p.stderr,), daemon=True).start()
                return url
        sys.exit(f"diglot serve did not start in {self.dir}")

    def worker(self):
        p = subprocess.Popen(
            [self.args.diglot, "worker", "--workers", "1", *self.db],
            cwd=self.dir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.procs.append(p)

    def stop(self):
        for p in self.procs:
            p.kill()
            p.wait()
        self.procs = []


def drain(stream):
    for _ in stream:
        pass


def in_threads(n, seconds, work):
    """Runs work(client_index, deadline) in n threads; returns their results."""
    results = [None] * n
    deadline = time.monotonic() + seconds

    def run(i):
        results[i] = work(i, deadline)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def succeeded(url, token):
    status, body = Client(url, token).request("GET", "/metrics")
    counts = {}
    for line in body.decode().splitlines():
        m = re.match(r'diglot_jobs\{state="(\w+)"\} (\d+)', line)
        if m:
            counts[m.group(1)] = int(m.group(2))
    return counts.get("succeeded", 0), counts.get("failed", 0)


def jobs_per_minute(fleet, workers, texts, seconds):
    """Fills the queue, waits for the first success, counts for `seconds`."""
    url = fleet.serve(0 if fleet.database else workers)
    if fleet.database:
        for _ in range(workers):
            fleet.worker()
    c = Client(url, fleet.token)
    for text in texts:
        status, _ = c.request("POST", "/v1/jobs", job(text))
        assert status == 202, status
    start = time.monotonic()
    while succeeded(url, fleet.token)[0] == 0:
        if time.monotonic() - start > 300:
            sys.exit("no job succeeded within 5 minutes")
        time.sleep(0.1)
    first, _ = succeeded(url, fleet.token)
    t0 = time.monotonic()
    time.sleep(seconds)
    last, failed = succeeded(url, fleet.token)
    elapsed = time.monotonic() - t0
    fleet.stop()
    if failed:
        print(f"    ({failed} jobs failed)", file=sys.stderr)
    if last - first >= len(texts) - 1:
        print("    (the queue ran dry: raise the job count)", file=sys.stderr)
    return (last - first) * 60 / elapsed


def configuration(args, name, workers, database):
    print(f"== {name}", file=sys.stderr)
    fleet = Fleet(args, name, database)
    url = fleet.serve(0)
    body = job(ARTICLE)

    def submit(i, deadline):
        c, ids = Client(url, fleet.token), []
        while time.monotonic() < deadline:
            status, answer = c.request("POST", "/v1/jobs", body)
            assert status == 202, (status, answer)
            ids.append(json.loads(answer)["id"])
        return ids

    t = time.monotonic()
    ids = [i for part in in_threads(args.clients, args.seconds, submit) for i in part]
    submits = len(ids) / (time.monotonic() - t)

    def get(i, deadline):
        c, times, n = Client(url, fleet.token), [], i
        while time.monotonic() < deadline:
            path = f"/v1/jobs/{ids[n % len(ids)]}"
            t = time.perf_counter()
            status, _ = c.request("GET", path)
            times.append(time.perf_counter() - t)
            assert status == 200, status
            n += 7
        return times

    t = time.monotonic()
    times = sorted(x for part in in_threads(args.clients, args.seconds, get) for x in part)
    gets = len(times) / (time.monotonic() - t)
    fleet.stop()

    # End to end: fresh fleets, so the jobs above are not in the queue.
    cold_fleet = Fleet(args, name + "-cold", fresh_schema(args, name + "_cold") if database else None)
    cold = jobs_per_minute(cold_fleet, workers, [unique(n) for n in range(args.jobs)], 3 * args.seconds)
    warm_fleet = Fleet(args, name + "-warm", fresh_schema(args, name + "_warm") if database else None)
    warm = jobs_per_minute(warm_fleet, workers, [ARTICLE] * (3 * args.jobs), args.seconds)
    return {
        "configuration": name,
        "submissions/s": round(submits, 1),
        "GET p50 ms": round(percentile(times, 0.50) * 1000, 2),
        "GET p99 ms": round(percentile(times, 0.99) * 1000, 2),
        "GET/s": round(gets, 1),
        "jobs/min cold": round(cold, 1),
        "jobs/min warm": round(warm, 1),
    }


SCHEMAS = []


def fresh_schema(args, name):
    schema = "bench_" + re.sub(r"\W", "_", name)
    subprocess.run(["psql", args.database, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"],
                   check=True, capture_output=True)
    SCHEMAS.append(schema)
    sep = "&" if "?" in args.database else "?"
    return f"{args.database}{sep}options=-csearch_path%3D{schema}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--jobs", type=int, default=100, help="cold jobs queued (3x as many warm)")
    ap.add_argument("--only", default="sqlite-1,sqlite-3,postgres-1,postgres-3")
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/test")
    ap.add_argument("--diglot", default=str(ROOT / "target" / "release" / "diglot"))
    args = ap.parse_args()
    args.diglot = str(Path(args.diglot).resolve())
    rows = []
    try:
        for name in args.only.split(","):
            store, workers = name.split("-")
            database = fresh_schema(args, name) if store == "postgres" else None
            rows.append(configuration(args, name, int(workers), database))
            print(json.dumps(rows[-1]), file=sys.stderr)
    finally:
        for schema in SCHEMAS:
            subprocess.run(["psql", args.database, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE"],
                           capture_output=True)
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("| " + " | ".join("---" for _ in keys) + " |")
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
