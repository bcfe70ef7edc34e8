"""Text no database can store is refused at the door: a NUL character or a lone UTF-16 surrogate in a query
parameter, path segment or JSON string. PostgreSQL rejects both; refusing them for every backend keeps the
two behaving alike and turns what would be a storage failure into a field-level 400."""
import re

from flask import request

from .errors import envelope

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def first_unstorable(value, path=""):
    """The dotted path of the first string (key or value) holding an unstorable character, or None."""
    if isinstance(value, str):
        return path or "(body)" if UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and UNSTORABLE.search(key):
                return name
            found = first_unstorable(item, name)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = first_unstorable(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def _may_hold_unstorable(body):
    """False when the raw body cannot decode to such a character: strict UTF-8 (an encoded surrogate fails
    it), no NUL byte and no \\u escape. Saves walking every string of a large push."""
    if b"\\u" in body or b"\x00" in body:
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _refusal(field):
    return envelope(400, "MALFORMED_REQUEST", "请求格式错误：包含无法保存的字符",
                    [{"field": field, "code": "unstorable_character",
                      "message": "包含空字符或不成对的代理字符，无法保存",
                      "message_en": "Contains a NUL character or an unpaired surrogate"}])


def install_input_guard(app):
    @app.before_request
    def _refuse_unstorable_text():
        for source in (request.view_args or {}, request.args.to_dict(flat=False)):
            field = first_unstorable(source)
            if field:
                return _refusal(field.split(".")[0])
        if request.is_json and _may_hold_unstorable(request.get_data(cache=True)):
            field = first_unstorable(request.get_json(silent=True))
            if field:
                return _refusal(field)
        return None
