"""Province scale (issue 18 point 3): KPIs, lists, the enterprise history and a device's first pull over a province's
history of 100,000 and 1,000,000 records on PostgreSQL.

The history (bench/_scale_data.py) is written straight into a fresh PostgreSQL database `bench_scale` (dropped and
created again for each size) after the app's own setup (migrations, reference data): 100 districts, and as many
months of work as the size needs — 6 months ≈ 100k records, 60 months (5 years) ≈ 1M. The two sizes differ by the
depth of history, not by the province: a month's work is the same at both, so time(1M) / time(100k) shows whether
the cost follows the work asked for or the history (the issue's point).

Every figure goes through the app in this process (Flask test client, a real login through POST /api/auth/login,
the JSON bodies as a browser gets them): wall time per request, 2 warm-up calls then ≥ 20 measured, p95 by nearest
rank. The first pull of a district's device is followed page by page (limit 1000 as the PWA asks) until has_more
is false: records, bytes of the JSON bodies gzipped (level 6, as a server would), the sum of the requests' times.
The export of one year of samples for the province goes the API's way (POST /api/exports, background thread,
progress polled): its time and the process's peak RSS growth during it.

Figures are printed and written to the "Scale" section of bench/RESULTS.md (the others are kept).
Run: .venv/bin/python bench/bench_scale.py [--months 6 60 | --records 100000 1000000] [--districts 100]
     [--repeat 20] [--no-export] [--keep] [--reuse]
With --keep the last database stays, with a note of what it holds (in the temporary folder); --reuse measures such a
database again (after the migrations of the code being measured) instead of building it.
"""
import argparse
import dataclasses
import datetime as dt
import gzip
import json
import math
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _results import Figure, code_state, figures_section, load_average, machine_note, print_figures, \
    replace_section  # noqa: E402
from _scale_data import Built, Scale, generate  # noqa: E402
from _server import postgres_unreachable  # noqa: E402

HEADING = "## Scale (issue 18: a province's history on PostgreSQL)"
PG_DATABASE = "bench_scale"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DATABASE}"
PASSWORD = "Scale@2026!"
KPI_MS, LIST_MS, RATIO = 300, 200, 1.5
# A request slower than this when warm (over 15× every target) is measured 3 times after 1 warm-up, not 20 after 2:
# the default run (`make bench`) stays within 15 minutes; the figure says how many runs.
SLOW_SECONDS, MIN_SLOW_RUNS = 5.0, 3
PULL_RECORDS, PULL_GZ_BYTES, PULL_SECONDS = 15_000, 10_000_000, 2.0
QUEUE = "/api/records?page=1&personal=true&status=submitted&sort=received&order=desc&per_page=20"
QUEUE_ALL = "/api/records?page=1&personal=true&sort=received&order=desc&per_page=20"
RECTIFICATIONS = "/api/rectifications?page=1&per_page=50"  # the tracking screen's first page


EXPLAINED = (("kpi_province", "KPI, one month, the province"),
             ("queue_province", "review queue, first page, province"),
             ("queue_district_cdc", "review queue, first page, district CDC supervisor"),
             ("rect_district", "rectification list, district"), ("rect_province", "rectification list, province"),
             ("pull_sampler_2", "first pull (working set) of a sampler's device"),
             ("pull_inspector_2", "first pull (working set) of an inspector's device"))


MISSABLE = (("kpi_district", "KPI one month, district (执法大队)", KPI_MS),
            ("kpi_district_cdc", "KPI one month, district (CDC)", KPI_MS),
            ("kpi_province", "KPI one month, province", KPI_MS),
            ("queue_district", "review queue, district (执法大队)", LIST_MS),
            ("queue_district_cdc", "review queue, district (CDC)", LIST_MS),
            ("queue_province", "review queue, province (submitted)", LIST_MS),
            ("queue_province_all", "review queue, province (every status)", LIST_MS),
            ("rect_district", "rectification list, district", LIST_MS),
            ("rect_province", "rectification list, province", LIST_MS),
            ("history_busiest", "enterprise history, most inspected", LIST_MS),
            ("history_busiest_sampler", "enterprise history, most sampled", LIST_MS),
            ("history_typical", "enterprise history, median", LIST_MS),
            ("pull_sampler_2", "first pull (working set), sampler", None),
            ("pull_inspector_2", "first pull (working set), inspector", None))


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def rss_kib(field="VmRSS"):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


