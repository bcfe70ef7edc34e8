"""The 三同时 stages of a construction project against a frozen day (domain/projects.py with the shipped
project_stage_rules): which stages each hazard class needs, when each is due, and the file's state."""
import datetime as dt
import json

import pytest

from server.domain.projects import (DATE_LABELS, HAZARD_LEVELS, file_state, implemented_on_time, next_stage,
                                    project_stages, rules_of)
from server.domain.references import default_path, read_table
from server.form_registry import entity_spec, field_map, load_registry
from tests.support import BUSINESS_NOW

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()
RULES = rules_of(read_table(default_path("projects", "stage_rules.json"), "project_stage_rules")["rows"], TODAY)
STAGES = ("pre_assessment", "protection_design", "control_evaluation", "acceptance")


def day(offset):
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def stages_of(data, today=TODAY):
    return {s.key: s for s in project_stages(RULES, data, today)}


def project(level="general", **dates):
    return {"project_name": "项目", "project_code": "P-1", "hazard_level": level, **dates}


def test_the_four_stages_come_in_the_order_of_the_work():
    assert [rule.key for rule in RULES] == list(STAGES)
    assert [rule.title_zh for rule in RULES] == ["职业病危害预评价", "职业病防护设施设计", "职业病危害控制效果评价",
                                                  "职业病防护设施竣工验收"]


@pytest.mark.parametrize("level", sorted(HAZARD_LEVELS))
def test_every_hazard_class_needs_all_four_stages_as_order_90_says(level):
    # 令第90号 第九、十五、二十四条 and 职业病防治法 第十八条 name no class that may skip a stage.
    stages = stages_of(project(level))
    assert all(stages[key].status != "not_required" for key in STAGES)


def test_a_class_a_district_exempts_from_a_stage_is_not_held_to_it():
    rows = read_table(default_path("projects", "stage_rules.json"), "project_stage_rules")["rows"]
    edited = [dict(row, required_levels=["serious"]) if row["key"] == "protection_design" else row for row in rows]
    rules = rules_of(edited, TODAY)
    general = {s.key: s for s in project_stages(rules, project("general", construction_start=day(-10)), TODAY)}
    serious = {s.key: s for s in project_stages(rules, project("serious", construction_start=day(-10)), TODAY)}
    assert general["protection_design"].status == "not_required"
    assert serious["protection_design"].status == "overdue"


def test_the_pre_assessment_is_due_by_the_approval_else_by_the_start_of_construction():
    approved = stages_of(project(approval_date=day(-5), construction_start=day(40)))["pre_assessment"]
    assert (approved.status, approved.due_on.isoformat()) == ("overdue", day(-5))
    unapproved = stages_of(project(construction_start=day(20)))["pre_assessment"]
    assert (unapproved.status, unapproved.due_on.isoformat()) == ("due", day(20))
    assert stages_of(project())["pre_assessment"].status == "undated"


def test_the_design_is_due_before_construction_starts():
    design = stages_of(project("serious", construction_start=day(31)))["protection_design"]
    assert (design.status, design.due_on.isoformat()) == ("pending", day(31))
    assert stages_of(project("serious", construction_start=day(30)))["protection_design"].status == "due"
    assert stages_of(project("serious", construction_start=day(0)))["protection_design"].status == "due"
    assert stages_of(project("serious", construction_start=day(-1)))["protection_design"].status == "overdue"


@pytest.mark.parametrize("stage", ["control_evaluation", "acceptance"])
def test_evaluation_and_acceptance_are_due_by_the_end_of_the_longest_trial_operation(stage):
    # 第二十三条: the trial operation lasts 30 to 180 days; the evaluation and the acceptance fall within it.
    running = stages_of(project("heavier", construction_start=day(-400), trial_run_start=day(-170),
                                planned_completion=day(200)))[stage]
    assert (running.status, running.due_on.isoformat()) == ("due", day(10))
    lapsed = stages_of(project("heavier", construction_start=day(-400), trial_run_start=day(-181)))[stage]
    assert lapsed.status == "overdue" and lapsed.due_on.isoformat() == day(-1)
    # No trial operation on file: by the planned completion.
    planned = stages_of(project("heavier", construction_start=day(-100), planned_completion=day(90)))[stage]
    assert (planned.status, planned.due_on.isoformat()) == ("pending", day(90))


