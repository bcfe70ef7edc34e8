"""Time the 2-page 卫生监督意见书 (12 findings, 3 photos, QR, 3 signatures). Run: python bench/bench_documents.py"""

import argparse
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _devices import Tablet  # noqa: E402  (same directory: benchmark helpers)
from _results import Figure, code_state, figures_section, load_average, machine_note, print_figures, \
    replace_section  # noqa: E402
from _server import Server, create_database, prepare_database, server_environment  # noqa: E402
from bench_media import make_photo, percentile  # noqa: E402  (same directory: the 12 MP test photo)
from bench_sync import http  # noqa: E402

from server.documents import DocumentRenderer, commonfont  # noqa: E402
from server.media.images import derive_copies  # noqa: E402
from tests.documents import demo  # noqa: E402
from tests.documents.images import photo_jpeg, signature_uri  # noqa: E402
from tests.issuing.inspections import FINDINGS  # noqa: E402
from tests.sync.tablets import new_id  # noqa: E402

HEADING = "## Documents (issue: official documents)"

FRESH_SCRIPT = """
import json, sys, time
marks = [time.perf_counter()]
from server.documents import DocumentRenderer
marks.append(time.perf_counter())
renderer = DocumentRenderer()
marks.append(time.perf_counter())
context = json.load(open(sys.argv[1], encoding="utf-8"))
marks.append(time.perf_counter())
renderer.render_pdf("supervision_opinion", context)
marks.append(time.perf_counter())
names = ("import", "renderer", "context", "render")
sys.stdout.write(json.dumps({n: (b - a) * 1000 for n, a, b in zip(names, marks, marks[1:])}))
"""


def bench_context() -> dict:
    """The opinion as issued on site: 12 findings, three 1600 px display copies, QR, two officers and the party."""
    context = demo.supervision_opinion(finding_count=12)
    photos = []
    for index, caption in enumerate(["调漆间入口未设置警示标识", "打磨工佩戴棉纱口罩作业", "喷漆房排风机停用"]):
        display = derive_copies(make_photo(quality=88 - index)).display
        uri = "data:image/jpeg;base64," + base64.b64encode(display.data).decode("ascii")
        photos.append({"data_uri": uri, "caption": caption, "taken_at": f"2026-04-01T10:{10 + index:02d}:00+08:00"})
    context["photos"] = photos
    return context


def rss_mb() -> float:
    """Resident set size of this process now (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def warm_renders(renderer: DocumentRenderer, context: dict, runs: int) -> tuple[list[float], list[float], bytes]:
    """Wall and CPU milliseconds per render; CPU time does not grow when other processes share the cores."""
    pdf = renderer.render_pdf("supervision_opinion", context)  # warm-up: fonts loaded, caches filled
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        pdf = renderer.render_pdf("supervision_opinion", context)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu, pdf


def new_photo_renders(renderer: DocumentRenderer, context: dict, runs: int) -> list[float]:
    """Renders whose photos are not yet shrunk to print copies (the first render of a document)."""
    samples = []
    for _ in range(runs):
        renderer.print_copies.clear()
        start = time.perf_counter()
        renderer.render_pdf("supervision_opinion", context)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def fresh_renders(context: dict, runs: int) -> tuple[list[float], dict]:
    """Wall time of a new interpreter that imports the package, builds a renderer and renders once; and the
    median of each phase (interpreter start is what the child's own marks do not cover)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(context, handle, ensure_ascii=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    samples, phases = [], []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", FRESH_SCRIPT, handle.name], cwd=ROOT, env=env, check=True,
                                  capture_output=True, text=True)
            samples.append((time.perf_counter() - start) * 1000)
            phases.append({"interpreter start": samples[-1], **json.loads(done.stdout)})
            phases[-1]["interpreter start"] -= sum(v for k, v in phases[-1].items() if k != "interpreter start")
    finally:
        os.unlink(handle.name)
    return samples, {name: statistics.median(p[name] for p in phases) for name in phases[0]}


def profile_render(renderer: DocumentRenderer, context: dict, runs: int = 3) -> list[str]:
    """Where a warm render's time goes (cProfile over a few renders), when its target is missed."""
    import cProfile

    from _profile import listing
    profiler = cProfile.Profile()
    start = time.perf_counter()
    for _ in range(runs):
        profiler.runcall(renderer.render_pdf, "supervision_opinion", context)
    return listing(f"warm render of the opinion, {runs} renders", profiler, (time.perf_counter() - start) * 1000,
                   where="in this process")


