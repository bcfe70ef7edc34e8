"""The officers a record names (its form's `officer` fields), checked against the server's users when a device
sends them and again when the record is handed in: the roster on a tablet may be days old (domain/officers.py)."""
from ..domain.officers import officer_problems
from ..form_registry import UnknownEntity, entity_spec, field_map
from .errors import Rejected


def officer_fields(definition, entity):
    """The `officer` fields of an entity (none for a record kind without a form)."""
    if definition is None:
        return []
    try:
        return [field for field in field_map(entity_spec(definition, entity)).values() if field["type"] == "officer"]
    except UnknownEntity:
        return []


def check_officers(batch, definition, entity, agency_id, values):
    """Refuse a change that names someone who is not one of the agency's officers holding a 执法证号."""
    fields = [field for field in officer_fields(definition, entity) if field["id"] in values]
    if not fields:
        return
    problems = officer_problems(batch.session, agency_id, fields, values)
    if problems:
        raise Rejected("VALIDATION_FAILED", "执法人员须为本机构持有执法证号的执法人员", problems)


def handed_in_officer_problems(batch, record, definition, prefix):
    """Problems of every officer a record handed in names (they may have left since they were chosen)."""
    fields = officer_fields(definition, record.entity)
    return officer_problems(batch.session, record.agency_id, fields, record.data, prefix) if fields else []
