"""QR codes as PNG data URIs: the verification link on documents and the sample payload on labels."""
import base64
import functools
import io
import json

import qrcode
from qrcode.constants import ERROR_CORRECT_M


# Cached: a document is usually previewed, then issued, then reprinted with the same verification link.
@functools.lru_cache(maxsize=1024)
def qr_data_uri(text, box_size=6, border=4):
    """A PNG data URI of `text` as a QR code (error correction M: survives a smudge or a fold)."""
    # Box size 6 keeps the image under 300 dpi at its printed size, so WeasyPrint never resamples (blurs) it.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(text)
    code.make(fit=True)
    # Greyscale, not 1-bit: WeasyPrint turns a 1-bit PNG into RGB and encodes it twice (~5 ms per document).
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def label_payload(sample_code, record_id):
    """Compact JSON a lab scanner reads: {"s": sample code, "r": record id}."""
    # ASCII escapes keep the QR in plain byte mode, which every scanner decodes the same way.
    return json.dumps({"s": sample_code, "r": record_id}, separators=(",", ":"), ensure_ascii=True)
