"""Checking a definition file before anyone relies on it: a typo must fail at load, not in the field.

Also keeps definitions portable between the Python and JS validators: only regex syntax both engines
read the same way, and only numbers both print the same way (the hash depends on it).
"""

import math
import re

from .computed import FUNCTIONS
from .conditions import BINARY_OPS, OPS, PARENT_PREFIX, UNARY_OPS
from .definitions import ATTACHMENT_TYPES, FIELD_TYPES
from .upcasting import lint_upcast
from .values import SNAKE_RE

LABELS = {"label_zh", "label_en"}
FORM_KEYS = {"form_id", "version", "title_zh", "title_en", "description_zh", "description_en",
             "entities", "upcast"}
ENTITY_KEYS = {"entity", "parent", "sections"} | LABELS
SECTION_KEYS = {"id", "fields", "show_if"} | LABELS
COMMON_KEYS = {"id", "type", "required", "show_if", "required_if", "constraints", "hint_zh",
               "hint_en"} | LABELS
TYPE_KEYS = {
    "text": {"max_length", "pattern", "pattern_message_zh", "pattern_message_en", "multiline"},
    "number": {"unit", "min", "max", "decimals"},
    "select": {"choices"}, "multi_select": {"choices"},
    "photos": {"min_count", "max_count"}, "signature": {"min_count", "max_count"},
    "reference": {"table", "multiple"},
    "officer": {"name_field"},
    "register": {"register"},
    "computed": {"function", "args", "unit", "decimals"},
}
# \d, \w, \s and \b mean Unicode classes in Python but ASCII in JS; lookbehind, named groups and
# inline flags differ or are missing in one engine. Patterns stay in the common subset.
NON_PORTABLE = re.compile(r"\\[dDwWsSbB]|\(\?[<P=!a-zA-Z]")
MAX_SAFE_INT = 2 ** 53 - 1


