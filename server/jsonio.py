"""JSON, fast: orjson encodes responses and JSON columns and decodes stored columns (a large pull is mostly
that) and request bodies. A body orjson refuses (a lone surrogate, NaN, an integer beyond 64 bits, malformed
JSON) goes to the standard library, which keeps a lone surrogate as text so that the input guard can name the
field that holds it, and words the errors for malformed JSON as before."""
import json

import orjson
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_NON_STR_KEYS


def _fallback_default(value):
    return DefaultJSONProvider.default(value)


def dumps_text(value):
    """JSON text of `value`; values orjson refuses (an integer beyond 64 bits) take the standard library."""
    try:
        return orjson.dumps(value, default=_fallback_default, option=OPTIONS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, default=_fallback_default, ensure_ascii=False)


def loads_stored(text):
    """A stored JSON column; text written before orjson (NaN, say) takes the standard library."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


class FastJSONProvider(DefaultJSONProvider):
    """Flask's provider with orjson for responses (keys in insertion order, Chinese unescaped) and request
    bodies. Pretty printing (debug) keeps the standard path."""

    ensure_ascii = False
    sort_keys = False

    def loads(self, s, **kwargs):
        if not kwargs:
            try:
                return orjson.loads(s)
            except orjson.JSONDecodeError:
                pass
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            # Nested deeper than anything the API takes: malformed input (400), not a server fault.
            raise ValueError("JSON 嵌套层级过深 (nested too deeply)") from None

    def dumps(self, obj, **kwargs):
        if kwargs.get("indent") is not None:
            return super().dumps(obj, **kwargs)
        return dumps_text(obj)


def engine_options(options):
    """SQLAlchemy engine options with the JSON column codecs set (explicit settings win)."""
    return {"json_serializer": dumps_text, "json_deserializer": loads_stored, **options}
