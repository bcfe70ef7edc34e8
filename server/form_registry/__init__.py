"""Form registry: versioned declarative form definitions (forms/), validated and computed here and,
identically, in the PWA (pwa/static/js/forms/). Pure Python: no Flask, no database.
"""

from .canonical import canonical_json, definition_hash
from .computed import FUNCTIONS, compute
from .conditions import evaluate as evaluate_condition
from .definitions import UnknownEntity, entities, entity_spec, field_map
from .lint import DefinitionError, lint_definition
from .registry import Registry, UnknownForm, default_forms_dir, load_registry
from .upcasting import upcast_step
from .validation import MODES, field_states, validate

__all__ = [
    "FUNCTIONS", "MODES", "DefinitionError", "Registry", "UnknownEntity", "UnknownForm",
    "canonical_json", "compute", "default_forms_dir", "definition_hash", "entities", "entity_spec",
    "evaluate_condition", "field_map", "field_states", "lint_definition", "load_registry",
    "upcast_step", "validate",
]
