"""Computed fields: a closed registry of named functions with named arguments (no eval).

Sampling arithmetic is the domain's (server/domain/sampling.py); this module only wires names to it.
Twin: pwa/static/js/forms/computed.js, which must give the same numbers (golden cases check both).
"""

import math

from ..domain import sampling

from .conditions import PARENT_PREFIX, resolve
from .definitions import entity_index, entity_spec
from .values import datetime_seconds, is_datetime, is_number


def duration_min(start, end):
    """Minutes from start to end; None unless end is after start."""
    minutes = (datetime_seconds(end) - datetime_seconds(start)) / 60
    return minutes if minutes > 0 else None


def abs_difference(a, b):
    """|a − b|, e.g. the drift of a sound calibrator between two checks."""
    return abs(a - b)


def ratio_pct(numerator, denominator):
    """numerator / denominator × 100; None for a zero denominator (no one to count)."""
    return numerator / denominator * 100 if denominator > 0 else None


# name → (function, {parameter: kind}); kind "number" or "datetime" is checked before the call.
FUNCTIONS = {
    "duration_min": (duration_min, {"start": "datetime", "end": "datetime"}),
    "mean_flow": (sampling.mean_flow, {"flow_before": "number", "flow_after": "number"}),
    "flow_deviation_pct": (sampling.flow_deviation_pct, {"flow_before": "number", "flow_after": "number"}),
    "sampled_volume_l": (sampling.sampled_volume_l,
                         {"flow_before": "number", "flow_after": "number", "minutes": "number"}),
    "standard_volume_l": (sampling.standard_volume_l,
                          {"volume_l": "number", "temperature_c": "number", "pressure_kpa": "number"}),
    "abs_difference": (abs_difference, {"a": "number", "b": "number"}),
    "ratio_pct": (ratio_pct, {"numerator": "number", "denominator": "number"}),
}
_KIND_TESTS = {"number": is_number, "datetime": is_datetime}


def compute(definition, entity, data, parent=None):
    """Values of the entity's computed fields (None where an input is missing or unusable)."""
    computed = entity_index(entity_spec(definition, entity)).computed
    values = {}

    def value_of(name):
        if name in computed and not name.startswith(PARENT_PREFIX):
            if name not in values:
                values[name] = _call(computed[name], value_of)
            return values[name]
        return resolve(name, data, parent)

    for name in computed:
        value_of(name)
    return {name: values[name] for name in computed}


def _call(field, value_of):
    function, params = FUNCTIONS[field["function"]]
    kwargs = {}
    for param, kind in params.items():
        source = field["args"][param]
        value = value_of(source) if isinstance(source, str) else source
        if not _KIND_TESTS[kind](value):
            return None
        kwargs[param] = value
    try:
        result = function(**kwargs)
    except (ValueError, ZeroDivisionError):
        return None  # e.g. a zero flow before sampling: no deviation can be stated
    return result if result is None or math.isfinite(result) else None
