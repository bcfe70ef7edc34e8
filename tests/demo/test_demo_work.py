"""The demo work `make run` loads (server/demo/work.py): what a new user finds after logging in — every lifecycle in
motion, dated back from today on the business clock — seen through the API as the users see it."""
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from server.demo.work import seed_demo_work, services_of
from server.extensions import db
from server.models import Conflict, Document, Record, User
from tests.support import error_of, login
from tests.sync.tablets import Tablet

HANDED_IN = {"submitted", "resubmitted", "approved"}  # what figures and exports count (domain/reviews.py)
REVIEWED = {"lh_cdc_supervisor": ("sampling_visit", "assistance_visit", "followup"),
            "dg_cdc_supervisor": ("sampling_visit", "assistance_visit", "followup"),
            "lh_supervisor": ("inspection",), "dg_supervisor": ("inspection",)}


@pytest.fixture
def demo(app, clock):
    """The demo city with its past weeks of work, loaded as `flask seed-demo` loads it; returns today."""
    seed_demo_work(services_of(app, db.session))
    db.session.remove()
    return clock.today()


def _queue(caller, query=""):
    body = caller.get(f"/api/records?per_page=200{query}").get_json()
    assert body["total"] == len(body["items"])
    return body["items"]


def _chinese(text):
    return bool(text) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_each_supervisor_finds_drafts_submitted_returned_and_approved_work_of_their_agency(client, demo):
    seen = {}
    for username, kinds in REVIEWED.items():
        supervisor = login(client, username)
        items = _queue(supervisor)
        assert {item["entity"] for item in items} >= set(kinds)
        for kind in kinds:
            states = {item["review_status"] for item in items if item["entity"] == kind}
            assert {"draft", "submitted", "returned", "approved"} <= states, (username, kind, states)
        returned = [item for item in items if item["review_status"] == "returned"]
        assert len(returned) == len(kinds) and all(_chinese(item["review_comment"]) for item in returned)
        # The record dates lie in the past weeks, before today on the business clock; 临河区 also keeps this year's
        # and last year's routine work (server/demo/year.py), 东港区 only the past weeks.
        dates = {dt.date.fromisoformat(item["record_date"]) for item in items}
        earliest = dt.date(demo.year - 1, 1, 1) if username.startswith("lh_") else demo - dt.timedelta(days=60)
        assert max(dates) < demo and min(dates) >= earliest
        # Approve / return are offered on handed-in work only.
        submitted = next(item for item in items if item["review_status"] == "submitted")
        detail = supervisor.get(f"/api/records/{submitted['id']}").get_json()
        assert {"approve", "return"} <= set(detail["record"]["actions"])
        approved = next(item for item in items if item["review_status"] == "approved")
        assert approved["locked"] == "approved"
        assert supervisor.get(f"/api/records/{approved['id']}").get_json()["record"]["actions"] == []
        seen[username] = {item["id"] for item in items}
    assert not seen["lh_cdc_supervisor"] & seen["dg_cdc_supervisor"]  # each district sees its own agency's work
    assert not seen["lh_supervisor"] & seen["dg_supervisor"]
    assert not seen["lh_supervisor"] & seen["lh_cdc_supervisor"]
    # The CDC's 科长 also has a sampling visit that came back corrected after its return.
    cdc = login(client, "lh_cdc_supervisor")
    resubmitted = _queue(cdc, "&status=resubmitted")
    assert [item["entity"] for item in resubmitted] == ["sampling_visit"]
    history = cdc.get(f"/api/records/{resubmitted[0]['id']}").get_json()["history"]
    assert [h["op"] for h in history if h["record_id"] == resubmitted[0]["id"] and h["op"] in
            ("submit", "return", "resubmit")] == ["submit", "return", "resubmit"]


def test_the_field_user_finds_the_reviewers_comment_on_the_returned_record(client, demo):
    supervisor = login(client, "lh_cdc_supervisor")
    returned = _queue(supervisor, "&status=returned&entity=sampling_visit")
    assert len(returned) == 1
    tablet = Tablet(login(client, "lh_sampler"))  # a new tablet: everything arrives by sync
    tablet.pull()
    payload = tablet.replica[returned[0]["id"]]["payload"]
    assert payload["review_status"] == "returned"
    assert payload["review_comment"] == returned[0]["review_comment"] and _chinese(payload["review_comment"])
    visits = [r for r in tablet.replica.values() if r["entity"] == "sampling_visit"]
    assert {r["payload"]["review_status"] for r in visits} == {"draft", "submitted", "returned", "resubmitted",
                                                                "approved"}


