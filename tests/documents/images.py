"""Signature strokes and site photos made with Pillow, as the tablet would send them (data: URIs)."""
import base64
import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter


def _data_uri(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    mime = "image/png" if fmt == "PNG" else "image/jpeg"
    return f"data:{mime};base64," + base64.b64encode(out.getvalue()).decode("ascii")


def signature_uri(seed):
    """A handwritten-looking stroke on a transparent background (PNG), different per seed."""
    rng = random.Random(seed)
    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = []
    for step in range(60):
        x = 20 + step * 5.4
        y = 60 + 28 * math.sin(step / 3.1 + seed) + rng.uniform(-6, 6)
        points.append((x, y))
    draw.line(points, fill=(20, 20, 90, 255), width=4, joint="curve")
    draw.line([(40, 95), (300, 88)], fill=(20, 20, 90, 255), width=3)
    return _data_uri(image, "PNG", optimize=True)


def photo_jpeg(seed, size=(1600, 1200), quality=82):
    """A JPEG with the texture of a site photo (light gradient, shapes, grain) at display-copy size."""
    rng = random.Random(seed)
    small = (size[0] // 8, size[1] // 8)
    light = Image.merge("RGB", [Image.linear_gradient("L").resize(small).rotate(rng.randint(0, 359), fillcolor=120)
                                for _ in range(3)])
    shapes = Image.effect_mandelbrot(small, (-2.1 + rng.random() * 0.2, -1.2, 0.9, 1.2), 40).convert("RGB")
    base = Image.blend(light, shapes, 0.35).filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.BICUBIC)
    grain = Image.merge("RGB", [Image.effect_noise(size, 10)] * 3)
    photo = Image.blend(base, grain, 0.12)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=quality)
    return out.getvalue()


def photo_uri(seed, size=(1600, 1200)):
    """photo_jpeg as a data: URI."""
    return "data:image/jpeg;base64," + base64.b64encode(photo_jpeg(seed, size)).decode("ascii")
