"""The registry: every version of every form under forms/definitions/<form_id>/<version>.json.

Old versions stay loaded forever because devices submit late, filled with the version they had.
"""

import json
from pathlib import Path

from .canonical import definition_hash
from .definitions import entities
from .lint import DefinitionError, lint_definition
from .upcasting import upcast_chain


class UnknownForm(LookupError):
    """No such form, form version or entity in the registry."""


def default_forms_dir():
    """The repository's forms/ directory."""
    return Path(__file__).resolve().parents[2] / "forms"


def load_registry(forms_dir=None):
    """Read, lint and index every definition; raises DefinitionError naming the bad file."""
    root = Path(forms_dir or default_forms_dir()) / "definitions"
    definitions = {}
    for path in sorted(root.glob("*/*.json")):
        try:
            definition = lint_definition(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, DefinitionError) as exc:
            raise DefinitionError([f"{path}: {exc}"]) from exc
        if path.parent.name != definition["form_id"] or path.stem != str(definition["version"]):
            raise DefinitionError([f"{path}: file name does not match form_id and version"])
        definitions[(definition["form_id"], definition["version"])] = definition
    return Registry(definitions)


class Registry:
    """All loaded definitions, with lookups by form, version and entity."""

    def __init__(self, definitions):
        self._definitions = dict(definitions)
        self._hashes = {key: definition_hash(value) for key, value in self._definitions.items()}
        self._entity_forms = {}
        self._entity_parents = {}
        for (form_id, version), definition in sorted(self._definitions.items()):
            for item in entities(definition):
                self._index_entity(form_id, version, item)

    def _index_entity(self, form_id, version, item):
        # Entity names are the sync protocol's and the database's: one form owns each, and its
        # place in the tree never changes between versions.
        name = item["entity"]
        owner = self._entity_forms.setdefault(name, form_id)
        parent = self._entity_parents.setdefault(name, item["parent"])
        if owner != form_id or parent != item["parent"]:
            raise DefinitionError([f"{form_id} v{version}: entity {name} changes form or parent"])

    def forms(self):
        """Form ids, sorted."""
        return sorted({form_id for form_id, _ in self._definitions})

    def versions(self, form_id):
        """Versions of a form, oldest first; raises UnknownForm."""
        found = sorted(version for fid, version in self._definitions if fid == form_id)
        if not found:
            raise UnknownForm(f"unknown form {form_id!r}")
        return found

    def get(self, form_id, version):
        """The definition of one form version; raises UnknownForm."""
        try:
            return self._definitions[(form_id, version)]
        except KeyError:
            raise UnknownForm(f"unknown form version {form_id!r} v{version!r}") from None

    def hash(self, form_id, version):
        """SHA-256 of the canonical JSON of one form version; raises UnknownForm."""
        self.get(form_id, version)
        return self._hashes[(form_id, version)]

    def summary(self, form_id, version):
        """{form_id, version, hash, title_zh, title_en} of one form version."""
        definition = self.get(form_id, version)
        return {"form_id": form_id, "version": version, "hash": self._hashes[(form_id, version)],
                "title_zh": definition["title_zh"], "title_en": definition["title_en"]}

    def current(self):
        """Summaries of the newest version of each form (what devices should fill now)."""
        return [self.summary(form_id, self.versions(form_id)[-1]) for form_id in self.forms()]

    def all_versions(self):
        """Summaries of every loaded form version, by form then version."""
        return [self.summary(form_id, version) for form_id, version in sorted(self._definitions)]

    def form_for_entity(self, entity):
        """The form id that owns an entity; raises UnknownForm."""
        try:
            return self._entity_forms[entity]
        except KeyError:
            raise UnknownForm(f"unknown entity {entity!r}") from None

    def parent_entity(self, entity):
        """The parent entity name of an entity (None for a root); raises UnknownForm."""
        self.form_for_entity(entity)
        return self._entity_parents[entity]

    def upcast(self, data, entity, from_version, to_version):
        """Data of `entity` filled with from_version, mapped onto to_version; raises UnknownForm."""
        form_id = self.form_for_entity(entity)
        steps = {version: self.get(form_id, version) for version in range(from_version + 1, to_version + 1)}
        self.get(form_id, from_version)
        return upcast_chain(steps, entity, data, from_version, to_version)
