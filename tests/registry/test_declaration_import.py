"""The district's registry sheet brings the 职业病危害项目申报 dates in: the preview shows them per row as changes in
words, the import sets the next declaration due, and a first declaration after the latest or a date after today is
refused by row and column, with nothing imported."""
import datetime as dt
import random

from server.demo.seed import demo_credit_code
from tests.support import error_of, login, upload, workbook_bytes

HEADER = ["统一社会信用代码", "单位名称", "所属区县", "初次申报日期", "最近申报日期"]


def _xlsx(rows):
    return workbook_bytes(rows)


def _post(caller, url, content):
    return upload(caller, url, content, "名录.xlsx")


def _existing(caller):
    return caller.get("/api/enterprises?q=鑫源").get_json()["items"][0]


def test_the_declaration_dates_of_a_sheet_are_previewed_in_words_and_set_the_next_due(client, clock):
    caller = login(client, "lh_supervisor")
    today = clock.today()
    existing = _existing(caller)
    first, last = dt.date(today.year - 2, 3, 18), dt.date(today.year - 1, 12, 1)
    code = demo_credit_code(random.Random(41), "379901")
    # The existing enterprise's dates as spreadsheet dates; the new one's as text, as a CSV export writes them.
    content = _xlsx([HEADER, [existing["credit_code"], existing["name"], "临河区", first, last],
                     [code, "新申报测试企业", "临河区", f"{today.year}-01-09", None]])
    shown = _post(caller, "/api/enterprises/import/preview", content)
    assert shown.status_code == 200, shown.get_json()
    body = shown.get_json()
    assert [(r["row"], r["status"]) for r in body["rows"]] == [(2, "update"), (3, "new")]
    assert {c["label"]: (c["old"], c["new"]) for c in body["rows"][0]["changes"]} == {
        "初次申报日期": (None, first.isoformat()), "最近申报日期": (None, last.isoformat())}
    assert caller.get(f"/api/enterprises/{existing['id']}").get_json()["first_declared_on"] is None  # nothing written

    done = _post(caller, f"/api/enterprises/import?digest={body['digest']}", content)
    assert done.status_code == 200, done.get_json()
    updated = caller.get(f"/api/enterprises/{existing['id']}").get_json()
    assert (updated["first_declared_on"], updated["last_declared_on"]) == (first.isoformat(), last.isoformat())
    assert updated["declaration_due_on"] == dt.date(today.year, 12, 1).isoformat()  # a year after the latest
    created = caller.get(f"/api/enterprises/{done.get_json()['rows'][1]['enterprise_id']}").get_json()
    assert created["first_declared_on"] == f"{today.year}-01-09"
    assert created["declaration_due_on"] == f"{today.year + 1}-01-09"

    # The same sheet again changes nothing.
    again = _post(caller, "/api/enterprises/import/preview", content).get_json()
    assert again["counts"] == {"new": 0, "update": 0, "unchanged": 2}


def test_wrong_declaration_dates_are_refused_by_row_and_column_and_nothing_is_imported(client, clock):
    caller = login(client, "lh_supervisor")
    today = clock.today()
    existing = _existing(caller)
    on_file = dt.date(today.year - 1, 6, 1)
    assert caller.patch(f"/api/enterprises/{existing['id']}",
                        json={"first_declared_on": on_file.isoformat()}).status_code == 200
    rng = random.Random(43)
    rows = [HEADER,
            # the latest declaration before the first one on file
            [existing["credit_code"], existing["name"], "临河区", None, dt.date(today.year - 2, 1, 5)],
            # the first after the latest, in the same row
            [demo_credit_code(rng, "379901"), "日期颠倒企业", "临河区", dt.date(today.year, 3, 1),
             dt.date(today.year, 2, 1)],
            # tomorrow by the business clock
            [demo_credit_code(rng, "379901"), "未来日期企业", "临河区", None,
             (today + dt.timedelta(days=1)).isoformat()],
            [demo_credit_code(rng, "379901"), "日期格式企业", "临河区", "去年三月", None]]
    response = _post(caller, "/api/enterprises/import/preview", _xlsx(rows))
    assert response.status_code == 422
    error = error_of(response)
    assert error["message"] == "4行有错误，未导入任何数据"
    found = {(d["row"], d["column"], d["code"]) for d in error["details"]}
    assert found == {(2, "初次申报日期", "after_latest"), (3, "初次申报日期", "after_latest"),
                     (4, "最近申报日期", "future"), (5, "初次申报日期", "format")}
    messages = {d["row"]: d["message"] for d in error["details"]}
    assert messages[4] == f"最近申报/变更日期不能晚于今天（{today.isoformat()}）"
    assert messages[5] == "日期格式应为 YYYY-MM-DD"
    kept = caller.get(f"/api/enterprises/{existing['id']}").get_json()
    assert kept["first_declared_on"] == on_file.isoformat() and kept["last_declared_on"] is None
    assert caller.get("/api/enterprises?q=日期颠倒企业").get_json()["total"] == 0
