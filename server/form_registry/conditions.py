"""Conditions: the small JSON expressions of show_if, required_if and constraints (no eval).

    {"field": "x", "op": "eq", "value": 1}          compare a field with a constant
    {"field": "end", "op": "gt", "ref": "start"}    compare two fields
    {"field": "$parent.sampling_date", ...}         a field of the parent record
    {"all": [...]}, {"any": [...]}, {"not": {...}}  combine
Twin: pwa/static/js/forms/conditions.js.
"""

from .values import compare, is_empty, is_truthy, json_equal

PARENT_PREFIX = "$parent."
UNARY_OPS = ("truthy", "empty")
BINARY_OPS = ("eq", "ne", "in", "gt", "gte", "lt", "lte")
OPS = UNARY_OPS + BINARY_OPS
_ORDER = {"gt": lambda c: c > 0, "gte": lambda c: c >= 0, "lt": lambda c: c < 0, "lte": lambda c: c <= 0}


def resolve(name, data, parent=None):
    """Value of a field name, `$parent.`-prefixed names read from the parent record."""
    if name.startswith(PARENT_PREFIX):
        return (parent or {}).get(name[len(PARENT_PREFIX):])
    return data.get(name)


def evaluate(expr, data, parent=None):
    """Truth of a condition for a record (and its parent record, if given)."""
    if "all" in expr:
        return all(evaluate(item, data, parent) for item in expr["all"])
    if "any" in expr:
        return any(evaluate(item, data, parent) for item in expr["any"])
    if "not" in expr:
        return not evaluate(expr["not"], data, parent)
    left = resolve(expr["field"], data, parent)
    op = expr["op"]
    if op == "truthy":
        return is_truthy(left)
    if op == "empty":
        return is_empty(left)
    right = resolve(expr["ref"], data, parent) if "ref" in expr else expr.get("value")
    return _binary(op, left, right)


def _binary(op, left, right):
    if op == "eq":
        return json_equal(left, right)
    if op == "ne":
        return not json_equal(left, right)
    if op == "in":
        if is_empty(left) or not isinstance(right, list):
            return False
        # A multi-select answer is "in" the list when it shares at least one value with it.
        items = left if isinstance(left, list) else [left]
        return any(json_equal(item, option) for item in items for option in right)
    order = compare(left, right)
    return order is not None and _ORDER[op](order)


def referenced_fields(expr):
    """Every field name a condition reads (with `$parent.` prefixes kept), in order of appearance."""
    names = []
    if "all" in expr or "any" in expr:
        for item in expr.get("all", expr.get("any")):
            names.extend(referenced_fields(item))
    elif "not" in expr:
        names.extend(referenced_fields(expr["not"]))
    else:
        names.append(expr["field"])
        if "ref" in expr:
            names.append(expr["ref"])
    return names