def page_count(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def inspection_batch(tablet: Tablet, officer_2: dict, enterprise_id: str, photos: list,
                     signatures: dict) -> tuple[str, list]:
    """An inspection as two officers complete it: a finding with its evidence photo per photo (the form asks for
    one), their checklist results, three signatures; returns its id and the mutations."""
    officer_1 = tablet.user
    inspection = new_id()
    fields = {"enterprise_id": enterprise_id, "inspection_date": "2026-04-08", "start_time": "09:30",
              "end_time": "11:10", "place": "生产车间及职业卫生档案室", "officer_1_id": str(officer_1["id"]),
              "officer_1_name": officer_1["display_name"], "officer_2_id": str(officer_2["id"]),
              "officer_2_name": officer_2["display_name"], "party_rep_name": "马晓东",
              "party_rep_title": "安全环保部经理", "refused_to_sign": False, "witness_name": "李四"}
    batch = [tablet.mutation("inspection", inspection, fields)]
    for index, photo in enumerate(photos):
        finding, finding_id = FINDINGS[index % len(FINDINGS)], new_id()
        fact = f"{index + 1}. {finding['fact']}"
        batch.append(tablet.mutation("checklist_result", new_id(), {"item_key": finding["item_key"],
                                                                    "result": "nonconform", "note": fact}, inspection))
        batch.append(tablet.mutation("finding", finding_id, {**finding, "fact": fact}, inspection))
        batch.append(tablet.mutation("attachment", new_id(), {"field": "photos", "sha256": photo, "mime": "image/jpeg",
                                                              "kind": "photo", "caption": "现场照片"}, finding_id))
    for field, sha256 in signatures.items():
        batch.append(tablet.mutation("attachment", new_id(), {"field": field, "sha256": sha256, "mime": "image/png",
                                                              "kind": "signature"}, inspection))
    return inspection, batch


def issued_pdf_downloads(runs: int) -> dict:
    """An opinion issued over HTTP against gunicorn (1 worker, SQLite), then its PDF downloaded `runs` times."""
    workdir = Path(tempfile.mkdtemp(prefix="bench_documents_"))
    try:
        env = server_environment(create_database("sqlite", workdir), workdir / "instance")
        with open(workdir / "server.log", "w") as log:
            prepare_database(env, log)
            with Server(env, 1, log) as server:
                connect = http(server.port)
                inspector, second = Tablet(connect, "lh_inspector"), Tablet(connect, "lh_inspector2")
                photos = [inspector.upload(photo_jpeg(seed))["sha256"] for seed in range(3)]
                signatures = {field: inspector.upload(base64.b64decode(signature_uri(seed).split(",", 1)[1]),
                                                      "image/png")["sha256"]
                              for seed, field in enumerate(("officer_1_signature", "officer_2_signature",
                                                            "party_signature"))}
                inspection, batch = inspection_batch(inspector, second.user, inspector.enterprise_ids()[0], photos,
                                                     signatures)
                inspector.push(batch)
                issued = inspector.api.call("POST", "/api/documents", {"id": new_id(), "record_id": inspection,
                                                                       "doc_type": "supervision_opinion"})
                if issued.status != 201:
                    raise RuntimeError(f"issue: {issued.status} {issued.body}")
                path = f"/api/documents/{issued.body['id']}/pdf"
                first = inspector.api.call("GET", path)
                downloads = [inspector.api.call("GET", path) for _ in range(runs)]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if any(r.status != 200 or r.body != first.body for r in downloads):
        raise RuntimeError("an issued PDF download failed or changed")
    wall, server = [r.wall_ms for r in downloads], [r.server_ms for r in downloads]
    return {"issue_ms": issued.wall_ms, "first_ms": first.wall_ms, "bytes": len(first.body), "runs": runs,
            "median": statistics.median(wall), "p95": percentile(wall, 0.95),
            "server_median": statistics.median(server)}


def figures(found: dict, runs: dict) -> list:
    """Each figure with its target from the issue (official documents) and PASS/MISS."""
    warm, cpu, fresh, new_photos, issued = (found["warm"], found["warm_cpu"], found["fresh"], found["new_photos"],
                                            found["issued"])
    return [
        Figure("warm render, 2-page opinion (12 findings, 3 photos, QR, 3 signatures)",
               f"median {statistics.median(warm):.0f} ms, p95 {percentile(warm, 0.95):.0f} ms ({runs['runs']} renders; "
               f"process CPU median {statistics.median(cpu):.0f} ms)", "median ≤ 300 ms",
               statistics.median(warm) <= 300),
        Figure("fresh process: import + renderer + one render", f"median {statistics.median(fresh):,.0f} ms, max "
               f"{max(fresh):,.0f} ms ({runs['fresh_runs']} processes; medians: " + ", ".join(
                   f"{name} {ms:,.0f} ms" for name, ms in found["fresh_phases"].items()) + ")",
               "≤ 1,500 ms", statistics.median(fresh) <= 1500),
        Figure("PDF size", f"{found['pdf_bytes']:,} bytes, {found['pages']} pages (photos as 800 px print copies)",
               "≤ 1.2 MB (1,200,000 bytes)", found["pdf_bytes"] <= 1_200_000),
        Figure("issued PDF download over HTTP (gunicorn, 1 worker)",
               f"median {issued['median']:.1f} ms, p95 {issued['p95']:.1f} ms (server median "
               f"{issued['server_median']:.1f} ms; {issued['runs']} downloads of {issued['bytes']:,} bytes)",
               "median ≤ 20 ms", issued["median"] <= 20),
        Figure("issuing that opinion, then its first download", f"issue {issued['issue_ms']:,.0f} ms, first download "
               f"{issued['first_ms']:,.0f} ms", "", None),
        Figure("render whose photos are not yet shrunk to print copies", f"median {statistics.median(new_photos):.0f} "
               f"ms, p95 {percentile(new_photos, 0.95):.0f} ms", "", None),
        Figure("PDF size with the 1600 px display copies embedded as is", f"{found['unshrunk_bytes']:,} bytes", "",
               None),
        Figure("renderer start (HarfBuzz check + probe render, once per worker)", f"{found['init_ms']:,.0f} ms", "",
               None),
        Figure("common-characters face (GB 2312) cut from Noto Serif CJK SC, once per machine",
               f"{found['font']['build_ms']:,.0f} ms, {found['font']['bytes']:,} bytes", "", None),
        Figure(f"process RSS after {runs['rss_renders']} warm renders", f"{found['rss_after']:.0f} MB", "", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fresh-runs", type=int, default=5)
    parser.add_argument("--rss-renders", type=int, default=30)
    parser.add_argument("--downloads", type=int, default=50)
    args = parser.parse_args()
    conditions = (load_average(), code_state())

    context = bench_context()
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        built = commonfont.ensure_common_font(scratch)
        found_font = {"build_ms": (time.perf_counter() - start) * 1000, "bytes": built.stat().st_size}
    start = time.perf_counter()
    renderer = DocumentRenderer()
    found = {"init_ms": (time.perf_counter() - start) * 1000, "font": found_font}
    if renderer.common_font is None:
        raise RuntimeError("the common-characters face could not be built; see the log")
    found["warm"], found["warm_cpu"], pdf = warm_renders(renderer, context, args.runs)
    for _ in range(args.rss_renders - args.runs - 1):
        renderer.render_pdf("supervision_opinion", context)
    found["rss_after"] = rss_mb()
    found["new_photos"] = new_photo_renders(renderer, context, args.runs)
    found["unshrunk_bytes"] = len(DocumentRenderer(photo_max_px=None).render_pdf("supervision_opinion", context))
    found["fresh"], found["fresh_phases"] = fresh_renders(context, args.fresh_runs)
    found["pdf_bytes"], found["pages"] = len(pdf), page_count(pdf)
    found["issued"] = issued_pdf_downloads(args.downloads)

    table = figures(found, vars(args))
    print_figures("documents", table)
    profile = [] if table[0].passed else profile_render(renderer, context)
    for line in profile:
        print(line)
    notes = [machine_note(*conditions),
             "Renders in this process with one long-lived renderer (as a worker keeps it); wall times grow when other "
             "work shares the cores, process CPU time much less.",
             "Issued PDF: an inspection with 3 findings, each with its photo, and 3 signatures pushed and its images "
             "uploaded "
             "over HTTP, the 卫生监督意见书 issued (POST /api/documents), then GET /api/documents/<id>/pdf from the "
             "same client: wall time at the client, one connection per request; the file is served from storage."]
    command = " ".join([".venv/bin/python bench/bench_documents.py", *sys.argv[1:]])
    tail = ["### Where a warm render's time goes (its target was missed)", "", "```", *profile, "```", ""] \
        if profile else []
    replace_section(HEADING, figures_section(HEADING, command, notes, {"": table}, tail))
    print("\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    main()
