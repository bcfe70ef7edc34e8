"""Field-app figures: shell transfer size, offline cold start under 4× CPU throttling, offline enterprise search
over 5,000 local enterprises, opening a 60-item inspection checklist offline.
Run: python bench/bench_pwa.py (headless Debian Chromium, no internet needed).

Prints one line per figure with its target and PASS/MISS, and writes the "Field app (PWA)" section of
bench/RESULTS.md.
"""
import argparse
import gzip
import logging
import re
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from _chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (same directory)
from _results import Figure, code_state, figures_section, load_average, machine_note, print_figures, \
    replace_section  # noqa: E402  (same directory: benchmark helpers)
from server import create_app  # noqa: E402
from server.extensions import db  # noqa: E402

SHELL_TARGET_KB = 250
COLD_START_TARGET_MS = 1500
SEARCH_TARGET_MS = 100
INDEX_TARGET_MS = 1000  # once, after the home screen is up (not on the start-up path)
CHECKLIST_TARGET_MS = 300
CHECKLIST_ITEMS = 60
THROTTLE = 4
HEADING = "## Field app (PWA) (issue: the field app)"

SEED_ENTERPRISES = """async (count) => {
    const db = await import('/static/js/db.js');
    const search = await import('/static/js/search.js');
    const trades = [['2614', '有机化学原料制造', '化工'], ['3130', '钢压延加工', '钢铁'], ['1951', '纺织面料鞋制造', '鞋业'],
        ['2319', '包装装潢及其他印刷', '印务'], ['3360', '金属表面处理及热处理加工', '电镀'], ['2110', '木质家具制造', '家具'],
        ['3670', '汽车零部件及配件制造', '汽配'], ['3021', '水泥制品制造', '建材']];
    const places = ['临河', '东港', '青川', '北岭', '南湾', '西山', '白河', '金沙'];
    const rows = [];
    for (let i = 0; i < count; i += 1) {
        const [code, industry, word] = trades[i % trades.length];
        const place = places[Math.floor(i / trades.length) % places.length];
        rows.push({ id: crypto.randomUUID(), name: `${place}${word}第${i}有限公司`, credit_code: `91379901${String(i).padStart(9, '0')}X`,
            industry_code: code, industry_name: industry, address: `青川市${place}区工业园${i % 97}号`, region_id: 3,
            contact_name: '联系人' + (i % 50), size: 'small', hazard_class: '丙', declared_hazards: [] });
    }
    await db.putEnterprises(rows);
    search.invalidate();
    return rows.length;
}"""

TIME_SEARCHES = """async (queries) => {
    const search = await import('/static/js/search.js');
    search.invalidate();
    let start = performance.now();
    await search.load();
    const buildMs = performance.now() - start;
    const first = await search.search(queries[0]);
    const times = [];
    for (const q of queries) {
        start = performance.now();
        await search.search(q);
        times.push(performance.now() - start);
    }
    return { build: buildMs, firstTotal: first.total, times };
}"""


# 60 checklist items that all apply: the pulled 58, then copies up to 60 (the pulled table has fewer).
SEED_CHECKLIST = """async (count) => {
    const db = await import('/static/js/db.js');
    const formstore = await import('/static/js/formstore.js');
    const pulled = (await db.referenceRows('checklist_items')).sort((a, b) => a.data.order - b.data.order);
    const rows = [];
    for (let i = 0; i < count; i += 1) {
        const base = pulled[i % pulled.length];
        const key = i < pulled.length ? base.key : `${base.key}_${i}`;
        rows.push({ ...base, id: i < pulled.length ? base.id : `checklist_items:${key}|`, key,
            data: { ...base.data, key, order: i + 1, applies_when: { any_of: ['always'] } } });
    }
    await db.putReferenceRows(rows);
    formstore.invalidateReferences();
    const enterprise = (await db.allEnterprises())[0];
    const { startFlow } = await import('/static/js/controllers/enterprises.js');
    return startFlow('inspection', enterprise.id);
}"""