class DefinitionError(ValueError):
    """A definition file breaks the vocabulary; `problems` lists each place and reason."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def lint_definition(definition):
    """Raise DefinitionError listing every problem of a definition; return it unchanged if sound."""
    problems = []
    _Linter(problems).form(definition)
    if problems:
        raise DefinitionError(problems)
    return definition


class _Linter:
    def __init__(self, problems):
        self.problems = problems

    def fail(self, where, reason):
        self.problems.append(f"{where}: {reason}")

    def keys(self, where, obj, allowed, required=()):
        if not isinstance(obj, dict):
            self.fail(where, "must be an object")
            return False
        for key in sorted(set(obj) - set(allowed)):
            self.fail(where, f"unknown key {key!r}")
        for key in required:
            if key not in obj:
                self.fail(where, f"missing {key!r}")
        return all(key in obj for key in required)

    def items(self, where, value):
        if isinstance(value, list) and value:
            return value
        self.fail(where, "must be a non-empty list")
        return []

    def labels(self, where, obj, names=("label_zh", "label_en")):
        for name in names:
            if not isinstance(obj.get(name), str) or not obj.get(name).strip():
                self.fail(where, f"{name} must be a non-empty string")

    def form(self, definition):
        where = "form"
        if not self.keys(where, definition, FORM_KEYS, ("form_id", "version", "entities")):
            return
        self.numbers(where, definition)
        if not SNAKE_RE.fullmatch(str(definition["form_id"])):
            self.fail(where, "form_id must be snake_case")
        version = definition["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.fail(where, "version must be an integer ≥ 1")
        self.labels(where, definition, ("title_zh", "title_en"))
        specs = {}
        declared = self.items("entities", definition["entities"])
        for index, spec in enumerate(declared):
            self.entity(f"entities[{index}]", spec, specs)
        if declared and [name for name, spec in specs.items() if spec["parent"] is None] != \
                [declared[0].get("entity") if isinstance(declared[0], dict) else None]:
            self.fail(where, "the first entity must be the only root (parent null)")
        if "upcast" in definition:
            self.upcast(definition, specs)

    def entity(self, where, spec, specs):
        if not self.keys(where, spec, ENTITY_KEYS, sorted(ENTITY_KEYS)):
            return
        name, parent = spec["entity"], spec["parent"]
        where = f"entity {name}"
        if not SNAKE_RE.fullmatch(str(name)) or name in specs:
            self.fail(where, "entity name must be snake_case and unique")
        if parent is not None and parent not in specs:
            self.fail(where, "parent must be an entity declared before it")
        self.labels(where, spec)
        fields = {}
        sections = [section for section in self.items(f"{where} sections", spec["sections"])
                    if self.keys(f"{where} section", section, SECTION_KEYS, ("id", "fields"))]
        for section in sections:
            self.labels(f"{where} section {section['id']}", section)
            for field in self.items(f"{where} section {section['id']} fields", section["fields"]):
                self.field_shape(where, field, fields)
        specs[name] = {"parent": parent, "fields": fields}
        parent_fields = specs[parent]["fields"] if parent in specs else {}
        for section in sections:
            if "show_if" in section:
                self.expr(f"{where} section {section.get('id')}", section["show_if"], fields, parent_fields)
        for field in fields.values():
            self.field_logic(f"{where}.{field['id']}", field, fields, parent_fields)
        self.cycles(where, fields)

    def field_shape(self, where, field, fields):
        ftype = field.get("type") if isinstance(field, dict) else None
        if ftype not in FIELD_TYPES:
            self.fail(where, f"field {field!r} has no known type")
            return
        allowed = COMMON_KEYS | TYPE_KEYS.get(ftype, set())
        if not self.keys(f"{where} field", field, allowed, ("id", "type", "label_zh", "label_en")):
            return
        where = f"{where}.{field['id']}"
        if not SNAKE_RE.fullmatch(str(field["id"])) or field["id"] in fields:
            self.fail(where, "field id must be snake_case and unique in its entity")
        self.labels(where, field)
        self.settings(where, field)
        fields[field["id"]] = field
        if ftype in ("select", "multi_select"):
            self.choices(where, field.get("choices"))
        if ftype == "text" and "pattern" in field:
            self.pattern(where, field)
        if ftype in ATTACHMENT_TYPES:
            self.counts(where, field)
        if ftype == "reference" and not SNAKE_RE.fullmatch(str(field.get("table"))):
            self.fail(where, "reference needs a snake_case table")
        if ftype == "register" and not SNAKE_RE.fullmatch(str(field.get("register"))):
            self.fail(where, "register needs the snake_case entity of the register's records")
        if ftype == "computed" and field.keys() & {"required", "required_if", "constraints"}:
            self.fail(where, "a computed field cannot be required or constrained")

    def settings(self, where, field):
        for key in ("required", "multiple", "multiline"):
            if key in field and not isinstance(field[key], bool):
                self.fail(where, f"{key} must be true or false")
        for key in ("max_length", "decimals"):
            if key in field and (isinstance(field[key], bool) or not isinstance(field[key], int)
                                 or field[key] < 0):
                self.fail(where, f"{key} must be a non-negative integer")
        for key in ("min", "max"):
            if key in field and (isinstance(field[key], bool) or not isinstance(field[key], (int, float))):
                self.fail(where, f"{key} must be a number")

    def choices(self, where, choices):
        if not isinstance(choices, list) or not choices:
            self.fail(where, "choices must be a non-empty list")
            return
        seen = set()
        for choice in choices:
            if self.keys(f"{where} choice", choice, {"value"} | LABELS, ("value",)):
                if not SNAKE_RE.fullmatch(str(choice["value"])) or choice["value"] in seen:
                    self.fail(where, f"choice value {choice['value']!r} must be unique snake_case ASCII")
                seen.add(choice["value"])
                self.labels(f"{where} choice {choice['value']}", choice)

    def pattern(self, where, field):
        pattern = field["pattern"]
        try:
            re.compile(pattern)
        except (re.error, TypeError):
            self.fail(where, "pattern does not compile")
            return
        if NON_PORTABLE.search(pattern):
            self.fail(where, "pattern uses syntax JS reads differently (use [0-9], not \\d)")
        if ("pattern_message_zh" in field) != ("pattern_message_en" in field):
            self.fail(where, "pattern messages come in zh and en together")

    def counts(self, where, field):
        low, high = field.get("min_count", 0), field.get("max_count", MAX_SAFE_INT)
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (low, high)) \
                or low > high:
            self.fail(where, "min_count and max_count must be integers with 0 ≤ min ≤ max")
        if field["type"] == "signature" and field.get("max_count") != 1:
            self.fail(where, "a signature field holds one signature: declare max_count 1")

    def field_logic(self, where, field, fields, parent_fields):
        for key in ("show_if", "required_if"):
            if key in field:
                self.expr(f"{where}.{key}", field[key], fields, parent_fields)
        for constraint in field.get("constraints", []):
            if self.keys(f"{where} constraint", constraint, {"check", "message_zh", "message_en"},
                         ("check",)):
                self.labels(f"{where} constraint", constraint, ("message_zh", "message_en"))
                self.expr(f"{where} constraint", constraint["check"], fields, parent_fields)
        if field["type"] == "computed":
            self.computed(where, field, fields, parent_fields)
        if field["type"] == "officer" and "name_field" in field:
            named = fields.get(field["name_field"]) if isinstance(field["name_field"], str) else None
            if named is None or named["type"] != "text":
                self.fail(where, "name_field must name a text field of this entity")

    def ref(self, where, name, fields, parent_fields):
        if not isinstance(name, str):
            self.fail(where, "a field reference must be a string")
        elif name.startswith(PARENT_PREFIX):
            if name[len(PARENT_PREFIX):] not in parent_fields:
                self.fail(where, f"{name} is not a field of the parent entity")
        elif name not in fields:
            self.fail(where, f"{name} is not a field of this entity")

    def expr(self, where, expr, fields, parent_fields):
        if isinstance(expr, dict) and ("all" in expr or "any" in expr):
            items = expr.get("all", expr.get("any"))
            if len(expr) != 1 or not isinstance(items, list) or not items:
                self.fail(where, "all/any take one non-empty list")
                return
            for item in items:
                self.expr(where, item, fields, parent_fields)
        elif isinstance(expr, dict) and "not" in expr:
            if len(expr) != 1:
                self.fail(where, "not takes one expression")
                return
            self.expr(where, expr["not"], fields, parent_fields)
        elif self.keys(where, expr, {"field", "op", "value", "ref"}, ("field", "op")):
            self.comparison(where, expr, fields, parent_fields)

    def comparison(self, where, expr, fields, parent_fields):
        op = expr["op"]
        self.ref(where, expr["field"], fields, parent_fields)
        if op not in OPS:
            self.fail(where, f"unknown operator {op!r}")
        elif op in UNARY_OPS and expr.keys() & {"value", "ref"}:
            self.fail(where, f"{op} takes no value or ref")
        elif op in BINARY_OPS and len(expr.keys() & {"value", "ref"}) != 1:
            self.fail(where, f"{op} needs exactly one of value or ref")
        elif op == "in" and not isinstance(expr.get("value"), list):
            self.fail(where, "in needs a list value")
        elif "ref" in expr:
            self.ref(where, expr["ref"], fields, parent_fields)

    def computed(self, where, field, fields, parent_fields):
        entry = FUNCTIONS.get(field.get("function"))
        if entry is None:
            self.fail(where, f"unknown function {field.get('function')!r}")
            return
        args = field.get("args")
        if not isinstance(args, dict) or set(args) != set(entry[1]):
            self.fail(where, f"args must name exactly {sorted(entry[1])}")
            return
        for source in args.values():
            if not (isinstance(source, (int, float)) and not isinstance(source, bool)):
                self.ref(where, source, fields, parent_fields)

    def cycles(self, where, fields):
        def depends(name, seen):
            field = fields.get(name)
            if field is None or field["type"] != "computed":
                return
            if name in seen:
                self.fail(where, f"computed fields depend on each other in a cycle at {name}")
                raise _Stop
            for source in (field.get("args") or {}).values():
                if isinstance(source, str):
                    depends(source, seen | {name})
        try:
            for name in fields:
                depends(name, frozenset())
        except _Stop:
            pass

    def numbers(self, where, value):
        if isinstance(value, dict):
            for item in value.values():
                self.numbers(where, item)
        elif isinstance(value, list):
            for item in value:
                self.numbers(where, item)
        elif isinstance(value, float) and (not math.isfinite(value) or value.is_integer()
                                           or "e" in repr(value)):
            self.fail(where, f"number {value!r} prints differently in JS: write it plainly")
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INT:
            self.fail(where, f"integer {value} is beyond JS's exact range")

    def upcast(self, definition, specs):
        for problem in lint_upcast(definition, specs):
            self.fail("upcast", problem)


class _Stop(Exception):
    pass
