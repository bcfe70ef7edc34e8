"""Sync over HTTP against a real server: push throughput, initial pull, no-change pull, 16 concurrent devices.

For SQLite and, when one listens on 127.0.0.1:5432, PostgreSQL: a fresh database, `flask setup-db` and
`flask seed-demo`, then gunicorn serving wsgi:app. Simulated tablets (bench/_devices.py) log in like devices (one
login each registers a device) and push what a sampling team records: visits, each followed by its 19 samples,
at the district's enterprises. Every request is timed twice: wall time at the client and the server's own
`Server-Timing` figure. The database grows to 100,000 records by pushing over HTTP (batches of 1,000), so every
row went through the protocol. When a target is missed, the same push and pull run in-process under cProfile.

Figures are printed with their targets and written to the "Sync" section of bench/RESULTS.md.
Run: .venv/bin/python bench/bench_sync.py   (also run by `make bench`)
"""
import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from _devices import Tablet
from _results import Figure, code_state, load_average, machine_note, print_figures, write_section
from _server import Api, Server, create_database, drop_database, postgres_unreachable, prepare_database, \
    server_environment

PUSH_BATCH, WARM_UP, MEASURED = 500, 2, 18  # 20 batches of 500 make the 10,000 records of the initial pull
PULL_LIMIT, INITIAL_PULLS, NO_CHANGE_PULLS = 2000, 5, 300
LARGE, FILL_BATCH, FILL_DEVICES = 100_000, 1000, 2
DEVICES, DEVICE_BATCH, CONCURRENT_SECONDS = 16, 50, 20
SAMPLERS = ("lh_sampler", "lh_sampler2")
WORKERS = {"sqlite": 1, "postgresql": 4}
SQLITE_WORKER_CHOICES = (1, 2, 4)
PUSH_TARGET = {"sqlite": 2000, "postgresql": 800}


