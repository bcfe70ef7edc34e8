"""Evaluation figures: the server's evaluation of a 20-sample visit, and the tablet's offline evaluation of the same
visit (pwa/static/js/evaluation.js) in headless Chromium under 4× CPU throttling.
Run: python bench/bench_evaluation.py (headless Debian Chromium, no internet needed).

The visit: 8 long-time samples with laboratory values (tubes, two mixture groups), 2 short-time samples, 4 blanks,
a dust group of 4 weighed filters, 2 direct readings and 3 noise periods of one worker. The server is timed on the
rules alone (reference built once, as a sync batch reuses it) and with the reference read from a SQLite database
first (what each online preview, POST /api/evaluations, does). Prints one line per figure with its target and
PASS/MISS, and writes the "Evaluation" section of bench/RESULTS.md.
"""
import argparse
import datetime as dt
import http.server
import json
import logging
import statistics
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (same directory)
from _results import Figure, code_state, figures_section, load_average, machine_note, print_figures, \
    replace_section  # noqa: E402  (same directory: benchmark helpers)
from server.domain.evaluations import EvaluationReference, evaluate_visit  # noqa: E402
from server.domain.grades import load_evaluation_rules  # noqa: E402
from server.domain.noise import load_noise_limits  # noqa: E402
from server.domain.oel import parse_oel_row  # noqa: E402
from server.domain.peaks import load_peak_rules  # noqa: E402
from server.domain.reference_store import row_identity  # noqa: E402
from server.domain.sampling import load_sampling_qc  # noqa: E402

THROTTLE = 4
SERVER_TARGET_MS = 50
TABLET_TARGET_MS = 100
DAY = "2026-04-08"
HEADING = "## Evaluation (the server on a 20-sample visit; the tablet offline on noise and direct readings)"


def _sample(sid, hazard, post, start, end, **fields):
    return {"id": sid, "sample_code": sid.upper(), "sample_type": "field", "hazard_key": hazard, "workshop": "涂装车间",
            "post": post, "sampling_point": f"{post}工位", "sampling_mode": "personal", "sampler_id": "P-01",
            "start_time": f"{DAY}T{start}:00+08:00", "end_time": f"{DAY}T{end}:00+08:00", **fields}


def _tube(sid, hazard, post, start, end, **lab):
    return _sample(sid, hazard, post, start, end, duration_type="long_time", limit_type="pc_twa",
                   collector="activated_carbon_tube", flow_before_l_min=0.2, flow_after_l_min=0.2,
                   exposure_hours_per_day=8, **lab)


def _blank(sid, hazard, post):
    return {"id": sid, "sample_code": sid.upper(), "sample_type": "blank", "hazard_key": hazard, "workshop": "涂装车间",
            "post": post, "sampling_point": f"{post}工位", "collector": "activated_carbon_tube", "lab_mass_ug": 0.4}


def _filter(sid, start, end, after_mg):
    return _sample(sid, "cement_dust", "打磨工", start, end, workshop="打磨车间", duration_type="long_time",
                   limit_type="pc_twa", collector="filter_membrane", dust_fraction="total", flow_before_l_min=3.5,
                   flow_after_l_min=3.45, exposure_hours_per_day=8, filter_mass_before_mg=30.0,
                   filter_mass_after_mg=after_mg)


def _period(mid, readings, hours):
    a, b, c = readings
    return {"id": mid, "workshop": "冲压车间", "post": "冲压工", "measurement_point": "冲压工位",
            "measurement_mode": "sound_level_meter", "laeq_1_db": a, "laeq_2_db": b, "laeq_3_db": c,
            "exposure_hours_per_day": hours, "days_per_week": 5, "calibrator_id": "AWA6021A-1",
            "calibration_before_db": 93.8, "calibration_after_db": 93.9}


