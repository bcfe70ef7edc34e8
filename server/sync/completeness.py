"""A record handed over (submitted, or shown on an issued document) must satisfy its form completely."""
from ..form_registry import validate
from .entities import ATTACHMENT
from .errors import Rejected
from .officers import handed_in_officer_problems


def check_complete(batch, root):
    """A submitted record and all its children must satisfy their forms completely (photos included)."""
    batch.load_root_members([root.id])
    members = [m for m in batch.members(root.id) if not m.deleted]
    by_id = {m.id: m for m in members}
    problems = []
    for record in members:
        if not record.form_id:
            continue
        counts = {}
        for child in members:
            if child.entity == ATTACHMENT and child.parent_id == record.id:
                counts[child.data.get("field")] = counts.get(child.data.get("field"), 0) + 1
        parent = by_id.get(record.parent_id)
        definition = batch.forms.get(record.form_id, record.form_version)
        errors = validate(definition, record.entity, record.data,
                          mode="complete", context={"references": batch.reference_keys(), "attachments": counts},
                          parent=parent.data if parent else None)
        problems += [{"field": f"{record.entity}[{record.id}].{e['field']}", "code": e["code"],
                      "message": e["message_zh"], "message_en": e["message_en"], "record_id": record.id}
                     for e in errors]
        problems += [dict(p, record_id=record.id)
                     for p in handed_in_officer_problems(batch, record, definition, f"{record.entity}[{record.id}].")]
    if problems:
        raise Rejected("INCOMPLETE", "记录尚未填写完整，不能提交", problems)