# From the inspection's first step to its checklist drawn and painted, in the page (no DevTools round trips).
OPEN_CHECKLIST = """async ([info, checklist, count]) => {
    const shown = (hash) => new Promise((resolve) => {
        const check = () => (document.documentElement.dataset.route === hash
            && (hash !== checklist || document.querySelectorAll('[data-testid=checklist] [data-item]').length === count)
            ? requestAnimationFrame(() => resolve(performance.now())) : requestAnimationFrame(check));
        check();
    });
    location.hash = info;
    await shown(info);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const start = performance.now();
    location.hash = checklist;
    return (await shown(checklist)) - start;
}"""


def shell_files():
    """URLs the service worker precaches, mapped to files (the HTML, JS and CSS a tablet downloads)."""
    text = (ROOT / "pwa" / "sw.js").read_text(encoding="utf-8")
    urls = re.findall(r'^\s+"(/[^"]*)",?$', text, flags=re.M)
    files = {}
    for url in urls:
        if url == "/":
            files[url] = ROOT / "pwa" / "index.html"
        elif url.startswith("/static/"):
            files[url] = ROOT / "pwa" / "static" / url[len("/static/"):]
        else:
            files[url] = ROOT / "pwa" / url.lstrip("/")
    return files


def shell_size_kb():
    """Gzipped size of the shell's HTML, JS, CSS and manifest (icons and fonts aside), one file at a time."""
    total = 0
    for url, path in shell_files().items():
        if path.suffix in (".png", ".woff2", ".woff", ".ttf", ".svg"):
            continue
        total += len(gzip.compress(path.read_bytes(), compresslevel=6))
    return total / 1024


