"""The dashboard's figures and the lists over a generated history (bench/_scale_data.py, the scale benchmark's
generator) equal a plain count of the same rows: every record read back, filtered in Python by the dates in its data,
counted by hand.

Four districts × two and a half years (≈ 20,000 records) of sampling visits with samples and evaluations,
inspections with findings and rectification items, assistance visits and follow-ups, in every review state; the
periods asked are a recent month (drafts, returned and submitted work among it), a calendar year and the last twelve
months, by the province's commission supervisor and by each agency's supervisor of one district; the rectification
tracking and the review queue of a district, page by page.
"""
import datetime as dt
import math
from collections import Counter, defaultdict

import sqlalchemy as sa

from server.clock import months_before
from server.domain.record_views import RECTIFICATION_STATES, TRACKING_ORDER
from server.extensions import db
from server.models import Enterprise, NationalEntry, Record
from tests.scale import PASSWORD, generated_history
from tests.support import BUSINESS_NOW, login

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()
DATE_FIELD = {"sampling_visit": "sampling_date", "inspection": "inspection_date", "assistance_visit": "visit_date",
              "followup": "followup_date"}
COUNTED = ("submitted", "resubmitted", "approved")


def _generate(app):
    return generated_history(app, districts=4, months=30, end=TODAY, enterprises_per_district=60,
                             username_prefix="kr")


class History:
    """Every generated row, read back as stored, and the figures a person would count from them."""

    def __init__(self, built):
        regions = built.district_ids
        columns = [Record.id, Record.entity, Record.parent_id, Record.root_id, Record.region_id, Record.enterprise_id,
                   Record.data, Record.computed, Record.review_status, Record.deleted, Record.created_at]
        self.rows = db.session.execute(sa.select(*columns).where(Record.region_id.in_(regions))).all()
        self.entries = dict(db.session.execute(sa.select(NationalEntry.visit_id, NationalEntry.entered_on)).all())
        self.registry = Counter(db.session.scalars(sa.select(Enterprise.region_id)
                                                   .where(Enterprise.region_id.in_(regions))))
        self.children = defaultdict(list)
        for row in self.rows:
            if row.parent_id is not None:
                self.children[row.root_id].append(row)
        db.session.remove()

    def roots(self, date_from, date_to, regions, kinds, states=COUNTED):
        """Root records of these kinds and regions whose business date (in their data) lies in the period."""
        return [r for r in self.rows if r.parent_id is None and r.entity in kinds and r.region_id in regions
                and not r.deleted and r.review_status in states
                and date_from.isoformat() <= r.data[DATE_FIELD[r.entity]] <= date_to.isoformat()]

    def figures(self, date_from, date_to, regions, kinds=frozenset(DATE_FIELD)):
        roots = self.roots(date_from, date_to, regions, kinds)
        visits = [r for r in roots if r.entity == "sampling_visit"]
        samples = [c for v in visits for c in self.children[v.id] if c.entity == "sample" and not c.deleted]
        posts, hazards = Counter(), defaultdict(Counter)
        for visit in visits:
            evaluation = visit.computed["evaluation"]
            for group in evaluation["groups"] + evaluation["noise"]:
                if group["status"] == "evaluated":
                    result = group["evaluation"]["result"]
                    posts[result] += 1
                    hazards[group.get("hazard_key") or "noise"][result] += 1
        evaluated = sum(posts.values())
        not_entered = [v for v in visits if v.id not in self.entries
                       and (TODAY - dt.date.fromisoformat(v.data["sampling_date"])).days > 30]
        entered = [(self.entries[v.id] - dt.date.fromisoformat(v.data["sampling_date"])).days
                   for v in visits if v.id in self.entries]
        inspections = [r for r in roots if r.entity == "inspection"]
        items = [c for i in inspections for c in self.children[i.id] if c.entity == "rectification_item"]
        followups = [r for r in roots if r.entity == "followup"]
        assisted = {r.enterprise_id for r in roots if r.entity == "assistance_visit"}
        registry = sum(self.registry[region] for region in regions)
        returned = Counter(r.entity for r in self.roots(date_from, date_to, regions, kinds, states=("returned",)))
        return {
            "sampling": {"visits": len(visits), "enterprises_monitored": len({v.enterprise_id for v in visits}),
                         "samples": sum(s.data["sample_type"] != "blank" for s in samples),
                         "blanks": sum(s.data["sample_type"] == "blank" for s in samples),
                         "posts_evaluated": evaluated, "posts_nonconform": posts["nonconform"],
                         "exceedance_pct": round(posts["nonconform"] / evaluated * 100, 1) if evaluated else None,
                         "by_hazard": {k: (sum(c.values()), c["nonconform"]) for k, c in hazards.items()},
                         "entered": len(entered), "entry_overdue": len(not_entered),
                         "entered_within_month_pct": round(sum(d <= 30 for d in entered)
                                                           / (len(entered) + len(not_entered)) * 100, 1)
                         if entered or not_entered else None},
            "enforcement": {"inspections": len(inspections),
                            "enterprises_inspected": len({i.enterprise_id for i in inspections}),
                            "registry_enterprises": registry,
                            "coverage_pct": round(len({i.enterprise_id for i in inspections}) / registry * 100, 1),
                            "rectification": Counter(_item_state(item.data) for item in items)},
            "followup": {"followups": len(followups), "patients": len({f.data["case_no"] for f in followups}),
                         "outcomes": dict(Counter(f.data["vital_status"] for f in followups))},
            "assisted_enterprises": len(assisted),
            "returned": {kind: returned.get(kind, 0) for kind in DATE_FIELD},
        }


