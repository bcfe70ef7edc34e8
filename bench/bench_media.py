"""Time the derivation of display and thumbnail copies from a 12 MP photo. Run: python bench/bench_media.py"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    original = make_photo()
    derived = derive_copies(original)
    derive_ms = timed(lambda: derive_copies(original), args.runs)
    full_decode_ms = timed(lambda: Image.open(io.BytesIO(original)).load(), args.runs)
    inspect_ms = timed(lambda: inspect_image(original, max_bytes=50 << 20, max_pixels=60_000_000), args.runs)

    print(f"media.display_copy_12mp_ms median={statistics.median(derive_ms):.1f} "
          f"p95={percentile(derive_ms, 0.95):.1f} runs={args.runs} (display + thumb, target median <= 150)")
    print(f"media.inspect_12mp_ms median={statistics.median(inspect_ms):.1f} "
          f"p95={percentile(inspect_ms, 0.95):.1f} runs={args.runs}")
    print(f"media.full_decode_12mp_ms median={statistics.median(full_decode_ms):.1f} "
          f"p95={percentile(full_decode_ms, 0.95):.1f} runs={args.runs} (reference: decode alone, no draft)")
    print(f"media.original_bytes={len(original)} (4000x3000, JPEG q90)")
    print(f"media.display_bytes={len(derived.display.data)} ({derived.display.width}x{derived.display.height})")
    print(f"media.thumb_bytes={len(derived.thumb.data)} ({derived.thumb.width}x{derived.thumb.height})")


if __name__ == "__main__":
    main()
