"""Time the derivation of display and thumbnail copies from a 12 MP photo. Run: python bench/bench_media.py"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _results import Figure, code_state, figures_section, load_average, machine_note, print_figures, \
    replace_section  # noqa: E402  (same directory: benchmark helpers)
from server.media.images import derive_copies, inspect_image  # noqa: E402


def make_photo(width: int = 4000, height: int = 3000, quality: int = 90) -> bytes:
    """A JPEG that compresses like a phone photo: smooth light, soft shapes, sensor grain, EXIF orientation."""
    small = (width // 8, height // 8)
    light = Image.merge("RGB", [
        Image.linear_gradient("L").resize(small).rotate(angle, fillcolor=128) for angle in (0, 90, 200)
    ])
    shapes = Image.effect_mandelbrot(small, (-2.2, -1.2, 1.0, 1.2), 60).convert("RGB")
    base = Image.blend(light, shapes, 0.35).filter(ImageFilter.GaussianBlur(2))
    base = base.resize((width, height), Image.Resampling.BICUBIC)
    # Mid-frequency texture (concrete, fabric, foliage) survives downscaling, as detail in real photos does.
    texture = Image.merge("RGB", [
        Image.effect_noise((width // 3, height // 3), 60).resize((width, height), Image.Resampling.BICUBIC)
        for _ in range(3)
    ])
    grain = Image.merge("RGB", [Image.effect_noise((width, height), 12)] * 3)
    photo = Image.blend(Image.blend(base, texture, 0.3), grain, 0.18)
    exif = Image.Exif()
    exif[0x0112] = 6  # tablets held upright store landscape pixels plus this tag
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up: first call loads codecs and faults in memory
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def profile_derive(original: bytes, runs: int = 5) -> list[str]:
    """Where a display copy's time goes (cProfile over a few derivations), when the target is missed."""
    import cProfile

    from _profile import listing
    profiler = cProfile.Profile()
    start = time.perf_counter()
    for _ in range(runs):
        profiler.runcall(derive_copies, original)
    return listing(f"display copy + thumbnail of a 12 MP JPEG, {runs} runs", profiler,
                   (time.perf_counter() - start) * 1000, where="in this process")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    conditions = (load_average(), code_state())

    original = make_photo()
    derived = derive_copies(original)
    derive_ms = timed(lambda: derive_copies(original), args.runs)
    full_decode_ms = timed(lambda: Image.open(io.BytesIO(original)).load(), args.runs)
    inspect_ms = timed(lambda: inspect_image(original, max_bytes=50 << 20, max_pixels=60_000_000), args.runs)

    spread = lambda ms: f"median {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms"  # noqa: E731
    table = [
        Figure("display copy (≤ 1600 px) + thumbnail of a 12 MP JPEG", f"{spread(derive_ms)} ({args.runs} runs)",
               "median ≤ 150 ms", statistics.median(derive_ms) <= 150),
        Figure("inspect a 12 MP JPEG (verify, size, pixels)", spread(inspect_ms), "", None),
        Figure("full decode of the same JPEG (reference: no draft mode)", spread(full_decode_ms), "", None),
        Figure("sizes", f"original {len(original):,} bytes (4000×3000, JPEG q90, EXIF orientation 6); display "
                        f"{len(derived.display.data):,} bytes ({derived.display.width}×{derived.display.height}); "
                        f"thumbnail {len(derived.thumb.data):,} bytes ({derived.thumb.width}×{derived.thumb.height})",
               "", None),
    ]
    print_figures("media", table)
    profile = [] if table[0].passed else profile_derive(original)
    for line in profile:
        print(line)
    heading = "## Media (issue: offline sync — photo display copies)"
    notes = [machine_note(*conditions), "In this process (as the upload's finish step runs it in a worker), after "
             "one warm-up call; wall time, so other work on the cores inflates it."]
    tail = ["### Where the time goes (the target was missed)", "", "```", *profile, "```", ""] if profile else []
    command = " ".join([".venv/bin/python bench/bench_media.py", *sys.argv[1:]])
    replace_section(heading, figures_section(heading, command, notes, {"": table}, tail))
    print("\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    main()