def _item_state(data):
    """A rectification item's state as the tracking page names it, judged today."""
    if data.get("closed_on"):
        return "closed"
    if data.get("status") == "reinspecting":
        return "reinspecting"
    days_left = (dt.date.fromisoformat(data["deadline"]) - TODAY).days
    return "overdue" if days_left < 0 else "due_soon" if days_left <= 7 else "open"


def _shown(body):
    """The same figures as the dashboard shows them."""
    sampling, enforcement = body["sampling"], body["enforcement"]
    return {
        "sampling": {key: sampling[key] for key in ("visits", "enterprises_monitored", "samples", "blanks",
                                                    "posts_evaluated", "posts_nonconform", "exceedance_pct", "entered",
                                                    "entry_overdue", "entered_within_month_pct")}
        | {"by_hazard": {row["key"]: (row["evaluated"], row["nonconform"]) for row in sampling["by_hazard"]}},
        "enforcement": {key: enforcement[key] for key in ("inspections", "enterprises_inspected",
                                                          "registry_enterprises", "coverage_pct")}
        | {"rectification": Counter({k: v for k, v in enforcement["rectification"].items() if v})},
        "followup": {key: body["followup"][key] for key in ("followups", "patients", "outcomes")},
        "assisted_enterprises": body["assistance"]["enterprises"],
        "returned": body["counted"]["returned"],
    }