def benchmark_visit():
    """(visit, 20 samples, 3 noise periods) as a sampling team records them, the laboratory's values filled in."""
    samples = [
        _tube("t-1", "toluene", "喷漆工", "08:00", "12:00", lab_concentration_mg_m3=12.4),
        _tube("t-2", "toluene", "喷漆工", "13:00", "17:00", lab_concentration_mg_m3=18.6),
        _tube("x-1", "xylene", "喷漆工", "08:00", "12:00", lab_mass_ug=410.0),
        _tube("x-2", "xylene", "喷漆工", "13:00", "17:00", lab_mass_ug=520.0),
        _tube("e-1", "ethyl_acetate", "涂布工", "08:00", "12:00", lab_concentration_mg_m3=85.0),
        _tube("e-2", "ethyl_acetate", "涂布工", "13:00", "17:00", lab_concentration_mg_m3=120.0),
        _tube("b-1", "butyl_acetate", "涂布工", "08:00", "12:00", lab_mass_ug=2900.0),
        _tube("b-2", "butyl_acetate", "涂布工", "13:00", "17:00", lab_mass_ug=3600.0),
        _sample("s-1", "toluene", "喷漆工", "10:00", "10:15", duration_type="short_time", limit_type="pc_stel",
                collector="activated_carbon_tube", flow_before_l_min=0.5, flow_after_l_min=0.5,
                lab_concentration_mg_m3=45.0),
        _sample("s-2", "toluene", "喷漆工", "15:00", "15:15", duration_type="short_time", limit_type="pc_stel",
                collector="activated_carbon_tube", flow_before_l_min=0.5, flow_after_l_min=0.5,
                lab_concentration_mg_m3=62.0),
        _blank("k-1", "toluene", "喷漆工"), _blank("k-2", "xylene", "喷漆工"),
        _blank("k-3", "ethyl_acetate", "涂布工"), _blank("k-4", "butyl_acetate", "涂布工"),
        _filter("d-1", "08:00", "10:00", 30.85), _filter("d-2", "10:00", "12:00", 31.10),
        _filter("d-3", "13:00", "15:00", 30.62), _filter("d-4", "15:00", "17:00", 30.98),
        _sample("r-1", "ammonia", "制冷工", "09:00", "09:15", workshop="制冷车间", duration_type="direct_reading",
                limit_type="pc_stel", direct_reading_mg_m3=24.0),
        _sample("r-2", "hydrogen_sulfide", "清池工", "14:00", "14:05", workshop="污水站", duration_type="direct_reading",
                limit_type="mac", direct_reading_mg_m3=3.1),
    ]
    noise = [_period("n-1", (93.0, 93.4, 92.8), 4), _period("n-2", (86.0, 86.5, 85.7), 2),
             _period("n-3", (68.0, 68.2, 67.9), 2)]
    return {"sampling_date": DAY, "temperature_c": 24.0, "pressure_kpa": 100.8}, samples, noise


def reference_files():
    """Every shipped reference table: table → rows (what the database is loaded with and a device pulls)."""
    tables = {}
    for path in sorted((ROOT / "reference").rglob("*.json")):
        envelope = json.loads(path.read_text(encoding="utf-8"))
        tables.setdefault(envelope["table"], []).extend(envelope["rows"])
    return tables


def file_reference(tables):
    """The EvaluationReference of the shipped rows, as reference_store.evaluation_reference builds it."""
    return EvaluationReference(
        oel_rows=tuple(parse_oel_row(raw, index) for index, raw in enumerate(tables["oel_limits"])),
        peak_rules=load_peak_rules(rows=tables["peak_rules"]),
        evaluation_rules=load_evaluation_rules(rows=tables["exposure_evaluation_rules"]),
        sampling_qc=load_sampling_qc(rows=tables["sampling_qc"]),
        noise_limits=load_noise_limits(rows=tables["physical_limits"]), as_of=dt.date.fromisoformat(DAY),
        dust_keys=frozenset(r["key"] for r in tables["hazard_factors"] if r.get("category") == "dust"))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timed(fn, runs):
    fn()  # warm-up: first call fills caches (limits_for) and imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def spread(times):
    return f"median {statistics.median(times):.2f} ms, p95 {percentile(times, 0.95):.2f} ms ({len(times)} runs)"


