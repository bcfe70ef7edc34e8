"""Chinese to people, keys to machines: every screen of the field app and the office, opened as its users open it
over the demo district (every form, every lifecycle state), in both languages, shows no option key, field id,
reference key, status key, UUID, None / null / undefined / NaN or float repr. (Documents and exports are checked in
tests/documents/test_wording_documents.py and tests/supervision/test_exports.py.)"""
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from server.demo.work import seed_demo_work, services_of
from server.extensions import db
from server.models import Enterprise, Record

from .tablet import FieldTablet, wait_until

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
JUNK = re.compile(r"(?<![A-Za-z])(None|null|undefined|NaN|\[object Object\])(?![A-Za-z])|(?<![\d.])\d+\.\d{5,}(?!\d)")
STATES = {"draft", "submitted", "returned", "resubmitted", "approved", "open", "due_soon", "overdue", "closed",
          "reinspecting", "handed_over", "laboratory", "evaluation", "review", "reported", "entered", "sampler",
          "inspector", "assistant", "followup", "supervisor", "conform", "nonconform", "undetermined", "pending"}
VISIT_STEPS = ("header", "samples", "noise", "evaluation", "print", "submit", "handover")
INSPECTION_STEPS = ("info", "checklist", "findings", "notice", "sign", "issue")


def _keys():
    """(every key a person must never read, the snake_case ones: also never in the English UI)."""
    keys = set(STATES)
    for path in (ROOT / "forms" / "definitions").rglob("*.json"):
        for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]:
            keys.add(entity["entity"])
            for section in entity["sections"]:
                for field in section["fields"]:
                    keys.add(field["id"])
                    keys |= {choice["value"] for choice in field.get("choices") or []}
    for path in (ROOT / "reference").rglob("*.json"):
        keys |= {row["key"] for row in json.loads(path.read_text(encoding="utf-8")).get("rows", []) if row.get("key")}
    keys = {k for k in keys if len(k) >= 4 and re.fullmatch(r"[a-z][a-z0-9_]*", k)}
    return keys, {k for k in keys if "_" in k}


def _english_labels():
    """The forms' own English labels that read like a raw value ("None" is the English of the choice 无)."""
    labels = set()
    for path in (ROOT / "forms" / "definitions").rglob("*.json"):
        for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]:
            for section in entity["sections"]:
                for field in section["fields"]:
                    labels |= {choice.get("label_en") for choice in field.get("choices") or []}
    return {label for label in labels if label and JUNK.fullmatch(label)}


def _hits(text, keys, allowed=frozenset()):
    found = [m.group(0) for m in UUID.finditer(text)] + [m.group(0) for m in JUNK.finditer(text)
                                                         if m.group(0) not in allowed]
    words = set(re.findall(r"(?<![A-Za-z0-9_])[a-z][a-z0-9_]*(?![A-Za-z0-9_])", text))
    return sorted(set(found) | (words & keys))


def _routes(app):
    """Each demo user's screens, with the ids of the demo district's records."""
    with app.app_context():
        def first(entity, **where):
            query = sa.select(Record.id).where(Record.entity == entity, Record.deleted.is_(False),
                                               Record.region_id == db.session.scalar(
                                                   sa.select(Enterprise.region_id).limit(1)))
            for name, value in where.items():
                query = query.where(getattr(Record, name) == value)
            return db.session.scalars(query.order_by(Record.created_at)).first()
        visit, draft_visit = first("sampling_visit", review_status="approved"), first("sampling_visit", review_status="draft")
        inspection, reinspection = first("inspection", review_status="approved"), first("reinspection")
        assistance, followup = first("assistance_visit", review_status="submitted"), first("followup", review_status="submitted")
        returned = first("followup", review_status="returned")
        patient = first("patient")
        enterprise = db.session.scalar(sa.select(Record.enterprise_id).where(Record.id == visit))
        db.session.remove()
    return {
        "lh_sampler": ["#/home", "#/enterprises", f"#/enterprise/{enterprise}", "#/conflicts", "#/sync",
                       *(f"#/visit/{draft_visit}/{step}" for step in VISIT_STEPS),
                       *(f"#/visit/{visit}/{step}" for step in ("evaluation", "print", "handover"))],
        "lh_inspector": ["#/home", *(f"#/inspection/{inspection}/{step}" for step in INSPECTION_STEPS),
                         *(f"#/reinspection/{reinspection}/{step}" for step in ("info", "items", "issue"))],
        "lh_assistant": ["#/home", f"#/record/{assistance}"],
        "lh_followup": ["#/home", f"#/record/{returned}", "#/patients", f"#/patient/{patient}"],
        "lh_lab": ["#/lab", "#/lab?state=all", f"#/lab/{visit}"],
        "lh_cdc_supervisor": ["#/review", f"#/review/record/{visit}", f"#/review/record/{assistance}",
                              f"#/review/record/{followup}", "#/review/conflicts", "#/dashboard", "#/exports",
                              "#/numbers", "#/lab?state=all", f"#/lab/{visit}"],
        "lh_supervisor": ["#/review", f"#/review/record/{inspection}", "#/rectifications", "#/draws", "#/dashboard",
                          "#/review/conflicts"],
        "admin": ["#/admin/users", "#/admin/devices", "#/admin/enterprises", "#/admin/reference", "#/admin/forms"],
    }


def _shown(page, route):
    """The text a person reads once the screen has drawn (it stops changing)."""
    wait_until(page, "(h) => document.documentElement.dataset.route === h", arg=route)
    page.wait_for_load_state("networkidle")
    previous = None
    for _ in range(20):
        text = page.evaluate("document.body.innerText")
        if text == previous:
            return text
        previous = text
        page.wait_for_timeout(150)
    return previous


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_screen_shows_a_key_a_uuid_or_a_raw_value(new_context, live_server, language):
    with live_server.app.app_context():
        seed_demo_work(services_of(live_server.app, db.session))
        db.session.remove()
    keys, snake = _keys()
    forbidden = keys if language == "zh" else snake
    allowed = _english_labels() if language == "en" else frozenset()
    assert language == "zh" or allowed == {"None"}  # the English of 无, and nothing else that reads like a raw value
    found = {}
    for username, routes in _routes(live_server.app).items():
        user = FieldTablet(new_context(), live_server).login(username)
        user.page.evaluate("(lang) => localStorage.setItem('lang', lang)", language)
        user.page.reload()
        user.page.wait_for_selector("html[data-ready]")
        for route in routes:
            user.page.evaluate("(h) => { location.hash = h; }", route)
            hits = _hits(_shown(user.page, route.split("?")[0] if "?" not in route else route), forbidden, allowed)
            if hits:
                found[f"{username} {route}"] = hits
        assert user.errors == [], (username, user.errors)
        user.page.context.close()
    assert found == {}
