"""Which kinds of record sync carries, who may write them, and how they hang together."""
from dataclasses import dataclass

from ..domain.actors import FIELD_ROLES
from ..domain.permissions import AGENCY_ENTITIES, ISSUING_ROLES, REGISTER_ENTITIES, ROLE_ENTITIES

ATTACHMENT = "attachment"
ENTERPRISE = "enterprise"
DOCUMENT = "document"
# Created by the server (a notice's rectification items, a draw's assignments); devices receive them only.
SERVER_ONLY = frozenset({"rectification_item", "assignment"})


@dataclass(frozen=True)
class EntityInfo:
    """Form, parent and root-ness of one record kind."""

    name: str
    form_id: str | None
    parent: str | None

    @property
    def is_root(self):
        return self.parent is None


class EntityRegistry:
    """Record kinds from the form definitions, plus attachments."""

    def __init__(self, forms):
        self.forms = forms
        self._info = {}
        for summary in forms.all_versions():
            definition = forms.get(summary["form_id"], summary["version"])
            for item in definition["entities"]:
                self._info[item["entity"]] = EntityInfo(item["entity"], summary["form_id"], item.get("parent"))
        self._info[ATTACHMENT] = EntityInfo(ATTACHMENT, None, "*")

    def get(self, entity):
        """EntityInfo, or None for a kind sync does not know."""
        return self._info.get(entity)

    def names(self):
        """Every record kind stored in the records table."""
        return set(self._info) | SERVER_ONLY


def writable_entities(actor):
    """Record kinds the actor may create or change from a device."""
    if actor.has_role("admin"):
        kinds = set().union(*ROLE_ENTITIES.values())
    else:
        kinds = set()
        for role in actor.roles:
            kinds |= ROLE_ENTITIES.get(role, set())
    if actor.has_role("supervisor"):
        kinds |= REGISTER_ENTITIES & set(AGENCY_ENTITIES.get(actor.agency_kind, ()))
    kinds -= SERVER_ONLY
    if actor.has_role(*FIELD_ROLES, "admin", "supervisor"):
        kinds |= {ATTACHMENT, ENTERPRISE}
    if actor.has_role(*ISSUING_ROLES):
        kinds.add(DOCUMENT)
    return kinds