def test_rectification_items_are_open_overdue_and_under_reinspection(client, demo):
    for username in ("lh_supervisor", "dg_supervisor"):
        supervisor = login(client, username)
        body = supervisor.get("/api/rectifications").get_json()
        assert body["summary"]["open"] >= 1 and body["summary"]["overdue"] >= 1
        assert body["summary"]["reinspecting"] == 1 and body["summary"]["closed"] == 1
        by_status = {}
        for item in body["items"]:
            by_status.setdefault(item["status"], []).append(item)
        assert all(dt.date.fromisoformat(i["deadline"]) < demo for i in by_status["overdue"])
        assert all(dt.date.fromisoformat(i["deadline"]) > demo + dt.timedelta(days=7) for i in by_status["open"])
        # The item under re-inspection has a re-inspection still in draft; the closed one an issued 复查意见书.
        reinspecting = by_status["reinspecting"][0]
        assert reinspecting["closed_on"] is None
        drafts = _queue(supervisor, "&entity=reinspection&status=draft")
        assert len(drafts) == 1
        draft = supervisor.get(f"/api/records/{drafts[0]['id']}").get_json()
        assert [c["data"]["rectification_item_id"] for c in draft["children"] if c["entity"] == "reinspection_item"] \
            == [reinspecting["id"]]
        closed = by_status["closed"][0]
        assert closed["reinspections"][0]["result"] == "rectified" and closed["closed_on"] < demo.isoformat()
        # The overdue and the open item come from one issued 卫生监督意见书.
        notice = {i["document_number"] for i in by_status["overdue"]} & {i["document_number"] for i in
                                                                          by_status["open"]}
        assert notice


def test_the_owning_supervisor_has_an_open_conflict_between_two_tablets(client, demo):
    supervisor = login(client, "lh_supervisor")
    conflicts = supervisor.get("/api/sync/conflicts").get_json()["items"]
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert (conflict["entity"], conflict["field"], conflict["status"]) == ("finding", "deadline_days", "open")
    assert conflict["server_value"] != conflict["client_value"]
    assert conflict["server_device_id"] != conflict["client_device_id"]
    names = dict(db.session.execute(sa.select(User.id, User.username)).all())
    assert (names[conflict["server_user_id"]], names[conflict["client_user_id"]]) == ("lh_inspector", "lh_inspector2")
    flagged = _queue(supervisor, "&conflict_open=true")
    assert len(flagged) == 1 and flagged[0]["entity"] == "inspection" and flagged[0]["review_status"] == "draft"
    # Nobody else's list has it: not the other district's, not the CDC's (inspections are not its work).
    others = {c["id"] for name in ("dg_supervisor", "lh_cdc_supervisor")
              for c in login(client, name).get("/api/sync/conflicts").get_json()["items"]}
    assert conflict["id"] not in others
    # Until it is settled, the inspector cannot issue a notice from that inspection.
    refused = login(client, "lh_inspector").post("/api/documents", json={
        "id": str(uuid.uuid4()), "record_id": flagged[0]["id"], "doc_type": "supervision_opinion"})
    assert refused.status_code == 422 and error_of(refused)["code"] == "OPEN_CONFLICTS"


def test_an_amended_notice_and_its_correction_are_both_listed(client, demo):
    inspector = login(client, "lh_inspector")
    documents = inspector.get("/api/documents").get_json()["items"]
    corrections = [d for d in documents if d["amends_id"]]
    assert len(corrections) == 1
    correction = corrections[0]
    original = next(d for d in documents if d["id"] == correction["amends_id"])
    assert (original["status"], correction["status"]) == ("amended", "valid")
    assert original["doc_type"] == correction["doc_type"] == "supervision_opinion"
    assert original["number"] != correction["number"] and original["record_id"] == correction["record_id"]
    assert original["issued_at"] < correction["issued_at"]
    # The QR page of the original says it was corrected, and by which number.
    page = client.get("/verify/" + original["verify_url"].rsplit("/", 1)[1]).get_data(as_text=True)
    assert "已更正" in page and correction["number"] in page
    # The original keeps what it said; the record and its rectification item now say what the correction says.
    said = db.session.get(Document, original["id"]).snapshot["findings"][0]["fact"]
    says = db.session.get(Document, correction["id"]).snapshot["findings"][0]["fact"]
    assert said != says
    record = login(client, "lh_supervisor").get(f"/api/records/{original['record_id']}").get_json()
    assert {d["id"] for d in record["documents"]} == {original["id"], correction["id"]}
    assert says in [c["data"].get("fact") for c in record["children"] if c["entity"] == "finding"]
    resolved = [c for c in record["conflicts"] if c["status"] == "resolved"]
    assert len(resolved) == 1 and resolved[0]["resolution"]["amendment"] is True
    items = login(client, "lh_supervisor").get("/api/rectifications").get_json()["items"]
    corrected = next(i for i in items if i["fact"] == says)
    assert corrected["document_number"] == correction["number"]


