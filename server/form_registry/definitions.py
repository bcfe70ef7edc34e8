"""Reading a form definition: its entities, their fields, and field kinds. Twin: definitions.js."""

ATTACHMENT_TYPES = ("photos", "signature")
FIELD_TYPES = ("text", "number", "date", "time", "datetime", "select", "multi_select", "boolean",
               "photos", "signature", "geo_point", "enterprise", "reference", "computed")


class UnknownEntity(LookupError):
    """The entity is not part of this form definition."""


def entities(definition):
    """Entity names of a form with their parent entity (None for the root), root first."""
    return [{"entity": spec["entity"], "parent": spec["parent"]} for spec in definition["entities"]]


def entity_spec(definition, entity):
    """The definition block of one entity; raises UnknownEntity."""
    for spec in definition["entities"]:
        if spec["entity"] == entity:
            return spec
    raise UnknownEntity(f"{definition['form_id']} v{definition['version']} has no entity {entity!r}")


def entity_fields(spec):
    """(field, section) pairs of an entity in display order; sections only group fields visually."""
    return [(field, section) for section in spec["sections"] for field in section["fields"]]


def field_map(spec):
    """Field id → field definition of an entity."""
    return {field["id"]: field for field, _ in entity_fields(spec)}


def is_attachment(field):
    """True for fields whose files live in attachment child records, never in the record's data."""
    return field["type"] in ATTACHMENT_TYPES


def is_computed(field):
    """True for read-only fields whose value the registry computes."""
    return field["type"] == "computed"