BUILT_NOTE = Path(tempfile.gettempdir()) / "bench_scale-built.json"


def kept_build(scale):
    """What a kept database of this scale holds (--reuse), or None when there is none."""
    if not BUILT_NOTE.exists():
        return None
    note = json.loads(BUILT_NOTE.read_text())
    if (note["districts"], note["months"]) != (scale.districts, scale.months):
        return None
    engine = sa.create_engine(PG_ADMIN)
    with engine.connect() as connection:
        exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_DATABASE}).first()
    engine.dispose()
    return note if exists else None


def recreate_database():
    engine = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
        connection.execute(sa.text(f"CREATE DATABASE {PG_DATABASE}"))
    engine.dispose()


def drop_database():
    engine = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
    engine.dispose()


class SqlMeter:
    """Statements and their time in the database, per request (the rest of a request's time is Python)."""

    def __init__(self, engine):
        self.count, self.seconds, self._started, self.slowest = 0, 0.0, {}, (0.0, None, None)
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        started = self._started.pop(id(cursor), None)
        if started is not None:
            took = time.perf_counter() - started
            self.count += 1
            self.seconds += took
            if took > self.slowest[0]:
                self.slowest = (took, statement, parameters)

    def reset(self):
        self.count, self.seconds, self.slowest = 0, 0.0, (0.0, None, None)