class Server:
    """A seeded demo database served on a free port for the duration of the benchmark."""

    def __init__(self, folder):
        from server.cli import setup_database
        from server.demo.seed import seed_demo

        database = Path(folder) / "bench.db"
        self.app = create_app({"APP_ENV": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                               "INSTANCE_PATH": str(Path(folder) / "instance"), "BLOB_ROOT": str(Path(folder) / "blobs"),
                               "PASSWORD_HASH_PROFILE": "fast", "SECRET_KEY": "bench-secret-" + "x" * 40,
                               "JWT_SECRET_KEY": "bench-jwt-secret-" + "y" * 40, "LOGIN_RATE_LIMIT": "1000 per minute"})
        logging.getLogger("alembic").setLevel(logging.WARNING)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        with self.app.app_context():
            setup_database()
            seed_demo(db.session, self.app.extensions["password_hasher"])
            db.session.commit()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def log_in(page, url, username="lh_sampler"):
    page.goto(url + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Demo@2026")
    page.click("button[type=submit]")
    page.wait_for_selector("html[data-ready=home]", timeout=30000)
    page.wait_for_function("""() => document.querySelector('[data-testid=sync-bar]')?.dataset.phase === 'idle'
        && navigator.serviceWorker.controller !== null""", timeout=30000)


def throttled_page(context):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    return page


def offline_at_home(browser, url, username, viewport):
    """A tablet of `username`: logged in online once, then offline, a throttled page at the interactive home;
    (context, page)."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  service_workers="allow")
    setup = context.new_page()
    log_in(setup, url, username)
    setup.close()  # a page in the background gets no animation frames
    context.set_offline(True)
    page = throttled_page(context)
    page.goto(url + "/#/home")
    page.wait_for_selector("html[data-ready=home]", timeout=30000)
    return context, page


def cold_starts(context, url, runs, verbose=False):
    """Milliseconds from navigation to the interactive home, offline, each in a fresh page."""
    times = []
    for _ in range(runs):
        page = throttled_page(context)
        page.goto(url + "/#/home")
        page.wait_for_selector("html[data-ready=home]", timeout=30000)
        times.append(page.evaluate("performance.getEntriesByName('home-interactive')[0].startTime"))
        if verbose:
            print("    " + page.evaluate("""() => ['boot-modules', 'boot-db', 'boot-data', 'home-interactive'].map(
                (n) => `${n} ${Math.round(performance.getEntriesByName(n)[0]?.startTime)}`).join(' · ')
                + ` · responseEnd ${Math.round(performance.getEntriesByType('navigation')[0].responseEnd)}`
                + ` · resources done ${Math.round(Math.max(...performance.getEntriesByType('resource').map((r) => r.responseEnd)))}`
                + ` · first resource start ${Math.round(Math.min(...performance.getEntriesByType('resource').map((r) => r.startTime)))}`"""))
        page.close()
    return times


def checklist_opens(browser, url, runs):
    """Milliseconds to open a 60-item checklist offline under 4× CPU throttling: the first time (tables read
    from IndexedDB) and then each time again."""
    context, page = offline_at_home(browser, url, "lh_inspector", {"width": 1280, "height": 800})
    route = page.evaluate(SEED_CHECKLIST, CHECKLIST_ITEMS)
    info, checklist = route, route.replace("/info", "/checklist")
    times = [page.evaluate(OPEN_CHECKLIST, [info, checklist, CHECKLIST_ITEMS]) for _ in range(runs + 1)]
    context.close()
    return times[0], times[1:]


def figure(name, value, unit, target, detail=""):
    """A figure whose target is an upper bound."""
    return Figure(name, f"{value:,.1f} {unit}" + (f" ({detail})" if detail else ""), f"≤ {target:,} {unit}",
                  value <= target)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--verbose", action="store_true", help="print the start-up marks of each run")
    args = parser.parse_args()
    conditions = (load_average(), code_state())

    size = shell_size_kb()
    table = [figure("shell transfer, gzipped (HTML, JS, CSS, manifest; fonts and icons aside)", size, "KB",
                    SHELL_TARGET_KB)]
    with tempfile.TemporaryDirectory() as folder:
        server = Server(folder)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                table += browser_figures(browser, server.url, args)
                browser.close()
        finally:
            server.close()
    print_figures("pwa", table)
    notes = [machine_note(*conditions),
             f"Headless Debian Chromium ({CHROMIUM}), {THROTTLE}× CPU throttling through DevTools, the network "
             "switched off after one online login (the app runs from its service worker and IndexedDB); the demo "
             "server runs in this process (werkzeug, SQLite). Times are medians of the runs, measured in the page "
             "(performance marks). The issue's targets are shell, cold start, search and checklist; the "
             "index-build bound is this benchmark's own (the index is built once, off the start-up path)."]
    command = " ".join([".venv/bin/python bench/bench_pwa.py", *sys.argv[1:]])
    replace_section(HEADING, figures_section(HEADING, command, notes, {"": table}))
    print("\nwritten to bench/RESULTS.md")


def browser_figures(browser, url, args):
    """Cold start, search and checklist figures, in one browser."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", service_workers="allow")
    setup = context.new_page()
    log_in(setup, url)
    context.set_offline(True)
    times = cold_starts(context, url, args.runs, args.verbose)
    table = [figure(f"offline cold start to an interactive home, {THROTTLE}× CPU throttling", statistics.median(times),
                    "ms", COLD_START_TARGET_MS, "runs: " + ", ".join(f"{t:.0f}" for t in times) + " ms")]

    page = throttled_page(context)
    page.goto(url + "/#/home")
    page.wait_for_selector("html[data-ready=home]", timeout=30000)
    page.evaluate(SEED_ENTERPRISES, args.enterprises)
    page.wait_for_timeout(1500)  # let start-up work (screens, first index) settle: a user is reading
    queries = ["化工", "临河 电镀", "913799010000", "金属表面", "第4321", "鞋业 东港", "家具", "汽车零部件"]
    result = page.evaluate(TIME_SEARCHES, queries)
    table.append(figure(f"enterprise search over {args.enterprises:,} local enterprises, {THROTTLE}× throttling",
                        statistics.median(result["times"]), "ms", SEARCH_TARGET_MS,
                        f"{result['firstTotal']} matches for “化工”; per query: "
                        + ", ".join(f"{t:.1f}" for t in result["times"]) + " ms"))
    table.append(figure(f"search index build over {args.enterprises:,} enterprises (once, after the home screen)",
                        result["build"], "ms", INDEX_TARGET_MS))

    first, again = checklist_opens(browser, url, args.runs)
    table.append(figure(f"opening a {CHECKLIST_ITEMS}-item checklist offline, {THROTTLE}× throttling",
                        statistics.median(again), "ms", CHECKLIST_TARGET_MS,
                        "runs: " + ", ".join(f"{t:.0f}" for t in again) + " ms"))
    table.append(figure("first opening of that checklist (reads the checklist tables from IndexedDB)", first, "ms",
                        CHECKLIST_TARGET_MS))
    return table


if __name__ == "__main__":
    main()