def percentile(values, q):
    """Nearest-rank percentile (q in 0..1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def http(port):
    """A `connect(token)` for Tablet that talks HTTP to the server on `port`."""
    return lambda token: Api(port, token)


def push_throughput(writer):
    """Batches of 500 from one device: mutations/s per batch (wall and server), after the warm-up."""
    wall, server = [], []
    for _ in range(MEASURED):
        response = writer.push(writer.next_batch(PUSH_BATCH))
        wall.append(response.wall_ms)
        server.append(response.server_ms)
    rate = lambda ms: PUSH_BATCH / (ms / 1000)  # noqa: E731
    return {"median": rate(statistics.median(wall)), "p95": rate(percentile(wall, 0.95)),
            "server_median": rate(statistics.median(server)), "batches": MEASURED}


def initial_pulls(connect, records):
    """A fresh device (new login) pulls everything, INITIAL_PULLS times: medians of server and wall totals."""
    server, wall, changes, pages = [], [], 0, 0
    for _ in range(INITIAL_PULLS):
        responses, changes = Tablet(connect, SAMPLERS[1]).pull_all(PULL_LIMIT)
        server.append(sum(r.server_ms for r in responses))
        wall.append(sum(r.wall_ms for r in responses))
        pages = len(responses)
    return {"server_ms": statistics.median(server), "wall_ms": statistics.median(wall), "changes": changes,
            "pages": pages, "records": records, "runs": INITIAL_PULLS}


def no_change_pulls(reader, records):
    """An up-to-date device pulls again NO_CHANGE_PULLS times: p50/p95 of server and wall time."""
    reader.pull_all(PULL_LIMIT)  # catch up first
    server, wall = [], []
    for _ in range(NO_CHANGE_PULLS):
        responses, count = reader.pull_all(PULL_LIMIT)
        if count or len(responses) != 1:
            raise RuntimeError("a no-change pull returned changes: the database is not idle")
        server.append(responses[0].server_ms)
        wall.append(responses[0].wall_ms)
    return {"records": records, "p50": statistics.median(server), "p95": percentile(server, 0.95),
            "wall_p95": percentile(wall, 0.95), "pulls": NO_CHANGE_PULLS}


def run_threads(target, args_list):
    """Run target(*args) in one thread each; re-raise the first failure."""
    errors = []

    def guarded(*args):
        try:
            target(*args)
        except Exception as error:  # reported after every thread has stopped
            errors.append(error)
    threads = [threading.Thread(target=guarded, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def fill(connect, enterprise_ids, records, target):
    """Grow the database from `records` to `target` records with pushes of 1,000 from FILL_DEVICES devices."""
    lock, state = threading.Lock(), {"records": records}

    def pusher(tablet):
        while True:
            with lock:
                if state["records"] >= target:
                    return
                state["records"] += FILL_BATCH
            tablet.push(tablet.next_batch(FILL_BATCH))
    tablets = [Tablet(connect, SAMPLERS[0]) for _ in range(FILL_DEVICES)]
    for tablet in tablets:
        tablet.record_work(enterprise_ids)
    started = time.perf_counter()
    run_threads(pusher, [(tablet,) for tablet in tablets])
    return {"records": state["records"], "seconds": time.perf_counter() - started}


def concurrent_devices(connect, enterprise_ids, workers):
    """DEVICES devices (one login each) push batches of 50 in a loop for CONCURRENT_SECONDS."""
    tablets = [Tablet(connect, SAMPLERS[i % len(SAMPLERS)]) for i in range(DEVICES)]
    for tablet in tablets:
        tablet.record_work(enterprise_ids)
    samples = []
    deadline = time.perf_counter() + CONCURRENT_SECONDS

    def loop(tablet):
        while time.perf_counter() < deadline:
            response = tablet.push(tablet.next_batch(DEVICE_BATCH))
            samples.append((response.wall_ms, response.server_ms))
    started = time.perf_counter()
    run_threads(loop, [(tablet,) for tablet in tablets])
    elapsed = time.perf_counter() - started
    wall, server = [s[0] for s in samples], [s[1] for s in samples]
    return {"workers": workers, "requests": len(samples), "seconds": elapsed,
            "rate": len(samples) * DEVICE_BATCH / elapsed, "retries": sum(t.retries for t in tablets),
            "p50": percentile(wall, 0.5), "p95": percentile(wall, 0.95), "p99": percentile(wall, 0.99),
            "server_p50": percentile(server, 0.5), "server_p95": percentile(server, 0.95)}


def measure(server):
    """Every figure for one database, in the order the database grows (1k, 10k, 100k records)."""
    connect = http(server.port)
    writer = Tablet(connect, SAMPLERS[0])
    enterprise_ids = writer.enterprise_ids()
    writer.record_work(enterprise_ids)
    for _ in range(WARM_UP):
        writer.push(writer.next_batch(PUSH_BATCH))
    reader = Tablet(connect, SAMPLERS[1])
    found = {"no_change_small": no_change_pulls(reader, writer.seq)}
    print(f"  no-change pull at {writer.seq} records done", flush=True)
    found["push"] = push_throughput(writer)
    found["initial_pull"] = initial_pulls(connect, writer.seq)
    print(f"  push and initial pull at {writer.seq} records done", flush=True)
    found["fill"] = fill(connect, enterprise_ids, writer.seq, LARGE)
    found["no_change_large"] = no_change_pulls(reader, found["fill"]["records"])
    print(f"  filled to {found['fill']['records']} records in {found['fill']['seconds']:.0f} s", flush=True)
    found["concurrent"] = [concurrent_devices(connect, enterprise_ids, server.workers)]
    master, workers = server.rss_mib()
    found["rss"] = {"master": master, "workers": workers}
    found["enterprise_ids"] = enterprise_ids
    return found


def sqlite_worker_choices(env, log, enterprise_ids):
    """The concurrent-devices run again with other worker counts (SQLite: is one worker best?)."""
    runs = []
    for workers in SQLITE_WORKER_CHOICES:
        if workers != WORKERS["sqlite"]:
            with Server(env, workers, log) as server:
                runs.append(concurrent_devices(http(server.port), enterprise_ids, workers))
    return runs


def run_database(kind):
    """Fresh database, server, figures; the server stopped and the database dropped whatever happens."""
    workdir = Path(tempfile.mkdtemp(prefix=f"bench_sync_{kind}_"))
    try:
        env = server_environment(create_database(kind, workdir), workdir / "instance")
        with open(workdir / "server.log", "w") as log:
            prepare_database(env, log)
            with Server(env, WORKERS[kind], log) as server:
                found = measure(server)
            if kind == "sqlite":
                found["concurrent"] += sqlite_worker_choices(env, log, found["enterprise_ids"])
        return found
    finally:
        drop_database(kind)
        shutil.rmtree(workdir, ignore_errors=True)


def judge(kind, found):
    """The figures of one database, each with its target and PASS/MISS."""
    push, pull = found["push"], found["initial_pull"]
    small, large = found["no_change_small"], found["no_change_large"]
    ratio = large["p95"] / small["p95"]
    figures = [
        Figure("push, batches of 500: mutations/s", f"median {push['median']:,.0f}, p95 {push['p95']:,.0f} "
               f"(server-only median {push['server_median']:,.0f}; {push['batches']} batches)",
               f"median ≥ {PUSH_TARGET[kind]:,}", push["median"] >= PUSH_TARGET[kind]),
        Figure(f"initial pull of {pull['records']:,.0f} records: server time",
               f"{pull['server_ms']:,.0f} ms (wall {pull['wall_ms']:,.0f} ms; {pull['changes']:,.0f} changes in "
               f"{pull['pages']:.0f} pages of ≤ {PULL_LIMIT}; median of {pull['runs']})", "≤ 1,500 ms",
               pull["server_ms"] <= 1500),
    ]
    for run in (small, large):
        figures.append(Figure(f"no-change pull, {run['records']:,.0f} records: p95 server time",
                              f"{run['p95']:.1f} ms (p50 {run['p50']:.1f}, wall p95 {run['wall_p95']:.1f}; "
                              f"{run['pulls']} pulls)", "≤ 20 ms", run["p95"] <= 20))
    figures.append(Figure("no-change pull p95, 100k ÷ 1k", f"{ratio:.2f}", "≤ 1.5", ratio <= 1.5))
    figures += concurrency_figures(kind, found["concurrent"])
    rss = found["rss"]
    figures.append(Figure("server RSS after the run", f"master {rss['master']:.0f} MiB, workers "
                          + ", ".join(f"{w:.0f}" for w in rss["workers"]) + " MiB", "", None))
    return figures


def concurrency_figures(kind, runs):
    """Latency of the concurrent-devices runs; on SQLite also which worker count did best."""
    figures = []
    for run in runs:
        target = kind == "postgresql" and run["workers"] == WORKERS[kind]
        figures.append(Figure(
            f"{DEVICES} devices × batches of {DEVICE_BATCH}, {run['workers']} worker(s): latency",
            f"p50 {run['p50']:.0f} / p95 {run['p95']:.0f} / p99 {run['p99']:.0f} ms; {run['rate']:,.0f} mutations/s "
            f"(server p50 {run['server_p50']:.0f} / p95 {run['server_p95']:.0f} ms; {run['requests']:.0f} requests "
            f"in {run['seconds']:.0f} s; {run['retries']:.0f} retries)",
            "p95 ≤ 300 ms" if target else "", run["p95"] <= 300 if target else None))
    if len(runs) > 1:
        fastest = max(runs, key=lambda run: run["rate"])
        steadiest = min(runs, key=lambda run: run["p95"])
        tried = ", ".join(str(run["workers"]) for run in runs)
        figures.append(Figure(f"worker count under {DEVICES} devices ({tried} tried)",
                              f"most mutations/s with {fastest['workers']:.0f} ({fastest['rate']:,.0f}/s); lowest "
                              f"p95 with {steadiest['workers']:.0f} ({steadiest['p95']:,.0f} ms)", "", None))
    return figures


def notes(runs, conditions):
    """How to read the figures (printed into RESULTS.md above the tables)."""
    return [machine_note(*conditions),
            f"Each figure is the median over {runs} whole run(s) per database, each on a fresh database.",
            f"gunicorn sync workers: SQLite {WORKERS['sqlite']} (also measured with "
            f"{', '.join(str(w) for w in SQLITE_WORKER_CHOICES if w != WORKERS['sqlite'])} under 16 devices), "
            f"PostgreSQL {WORKERS['postgresql']}. The client threads share the same cores; one connection per request.",
            "Batches mix visits and their samples as a team records them: each visit followed by its 19 samples "
            "(25 visits per batch of 500). Every record was pushed over HTTP; the 100,000-record database was "
            f"grown with pushes of {FILL_BATCH:,} from {FILL_DEVICES} devices (no direct inserts).",
            "Server time is the `Server-Timing: app;dur` header; wall time is measured by the client. "
            "Push p95 is the rate of the p95 (slower) batch; the target applies to the median.",
            "The initial pull carries, besides the records, the reference rows and the district's enterprises."]


def median_of_runs(runs):
    """Figure by figure, the median over whole runs (numbers); the last run's value for anything else."""
    last = runs[-1]
    if isinstance(last, dict):
        return {key: median_of_runs([run[key] for run in runs]) for key in last}
    if isinstance(last, list) and last and isinstance(last[0], dict):
        return [median_of_runs(list(items)) for items in zip(*runs)]
    if isinstance(last, bool) or not isinstance(last, (int, float)):
        return last
    return statistics.median_low(runs) if isinstance(last, int) else statistics.median(runs)


