"""Reading a form definition: its entities, their fields, and field kinds. Twin: definitions.js."""
import collections
import threading

ATTACHMENT_TYPES = ("photos", "signature")
FIELD_TYPES = ("text", "number", "date", "time", "datetime", "select", "multi_select", "boolean",
               "photos", "signature", "geo_point", "enterprise", "reference", "officer", "register", "computed")


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


class EntityIndex:
    """An entity's fields looked up once: (field, section) pairs in display order, each field id's position in
    it, and the computed fields by id."""

    def __init__(self, spec):
        self.fields = entity_fields(spec)
        self.position = {field["id"]: index for index, (field, _) in enumerate(self.fields)}
        self.computed = {field["id"]: field for field, _ in self.fields if is_computed(field)}


_INDEXES = collections.OrderedDict()  # id(spec) → (spec, EntityIndex); holding spec keeps its id from reuse
_INDEXES_LOCK = threading.Lock()
_INDEXES_MAX = 512


def entity_index(spec):
    """The EntityIndex of an entity spec, made once per spec object (a loaded definition is never changed: its
    content hash is pinned)."""
    key = id(spec)
    with _INDEXES_LOCK:
        found = _INDEXES.get(key)
        if found is not None and found[0] is spec:
            _INDEXES.move_to_end(key)
            return found[1]
    index = EntityIndex(spec)
    with _INDEXES_LOCK:
        _INDEXES[key] = (spec, index)
        while len(_INDEXES) > _INDEXES_MAX:
            _INDEXES.popitem(last=False)
    return index


def is_attachment(field):
    """True for fields whose files live in attachment child records, never in the record's data."""
    return field["type"] in ATTACHMENT_TYPES


def is_computed(field):
    """True for read-only fields whose value the registry computes."""
    return field["type"] == "computed"
