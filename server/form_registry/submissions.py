"""Checking a record against the form version it was filled with (the same rules the PWA applies), and the
sampling evaluation of a record that is not stored yet."""
import sqlalchemy as sa

from ..domain.errors import Invalid, NotFound
from ..domain.evaluations import evaluate_visit
from ..domain.permissions import require
from ..domain.reference_store import evaluation_reference
from ..models import ReferenceRow
from . import UnknownEntity, UnknownForm, compute, entity_spec, validate


def _reference_tables(definition, entity):
    tables = set()
    for section in entity_spec(definition, entity)["sections"]:
        for field in section["fields"]:
            if field["type"] == "reference":
                tables.add(field["table"])
    return tables


def reference_context(session, definition, entity, extra=None):
    """Validation context: the keys of every reference table the entity's fields look up."""
    tables = _reference_tables(definition, entity)
    keys = {table: set() for table in tables}
    if tables:
        for table, key in session.execute(sa.select(ReferenceRow.table_name, ReferenceRow.key)
                                          .where(ReferenceRow.table_name.in_(tables))):
            keys[table].add(key)
    context = {"references": {table: sorted(values) for table, values in keys.items()}}
    context.update(extra or {})
    return context


def form_definition(registry, form_id, version):
    """A published form version, or NotFound."""
    try:
        return registry.get(form_id, version)
    except UnknownForm as error:
        raise NotFound(f"表单 {form_id} 第{version}版不存在") from error


def envelope_details(errors, prefix=""):
    """Form-validator errors → the API's field-level detail items."""
    return [{"field": prefix + e["field"] if e.get("field") else prefix.rstrip(".") or None, "code": e["code"],
             "message": e["message_zh"], "message_en": e["message_en"]} for e in errors]


def check_record(session, registry, form_id, version, entity, data, *, mode="draft", parent=None,
                 attachments=None, prefix=""):
    """Computed values of a valid record; raise Invalid with per-field messages (zh and en) otherwise."""
    definition = form_definition(registry, form_id, version)
    try:
        context = reference_context(session, definition, entity,
                                    {"attachments": attachments} if attachments is not None else None)
        errors = validate(definition, entity, data, mode=mode, context=context, parent=parent)
    except UnknownEntity as error:
        raise Invalid("表单中没有这种记录", details=[{"field": "entity", "code": "unknown_entity",
                                                 "message": f"表单 {form_id} 没有 {entity}",
                                                 "message_en": f"Form {form_id} has no entity {entity}"}]) from error
    if errors:
        raise Invalid("记录不符合表单要求", details=envelope_details(errors, prefix))
    return compute(definition, entity, data, parent=parent)


def _split_id(record, field):
    record = dict(record)
    record_id = record.pop("id", None)
    if not isinstance(record_id, str) or not record_id:
        raise Invalid("每条记录需要 id", details=[{"field": f"{field}.id", "code": "required", "message": "缺少记录 id",
                                             "message_en": "Record id missing"}])
    return record_id, record


def evaluate_sampling_inputs(session, registry, actor, payload, *, today):
    """Evaluate a sampling visit sent by a device (online preview): checked against its form version first, judged
    with the reference data in force on `today` (a business date)."""
    require(actor, "evaluation.preview")
    version = payload.get("form_version") or registry.versions("sampling_record")[-1]
    check_record(session, registry, "sampling_record", version, "sampling_visit", payload["visit"], prefix="visit.")
    lists = {}
    for name, entity in (("samples", "sample"), ("noise_measurements", "noise_measurement")):
        lists[name] = []
        for index, raw in enumerate(payload.get(name) or []):
            record_id, data = _split_id(raw, f"{name}[{index}]")
            check_record(session, registry, "sampling_record", version, entity, data, parent=payload["visit"],
                         prefix=f"{name}[{index}].")
            lists[name].append(dict(data, id=record_id))
    return evaluate_visit(payload["visit"], lists["samples"], lists["noise_measurements"],
                          evaluation_reference(session, today))