def main():
    parser = argparse.ArgumentParser(description="Sync benchmark against gunicorn (see the module docstring).")
    parser.add_argument("--runs", type=int, default=1, help="whole runs per database; figures are their medians")
    runs = parser.parse_args().runs
    results, skipped, conditions = {}, {}, (load_average(), code_state())
    for kind in ("sqlite", "postgresql"):
        reason = postgres_unreachable() if kind == "postgresql" else None
        if reason:
            skipped[kind] = f"PostgreSQL not reachable at 127.0.0.1:5432 ({reason})"
            print(f"*** {skipped[kind]}: the PostgreSQL run was NOT done ***")
            continue
        print(f"{kind}: measuring (gunicorn, {WORKERS[kind]} worker(s))…", flush=True)
        results[kind] = judge(kind, median_of_runs([run_database(kind) for _ in range(runs)]))
        print_figures(kind, results[kind])
    profiles = profile_misses(results)
    for line in profiles:
        print(line)
    write_section(results, skipped, profiles, notes(runs, conditions), command=" ".join(
        [".venv/bin/python bench/bench_sync.py", *sys.argv[1:]]))
    print("\nwritten to bench/RESULTS.md")


def profile_misses(results):
    """cProfile listings (and the no-change pull's SQL) for each database that missed a target."""
    from _profile import profile_sync
    lines = []
    for kind, figures in results.items():
        missed = " ".join(f.name for f in figures if f.passed is False)
        if not missed:
            continue
        print(f"\nprofiling on {kind} (a target was missed)…", flush=True)
        listings = profile_sync(kind, push="push" in missed or "devices" in missed,
                                pull="initial pull" in missed, no_change="no-change" in missed)
        lines += [line for listing in listings for line in ("", *listing)]
    return lines[1:]


if __name__ == "__main__":
    sys.exit(main())
