"""Who is acting: the plain description of the caller that domain and sync functions receive."""
from dataclasses import dataclass, field

FIELD_ROLES = frozenset({"sampler", "inspector", "assistant", "followup"})
OFFICE_ROLES = frozenset({"laboratory", "supervisor", "admin"})  # online, office layout


@dataclass(frozen=True)
class Actor:
    """The authenticated user, their roles, agency (and its kind), jurisdiction (region ids) and device."""

    user_id: int
    username: str
    roles: frozenset
    agency_id: int
    region_id: int
    region_ids: frozenset = field(default_factory=frozenset)
    device_id: str | None = None
    display_name: str = ""
    agency_kind: str = ""  # cdc | supervision | commission: what the agency works on (domain/permissions.py)

    def has_role(self, *roles):
        """True when the actor holds any of the roles."""
        return bool(self.roles.intersection(roles))

    def covers_region(self, region_id):
        """True when the region lies in the actor's jurisdiction."""
        return region_id in self.region_ids
