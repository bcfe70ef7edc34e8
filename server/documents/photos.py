"""Print copies of site photos: a 1600 px display copy shrunk to what a 56 mm print needs, cached by content."""
import collections
import hashlib
import io
import math
import threading

from PIL import Image

PRINT_MAX_PX = 800  # the long edge of a 56 × 33 mm photo box at 360–600 dpi
JPEG_QUALITY = 85


class PrintCopies:
    """Shrinks JPEG photos for printing, remembered by SHA-256: a document is previewed, issued, reprinted."""

    def __init__(self, max_px=PRINT_MAX_PX, capacity=64):
        self.max_px = max_px
        self._capacity = capacity
        self._cache = collections.OrderedDict()
        self._lock = threading.Lock()

    def print_copy(self, data):
        """JPEG bytes no larger than max_px on the long edge; PNGs, smaller photos and max_px None pass through."""
        if self.max_px is None:
            return data
        key = hashlib.sha256(data).digest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        result = self._shrink(data)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self._capacity:
                self._cache.popitem(last=False)
        return result

    def clear(self):
        """Forget every print copy."""
        with self._lock:
            self._cache.clear()

    def _shrink(self, data):
        with Image.open(io.BytesIO(data)) as image:
            # Only JPEG: a PNG must stay PNG, since its data: URI declared image/png.
            if image.format != "JPEG" or max(image.size) <= self.max_px:
                return data
            scale = self.max_px / max(image.size)
            target = (max(1, math.ceil(image.width * scale)), max(1, math.ceil(image.height * scale)))
            # draft() lets libjpeg decode straight at 1/2 or 1/4 scale (never below `target`): a 1600 px copy
            # comes out at exactly 800 px, with no resampling pass.
            image.draft("RGB", target)
            image.thumbnail((self.max_px, self.max_px), Image.Resampling.BICUBIC)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY)
            return out.getvalue()
