"""双随机、一公开: a draw anyone can repeat from its public page, whose assignments reach the inspectors; exact per-class
sampling that never turns 10 % of a one-enterprise class into the whole class; ratios each district sets, audited."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from server.domain.draws import ALGORITHM, draw, quota
from server.extensions import db
from server.models import AuditEntry
from tests.support import district, error_of, login
from tests.sync.tablets import Tablet

ROOT = Path(__file__).resolve().parents[2]


def _create(supervisor, **extra):
    response = supervisor.post("/api/draws", json={"title": "2026年第二季度职业卫生双随机抽查",
                                                    "region_id": district("临河区").id, "scheme": "class_pilot_2023",
                                                    "due_date": "2026-06-30", **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("n, ratio, drawn", [
    (1, 10, 0), (1, 50, 0), (1, 51, 1), (1, 100, 1), (5, 10, 0), (15, 10, 2), (25, 10, 2), (3, 30, 1),
    (10, 30, 3), (11, 30, 3), (0, 100, 0), (7, 0, 0), (20, 100, 20),
])
def test_each_class_draws_exactly_round_half_even_of_its_ratio(n, ratio, drawn):
    assert quota(n, ratio) == drawn


def test_a_ten_percent_ratio_never_draws_the_single_enterprise_of_a_class(client):
    drawn = _create(login(client, "lh_supervisor"))
    pools, ratios = drawn["inputs"]["enterprises"], drawn["inputs"]["ratios"]
    assert ratios["甲"] == 10 and len(pools["甲"]) == 1  # 临河区 has one 甲 (lowest-risk) enterprise
    assert drawn["result"]["enterprises"]["甲"] == []
    assert set(drawn["result"]["enterprises"]["丙"]) == {c["id"] for c in pools["丙"]}  # the riskiest: all of them
    assert len(drawn["result"]["enterprises"]["乙"]) == quota(len(pools["乙"]), 30)
    assert drawn["result"]["pairs"] and all(len(pair) == 2 for pair in drawn["result"]["pairs"])
    assert len(drawn["result"]["assignments"]) == sum(len(v) for v in drawn["result"]["enterprises"].values())


def test_repeating_a_draw_with_its_recorded_seed_and_inputs_gives_the_same_result(client):
    supervisor = login(client, "lh_supervisor")
    drawn = _create(supervisor)
    again = supervisor.get(f"/api/draws/{drawn['id']}/reproduce").get_json()
    assert again["reproduced"] is True and again["result"] == drawn["result"]
    assert drawn["inputs"]["algorithm"] == ALGORITHM
    assert draw(drawn["inputs"], drawn["seed"]) == drawn["result"]
    assert _create(supervisor, seed=drawn["seed"])["result"]["enterprises"] == drawn["result"]["enterprises"]
    # Another seed draws another set: of 20 other seeds, one at least differs (three could all draw the same few
    # enterprises of a small class by chance).
    other = [_create(supervisor, seed=str(int(drawn["seed"]) + k))["result"]["enterprises"]["乙"] for k in range(1, 21)]
    assert any(sorted(o) != sorted(drawn["result"]["enterprises"]["乙"]) for o in other)


def test_draws_made_with_the_first_procedure_are_still_reproduced():
    inputs = {"region_id": 1, "scheme": "class_pilot_2023", "ratios": {"乙": 50},
              "enterprises": {"乙": ["a", "b", "c"]}, "inspectors": [1, 2]}
    first = draw(inputs, "42")
    assert len(first["enterprises"]["乙"]) == 2  # rounded up then: 1.5 → 2
    assert draw(inputs, "42") == first


def test_the_public_page_lists_every_candidate_and_the_script_recomputes_the_draw(client, tmp_path):
    drawn = _create(login(client, "lh_supervisor"), seed="20261120")
    body = client.get(f"/api/public/draws/{drawn['id']}").get_json()
    assert body["seed"] == "20261120" and body["algorithm"] == ALGORITHM
    listed = {c["label"]: c for c in body["classes"]}
    assert sum(c["candidates"] for c in body["classes"]) == sum(len(p) for p in drawn["inputs"]["enterprises"].values())
    assert all(re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", e["credit_code"]) and e["name"]
               for c in body["classes"] for e in c["candidate_list"])
    assert listed["甲"]["ratio_pct"] == 10 and listed["甲"]["candidates"] == 1 and listed["甲"]["drawn"] == 0
    page = client.get(f"/public/draws/{drawn['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "20261120" in html and "全部候选单位" in html
    assert all(e["credit_code"] in html for c in body["classes"] for e in c["candidate_list"])
    saved = tmp_path / "draw.html"
    saved.write_text(html, encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "recompute_draw.py"), str(saved), "--json"],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["same_as_published"] is True
    assert [d["credit_code"] for d in out["drawn"]] == [a["credit_code"] for a in body["assignments"]]
    assert client.get("/public/draws/unknown").status_code == 404


def test_the_script_says_when_a_published_result_was_altered(client, tmp_path):
    drawn = _create(login(client, "lh_supervisor"), seed="7")
    body = client.get(f"/api/public/draws/{drawn['id']}").get_json()
    published = {a["credit_code"] for a in body["assignments"]}
    stranger = next(e for c in body["classes"] for e in c["candidate_list"] if e["credit_code"] not in published)
    body["assignments"][0]["credit_code"] = stranger["credit_code"]  # a page that names another enterprise as drawn
    saved = tmp_path / "draw.json"
    saved.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "recompute_draw.py"), str(saved)],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 1 and "不一致" in run.stdout


def test_assignments_reach_the_inspectors_tablets(client):
    drawn = _create(login(client, "lh_supervisor"))
    tablet = Tablet(login(client, "lh_inspector"))
    tablet.pull()
    received = {v["data"]["enterprise_name"]: v["data"] for v in tablet.replica.values() if v["entity"] == "assignment"}
    assert len(received) == len(drawn["result"]["assignments"])
    some = next(iter(received.values()))
    assert some["title"] == "2026年第二季度职业卫生双随机抽查" and some["due_date"] == "2026-06-30"
    assert len(some["inspector_names"]) == 2 and all(some["inspector_names"])
    other = Tablet(login(client, "dg_inspector"))
    other.pull()
    assert not [v for v in other.replica.values() if v["entity"] == "assignment"]


def test_a_ratio_the_district_sets_is_used_by_its_next_draw_and_audited(client):
    supervisor = login(client, "lh_supervisor")
    region = district("临河区").id
    table = supervisor.get(f"/api/draw-ratios?region_id={region}").get_json()
    assert {r["label"]: r["ratio_pct"] for r in table["items"]}["乙"] == 30
    changed = supervisor.put("/api/draw-ratios", json={"region_id": region, "label": "乙", "ratio_pct": 100,
                                                       "reason": "临卫监〔2026〕12号 年度抽查计划"})
    assert changed.status_code == 200, changed.get_json()
    row = {r["label"]: r for r in changed.get_json()["items"]}["乙"]
    assert row["ratio_pct"] == 100 and row["source"] == "district" and row["updated_by_name"] == "孙伟"
    assert changed.get_json()["history"][0]["before"] == 30 and changed.get_json()["history"][0]["after"] == 100
    drawn = _create(supervisor)
    assert drawn["inputs"]["ratios"]["乙"] == 100
    assert len(drawn["result"]["enterprises"]["乙"]) == len(drawn["inputs"]["enterprises"]["乙"])
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "draw.ratio"))
    assert entry.details["reason"].startswith("临卫监") and entry.details["after"] == 100
    # 东港区's ratios are untouched.
    other = login(client, "dg_supervisor").get(f"/api/draw-ratios?region_id={district('东港区').id}").get_json()
    assert {r["label"]: r["ratio_pct"] for r in other["items"]}["乙"] == 30


@pytest.mark.parametrize("username, region, status, code", [
    ("lh_inspector", "临河区", 403, "FORBIDDEN"),
    ("lh_cdc_supervisor", "临河区", 403, "AGENCY_KIND"),
    ("city_supervisor", "临河区", 403, "AGENCY_KIND"),
    ("dg_supervisor", "临河区", 422, "VALIDATION_ERROR"),
])
def test_only_the_districts_supervision_agency_changes_its_ratios(client, username, region, status, code):
    response = login(client, username).put("/api/draw-ratios", json={
        "region_id": district(region).id, "label": "甲", "ratio_pct": 0, "reason": "试"})
    assert response.status_code == status and error_of(response)["code"] == code
    assert error_of(response)["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "draw.ratio")) == 0


@pytest.mark.parametrize("payload, field", [
    ({"label": "丁", "ratio_pct": 10, "reason": "x"}, "label"),
    ({"label": "甲", "ratio_pct": 101, "reason": "x"}, "ratio_pct"),
    ({"label": "甲", "ratio_pct": 5, "reason": " "}, "reason"),
    ({"label": "甲", "ratio_pct": 5}, "reason"),
])
def test_a_bad_ratio_is_refused_with_the_field_named(client, payload, field):
    response = login(client, "lh_supervisor").put("/api/draw-ratios", json={"region_id": district("临河区").id,
                                                                             **payload})
    assert response.status_code == 422
    assert any(d["field"] == field and d["message"] for d in error_of(response)["details"])


def test_inspectors_outside_the_district_cannot_be_drawn(client):
    supervisor = login(client, "lh_supervisor")
    outsider = login(client, "dg_inspector").tokens["user"]["id"]
    insider = login(client, "lh_inspector").tokens["user"]["id"]
    response = supervisor.post("/api/draws", json={"title": "x", "region_id": district("临河区").id,
                                                    "scheme": "class_pilot_2023", "inspector_ids": [insider, outsider]})
    assert response.status_code == 422
    assert any(d["field"].startswith("inspector_ids") for d in error_of(response)["details"])
    assert supervisor.get("/api/draws").get_json()["items"] == []


@pytest.mark.parametrize("username, status", [("lh_inspector", 403), ("lh_cdc_supervisor", 403)])
def test_field_staff_and_the_cdc_cannot_draw(client, username, status):
    response = login(client, username).post("/api/draws", json={"title": "x", "region_id": district("临河区").id,
                                                                 "scheme": "class_pilot_2023"})
    assert response.status_code == status