def _kpis(caller, date_from, date_to):
    response = caller.get(f"/api/kpis?date_from={date_from.isoformat()}&date_to={date_to.isoformat()}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_kpis_of_a_generated_history_equal_a_plain_count_of_its_rows(app, client):
    built = _generate(app)
    assert 18000 <= built.records <= 24000, built.counts
    history = History(built)
    province = login(client, "kr_supervisor", PASSWORD)
    month = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    periods = {"October 2026": month, "calendar year 2025": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
               "last twelve months": (TODAY - dt.timedelta(days=364), TODAY)}
    regions = set(built.district_ids)
    for name, (date_from, date_to) in periods.items():
        body = _kpis(province, date_from, date_to)
        expected = history.figures(date_from, date_to, regions)
        assert _shown(body) == expected, name
        # Each district's line on the dashboard holds that district's work.
        lines = {line["region_id"]: line for line in body["districts"]}
        for region in regions:
            own = history.figures(date_from, date_to, {region})
            assert lines[region]["sampling"]["visits"] == own["sampling"]["visits"], (name, region)
            assert lines[region]["sampling"]["posts_nonconform"] == own["sampling"]["posts_nonconform"], (name, region)
            assert lines[region]["enforcement"]["inspections"] == own["enforcement"]["inspections"], (name, region)
            assert lines[region]["followup"]["followups"] == own["followup"]["followups"], (name, region)

    # The figures are a few queries whatever the size of the registry and the history (not one per enterprise,
    # district or team): the province's month asks about as many as one district's. The budget: the period's
    # records, registry facts and targets, and a few statements per register (patients, classification,
    # declarations, each ledger: 三同时, 放射诊疗, 专项治理).
    statements = []

    def count(_conn, _cursor, statement, *_rest):
        statements.append(statement)
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        _kpis(province, *month)
        province_count = len(statements)
        statements.clear()
        _kpis(login(client, f"{built.districts[0]['prefix']}_supervisor", PASSWORD), *month)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert province_count <= 60 and len(statements) <= 60, (province_count, len(statements))

    # The month really holds work in every state: drafts are left out, returned work is shown apart.
    expected = history.figures(*month, regions)
    assert expected["sampling"]["visits"] and expected["enforcement"]["inspections"]
    assert expected["followup"]["followups"]
    assert sum(expected["returned"].values()) > 0
    assert history.roots(*month, regions, set(DATE_FIELD), states=("draft",))
    assert expected["sampling"]["posts_nonconform"] > 0 and expected["enforcement"]["rectification"]

    # A district's own supervisors: the 执法大队 sees its inspections and the CDC's shared monitoring results; the
    # CDC its sampling, assistance and follow-ups, not the inspections.
    district = built.districts[0]
    supervision = _kpis(login(client, f"{district['prefix']}_supervisor", PASSWORD), *month)
    cdc = _kpis(login(client, f"{district['prefix']}_cdc_supervisor", PASSWORD), *month)
    region = {district["region_id"]}
    shown_supervision, shown_cdc = _shown(supervision), _shown(cdc)
    assert shown_supervision["enforcement"] == history.figures(*month, region)["enforcement"]
    assert shown_supervision["sampling"] == history.figures(*month, region)["sampling"]
    assert shown_supervision["followup"]["followups"] == 0
    assert shown_cdc["sampling"] == history.figures(*month, region)["sampling"]
    assert shown_cdc["followup"] == history.figures(*month, region)["followup"]
    assert shown_cdc["assisted_enterprises"] == history.figures(*month, region)["assisted_enterprises"]
    assert shown_cdc["enforcement"]["inspections"] == 0


def test_the_lists_of_a_generated_history_equal_a_plain_count_of_its_rows(app, client):
    built = _generate(app)
    history = History(built)
    district = built.districts[0]
    supervisor = login(client, f"{district['prefix']}_supervisor", PASSWORD)

    # Rectification tracking: every open item of the district, whatever its age, and those closed in the last twelve
    # months; the most urgent first, page by page, each item once.
    since = months_before(TODAY, 12)
    items = [r for r in history.rows if r.entity == "rectification_item" and not r.deleted
             and r.region_id == district["region_id"]]
    listed = {r.id: _item_state(r.data) for r in items
              if not r.data.get("closed_on") or since.isoformat() <= r.data["closed_on"] <= TODAY.isoformat()}
    expected = Counter(listed.values())
    assert expected["overdue"] and expected["closed"] and len(listed) < len(items)  # older closures left out
    first = supervisor.get("/api/rectifications?per_page=100").get_json()
    assert first["summary"] == {state: expected.get(state, 0) for state in RECTIFICATION_STATES}
    assert first["total"] == len(listed)
    seen = []
    for page in range(1, math.ceil(first["total"] / 100) + 1):
        body = supervisor.get(f"/api/rectifications?per_page=100&page={page}").get_json()
        seen += [(item["id"], item["status"]) for item in body["items"]]
        # Each notice on the page is counted whole: all its items, closed or not, listed or not.
        for key, counts in body["notices"].items():
            own = [r for r in items if (r.data.get("document_id") or r.root_id) == key]
            assert counts == {"total": len(own), "closed": sum(_item_state(r.data) == "closed" for r in own),
                              "overdue": sum(_item_state(r.data) == "overdue" for r in own)}
    assert dict(seen) == listed and len(seen) == len(listed)
    states = [state for _, state in seen]
    assert states == sorted(states, key=TRACKING_ORDER.index)
    overdue = supervisor.get("/api/rectifications?status=overdue&per_page=200").get_json()
    assert {item["id"] for item in overdue["items"]} == {i for i, s in listed.items() if s == "overdue"}

    # The review queue of the district's 执法大队: its inspections waiting for a decision, newest received first.
    waiting = sorted((r for r in history.rows if r.parent_id is None and r.entity == "inspection" and not r.deleted
                      and r.region_id == district["region_id"] and r.review_status == "submitted"),
                     key=lambda r: r.created_at, reverse=True)
    queue = supervisor.get("/api/records?status=submitted&per_page=200").get_json()
    assert queue["total"] == len(waiting) and not queue["total_more"]
    assert [line["id"] for line in queue["items"]] == [r.id for r in waiting][:200]
