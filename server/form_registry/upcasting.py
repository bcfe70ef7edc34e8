"""Upcasting: bringing data filled with an older form version up to a newer one.

Version N may declare how data of version N−1 maps onto it, per entity:
    "upcast": {"from_version": 1, "entities": {"sample": {"rename": {"pump_id": "sampler_id"},
                                                         "drop": [], "defaults": {"x": "y"}}}}
Steps chain (1→2→3). Records keep the version they were filled with; upcasting is for reading old
data through a newer form, never for rewriting what a device submitted.
"""

import copy

from .checks import check_value
from .definitions import is_attachment, is_computed
from .values import is_empty

RULE_KEYS = {"rename", "drop", "defaults"}


def upcast_step(definition, entity, data):
    """Data of the previous version of `definition` mapped onto it, for one entity."""
    rules = (definition.get("upcast") or {}).get("entities", {}).get(entity, {})
    result = copy.deepcopy(data)
    for old, new in rules.get("rename", {}).items():
        if old in result:
            value = result.pop(old)
            # A value already under the new name was written deliberately: it wins.
            result.setdefault(new, value)
    for name in rules.get("drop", []):
        result.pop(name, None)
    for name, value in rules.get("defaults", {}).items():
        if is_empty(result.get(name)):
            result[name] = copy.deepcopy(value)
    return result


def upcast_chain(definitions, entity, data, from_version, to_version):
    """Apply the steps from_version → to_version; `definitions` maps version → definition."""
    if from_version > to_version:
        raise ValueError(f"cannot upcast from v{from_version} down to v{to_version}")
    result = copy.deepcopy(data)
    for version in range(from_version + 1, to_version + 1):
        result = upcast_step(definitions[version], entity, result)
    return result


def lint_upcast(definition, specs):
    """Problems of a definition's upcast block; specs maps entity → {"parent", "fields"}."""
    upcast = definition["upcast"]
    if not isinstance(upcast, dict) or set(upcast) != {"from_version", "entities"}:
        return ["upcast must hold exactly from_version and entities"]
    problems = []
    if definition.get("version") == 1 or upcast["from_version"] != definition.get("version", 0) - 1:
        problems.append("from_version must be the previous version (version 1 has none)")
    for entity, rules in upcast["entities"].items():
        fields = specs.get(entity, {}).get("fields")
        if fields is None or not isinstance(rules, dict) or not set(rules) <= RULE_KEYS:
            problems.append(f"{entity}: unknown entity or rule")
            continue
        for old, new in rules.get("rename", {}).items():
            if old in fields or new not in fields:
                problems.append(f"{entity}: rename {old} → {new} must go from a gone field to a field")
        for name in rules.get("drop", []):
            if name in fields:
                problems.append(f"{entity}: cannot drop {name}, a field of this version")
        for name, value in rules.get("defaults", {}).items():
            field = fields.get(name)
            if field is None or is_computed(field) or is_attachment(field) \
                    or check_value(field, value, {}):
                problems.append(f"{entity}: default for {name} is not a valid value of a field")
    return problems
