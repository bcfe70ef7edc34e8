"""The pull cursor: opaque to devices, it carries the server epoch, a change number and, while a device's first copy
is being sent as a working set, the last change of that copy's snapshot."""
import base64
import binascii
import json


def encode_cursor(epoch, change_no, working_until=None, copy_until=None):
    """An opaque, URL-safe cursor. `working_until`: the last change of the working-set copy being sent;
    `copy_until`: the last change of the full copy being sent (a first copy, or one after a reset)."""
    fields = {"e": epoch, "c": change_no, **({"w": working_until} if working_until else {}),
              **({"s": copy_until} if copy_until else {})}
    raw = json.dumps(fields, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """(epoch, change_no), or None for a cursor that cannot be read (treated as a reset)."""
    decoded = decode_cursor_state(cursor)
    return decoded[:2] if decoded else None


def working_until_of(cursor):
    """The last change of the working-set copy being sent (None: not sending one)."""
    decoded = decode_cursor_state(cursor)
    return decoded[2] if decoded else None


def copy_until_of(cursor):
    """The last change of the full copy being sent (None: not sending one)."""
    decoded = decode_cursor_state(cursor)
    return decoded[3] if decoded else None


def decode_cursor_state(cursor):
    """(epoch, change_no, working_until or None, copy_until or None), or None for a cursor that cannot be read."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        epoch, change_no = data["e"], int(data["c"])
        working_until = int(data["w"]) if data.get("w") is not None else None
        copy_until = int(data["s"]) if data.get("s") is not None else None
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    if not isinstance(epoch, str) or change_no < 0:
        return None
    return epoch, change_no, working_until, copy_until
