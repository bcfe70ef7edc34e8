"""Text no database can store is refused at the door: a NUL character or a lone UTF-16 surrogate in a query
parameter, path segment or JSON string. PostgreSQL rejects both; refusing them for every backend keeps the
two behaving alike and turns what would be a storage failure into a field-level 400. So is a JSON body nested
deeper than any request of the API (MAX_DEPTH): parsers recurse, and such a body would otherwise end in a 500."""
import re

from flask import request

from ..domain.errors import problem
from .errors import envelope

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MAX_DEPTH = 32  # a push is six levels deep (body → mutations → mutation → fields → value → item)


def nesting_depth(value, limit=MAX_DEPTH):
    """How deep lists and objects nest in a parsed JSON value, counted up to limit + 1 (iterative, and it stops as
    soon as the limit is passed: a large push is walked once, a hostile body hardly at all)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
                         if isinstance(child, (dict, list)))
    return deepest


def raw_depth(body):
    """How deep brackets nest in raw JSON text, strings skipped (for a body no parser could read)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in body.decode("utf-8", "replace"):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string, escaped = True, False
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _too_deep(body):
    """True for a JSON body nested deeper than MAX_DEPTH (most bodies are answered by counting brackets)."""
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return False
    parsed = request.get_json(silent=True)
    return nesting_depth(parsed) > MAX_DEPTH if parsed is not None else raw_depth(body) > MAX_DEPTH


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
        if request.is_json and _too_deep(request.get_data(cache=True)):
            return envelope(400, "MALFORMED_REQUEST", "请求格式错误：JSON 嵌套层级过深", [problem(
                None, "too_deep", f"嵌套不能超过 {MAX_DEPTH} 层", f"JSON may nest at most {MAX_DEPTH} levels")])
        if request.is_json and _may_hold_unstorable(request.get_data(cache=True)):
            field = first_unstorable(request.get_json(silent=True))
            if field:
                return _refusal(field)
        return None