@pytest.mark.parametrize("supervisor", ["lh_cdc_supervisor", "lh_supervisor"])
def test_kpis_count_only_submitted_and_approved_work(client, demo, supervisor):
    caller = login(client, supervisor)
    # The past weeks' stories (the year's routine work of server/demo/year.py lies further back).
    period = f"date_from={(demo - dt.timedelta(days=42)).isoformat()}&date_to={demo.isoformat()}"
    figures = caller.get(f"/api/kpis?{period}").get_json()
    items = _queue(caller)

    def handed_in(kind):
        return sum(1 for item in items if item["entity"] == kind and item["review_status"] in HANDED_IN
                   and dt.date.fromisoformat(item["record_date"]) >= demo - dt.timedelta(days=42))

    def returned(kind):
        return sum(1 for item in items if item["entity"] == kind and item["review_status"] == "returned")

    assert set(figures["counted"]["states"]) == HANDED_IN
    if supervisor == "lh_cdc_supervisor":
        # approved (reported and entered), resubmitted, submitted, and the two in the laboratory (handed in with
        # their 检测现场反馈)
        assert figures["sampling"]["visits"] == handed_in("sampling_visit") == 5
        assert figures["followup"]["followups"] == handed_in("followup") == 2
        assert figures["assistance"]["enterprises"] == handed_in("assistance_visit") == 2
        assert figures["sampling"]["posts_evaluated"] > 0 and figures["sampling"]["posts_nonconform"] >= 1
        for kind in REVIEWED[supervisor]:
            assert figures["counted"]["returned"][kind] == returned(kind) == 1
    else:
        enforcement = figures["enforcement"]
        # The approved and the submitted one, and the radiology ledger's inspection of the 妇幼保健院 this month.
        assert enforcement["inspections"] == handed_in("inspection") == 3
        assert figures["counted"]["returned"]["inspection"] == returned("inspection") == 1
        assert enforcement["rectification"]["overdue"] >= 1 and enforcement["rectification"]["reinspecting"] == 1


@pytest.mark.parametrize("prefix", ["lh", "dg"])
def test_every_step_of_the_monitoring_chain_is_on_screen(client, demo, prefix):
    lab = login(client, f"{prefix}_lab")
    states = {item["state"]["key"]: item for item in lab.get("/api/monitoring/visits?per_page=50").get_json()["items"]}
    assert {"field", "handed_over", "laboratory", "review", "entered"} <= set(states)
    in_lab = lab.get(f"/api/monitoring/visits/{states['laboratory']['visit_id']}").get_json()
    entered = [s for s in in_lab["samples"] if s["result"]]
    assert 0 < len(entered) < len([s for s in in_lab["samples"] if s["needs_lab"]])  # part of the results is in
    assert lab.get("/api/monitoring/visits?state=handed_over").get_json()["total"] == 1
    done = lab.get(f"/api/monitoring/visits/{states['entered']['visit_id']}").get_json()
    assert done["report"]["number"] and done["national_entry"]["entered_by_name"]
    assert all(s["locked"] for s in done["samples"] if s["result"])


def test_seed_demo_twice_with_if_empty_loads_the_work_once(app_factory, tmp_path):
    app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.db'}")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["setup-db"]).exit_code == 0

    def counts():
        with app.app_context():
            found = tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                          for model in (User, Record, Document, Conflict))
            db.session.remove()
        return found

    first = runner.invoke(args=["seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "admin_verify" in first.output and "复核管理员" in first.output and "lh_lab" in first.output
    assert "演示工作记录：临河区" in first.output and "演示工作记录：东港区" in first.output
    loaded = counts()
    # Documents: 8 of the inspections, a 检测现场反馈 for each of 6 sampling visits and one 检测报告, per district;
    # and in 临河区's year (server/demo/year.py, the clock's today being in November) a 检测现场反馈 and a 检测报告 for
    # each of the 8 spring visits of this year and the 3 of last year.
    assert loaded[0] == 21 and loaded[1] > 100 and loaded[2] == 22 + 2 * 11 and loaded[3] == 4
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "跳过演示数据" in again.output and "演示工作记录" not in again.output
    assert counts() == loaded


def test_in_production_seed_demo_loads_the_city_but_no_invented_work(app_factory, tmp_path):
    # Demo documents would take numbers of the agencies' real series: a production database gets accounts and
    # enterprises only, unless --work is asked for.
    app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'production.db'}", APP_ENV="production")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["setup-db"]).exit_code == 0
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "未生成演示工作记录" in result.output and "演示工作记录：" not in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 21
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Record)) == 0
        db.session.remove()


def test_the_second_admin_verifies_what_the_first_proposes(client):
    admin, second = login(client, "admin"), login(client, "admin_verify")
    assert second.tokens["must_change_password"] is False
    rows = admin.get("/api/reference/oel_limits?key=toluene").get_json()["items"]
    row = next(r for r in rows if r["data"]["limit_type"] == "PC-TWA")
    change = admin.patch(f"/api/reference/oel_limits/{row['row_key']}",
                         json={"changes": {"note": "核对原文"}, "reason": "演示：四眼核验"}).get_json()
    assert admin.post(f"/api/reference/changes/{change['id']}/verify", json={"reason": "自查"}).status_code == 403
    verified = second.post(f"/api/reference/changes/{change['id']}/verify", json={"reason": "对照标准原文"})
    assert verified.status_code == 200, verified.get_json()
    assert verified.get_json()["decided_by_name"] == "复核管理员"
