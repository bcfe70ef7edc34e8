"""Time the 2-page 卫生监督意见书 (12 findings, 3 photos, QR, 3 signatures). Run: python bench/bench_documents.py"""

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_media import make_photo, percentile  # noqa: E402  (same directory: the 12 MP test photo)

from server.documents import DocumentRenderer  # noqa: E402
from server.media.images import derive_copies  # noqa: E402
from tests.documents import demo  # noqa: E402

FRESH_SCRIPT = """
import json, sys
from server.documents import DocumentRenderer
context = json.load(open(sys.argv[1], encoding="utf-8"))
sys.stdout.write(str(len(DocumentRenderer().render_pdf("supervision_opinion", context))))
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


def fresh_renders(context: dict, runs: int) -> list[float]:
    """Wall time of a new interpreter that imports the package, builds a renderer and renders once."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(context, handle, ensure_ascii=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    samples = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", FRESH_SCRIPT, handle.name], cwd=ROOT, env=env, check=True,
                           capture_output=True)
            samples.append((time.perf_counter() - start) * 1000)
    finally:
        os.unlink(handle.name)
    return samples


def page_count(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fresh-runs", type=int, default=5)
    parser.add_argument("--rss-renders", type=int, default=30)
    args = parser.parse_args()

    context = bench_context()
    start = time.perf_counter()
    renderer = DocumentRenderer()
    init_ms = (time.perf_counter() - start) * 1000
    warm, warm_cpu, pdf = warm_renders(renderer, context, args.runs)
    for _ in range(args.rss_renders - args.runs - 1):
        renderer.render_pdf("supervision_opinion", context)
    rss_after = rss_mb()
    new_photos = new_photo_renders(renderer, context, args.runs)
    unshrunk = DocumentRenderer(photo_max_px=None).render_pdf("supervision_opinion", context)
    fresh = fresh_renders(context, args.fresh_runs)

    print(f"documents.load_average={os.getloadavg()[0]:.2f} cores={os.cpu_count()} "
          "(other work on the machine inflates the wall times)")
    print(f"documents.renderer_init_ms={init_ms:.0f} (HarfBuzz check + probe render, once per worker)")
    print(f"documents.warm_render_ms median={statistics.median(warm):.0f} p95={percentile(warm, 0.95):.0f} "
          f"runs={args.runs} (target median <= 300)")
    print(f"documents.warm_render_cpu_ms median={statistics.median(warm_cpu):.0f} "
          f"p95={percentile(warm_cpu, 0.95):.0f} (process CPU time of the same renders)")
    print(f"documents.new_photos_render_ms median={statistics.median(new_photos):.0f} "
          f"p95={percentile(new_photos, 0.95):.0f} runs={args.runs} (print copies of the 3 photos made first)")
    print(f"documents.fresh_process_render_ms median={statistics.median(fresh):.0f} "
          f"max={max(fresh):.0f} runs={args.fresh_runs} (python -c: import + renderer + one render; target <= 1500)")
    print(f"documents.pdf_bytes={len(pdf)} pages={page_count(pdf)} (target <= 1200000; photos as 800 px print copies)")
    print(f"documents.pdf_bytes_display_copies={len(unshrunk)} (photo_max_px=None: the 1600 px copies embedded as is)")
    print(f"documents.rss_after_warm_renders_mb={rss_after:.0f} renders={args.rss_renders}")


if __name__ == "__main__":
    main()
