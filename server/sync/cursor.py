"""The pull cursor: opaque to devices, it carries the server epoch and a change number."""
import base64
import binascii
import json


def encode_cursor(epoch, change_no):
    """An opaque, URL-safe cursor."""
    raw = json.dumps({"e": epoch, "c": change_no}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """(epoch, change_no), or None for a cursor that cannot be read (treated as a reset)."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        epoch, change_no = data["e"], int(data["c"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    if not isinstance(epoch, str) or change_no < 0:
        return None
    return epoch, change_no
