"""Field-level merge by versions, not clocks.

A field conflicts iff the server's value changed after the change number the device based its edit on,
the change came from another device, and the values differ. The server value then stays and both values
are kept for a supervisor. A device's own earlier edit (even one not yet pulled back) is never a conflict.
"""
from dataclasses import dataclass, field


class Pending:
    """The version of a field set earlier in the same push, before change numbers are allocated."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def __repr__(self):
        return f"Pending({self.index})"


@dataclass
class FieldConflict:
    field: str
    server_value: object
    client_value: object
    base: int
    server_version: object
    server_writer: str | None


@dataclass
class MergeResult:
    applied: dict = field(default_factory=dict)
    conflicts: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


def _newer(server_version, base):
    if isinstance(server_version, Pending):
        return True
    return (server_version or 0) > (base or 0)


def merge_fields(current, versions, writers, incoming, base, device_id):
    """Split `incoming` into fields to apply, conflicts and unchanged fields."""
    result = MergeResult()
    for name, value in incoming.items():
        present = name in current
        if present and current[name] == value:
            result.unchanged.append(name)
            continue
        server_version = versions.get(name)
        changed_elsewhere = (present and server_version is not None and _newer(server_version, base.get(name))
                             and writers.get(name) != device_id)
        if changed_elsewhere:
            result.conflicts.append(FieldConflict(name, current[name], value, base.get(name), server_version,
                                                  writers.get(name)))
        else:
            result.applied[name] = value
    return result


def edited_since(versions, writers, base, device_id):
    """Fields another device changed after the device's base (a delete based on `base` would lose them)."""
    return sorted(name for name, version in versions.items()
                  if _newer(version, base.get(name)) and writers.get(name) != device_id)