def test_a_stage_done_in_time_late_or_only_planned():
    data = project(approval_date=day(-100), pre_assessment_done_on=day(-120))
    assert stages_of(data)["pre_assessment"].status == "done"
    late = stages_of({**data, "pre_assessment_done_on": day(-50)})["pre_assessment"]
    assert late.status == "late" and late.done_on.isoformat() == day(-50)
    # A completion date ahead of today is a plan, not a completion: the stage is still overdue.
    assert stages_of({**data, "pre_assessment_done_on": day(3)})["pre_assessment"].status == "overdue"


ALL_DONE = {"approval_date": day(-400), "construction_start": day(-300), "trial_run_start": day(-100),
            "pre_assessment_done_on": day(-410), "protection_design_done_on": day(-310),
            "control_evaluation_done_on": day(-30), "acceptance_done_on": day(-20)}


@pytest.mark.parametrize("name, level, data, state, on_time", [
    ("every stage done in time", "serious", ALL_DONE, "done", True),
    ("the acceptance overdue", "serious", {**ALL_DONE, "acceptance_done_on": None, "trial_run_start": day(-200)},
     "overdue", False),
    ("the acceptance due within 30 days", "general", {**ALL_DONE, "acceptance_done_on": None,
                                                      "trial_run_start": day(-160)}, "due", True),
    ("in construction, the evaluation due at the planned completion", "heavier",
     {**ALL_DONE, "trial_run_start": None, "control_evaluation_done_on": None, "acceptance_done_on": None,
      "planned_completion": day(120)}, "ongoing", True),
    ("in construction, no date the evaluation counts from", "heavier",
     {**ALL_DONE, "trial_run_start": None, "control_evaluation_done_on": None, "acceptance_done_on": None},
     "incomplete", False),
    ("no hazard class", None, {**ALL_DONE, "acceptance_done_on": None, "trial_run_start": day(-10)},
     "incomplete", False),
    ("no hazard class does not hide an overdue stage", None, {"approval_date": day(-3)}, "overdue", False),
    ("a stage done late counts against the rate", "general", {**ALL_DONE, "protection_design_done_on": day(-200)},
     "done", False),
])
def test_the_state_of_a_file(name, level, data, state, on_time):
    data = {k: v for k, v in project(level, **data).items() if v is not None}
    stages = project_stages(RULES, data, TODAY)
    assert file_state(data, stages) == state, name
    assert implemented_on_time(data, stages) is on_time, name


def test_the_next_stage_is_the_first_one_not_done():
    data = project(approval_date=day(-30), pre_assessment_done_on=day(-40), construction_start=day(60))
    coming = next_stage(project_stages(RULES, data, TODAY))
    assert (coming.key, coming.due_on.isoformat()) == ("protection_design", day(60))
    assert next_stage(project_stages(RULES, project("serious", **ALL_DONE), TODAY)) is None


def test_the_words_of_the_ledger_are_the_forms_words():
    definition = load_registry().get("construction_project", 1)
    fields = field_map(entity_spec(definition, "construction_project"))
    assert {c["value"]: c["label_zh"] for c in fields["hazard_level"]["choices"]} == HAZARD_LEVELS
    assert {name: fields[name]["label_zh"] for name in DATE_LABELS} == DATE_LABELS
    # Every stage has its completion date in the form, and counts from dates the form has.
    for rule in RULES:
        assert fields[f"{rule.key}_done_on"]["type"] == "date"
        assert all(fields[name]["type"] == "date" for name, _days in rule.anchors)


def test_the_stage_rules_cite_order_90_with_their_confidence():
    table = read_table(default_path("projects", "stage_rules.json"), "project_stage_rules")
    assert "令第90号" in table["source"]
    for row in table["rows"]:
        assert row["confidence"] == "third_party" and row["verified"] is False
        assert any(source.startswith("令第90号") for source in row["sources"]), row["key"]
        assert row["provision_zh"] and set(row["required_levels"]) <= set(HAZARD_LEVELS)
    days = {row["key"]: [a["days"] for a in row["due_anchors"]] for row in table["rows"]}
    assert days["control_evaluation"][0] == days["acceptance"][0] == 180  # 第二十三条: at most 180 days
    json.dumps(table)  # plain data: admins edit it like any reference table