def server_figures(visit, samples, noise, tables, runs):
    """Rules alone, then with the reference read from a SQLite database holding the shipped tables."""
    reference = file_reference(tables)
    result = evaluate_visit(visit, samples, noise, reference)
    rules = timed(lambda: evaluate_visit(visit, samples, noise, reference), runs)
    figures = [Figure("server: evaluate_visit of the 20-sample visit (reference already built)", spread(rules),
                      f"p95 ≤ {SERVER_TARGET_MS} ms", percentile(rules, 0.95) <= SERVER_TARGET_MS)]
    with tempfile.TemporaryDirectory() as folder:
        from server import create_app
        from server.cli import setup_database
        from server.domain.reference_store import evaluation_reference
        from server.extensions import db
        logging.getLogger("alembic").setLevel(logging.WARNING)
        app = create_app({"APP_ENV": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/e.db",
                          "INSTANCE_PATH": f"{folder}/instance", "SECRET_KEY": "bench-secret-" + "x" * 40,
                          "JWT_SECRET_KEY": "bench-jwt-secret-" + "y" * 40})
        with app.app_context():
            setup_database()
            today = dt.date.fromisoformat(DAY)
            both = timed(lambda: evaluate_visit(visit, samples, noise, evaluation_reference(db.session, today)), runs)
            loading = timed(lambda: evaluation_reference(db.session, today), runs)
            db.session.remove()
            db.engine.dispose()
    figures.append(Figure("server: reference read from SQLite, then evaluate_visit (an online preview's domain work)",
                          spread(both), f"p95 ≤ {SERVER_TARGET_MS} ms", percentile(both, 0.95) <= SERVER_TARGET_MS))
    figures.append(Figure("of which reading the reference (6 tables) from SQLite", spread(loading), "", None))
    return figures, json.loads(json.dumps(result, ensure_ascii=False))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """The PWA's static files and an empty page: the evaluation module runs alone, without the app's start-up."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/bench.html":
            body = b"<!doctype html><meta charset=utf-8><title>evaluation bench</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


# The device's store filled as a pull fills it, then: the six tables read from IndexedDB (the first evaluation after
# start-up; formstore keeps them in memory after), the first evaluation (cold code), then `runs` evaluations.
TABLET_RUN = """async ({ rows, visit, samples, noise, runs, asOf }) => {
    const db = await import('/static/js/db.js');
    const { evaluateOffline, REFERENCE_TABLES } = await import('/static/js/evaluation.js');
    await db.openDb('bench_evaluation');
    await db.putReferenceRows(rows);
    let start = performance.now();
    const reference = { as_of: asOf };
    for (const table of REFERENCE_TABLES) reference[table] = (await db.referenceRows(table)).map((r) => r.data);
    const readMs = performance.now() - start;
    start = performance.now();
    const first = evaluateOffline(visit, samples, noise, reference);
    const firstMs = performance.now() - start;
    const times = [];
    for (let i = 0; i < runs; i += 1) {
        start = performance.now();
        evaluateOffline(visit, samples, noise, reference);
        times.push(performance.now() - start);
    }
    return { readMs, firstMs, times, result: first, rows: rows.length };
}"""


def tablet_figures(visit, samples, noise, tables, runs):
    from playwright.sync_api import sync_playwright
    rows = [{"id": f"{table}:{row_identity(table, raw, index)}", "table": table, "key": raw["key"], "data": raw}
            for table, table_rows in tables.items() for index, raw in enumerate(table_rows)]
    handler = partial(_Quiet, directory=str(ROOT / "pwa"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
            page = context.new_page()
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
            page.goto(f"http://127.0.0.1:{server.server_port}/bench.html")
            out = page.evaluate(TABLET_RUN, {"rows": rows, "visit": visit, "samples": samples, "noise": noise,
                                             "runs": runs, "asOf": DAY})
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    times = out["times"]
    figures = [
        Figure(f"tablet: evaluateOffline of the same visit, {THROTTLE}× CPU throttling", spread(times),
               f"p95 ≤ {TABLET_TARGET_MS} ms", percentile(times, 0.95) <= TABLET_TARGET_MS),
        Figure("tablet: first evaluation after loading the module (code not yet optimised)", f"{out['firstMs']:.1f} ms",
               f"≤ {TABLET_TARGET_MS} ms", out["firstMs"] <= TABLET_TARGET_MS),
        Figure(f"tablet: reading the 6 reference tables from IndexedDB ({out['rows']:,} reference rows stored; once, "
               "then kept in memory)", f"{out['readMs']:.1f} ms", "", None),
    ]
    return figures, out["result"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed runs per figure (at least 50)")
    args = parser.parse_args()
    runs = max(args.runs, 50)
    conditions = (load_average(), code_state())
    visit, samples, noise = benchmark_visit()
    tables = reference_files()
    server_table, server_result = server_figures(visit, samples, noise, tables, runs)
    tablet_table, tablet_result = tablet_figures(visit, samples, noise, tables, runs)
    # The two evaluated the same thing: same verdict counts, same noise level.
    assert tablet_result["summary"] == server_result["summary"], (tablet_result["summary"], server_result["summary"])
    summary = server_result["summary"]
    lex = server_result["noise"][0]["evaluation"]["lex_8h"]
    table = server_table + tablet_table
    print_figures("evaluation", table)
    notes = [machine_note(*conditions),
             f"The visit: {summary['samples']} samples ({summary['blanks']} blanks) in {summary['groups']} groups — "
             f"{summary['conform']} 符合, {summary['nonconform']} 不符合, {summary['undetermined']} 不判定, "
             f"{len(server_result['mixtures'])} mixture verdicts; noise L_EX,8h {lex:.1f} dB(A) from 3 periods. "
             "Tablet and server gave the same summary.",
             "Server: in this process, after one warm-up call, wall time (other work on the cores inflates it). "
             "Tablet: headless Debian Chromium, an empty page importing pwa/static/js/evaluation.js from a static "
             f"server, {THROTTLE}× CPU throttling through DevTools, performance.now() in the page; the reference rows "
             "stored in IndexedDB through db.js as a pull stores them, with their row keys."]
    command = " ".join([".venv/bin/python bench/bench_evaluation.py", *sys.argv[1:]])
    replace_section(HEADING, figures_section(HEADING, command, notes, {"": table}))
    print("\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    main()
