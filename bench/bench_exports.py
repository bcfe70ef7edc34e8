"""Exports: 100,000 samples with their evaluations to XLSX and CSV through the API's path, memory and time.

A fresh PostgreSQL database (`flask setup-db`, `flask seed-demo`). One sampling visit of 19 samples and a
blank, with laboratory concentrations, is pushed through sync like a tablet's (so its evaluation is the server's
own); then copies of that visit (new ids, their own sample codes, enterprises of the district, the evaluation's
sample ids rewritten) are inserted straight into the records table to reach 10,000 and then 100,000 samples —
direct inserts only build the data: every export goes the API's way (POST /api/exports, background job in
server/export_jobs.py, rows from server/domain/exports.py, progress polled, file downloaded).

Each export runs in a fresh child process (bench/bench_exports.py --child): app, supervisor login and an empty
export of the same format first (imports and first queries), then the measured export. Peak memory growth is
the process's peak RSS (VmHWM, reset through /proc/self/clear_refs) above its RSS just before the export;
with --tracemalloc, a second child measures the peak of Python allocations (slower, so not timed).

Figures are printed one per line and written to the "Exports" section of bench/RESULTS.md.
Run: .venv/bin/python bench/bench_exports.py [--rows 10000 100000] [--database postgresql|sqlite] [--tracemalloc]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from _devices import DEMO_PASSWORD, Tablet
from _profile import InProcessApi, bench_app
from _results import TITLES, Figure, code_state, figures_section, load_average, machine_note, print_figures, \
    replace_section
from _server import create_database, drop_database, engine_url, postgres_unreachable, prepare_database, \
    server_environment

from server.models import Record
from tests.sync.tablets import new_id, sample_fields, visit_fields

HEADING = "## Exports (issue: supervisor workspace)"
PG_DATABASE = "bench_exports"
SAMPLES_PER_VISIT, INSERT_CHUNK = 20, 2000
HAZARDS = ("benzene", "toluene", "xylene")
FORMATS = ("csv", "xlsx")
FLAT_TARGET = 1.5  # peak growth at 100,000 rows ÷ at 10,000 rows: flat, not proportional to the rows (10×)


def rss_kib(field="VmRSS"):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def push_template(app):
    """One visit of 19 samples and a blank with laboratory results, pushed like a tablet's; its root id."""
    client = app.test_client()
    tablet = Tablet(lambda token: InProcessApi(client, token), "lh_sampler")
    visit = new_id()
    batch = [tablet.mutation("sampling_visit", visit, visit_fields(tablet.enterprise_ids()[0]))]
    for index in range(SAMPLES_PER_VISIT - 1):
        fields = sample_fields(f"T-{index + 1:02d}", hazard_key=HAZARDS[index % 3], post=f"岗位{index % 4 + 1}",
                               lab_concentration_mg_m3=round(0.4 + index * 0.7, 4))
        batch.append(tablet.mutation("sample", new_id(), fields, visit))
    batch.append(tablet.mutation("sample", new_id(), {"sample_code": "T-BLANK", "sample_type": "blank",
                                                      "hazard_key": "benzene"}, visit))
    tablet.push(batch)
    return visit, tablet.enterprise_ids()


def visit_copies(template, enterprise_ids, first, count):
    """Rows of `count` copies of the template visit and its samples: own ids and codes, same evaluation."""
    visit = next(row for row in template if row["entity"] == "sampling_visit")
    samples = [row for row in template if row["entity"] == "sample"]
    computed = json.dumps(visit["computed"])
    for number in range(first, first + count):
        visit_id, enterprise = new_id(), enterprise_ids[number % len(enterprise_ids)]
        ids = {sample["id"]: new_id() for sample in samples}
        text = computed
        for old, new in ids.items():
            text = text.replace(old, new)
        yield {**visit, "id": visit_id, "root_id": visit_id, "enterprise_id": enterprise, "computed": json.loads(text),
               "data": {**visit["data"], "enterprise_id": enterprise, "task_no": f"LH-2026-{number:05d}"}}
        for index, sample in enumerate(samples):
            code = f"LH-{number:05d}-{index:02d}"
            yield {**sample, "id": ids[sample["id"]], "parent_id": visit_id, "root_id": visit_id,
                   "enterprise_id": enterprise, "data": {**sample["data"], "sample_code": code}}