class Bench:
    """One size: the database built, the app, the logged-in callers."""

    def __init__(self, scale, workdir, repeat):
        self.scale, self.workdir, self.repeat = scale, workdir, repeat
        from server import create_app
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": PG_URL, "INSTANCE_PATH": str(workdir / "instance"),
                               "BLOB_ROOT": str(workdir / "blobs"), "SECRET_KEY": "bench-scale-secret-" + "s" * 40,
                               "JWT_SECRET_KEY": "bench-scale-jwt-secret-" + "j" * 40, "RATELIMIT_ENABLED": False,
                               "PASSWORD_HASH_PROFILE": "fast", "LOG_LEVEL": "WARNING",
                               # The year's export in a thread of this process: the figure is the writing's own.
                               "JOB_QUEUE": "in-process"})
        self.client = self.app.test_client()
        self.tokens = {}

    def build(self, kept=None):
        """Build the history (or take the kept one: the migrations of this code are applied to it)."""
        from server.cli import setup_database
        from server.extensions import db
        with self.app.app_context():
            started = time.perf_counter()
            setup_database()
            setup_seconds = time.perf_counter() - started
            started = time.perf_counter()
            if kept:
                self.built = Built(**kept["built"])
            else:
                password_hash = self.app.extensions["password_hasher"].hash(PASSWORD)
                self.built = generate(db.session, self.app.extensions["forms"], self.scale, password_hash,
                                      log=lambda m: None, defer_indexes=True)
                db.session.commit()
            generate_seconds = kept["seconds"] if kept else time.perf_counter() - started
            db.session.remove()
            started = time.perf_counter()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("VACUUM (ANALYZE)"))
            analyse_seconds = time.perf_counter() - started
            with db.engine.connect() as connection:
                self.size_bytes = connection.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
                self.records = connection.execute(sa.text("SELECT count(*) FROM records")).scalar()
                self.exceedance = {}
                for part in ("groups", "noise"):
                    nonconform, evaluated = connection.execute(sa.text(
                        "SELECT count(*) FILTER (WHERE g->'evaluation'->>'result' = 'nonconform'), count(*) "
                        f"FROM records, jsonb_array_elements(computed->'evaluation'->'{part}') g "
                        "WHERE entity = 'sampling_visit' AND g->>'status' = 'evaluated'")).one()
                    self.exceedance[part] = nonconform / evaluated * 100 if evaluated else 0.0
            self.meter = SqlMeter(db.engine)
        self.times = {"setup": setup_seconds, "generate": generate_seconds, "analyse": analyse_seconds,
                      "indexes": self.built.index_seconds}
        log(f"built {self.records:,} records in {generate_seconds:.0f} s (+ {analyse_seconds:.0f} s VACUUM ANALYZE), "
            f"database {self.size_bytes / 1e9:.2f} GB")

    # callers ---------------------------------------------------------------------------------------------------------
    def token(self, username, device_id=None):
        key = (username, device_id)
        if key not in self.tokens:
            response = self.client.post("/api/auth/login", json={"username": username, "password": PASSWORD,
                                                                 "device_id": device_id})
            assert response.status_code == 200, (username, response.get_json())
            self.tokens[key] = response.get_json()["access_token"]
        return self.tokens[key]

    def get(self, username, path, device_id=None):
        headers = {"Authorization": f"Bearer {self.token(username, device_id)}"}
        started = time.perf_counter()
        response = self.client.get(path, headers=headers)
        seconds = time.perf_counter() - started
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:500])
        return response, seconds

    def timed(self, username, path, warm=2):
        """(p95 ms, median ms, the last body, mean SQL statements, mean SQL ms) over `repeat` warm calls; a call
        far beyond every target (over SLOW_SECONDS when warm) is measured MIN_SLOW_RUNS times only, so that the
        default run stays within minutes (the figure says how many runs)."""
        _, seconds = self.get(username, path)
        if seconds <= SLOW_SECONDS:
            for _ in range(warm - 1):
                self.get(username, path)
        runs = self.repeat if seconds <= SLOW_SECONDS else MIN_SLOW_RUNS
        times, sql = [], []
        for _ in range(runs):
            self.meter.reset()
            response, seconds = self.get(username, path)
            times.append(seconds * 1000)
            sql.append((self.meter.count, self.meter.seconds * 1000))
        return {"p95": p95(times), "median": statistics.median(times), "body": response.get_json(),
                "statements": statistics.mean(s[0] for s in sql), "sql_ms": statistics.median(s[1] for s in sql),
                "bytes": len(response.get_data()), "n": len(times), "slowest": self.meter.slowest}

    def explain(self, slowest, lines=14):
        """The plan of a captured statement, run again under EXPLAIN ANALYZE (rolled back), first `lines` lines."""
        seconds, statement, parameters = slowest
        if not statement or not statement.lstrip().upper().startswith("SELECT"):
            return [f"(slowest statement not a SELECT: {str(statement)[:80]!r})"]
        from server.extensions import db
        with self.app.app_context():
            with db.engine.connect() as connection:
                rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters).all()
                connection.rollback()
        plan = [row[0][:150] for row in rows]
        head = " ".join(statement.split())[:300]
        return [f"statement ({seconds * 1000:,.0f} ms when measured): {head}…"] + plan[:lines] + (
            [f"… ({len(plan) - lines} more plan lines)"] if len(plan) > lines else [])

    # the figures -----------------------------------------------------------------------------------------------------
    def month(self):
        end = self.scale.end.replace(day=1) - dt.timedelta(days=1)  # the last whole month
        return end.replace(day=1), end

    def measure(self, export=True):
        first = self.built.districts[0]["prefix"]
        province = f"{self.scale.username_prefix}_supervisor"
        date_from, date_to = self.month()
        period = f"date_from={date_from.isoformat()}&date_to={date_to.isoformat()}"
        out = {"month": (date_from, date_to)}
        log("KPIs")
        out["kpi_district"] = self.timed(f"{first}_supervisor", f"/api/kpis?{period}")
        out["kpi_district_cdc"] = self.timed(f"{first}_cdc_supervisor", f"/api/kpis?{period}")
        out["kpi_province"] = self.timed(province, f"/api/kpis?{period}")
        log("lists")
        out["queue_district"] = self.timed(f"{first}_supervisor", QUEUE)
        out["queue_district_cdc"] = self.timed(f"{first}_cdc_supervisor", QUEUE)
        out["queue_province"] = self.timed(province, QUEUE)
        out["queue_province_all"] = self.timed(province, QUEUE_ALL)
        out["rect_district"] = self.timed(f"{first}_supervisor", RECTIFICATIONS)
        out["rect_province"] = self.timed(province, RECTIFICATIONS)
        region = self.built.districts[0]["region_id"]
        busiest, typical = self.enterprises(region, "inspection")
        out["history_busiest"] = self.timed(f"{first}_inspector", f"/api/enterprises/{busiest}/history")
        out["history_typical"] = self.timed(f"{first}_inspector", f"/api/enterprises/{typical}/history")
        busiest, _ = self.enterprises(region, "sampling_visit")
        out["history_busiest_sampler"] = self.timed(f"{first}_sampler", f"/api/enterprises/{busiest}/history")
        log("first pulls")
        for role in ("sampler", "inspector"):
            for protocol in (2, 1):
                out[f"pull_{role}_{protocol}"] = self.first_pull(f"{first}_{role}", protocol)
        if export:
            log("export")
            out["export"] = self.export(province)
        return out

    def plans(self, out):
        """EXPLAIN ANALYZE of the slowest statement of each figure that missed its target (Markdown lines)."""
        lines = []
        for key, title in EXPLAINED:
            result = out.get(key)
            if result is None:
                continue
            missed = (result["seconds"] > PULL_SECONDS) if key.startswith("pull") else (
                result["p95"] > (KPI_MS if key.startswith("kpi") else LIST_MS))
            if missed and result["slowest"][1]:
                lines += [f"{title}:", "", "```", *self.explain(result["slowest"]), "```", ""]
        return lines

    def enterprises(self, region_id, entity):
        """The enterprise of the district with the most records of this kind, and one with the median count."""
        from server.extensions import db
        with self.app.app_context():
            rows = db.session.execute(sa.text(
                "SELECT enterprise_id, count(*) AS n FROM records WHERE region_id = :r AND entity = :e "
                "AND enterprise_id IS NOT NULL GROUP BY enterprise_id ORDER BY n DESC, enterprise_id"),
                {"r": region_id, "e": entity}).all()
            db.session.remove()
        return rows[0].enterprise_id, rows[len(rows) // 2].enterprise_id

    def first_pull(self, username, protocol, tries=3):
        """A new device's first copy, page by page; the fastest of `tries` (each from no cursor)."""
        best = None
        for _ in range(tries):
            device_id = str(uuid.uuid4())
            cursor, pages, records, changes, raw, gz, seconds, sql_ms = None, 0, 0, 0, 0, 0, 0.0, 0.0
            slowest = (0.0, None, None)
            while True:
                query = f"/api/sync/pull?limit=1000&protocol={protocol}" + (f"&cursor={cursor}" if cursor else "")
                self.meter.reset()
                response, took = self.get(username, query, device_id=device_id)
                slowest = max(slowest, self.meter.slowest, key=lambda s: s[0])
                body_bytes = response.get_data()
                body = json.loads(body_bytes)
                pages += 1
                seconds += took
                sql_ms += self.meter.seconds * 1000
                raw += len(body_bytes)
                gz += len(gzip.compress(body_bytes, 6))
                changes += len(body["changes"])
                records += sum(1 for c in body["changes"] if c.get("kind") == "record")
                cursor = body["cursor"]
                if not body["has_more"]:
                    break
            result = {"pages": pages, "records": records, "changes": changes, "raw": raw, "gz": gz,
                      "seconds": seconds, "sql_ms": sql_ms, "protocol": body.get("protocol"), "slowest": slowest}
            if best is None or result["seconds"] < best["seconds"]:
                best = result
        return best

    def export(self, username):
        """One year of samples for the province, CSV, through the API; time and peak RSS growth."""
        year_to = self.scale.end
        year_from = year_to - dt.timedelta(days=364)
        headers = {"Authorization": f"Bearer {self.token(username)}"}
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        before = rss_kib()
        started = time.perf_counter()
        response = self.client.post("/api/exports", headers=headers, json={
            "kind": "samples", "format": "csv", "date_from": year_from.isoformat(), "date_to": year_to.isoformat()})
        assert response.status_code == 201, response.get_json()
        job = response.get_json()
        while job["status"] in ("queued", "running"):
            time.sleep(0.2)
            job = self.client.get(f"/api/exports/{job['id']}", headers=headers).get_json()
        seconds = time.perf_counter() - started
        peak = rss_kib("VmHWM")
        assert job["status"] == "done", job
        file = self.client.get(f"/api/exports/{job['id']}/file", headers=headers)
        rows = file.get_data().count(b"\n") - 1
        return {"seconds": seconds, "rows": rows, "bytes": len(file.get_data()), "growth_mb": (peak - before) / 1024}

    def close(self):
        from server.extensions import db
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


# the report ---------------------------------------------------------------------------------------------------------
def ms(result):
    return (f"p95 {result['p95']:,.0f} ms, median {result['median']:,.0f} ms ({result['n']} runs; SQL "
            f"{result['sql_ms']:,.0f} ms in {result['statements']:.0f} statements)")


def size_label(bench):
    return f"{bench.records:,} records ({bench.scale.districts} districts × {bench.scale.months} months)"


def rect_open(result):
    """The open items of a tracking list (every state but closed)."""
    summary = result["body"]["summary"]
    return sum(n for state, n in summary.items() if state != "closed")


def figures_for(bench, out):
    kpi = out["kpi_district"]["body"]
    province = out["kpi_province"]["body"]
    figures = [
        Figure("KPI, one month, one district (执法大队 supervisor)", ms(out["kpi_district"]), f"p95 ≤ {KPI_MS} ms",
               out["kpi_district"]["p95"] <= KPI_MS),
        Figure("KPI, one month, one district (CDC supervisor)", ms(out["kpi_district_cdc"]), f"p95 ≤ {KPI_MS} ms",
               out["kpi_district_cdc"]["p95"] <= KPI_MS),
        Figure("KPI, one month, the province (commission supervisor)", ms(out["kpi_province"]), f"p95 ≤ {KPI_MS} ms",
               out["kpi_province"]["p95"] <= KPI_MS),
        Figure("… the month's work in the province's figures",
               f"{province['sampling']['visits']:,} visits, {province['sampling']['samples']:,} samples, "
               f"{province['enforcement']['inspections']:,} inspections, {province['followup']['followups']:,} "
               f"follow-ups; district: {kpi['sampling']['visits']} visits, {kpi['enforcement']['inspections']} "
               "inspections", "", None),
        Figure("review queue, first page (status submitted), district 执法大队 supervisor", ms(out["queue_district"]),
               f"p95 ≤ {LIST_MS} ms", out["queue_district"]["p95"] <= LIST_MS),
        Figure("review queue, first page (status submitted), district CDC supervisor", ms(out["queue_district_cdc"]),
               f"p95 ≤ {LIST_MS} ms", out["queue_district_cdc"]["p95"] <= LIST_MS),
        Figure("review queue, first page (status submitted), province", ms(out["queue_province"]),
               f"p95 ≤ {LIST_MS} ms", out["queue_province"]["p95"] <= LIST_MS),
        Figure("review queue, first page, every status, province", ms(out["queue_province_all"]),
               f"p95 ≤ {LIST_MS} ms", out["queue_province_all"]["p95"] <= LIST_MS),
        Figure("rectification list, district, first page", ms(out["rect_district"]) +
               f"; {len(out['rect_district']['body']['items']):,} of {out['rect_district']['body']['total']:,} items "
               f"listed ({rect_open(out['rect_district']):,} open), {out['rect_district']['bytes']:,} bytes",
               f"p95 ≤ {LIST_MS} ms", out["rect_district"]["p95"] <= LIST_MS),
        Figure("rectification list, province, first page", ms(out["rect_province"]) +
               f"; {len(out['rect_province']['body']['items']):,} of {out['rect_province']['body']['total']:,} items "
               f"listed ({rect_open(out['rect_province']):,} open), {out['rect_province']['bytes']:,} bytes",
               f"p95 ≤ {LIST_MS} ms", out["rect_province"]["p95"] <= LIST_MS),
        Figure("enterprise history, the district's most inspected enterprise (inspector)", ms(out["history_busiest"]) +
               f"; {out['history_busiest']['body']['count']} record trees, {out['history_busiest']['bytes']:,} bytes",
               f"p95 ≤ {LIST_MS} ms", out["history_busiest"]["p95"] <= LIST_MS),
        Figure("enterprise history, the district's most sampled enterprise (sampler)",
               ms(out["history_busiest_sampler"]) +
               f"; {out['history_busiest_sampler']['body']['count']} record trees, "
               f"{out['history_busiest_sampler']['bytes']:,} bytes",
               f"p95 ≤ {LIST_MS} ms", out["history_busiest_sampler"]["p95"] <= LIST_MS),
        Figure("enterprise history, an enterprise of median inspections (inspector)", ms(out["history_typical"]) +
               f"; {out['history_typical']['body']['count']} record trees",
               f"p95 ≤ {LIST_MS} ms", out["history_typical"]["p95"] <= LIST_MS),
    ]
    for role in ("sampler", "inspector"):
        for protocol in (2, 1):
            pull = out[f"pull_{role}_{protocol}"]
            what = ("working set (protocol 2, as the PWA asks)" if protocol == 2
                    else "everything (protocol 1, older PWAs)")
            value = (f"{pull['records']:,} records ({pull['changes']:,} changes incl. registry and reference), "
                     f"{pull['gz'] / 1e6:.2f} MB gzipped ({pull['raw'] / 1e6:.1f} MB raw), {pull['seconds']:.2f} s "
                     f"in {pull['pages']} pages (SQL {pull['sql_ms'] / 1000:.2f} s)")
            passed = (pull["records"] <= PULL_RECORDS and pull["gz"] <= PULL_GZ_BYTES
                      and pull["seconds"] <= PULL_SECONDS)
            figures.append(Figure(f"first pull of a district {role}'s device, {what}", value,
                                  "≤ 15,000 records, ≤ 10 MB gz, ≤ 2 s" if protocol == 2 else "",
                                  passed if protocol == 2 else None))
    if "export" in out:
        export = out["export"]
        figures.append(Figure("export of one year of samples for the province (CSV, background job)",
                              f"{export['seconds']:.1f} s for {export['rows']:,} rows "
                              f"({export['bytes'] / 1e6:.1f} MB); "
                              f"peak RSS growth {export['growth_mb']:.0f} MB", "≤ 2 min",
                              export["seconds"] <= 120))
    return figures


def missed_lines(bench, out):
    """Every target missed at this size, by how much, and how much of the time was in the database."""
    lines = []
    for key, title, target in MISSABLE:
        result = out.get(key)
        if result is None:
            continue
        if key.startswith("pull"):
            over = [f"server time {result['seconds']:.2f} s against {PULL_SECONDS:.0f} s "
                    f"(×{result['seconds'] / PULL_SECONDS:.2f}; {result['sql_ms'] / result['seconds'] / 10:.0f} % of "
                    "it in SQL)"] if result["seconds"] > PULL_SECONDS else []
            over += [f"{result['records']:,} records against {PULL_RECORDS:,}"] if result["records"] > PULL_RECORDS \
                else []
            over += [f"{result['gz'] / 1e6:.1f} MB gz against 10 MB"] if result["gz"] > PULL_GZ_BYTES else []
            if over:
                lines.append(f"- {title}: " + "; ".join(over) + ".")
        elif result["p95"] > target:
            lines.append(f"- {title}: p95 {result['p95']:,.0f} ms against {target} ms (×{result['p95'] / target:.1f}); "
                         f"SQL {result['sql_ms']:,.0f} ms of a median {result['median']:,.0f} ms "
                         f"({result['sql_ms'] / result['median'] * 100:.0f} %), the rest in Python.")
    return lines


def ratio_figures(small, large):
    figures = []
    for key, name in (("kpi_district", "KPI one month, district (执法大队)"),
                      ("kpi_district_cdc", "KPI one month, district (CDC)"),
                      ("kpi_province", "KPI one month, province")):
        a, b = small[1][key]["p95"], large[1][key]["p95"]
        figures.append(Figure(f"{name}: p95 at {large[0].records:,} ÷ p95 at {small[0].records:,}",
                              f"{b / a:.2f} ({b:,.0f} ms ÷ {a:,.0f} ms)", f"≤ {RATIO}", b / a <= RATIO))
    for key, name in (("queue_province", "review queue, province"), ("rect_district", "rectification list, district"),
                      ("history_busiest", "enterprise history, most inspected")):
        a, b = small[1][key]["p95"], large[1][key]["p95"]
        figures.append(Figure(f"{name}: ratio", f"{b / a:.2f} ({b:,.0f} ms ÷ {a:,.0f} ms)", "", None))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, nargs="+", default=None,
                        help="history depths to measure, in months (default 6 60: ≈100k and ≈1M records)")
    parser.add_argument("--records", type=int, nargs="+", default=None,
                        help="sizes to measure, in records (turned into months of history for --districts)")
    parser.add_argument("--districts", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--keep", action="store_true", help="leave the last database in place")
    parser.add_argument("--reuse", action="store_true", help="measure the database kept by --keep, if it is of "
                        "the same size, instead of building it")
    parser.add_argument("--no-write", action="store_true", help="print only; bench/RESULTS.md stays as it is")
    args = parser.parse_args()
    reason = postgres_unreachable()
    if reason:
        print(f"*** PostgreSQL not reachable ({reason}): the scale benchmark was NOT run ***")
        return
    end = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    if args.records:
        scales = [Scale.for_records(n, districts=args.districts, end=end) for n in args.records]
    else:
        scales = [Scale(districts=args.districts, months=m, end=end) for m in (args.months or (6, 60))]
    load_at_start, code_at_start = load_average(), code_state()
    command = "  ".join(["python bench/bench_scale.py"] + sys.argv[1:])
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as workdir:
        for number, scale in enumerate(scales):
            log(f"size: {scale.districts} districts × {scale.months} months, ending {scale.end}")
            kept = kept_build(scale) if args.reuse else None
            if kept:
                scale = Scale(districts=scale.districts, months=scale.months, end=dt.date.fromisoformat(kept["end"]))
            else:
                recreate_database()
            bench = Bench(scale, Path(workdir) / f"m{scale.months}", args.repeat)
            bench.build(kept)
            if args.keep:
                BUILT_NOTE.write_text(json.dumps({"districts": scale.districts, "months": scale.months,
                                                  "end": scale.end.isoformat(), "seconds": bench.times["generate"],
                                                  "built": dataclasses.asdict(bench.built)}))
            out = bench.measure(export=not args.no_export)
            out["plans"] = bench.plans(out) if number == len(scales) - 1 else []
            bench.close()
            results.append((bench, out))
            print_figures(size_label(bench), figures_for(bench, out))
    if not args.keep:
        drop_database()
    tables = {}
    for bench, out in results:
        tables[f"{size_label(bench)}: built in {bench.times['generate']:.0f} s"] = figures_for(bench, out)
    if len(results) >= 2:
        tables["Cost against history: the same month's work, ten times the history"] = \
            ratio_figures(results[0], results[-1])
        print_figures("ratios", tables["Cost against history: the same month's work, ten times the history"])
    notes = [machine_note(load_at_start, code_at_start),
             "Data (bench/_scale_data.py): a province of " + str(results[0][0].scale.districts) + " districts (ten to "
             "a city), per district a CDC and a 执法大队, 8 users, 300 enterprises; per district-year 60 sampling visits "
             "of ≈15 samples / blanks / noise measurements with the server's own evaluation "
             f"({results[-1][0].exceedance['groups']:.1f} % of chemical and dust posts and "
             f"{results[-1][0].exceedance['noise']:.1f} % of noise posts above the limit), "
             "120 inspections with ≈2.9 findings and one rectification item per "
             "finding once the order is issued, 40 assistance visits, 250 follow-ups of 80 patients: ≈2,070 records. "
             "Review states by age (recent work partly submitted / returned / draft, older ≈98.6 % approved); "
             "rectification items mostly closed, some open or overdue; national-system entries for most approved "
             "visits. "
             "Not generated: checklist results, attachments, documents, re-inspections, laboratory rows, change "
             "history.",
             "Sizes differ by the depth of history (" + " and ".join(f"{b.scale.months} months" for b, _ in results) +
             ", ending " + str(results[0][0].scale.end) + ") with the same province, so a month's work is the same at "
             "every size: the ratio shows whether the cost follows the work asked for or the history.",
             "Build: PostgreSQL COPY of every row (the records table's secondary indexes dropped during the load and "
             "built after it), in one transaction, after `create_app` + `setup_database()`; then VACUUM (ANALYZE). " +
             "; ".join(f"{b.records:,} records: generated and loaded in {b.times['generate']:.0f} s (of which indexes "
                       f"{b.times['indexes']:.0f} s), VACUUM ANALYZE {b.times['analyse']:.0f} s, database "
                       f"{b.size_bytes / 1e9:.2f} GB" for b, _ in results) + ".",
             "Method: in this process, Flask test client, logged in through POST /api/auth/login; per figure 2 warm-up "
             f"calls then {args.repeat} measured, p95 by nearest rank (a call over {SLOW_SECONDS:.0f} s when warm: 1 "
             f"warm-up and {MIN_SLOW_RUNS} runs, the p95 being their maximum); 'SQL' is the time inside "
             "cursor.execute (the rest "
             "is Python: loading rows, building JSON). KPI month: " + " to ".join(
                 d.isoformat() for d in results[0][1]["month"]) + ". Review queue: the PWA's first page "
             f"(`{QUEUE}`). Rectification list: the tracking screen's first page (`{RECTIFICATIONS}`: every open item "
             "and the last twelve months' closures, most urgent first). Enterprise history: "
             "GET /api/enterprises/<id>/history as the enterprise page asks it. "
             "First pull: limit 1000 per page as the PWA asks, from no cursor until has_more is false, best of 3 "
             "devices; gz = each JSON body gzipped at level 6, summed."]
    print()
    for note in notes:
        print("- " + note)
    if not args.no_write:
        last, last_out = results[-1]
        tail = []
        for bench, out in results:
            missed = missed_lines(bench, out)
            tail += [f"### Targets missed at {bench.records:,} records", ""] + (missed or ["- none"]) + [""]
        if last_out["plans"]:
            tail += [f"### Where the time goes at {last.records:,} records: the slowest SQL statement of each figure "
                     "that missed, under EXPLAIN ANALYZE", ""] + last_out["plans"]
        replace_section(HEADING, figures_section(HEADING, command, notes, tables, tail))
        print(f"\nwritten to bench/RESULTS.md ({HEADING[3:]})")


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    main()
