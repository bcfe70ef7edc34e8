"""职业病危害专项治理 over HTTP: a campaign kept as a ledger file, enterprises enrolled from the registry by industry
code or one by one, each moved 未确认治理 → 治理中 → 行政治理效果待确认 → 已完成 by the evidence (a handed-in
inspection, its rectification items closed, a monitoring result under the limits, a supervisor's confirmation),
the six rates against 85 %, and the boundaries (the CDC, another district)."""
import datetime as dt
import io
import uuid

from openpyxl import load_workbook

import sqlalchemy as sa

from server.extensions import db
from server.models import Enterprise, Record
from tests.issuing.inspections import complete_inspection
from tests.support import BUSINESS_NOW, district, login, upload, workbook_bytes
from tests.sync.tablets import Tablet, handed_in_visit

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()
START = TODAY - dt.timedelta(days=60)
PRINTERS = ("临河彩虹印务有限公司", "青川新闻印刷有限公司")


def _eid(name):
    return db.session.scalar(sa.select(Enterprise.id).where(Enterprise.name == name))


def _campaign(client, **extra):
    """A printing campaign of 临河区, opened by the supervision agency's supervisor on a tablet."""
    tablet = Tablet(login(client, "lh_supervisor"))
    campaign = tablet.create("campaign", {"campaign_name": "印刷行业职业病危害专项治理", "campaign_code": "ZX-2026-01",
                                          "industry": "printing", "industry_codes": "C23",
                                          "start_date": START.isoformat(),
                                          "deadline": (TODAY + dt.timedelta(days=40)).isoformat(),
                                          "target_count": 5, **extra})
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    return campaign


def _inspect(client, name, findings=(), days_ago=10):
    """A handed-in inspection of the enterprise (submitted), with these findings."""
    tablet = Tablet(login(client, "lh_inspector"))
    _tablet, inspection, _ = complete_inspection(client, None, findings=list(findings), tablet=tablet,
                                                 inspection_date=(TODAY - dt.timedelta(days=days_ago)).isoformat(),
                                                 enterprise_id=_eid(name))
    tablet.submit(inspection)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    return tablet, inspection


def _states(body):
    return {row["enterprise_name"]: row["state"] for row in body["enterprises"]}


def test_enrolment_by_industry_takes_the_registrys_printers_once(client):
    campaign = _campaign(client)
    supervisor = login(client, "lh_supervisor")
    first = supervisor.post(f"/api/campaigns/{campaign}/enrol", json={"by_industry": True})
    assert first.status_code == 200, first.get_json()
    assert sorted(first.get_json()["enrolled"]) == sorted(PRINTERS)
    again = supervisor.post(f"/api/campaigns/{campaign}/enrol", json={"by_industry": True}).get_json()
    assert again == {"enrolled": [], "already": 2}
    body = supervisor.get(f"/api/campaigns/{campaign}").get_json()
    assert body["enrolled"] == 2 and body["industry_zh"] == "印刷"
    assert {s["key"]: s["count"] for s in body["states"]} == {"unconfirmed": 2, "treating": 0,
                                                             "awaiting_confirmation": 0, "completed": 0}
    # The enrolments are records: the inspectors' tablets get them at their next pull.
    pulled = Tablet(login(client, "lh_inspector")).pull()
    assert sum(1 for c in pulled if c.get("entity") == "campaign_enterprise") == 2


