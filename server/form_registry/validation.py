"""Validating one record's data against its form definition. Twin: validate.js.

`draft` accepts half-filled records (field staff save as they go) but never a wrong value;
`complete` adds presence, attachment counts and cross-field constraints.
"""

from .checks import check_value
from .conditions import PARENT_PREFIX, evaluate, referenced_fields, resolve
from .definitions import entity_fields, entity_index, entity_spec, is_attachment, is_computed
from .messages import constraint_error, make_error
from .values import is_empty

MODES = ("draft", "complete")


def field_states(definition, entity, data, parent=None):
    """field id → {"visible", "required"} for a record as it stands (the form UI uses the same)."""
    spec = entity_spec(definition, entity)
    return {field["id"]: _state(field, section, data, parent)
            for field, section in entity_fields(spec)}


def _state(field, section, data, parent):
    visible = all(evaluate(item["show_if"], data, parent)
                  for item in (section, field) if "show_if" in item)
    required = visible and (field.get("required", False)
                            or ("required_if" in field and evaluate(field["required_if"], data, parent)))
    return {"visible": visible, "required": required}


def validate(definition, entity, data, mode="draft", context=None, parent=None):
    """Error items for a record's data (empty when valid); raises ValueError on an unknown mode."""
    if mode not in MODES:
        raise ValueError(f"unknown validation mode {mode!r}")
    spec = entity_spec(definition, entity)
    if not isinstance(data, dict):
        return [make_error("", "record_type")]
    context = context or {}
    index = entity_index(spec)
    errors = [make_error(key, "unknown_field", name=key) for key in data if key not in index.position]
    invalid = set()
    # Only the answers present can be wrong; they are checked in display order, as the form lists them.
    for position in sorted(index.position[key] for key in data if key in index.position):
        field = index.fields[position][0]
        found = _value_errors(field, data, context)
        if found:
            invalid.add(field["id"])
            errors.extend(found)
    if mode == "complete":
        for field, section in index.fields:
            state = _state(field, section, data, parent)
            if state["visible"]:
                errors.extend(_complete_errors(field, state, data, parent, context, invalid))
    return errors


def _value_errors(field, data, context):
    field_id = field["id"]
    if field_id not in data:
        return []
    if is_computed(field):
        return [make_error(field_id, "readonly", field)]
    if is_attachment(field):
        return [make_error(field_id, "readonly_attachment", field)]
    value = data[field_id]
    return [] if is_empty(value) else check_value(field, value, context)


def _complete_errors(field, state, data, parent, context, invalid):
    field_id = field["id"]
    if is_computed(field):
        return []
    if is_attachment(field):
        return _count_errors(field, state, context)
    value = data.get(field_id)
    if is_empty(value):
        return [make_error(field_id, "required", field)] if state["required"] else []
    if field_id in invalid:
        return []
    return [constraint_error(field_id, constraint) for constraint in field.get("constraints", [])
            if _checkable(constraint, data, parent, invalid)
            and not evaluate(constraint["check"], data, parent)]


def _checkable(constraint, data, parent, invalid):
    # A constraint speaks only when every field it reads holds a valid answer: presence is the
    # business of required/required_if, and a wrong value already has its own error.
    for name in referenced_fields(constraint["check"]):
        if is_empty(resolve(name, data, parent)):
            return False
        if not name.startswith(PARENT_PREFIX) and name in invalid:
            return False
    return True


def _count_errors(field, state, context):
    counts = context.get("attachments")
    if counts is None:
        return []  # counts unknown to the caller: nothing can be said about them
    count = counts.get(field["id"], 0)
    minimum = field.get("min_count", 0)
    if state["required"]:
        minimum = max(minimum, 1)
    if count < minimum:
        return [make_error(field["id"], "min_count", field, min_count=minimum)]
    if "max_count" in field and count > field["max_count"]:
        return [make_error(field["id"], "max_count", field, max_count=field["max_count"])]
    return []