def grow(database_url, visit_id, enterprise_ids, samples):
    """Insert template copies until the database holds `samples` samples; returns the seconds it took."""
    engine = sa.create_engine(engine_url(database_url))
    started = time.perf_counter()
    with Session(engine) as session:
        table = Record.__table__
        query = sa.select(table).where(table.c.root_id == visit_id)
        template = [dict(row) for row in session.execute(query).mappings()]
        have = session.scalar(sa.select(sa.func.count()).where(table.c.entity == "sample"))
        rows, first = [], have // SAMPLES_PER_VISIT
        for row in visit_copies(template, enterprise_ids, first, (samples - have) // SAMPLES_PER_VISIT):
            rows.append(row)
            if len(rows) >= INSERT_CHUNK:
                session.execute(sa.insert(table), rows)
                rows = []
        if rows:
            session.execute(sa.insert(table), rows)
        session.commit()
    with engine.connect() as connection:  # fresh planner statistics, as autovacuum gives a table that grew 10×
        connection.execute(sa.text("ANALYZE records"))
        connection.commit()
    engine.dispose()
    return time.perf_counter() - started


def export_through_api(api, client, kind, fmt):
    """POST the export, poll its progress until done, download the file in chunks; what the office sees."""
    started = time.perf_counter()
    job = api.call("POST", "/api/exports", {"kind": kind, "format": fmt}).body
    progress = set()
    while job["status"] not in ("done", "failed"):
        time.sleep(0.05)
        job = api.call("GET", f"/api/exports/{job['id']}").body
        progress.add(job["rows_done"])
    seconds = time.perf_counter() - started
    response = client.get(f"/api/exports/{job['id']}/file", headers={"Authorization": f"Bearer {api.token}"},
                          buffered=False)
    size = lines = 0
    for chunk in response.iter_encoded():
        size, lines = size + len(chunk), lines + chunk.count(b"\n")
    response.close()
    return {"status": job["status"], "rows": job["rows_done"], "seconds": seconds, "bytes": size,
            "csv_rows": lines - 1 if fmt == "csv" else None, "progress_steps": len(progress - {0})}


def child(fmt, trace):
    """One export in this fresh process; prints its figures as JSON."""
    app = bench_app(os.environ)
    client = app.test_client()
    login = InProcessApi(client).call("POST", "/api/auth/login", {"username": "lh_supervisor",
                                                                   "password": DEMO_PASSWORD})
    api = InProcessApi(client, login.body["access_token"])
    export_through_api(api, client, "followups", fmt)  # warm-up: imports, first queries, a first job thread
    if trace:
        tracemalloc.start()
    Path("/proc/self/clear_refs").write_text("5")  # peak RSS (VmHWM) counts from here
    before = rss_kib()
    found = export_through_api(api, client, "samples", fmt)
    found["rss_before_mib"], found["peak_growth_mib"] = before / 1024, (rss_kib("VmHWM") - before) / 1024
    if trace:
        found["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2 ** 20
    print(json.dumps(found))


def measure(env, fmt, trace):
    done = subprocess.run([sys.executable, __file__, "--child", fmt] + (["--trace"] if trace else []),
                          env={**env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"export child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_database(kind, sizes, traced):
    """Fresh database, the template visit, then per size: grow, and each format measured (RSS; then traced)."""
    workdir = Path(tempfile.mkdtemp(prefix=f"bench_exports_{kind}_"))
    try:
        database_url = create_database(kind, workdir, PG_DATABASE)
        env = server_environment(database_url, workdir / "instance")
        with open(workdir / "server.log", "w") as log:
            prepare_database(env, log)
        app = bench_app(env)
        visit_id, enterprise_ids = push_template(app)
        with app.app_context():
            from server.extensions import db
            db.engine.dispose()
        found = {}
        for rows in sizes:
            seconds = grow(database_url, visit_id, enterprise_ids, rows)
            print(f"  {rows:,} samples in the database (inserted in {seconds:.0f} s)", flush=True)
            for fmt in FORMATS:
                found[rows, fmt] = {**measure(env, fmt, trace=False), "insert_s": seconds, "traced_peak_mib":
                                    measure(env, fmt, trace=True)["traced_peak_mib"] if traced else None}
                print(f"  {fmt} at {rows:,} rows: {found[rows, fmt]}", flush=True)
        return found
    finally:
        drop_database(kind, PG_DATABASE)
        shutil.rmtree(workdir, ignore_errors=True)


def figures(found, sizes):
    """Per size and format: time and memory; per format: growth from the smallest to the largest size."""
    result = []
    for (rows, fmt), run in found.items():
        name = f"{fmt.upper()}, {rows:,} rows"
        result.append(Figure(f"{name}: time", f"{run['seconds']:,.1f} s ({rows / run['seconds']:,.0f} rows/s; "
                                              f"{run['bytes'] / 2 ** 20:,.1f} MiB file; progress seen at "
                                              f"{run['progress_steps']} steps)", "", None))
        traced = "" if run["traced_peak_mib"] is None else \
            f"; Python allocations peak {run['traced_peak_mib']:,.1f} MiB"
        result.append(Figure(f"{name}: peak memory growth", f"RSS +{run['peak_growth_mib']:,.1f} MiB (process RSS "
                                                            f"before {run['rss_before_mib']:,.0f} MiB){traced}", "",
                             None))
        exported = run["rows"] if fmt == "xlsx" else min(run["rows"], run["csv_rows"])
        result.append(Figure(f"{name}: rows in the file", f"{exported:,} ({run['status']})", f"{rows:,}",
                             exported == rows and run["status"] == "done"))
    small, large = min(sizes), max(sizes)
    for fmt in FORMATS:
        low, high = found[small, fmt], found[large, fmt]
        ratios = {"RSS growth": high["peak_growth_mib"] / low["peak_growth_mib"]}
        if high["traced_peak_mib"] is not None:
            ratios["Python allocations peak"] = high["traced_peak_mib"] / low["traced_peak_mib"]
        result.append(Figure(f"{fmt.upper()}: memory at {large:,} ÷ at {small:,} rows",
                             "; ".join(f"{name} {ratio:.2f}" for name, ratio in ratios.items()),
                             f"≤ {FLAT_TARGET} (bounded: rows × {large // small} must not mean memory "
                             f"× {large // small})",
                             max(ratios.values()) <= FLAT_TARGET))
    return result


def notes(conditions, kind, traced):
    return [machine_note(*conditions),
            f"Database: {TITLES[kind]}. Data: one visit pushed through sync (19 samples with laboratory results and "
            "a blank, evaluated by the server), then copies of it inserted straight into `records` (direct "
            "inserts, to build 100,000 rows in seconds; not a sync figure), then `ANALYZE records` as autovacuum "
            "would do. Exports: `samples` (样品检测结果, 19 columns) as the district supervisor, through the test "
            "client: POST /api/exports → background job "
            "(server/export_jobs.py, rows from server/domain/exports.py) → progress polled → file downloaded.",
            "Each export in a fresh child process after a warm-up export; RSS growth = peak RSS (VmHWM, reset "
            "through /proc/self/clear_refs) minus RSS just before the export, download included"
            + ("; Python allocations peak from tracemalloc in a second child (not timed)" if traced else "")
            + ". Time is from the POST to the job reported done."]


def main():
    parser = argparse.ArgumentParser(description="Export benchmark (see the module docstring).")
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure the Python allocations' peak (a second, slower child per export)")
    parser.add_argument("--child", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.trace)
    kind, conditions = args.database, (load_average(), code_state())
    reason = postgres_unreachable() if kind == "postgresql" else None
    if reason:
        kind = "sqlite"
        print(f"*** PostgreSQL not reachable ({reason}): measuring on SQLite instead ***")
    print(f"{kind}: exports of {', '.join(f'{n:,}' for n in args.rows)} samples…", flush=True)
    table = figures(run_database(kind, sorted(args.rows), args.tracemalloc), sorted(args.rows))
    print_figures(kind, table)
    command = " ".join([".venv/bin/python bench/bench_exports.py", *sys.argv[1:]])
    replace_section(HEADING, figures_section(HEADING, command, notes(conditions, kind, args.tracemalloc), {"": table}))
    print("\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    sys.exit(main())