def test_the_evidence_moves_each_enterprise_and_a_supervisor_confirms_the_ready_one(client):
    campaign = _campaign(client)
    names = ["临河彩虹印务有限公司", "青川新闻印刷有限公司", "临河美居家具有限公司", "临河步步高鞋业有限公司",
             "临河亮光电镀有限公司"]
    supervisor = login(client, "lh_supervisor")
    picked = supervisor.post(f"/api/campaigns/{campaign}/enrol",
                             json={"enterprise_ids": [_eid(n) for n in names]})
    assert picked.status_code == 200 and len(picked.get_json()["enrolled"]) == 5
    # 彩虹: inspected, no finding, a CDC result under the limits → 待确认. 新闻印刷: inspected only → 治理中.
    # 美居: inspected, commissioned test with a post above the limit → 治理中. 步步高: nothing → 未确认治理.
    _inspect(client, names[0])
    sampler = Tablet(login(client, "lh_sampler"))
    handed_in_visit(sampler, _eid(names[0]), "LH-ZX-01", (TODAY - dt.timedelta(days=5)).isoformat(),
                    result=1.2)
    assert {r["status"] for r in sampler.push()["results"]} == {"applied"}
    _inspect(client, names[1])
    _inspect(client, names[2])
    body = supervisor.get(f"/api/campaigns/{campaign}").get_json()
    enrolment = {row["enterprise_name"]: row["id"] for row in body["enterprises"]}
    inspector = Tablet(login(client, "lh_inspector"))
    inspector.pull()
    inspector.update(enrolment[names[2]], {"external_test_on": (TODAY - dt.timedelta(days=3)).isoformat(),
                                           "external_test_result": "noncompliant"})
    assert {r["status"] for r in inspector.push()["results"]} == {"applied"}

    body = supervisor.get(f"/api/campaigns/{campaign}").get_json()
    assert _states(body) == {names[0]: "awaiting_confirmation", names[1]: "treating", names[2]: "treating",
                             names[3]: "unconfirmed", names[4]: "unconfirmed"}
    ready = next(row for row in body["enterprises"] if row["enterprise_name"] == names[0])
    assert ready["can_confirm"] and ready["state_zh"] == "行政治理效果待确认"
    assert any("监督检查" in words for words in ready["evidence_zh"])
    assert any("疾控中心检测：各岗位均未超标" in words for words in ready["evidence_zh"])
    tested = next(row for row in body["enterprises"] if row["enterprise_name"] == names[2])
    assert any("委托检测：有岗位超标" in words for words in tested["evidence_zh"])

    # Only a ready enterprise can be confirmed; the refusal says why, in words.
    refused = supervisor.post(f"/api/campaigns/{campaign}/enrolments/{enrolment[names[1]]}/confirm")
    assert refused.status_code == 409
    assert "治理中" in refused.get_json()["error"]["message"]
    confirmed = supervisor.post(f"/api/campaigns/{campaign}/enrolments/{enrolment[names[0]]}/confirm")
    assert confirmed.status_code == 200, confirmed.get_json()
    done = next(row for row in confirmed.get_json()["enterprises"] if row["enterprise_name"] == names[0])
    assert done["state"] == "completed" and done["confirmed_on"] == TODAY.isoformat()
    assert done["confirmed_by_name"]
    counts = {s["key"]: s["count"] for s in confirmed.get_json()["states"]}
    assert counts == {"unconfirmed": 2, "treating": 2, "awaiting_confirmation": 0, "completed": 1}
    assert confirmed.get_json()["zeroed"] is False

    # The ledger lists the campaign under way with its progress in words; the dashboard has the counts to zero.
    ledger = supervisor.get("/api/ledgers/campaigns").get_json()
    line = next(item for item in ledger["items"] if item["id"] == campaign)
    assert line["state_zh"] == "治理中" and "未确认治理 2" in line["progress"] and "已完成 1" in line["progress"]
    assert line["route"] == f"#/campaign/{campaign}"
    kpis = supervisor.get(f"/api/kpis?date_from={TODAY.replace(day=1)}&date_to={TODAY}").get_json()
    group = next(g for g in kpis["ledgers"] if g["kind"] == "campaigns")
    tiles = {t["key"]: t for t in group["tiles"]}
    assert tiles["enrolled"]["value"] == 5 and tiles["unconfirmed"]["value"] == 2
    assert tiles["treating"]["value"] == 2 and tiles["completed"]["value"] == 1
    assert tiles["campaign_declaration_rate"]["target_pct"] == 85
    # The report handed on has them too, each named by its register; the CDC's report has no campaign.
    period = f"date_from={TODAY.replace(day=1)}&date_to={TODAY}"
    book = load_workbook(io.BytesIO(supervisor.get(f"/api/kpis/report.xlsx?{period}").data))
    overall = {row[0]: row[1:] for row in book["总体指标"].iter_rows(min_row=2, values_only=True)}
    assert overall["纳入专项治理用人单位数"][0] == 5  # a catalogue figure; the other tiles follow, named by register
    assert overall["职业病危害专项治理：未确认治理用人单位数"][0] == 2
    assert "职业病危害专项治理：劳动者职业健康体检率（目标≥85%）（%）" in overall
    assert "初次申报用人单位数" in overall
    cdc = load_workbook(io.BytesIO(login(client, "lh_cdc_supervisor").get(f"/api/kpis/report.xlsx?{period}").data))
    cdc_rows = [row[0] for row in cdc["总体指标"].iter_rows(min_row=2, values_only=True)]
    assert not any("专项治理" in row or "初次申报" in row for row in cdc_rows)
    assert any(row.startswith("帮扶企业申报率") for row in cdc_rows)  # the CDC's own: assisted enterprises


def test_the_rates_count_the_enterprises_where_each_question_applies(client):
    campaign = _campaign(client)
    supervisor = login(client, "lh_supervisor")
    names = ["临河彩虹印务有限公司", "青川新闻印刷有限公司"]
    supervisor.post(f"/api/campaigns/{campaign}/enrol", json={"enterprise_ids": [_eid(n) for n in names]})
    body = supervisor.get(f"/api/campaigns/{campaign}").get_json()
    enrolment = {row["enterprise_name"]: row["id"] for row in body["enterprises"]}
    inspector = Tablet(login(client, "lh_inspector"))
    inspector.pull()
    inspector.update(enrolment[names[0]], {"workers_exposed": 40, "workers_examined": 30, "workers_trained": 40,
                                           "external_test_on": (TODAY - dt.timedelta(days=100)).isoformat(),
                                           "external_test_result": "compliant"})
    inspector.update(enrolment[names[1]], {"workers_exposed": 60, "workers_examined": 60, "workers_trained": 21})
    assert {r["status"] for r in inspector.push()["results"]} == {"applied"}
    rates = {r["key"]: r for r in supervisor.get(f"/api/campaigns/{campaign}").get_json()["rates"]}
    # Workers: (30 + 60) ÷ (40 + 60) examined, (40 + 21) ÷ 100 trained; one of two tested within its cycle.
    assert rates["campaign_exam_rate"]["value_pct"] == 90.0 and rates["campaign_exam_rate"]["meets_target"] is True
    assert rates["campaign_training_rate"]["value_pct"] == 61.0
    assert rates["campaign_training_rate"]["meets_target"] is False
    assert (rates["campaign_testing_rate"]["numerator"], rates["campaign_testing_rate"]["denominator"]) == (1, 2)
    assert rates["campaign_declaration_rate"]["target_pct"] == 85


