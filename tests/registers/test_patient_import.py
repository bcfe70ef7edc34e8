"""The patients' register brought in from the Excel sheet a district kept until now: the preview says, row by row,
which files are new, what changes in the file of a case number already kept (in words: 壹期 → 贰期) and which rows
change nothing; the import applies exactly that and the files reach the follow-up workers' tablets; a bad row
anywhere, or a register changed since the preview, and nothing is imported."""
import sqlalchemy as sa

from server.extensions import db
from server.models import AuditEntry, Record, RecordChange
from tests.support import error_of, login, upload, workbook_bytes
from tests.sync.tablets import Tablet, new_id

HEADERS = ("病例编号", "姓名", "性别", "诊断日期", "尘肺种类", "期别", "状态", "建档日期", "现住址")


def _xlsx(rows, headers=HEADERS):
    return workbook_bytes(rows, headers)


def _post(caller, url, content):
    return upload(caller, url, content, "尘肺病患者名单.xlsx")


def _kept_file(client):
    """A file the follow-up worker already keeps: 王建国, 壹期."""
    tablet = Tablet(login(client, "lh_followup"))
    tablet.create("patient", {"case_no": "LH-2015-0001", "patient_name": "王建国", "sex": "male",
                              "diagnosis_date": "2015-06-01", "pneumoconiosis_type": "silicosis", "stage": "stage_1",
                              "status": "alive", "registered_on": "2020-01-02", "current_address": "临河区湖田镇"})
    assert tablet.push()["results"][0]["status"] == "applied"


ROWS = [("LH-2015-0001", "王建国", "男", "2015-06-01", "矽肺", "贰期", "在世", "2020-01-02", "临河区湖田镇"),
        ("LH-2019-0012", "李秀兰", "女", "2019-09-18", "煤工尘肺", "壹期", "在世", "2026-10-08", "临河区城关街道"),
        ("LH-2017-0007", "赵德明", "男", "2017-03-02", "水泥尘肺", "叁期", "死亡", "2018-01-05", None)]


def test_a_sheet_is_previewed_row_by_row_then_imported_as_shown(client):
    _kept_file(client)
    office = login(client, "lh_cdc_supervisor")
    content = _xlsx(ROWS[:2])
    preview = _post(office, "/api/patients/import/preview", content)
    assert preview.status_code == 200, preview.get_json()
    body = preview.get_json()
    assert body["counts"] == {"new": 1, "update": 1, "unchanged": 0}
    rows = {row["key"]: row for row in body["rows"]}
    assert rows["LH-2015-0001"]["status"] == "update"
    assert rows["LH-2015-0001"]["changes"] == [{"field": "stage", "label": "期别", "old": "壹期", "new": "贰期"}]
    assert rows["LH-2019-0012"]["status"] == "new" and rows["LH-2019-0012"]["name"] == "李秀兰"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Record).where(Record.entity == "patient")) == 1

    done = _post(office, f"/api/patients/import?digest={body['digest']}", content)
    assert done.status_code == 200, done.get_json()
    files = {r.data["case_no"]: r for r in db.session.scalars(sa.select(Record).where(Record.entity == "patient"))}
    assert files["LH-2015-0001"].data["stage"] == "stage_2"
    assert files["LH-2019-0012"].data["sex"] == "female" and files["LH-2019-0012"].data["pneumoconiosis_type"] == "coal_workers"
    assert files["LH-2019-0012"].review_status is None  # a register's file: kept up to date, never handed in
    ops = db.session.scalars(sa.select(RecordChange.op).where(RecordChange.record_id == files["LH-2015-0001"].id)).all()
    assert ops[-1] == "import"
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "patient.import")).one()
    assert (entry.details["created"], entry.details["updated"]) == (1, 1)
    # The imported files reach the follow-up worker's tablet, and the register counts them.
    pulled = Tablet(login(client, "lh_followup", device_id=new_id())).pull(protocol=2)
    assert {c["data"]["case_no"] for c in pulled if c.get("entity") == "patient"} == {"LH-2015-0001", "LH-2019-0012"}
    # The same sheet again changes nothing.
    again = _post(office, "/api/patients/import/preview", content).get_json()
    assert again["counts"] == {"new": 0, "update": 0, "unchanged": 2}


def test_a_bad_row_anywhere_imports_nothing_and_every_problem_is_named(client):
    office = login(client, "lh_cdc_supervisor")
    rows = [ROWS[1], ("LH-2020-0002", "孙福田", "男", "2020/13/01", "矽肺", "肆期", "在世", "2026-10-08", None),
            ROWS[2], ("LH-2019-0012", "李秀兰", "女", "2019-09-18", "煤工尘肺", "壹期", "在世", "2026-10-08", None)]
    response = _post(office, "/api/patients/import/preview", _xlsx(rows))
    assert response.status_code == 422
    details = error_of(response)["details"]
    by_row = {(d["row"], d["field"]) for d in details}
    assert {(3, "diagnosis_date"), (3, "stage"), (4, "status_date"), (5, "case_no")} <= by_row
    messages = " ".join(d["message"] for d in details)
    assert "“肆期”不是可选项" in messages and "“2020/13/01”不是日期" in messages and "病例编号 LH-2019-0012 在文件中重复" in messages
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Record).where(Record.entity == "patient")) == 0
    missing = _post(office, "/api/patients/import/preview", _xlsx([("王五",)], headers=("姓名",)))
    assert missing.status_code == 422 and error_of(missing)["details"][0]["code"] == "missing_column"


def test_a_register_changed_since_the_preview_is_not_overwritten(client):
    _kept_file(client)
    office = login(client, "lh_cdc_supervisor")
    content = _xlsx(ROWS[:1])
    digest = _post(office, "/api/patients/import/preview", content).get_json()["digest"]
    tablet = Tablet(login(client, "lh_followup"))
    tablet.pull()
    kept = next(k for k, v in tablet.replica.items() if v["entity"] == "patient")
    tablet.update(kept, {"stage": "stage_3"})  # the worker records 叁期 meanwhile
    assert tablet.push()["results"][0]["status"] == "applied"
    response = _post(office, f"/api/patients/import?digest={digest}", content)
    assert response.status_code == 409 and error_of(response)["code"] == "PREVIEW_OUTDATED"
    assert db.session.get(Record, kept).data["stage"] == "stage_3"
    assert _post(login(client, "lh_followup"), "/api/patients/import/preview", content).status_code == 403
