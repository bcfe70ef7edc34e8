"""A definition's identity: SHA-256 of its canonical JSON. Twin: canonical.js (same bytes, same hash).

Canonical JSON: keys sorted, separators (",", ":"), non-ASCII written as UTF-8. The lint keeps
definitions free of numbers that Python and JS would print differently (1.0, 1e-05).
"""

import hashlib
import json


def canonical_json(value):
    """The canonical JSON text of a value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def definition_hash(definition):
    """Hex SHA-256 of the canonical JSON of a definition, in UTF-8."""
    return hashlib.sha256(canonical_json(definition).encode("utf-8")).hexdigest()