def test_bad_requests_and_other_agencies_and_districts_are_refused(client):
    campaign = _campaign(client, industry_codes="")
    supervisor = login(client, "lh_supervisor")
    refused = supervisor.post(f"/api/campaigns/{campaign}/enrol", json={"by_industry": True})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"][0]["field"] == "industry_codes"
    other = db.session.scalar(sa.select(Enterprise.id).where(Enterprise.region_id == district("东港区").id))
    outside = supervisor.post(f"/api/campaigns/{campaign}/enrol", json={"enterprise_ids": [other]})
    assert outside.status_code == 422 and outside.get_json()["error"]["details"][0]["field"] == "enterprise_ids"
    wrong = supervisor.post(f"/api/campaigns/{campaign}/enrol", json={"enterprise_ids": "all"})
    assert wrong.status_code == 422
    unknown = supervisor.post(f"/api/campaigns/{campaign}/enrolments/{uuid.uuid4()}/confirm")
    assert unknown.status_code == 422
    # Another district's supervisor does not see it; the CDC runs no campaign and reads no campaign ledger.
    assert login(client, "dg_supervisor").get(f"/api/campaigns/{campaign}").status_code == 404
    cdc = login(client, "lh_cdc_supervisor")
    assert cdc.get(f"/api/campaigns/{campaign}").status_code == 404
    assert cdc.post(f"/api/campaigns/{campaign}/enrol", json={"by_industry": True}).status_code in (403, 404)
    assert cdc.get("/api/ledgers/campaigns").get_json()["all"] == 0
    assert login(client, "lh_sampler").get(f"/api/campaigns/{campaign}").status_code == 403
    assert supervisor.get("/api/ledgers/campaigns?state=bogus").status_code == 422
    assert supervisor.get("/api/ledgers/nothing").status_code == 404
    # Nothing was enrolled by the refusals.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Record)
                             .where(Record.entity == "campaign_enterprise")) == 0


def test_a_list_of_enterprises_is_enrolled_by_credit_code_after_a_row_by_row_preview(client):
    campaign = _campaign(client)
    supervisor = login(client, "lh_supervisor")
    codes = dict(db.session.execute(sa.select(Enterprise.name, Enterprise.credit_code)
                                    .where(Enterprise.name.in_(PRINTERS + ("临河美居家具有限公司",)))).all())
    supervisor.post(f"/api/campaigns/{campaign}/enrol", json={"enterprise_ids": [_eid(PRINTERS[0])]})
    other = db.session.scalar(sa.select(Enterprise.credit_code).where(Enterprise.region_id == district("东港区").id))
    headers = ("单位名称", "统一社会信用代码")
    # A code of another district and a blank code: the rows are named, nothing is enrolled.
    bad = workbook_bytes([(PRINTERS[1], codes[PRINTERS[1]]), ("东港某厂", other), ("无代码单位", None)], headers)
    refused = upload(supervisor, f"/api/campaigns/{campaign}/enrol/preview", bad)
    assert refused.status_code == 422
    assert {(d["row"], d["code"]) for d in refused.get_json()["error"]["details"]} == {(3, "not_found"), (4, "required")}
    good = workbook_bytes([(n, codes[n].lower()) for n in (*PRINTERS, "临河美居家具有限公司")], headers)
    preview = upload(supervisor, f"/api/campaigns/{campaign}/enrol/preview", good).get_json()
    assert preview["counts"] == {"new": 2, "update": 0, "unchanged": 1}
    assert {row["name"]: row["status"] for row in preview["rows"]} == {
        PRINTERS[0]: "unchanged", PRINTERS[1]: "new", "临河美居家具有限公司": "new"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Record)
                             .where(Record.entity == "campaign_enterprise")) == 1  # a preview writes nothing
    stale = upload(supervisor, f"/api/campaigns/{campaign}/enrol/list?digest={'0' * 64}", good)
    assert stale.status_code == 409
    done = upload(supervisor, f"/api/campaigns/{campaign}/enrol/list?digest={preview['digest']}", good)
    assert done.status_code == 200 and done.get_json()["counts"]["new"] == 2
    body = supervisor.get(f"/api/campaigns/{campaign}").get_json()
    assert body["enrolled"] == 3
    assert login(client, "lh_inspector").post(f"/api/campaigns/{campaign}/enrol/preview").status_code == 403
