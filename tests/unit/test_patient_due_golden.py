"""When a patient is due a follow-up, by the server's rule (domain/patients.py) and the tablet's
(pwa/static/js/patient_rules.js): the same golden cases, the same answers — a worker offline sees the due list the
office sees."""
import datetime as dt
import json
from pathlib import Path

import pytest

from server.domain.patients import due_state
from tests.support import node_json

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "golden" / "patient_due.json").read_text(encoding="utf-8"))["cases"]
TABLET = """
import { readFileSync } from "node:fs";
import { dueState } from "./pwa/static/js/patient_rules.js";
const { cases } = JSON.parse(readFileSync(%s, "utf8"));
process.stdout.write(JSON.stringify(cases.map((c) => dueState(c.data, c.last, c.today, c.period))));
"""


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_server_says_when_a_patient_is_due(case):
    last = dt.date.fromisoformat(case["last"]) if case["last"] else None
    state, due = due_state(case["data"], last, dt.date.fromisoformat(case["today"]), case["period"])
    assert [state, due.isoformat() if due else None] == case["expect"]


def test_the_tablet_says_the_same():
    answers = node_json(TABLET % json.dumps(str(ROOT / "tests" / "golden" / "patient_due.json")))
    assert answers == [case["expect"] for case in CASES]
