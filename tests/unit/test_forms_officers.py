"""Officer fields: a definition names where the chosen person's name is kept, and a new inspection on the tablet
starts with the officers the roster allows (the server would refuse anyone else)."""
import copy

import pytest

from server.form_registry import DefinitionError, lint_definition, load_registry
from tests.support import node_json

REGISTRY = load_registry()


def _officer(definition, name_field):
    definition = copy.deepcopy(definition)
    for section in definition["entities"][0]["sections"]:
        for field in section["fields"]:
            if field["id"] == "officer_2_id":
                field["name_field"] = name_field
    return definition


@pytest.mark.parametrize("name_field", ["officer_2_nmae", "inspection_date", 7])
def test_an_officer_field_keeps_its_name_only_in_a_text_field_of_its_entity(name_field):
    with pytest.raises(DefinitionError, match="name_field must name a text field"):
        lint_definition(_officer(REGISTRY.get("enforcement_checklist", 2), name_field))


def test_the_published_forms_choose_both_officers_from_the_roster():
    for form_id in ("enforcement_checklist", "reinspection"):
        definition = REGISTRY.get(form_id, REGISTRY.versions(form_id)[-1])
        fields = {f["id"]: f for s in definition["entities"][0]["sections"] for f in s["fields"]}
        for n in (1, 2):
            assert fields[f"officer_{n}_id"]["type"] == "officer"
            assert fields[f"officer_{n}_id"]["name_field"] == f"officer_{n}_name"


FIRST_OFFICERS = """
import { FLOWS, initialData } from "./pwa/static/js/flows.js";
const flow = FLOWS.find((f) => f.id === "inspection");
const roster = [{ id: 12, name: "张建国", cert_no: "020001" }, { id: 13, name: "刘洋", cert_no: "020002" }];
const officers = (given) => Object.fromEntries(Object.entries(initialData(flow, given))
  .filter(([key]) => key.startsWith("officer_")));
process.stdout.write(JSON.stringify({
  pair: officers({ displayName: "张建国", userId: 12, partner: { id: "13", name: "刘洋（旧名）" }, roster }),
  admin: officers({ displayName: "系统管理员", userId: 1, partner: { id: "13", name: "刘洋" }, roster }),
  departed: officers({ displayName: "张建国", userId: 12, partner: { id: "40", name: "已调离" }, roster }),
  no_roster_yet: officers({ displayName: "张建国", userId: 12, partner: null, roster: [] }),
}));
"""


def test_a_new_inspection_names_only_officers_on_the_roster_as_the_roster_names_them():
    result = node_json(FIRST_OFFICERS)
    assert result["pair"] == {"officer_1_id": "12", "officer_1_name": "张建国", "officer_2_id": "13",
                              "officer_2_name": "刘洋"}
    assert result["admin"] == {"officer_2_id": "13", "officer_2_name": "刘洋"}  # an admin is no officer: chosen later
    assert result["departed"] == {"officer_1_id": "12", "officer_1_name": "张建国"}
    assert result["no_roster_yet"] == {"officer_1_id": "12", "officer_1_name": "张建国"}
