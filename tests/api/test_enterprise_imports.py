"""Importing a district's registry spreadsheet over HTTP: the preview (nothing written) says per row what would
happen, with the changes to existing enterprises field by field; the import applies exactly what was previewed;
a bad row anywhere means nothing is imported and every problem is listed by row and column."""
import csv
import io
import random

from openpyxl import Workbook

from server.demo.seed import demo_credit_code
from tests.support import error_of, login

HEADER = ["统一社会信用代码", "单位名称", "所属区县", "行业代码", "行业名称", "企业规模", "联系人", "联系电话", "申报危害因素"]


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _good_rows(count, start=0):
    rng = random.Random(7 + start)
    return [[demo_credit_code(rng, "379901"), f"导入测试企业{start + i}号", "临河区", "2110", "木质家具制造", "小",
             "张三", "13900000000", "木粉尘、噪声"] for i in range(count)]


def _post(caller, url, content, filename="企业.xlsx"):
    return caller.post(url, data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def preview(caller, content, filename="企业.xlsx"):
    return _post(caller, "/api/enterprises/import/preview", content, filename)


def apply(caller, content, digest, filename="企业.xlsx"):
    return _post(caller, f"/api/enterprises/import?digest={digest}", content, filename)


def _total(caller):
    return caller.get("/api/enterprises?per_page=1").get_json()["total"]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_imported(client):
    caller = login(client, "admin")
    good = _good_rows(3)
    bad_check = list(good[0])
    bad_check[0] = bad_check[0][:-1] + ("0" if bad_check[0][-1] != "0" else "1")
    bad_check[1] = "校验位错误公司"
    rows = [HEADER, *good, bad_check, ["91350100M000100Y43", "", "火星区", "", "", "超大", "", "", "苯、香蕉水"]]
    before = _total(caller)
    response = preview(caller, _xlsx(rows))
    assert response.status_code == 422
    error = error_of(response)
    problems = {(d["row"], d["field"], d["column"], d["code"]) for d in error["details"]}
    assert problems == {(5, "credit_code", "统一社会信用代码", "check_digit"), (6, "name", "单位名称", "required"),
                        (6, "region", "所属区县", "format"), (6, "size", "企业规模", "choice"),
                        (6, "declared_hazards", "申报危害因素", "unknown_hazard")}
    assert "2行有错误，未导入任何数据" == error["message"]
    assert apply(caller, _xlsx(rows), "0" * 64).status_code == 422  # the import checks the same
    assert _total(caller) == before


def test_preview_then_import_creates_and_updates_with_the_changes_field_by_field(client):
    caller = login(client, "admin")
    existing = caller.get("/api/enterprises?q=鑫源").get_json()["items"][0]
    rows = [HEADER, *_good_rows(2),
            [existing["credit_code"], existing["name"], "临河区", "2614", "有机化学原料制造", "中", "新联系人",
             "13911112222", "苯、噪声"]]
    content = _xlsx(rows)
    shown = preview(caller, content)
    assert shown.status_code == 200, shown.get_json()
    body = shown.get_json()
    assert [(r["row"], r["status"]) for r in body["rows"]] == [(2, "new"), (3, "new"), (4, "update")]
    assert body["counts"] == {"new": 2, "update": 1, "unchanged": 0}
    assert {c["label"]: (c["old"], c["new"]) for c in body["rows"][2]["changes"]} == {
        "联系人": ("马晓东", "新联系人"), "联系电话": ("13905331001", "13911112222"),
        "申报危害因素": ("苯、甲苯、二甲苯（全部异构体）、噪声", "苯、噪声")}
    # Nothing is written by a preview.
    assert caller.get(f"/api/enterprises/{existing['id']}").get_json()["contact_name"] == "马晓东"
    assert caller.get("/api/enterprises?q=导入测试企业").get_json()["total"] == 0

    done = apply(caller, content, body["digest"])
    assert done.status_code == 200, done.get_json()
    report = done.get_json()
    assert report["counts"] == {"new": 2, "update": 1, "unchanged": 0}
    created = caller.get(f"/api/enterprises/{report['rows'][0]['enterprise_id']}").get_json()
    assert (created["name"], created["declared_hazards"]) == ("导入测试企业0号", ["hardwood_dust", "noise"])
    updated = caller.get(f"/api/enterprises/{existing['id']}").get_json()
    assert (updated["contact_name"], updated["declared_hazards"]) == ("新联系人", ["benzene", "noise"])
    assert caller.get("/api/enterprises?q=导入测试企业").get_json()["total"] == 2
    audit = caller.get("/api/audit?action=enterprise.import").get_json()["items"][0]
    assert audit["details"]["enterprises"][2]["changes"]["contact_name"] == {"old": "马晓东", "new": "新联系人"}


def test_an_import_without_a_preview_or_of_another_file_is_refused(client):
    caller = login(client, "admin")
    existing = caller.get("/api/enterprises?q=鑫源").get_json()["items"][0]
    seen = _xlsx([HEADER, [existing["credit_code"], "青川鑫源化工股份有限公司", "临河区"]])
    edited = _xlsx([HEADER, [existing["credit_code"], "冒名顶替有限公司", "临河区"]])
    digest = preview(caller, seen).get_json()["digest"]
    without = caller.post("/api/enterprises/import", data={"file": (io.BytesIO(seen), "企业.xlsx")},
                          content_type="multipart/form-data")
    assert without.status_code == 422 and error_of(without)["details"][0]["field"] == "digest"
    changed = apply(caller, edited, digest)
    assert changed.status_code == 409
    assert error_of(changed)["code"] == "PREVIEW_OUTDATED" and "重新预览" in error_of(changed)["message"]
    assert caller.get(f"/api/enterprises/{existing['id']}").get_json()["name"] == existing["name"]
    assert apply(caller, seen, digest).status_code == 200
    assert caller.get(f"/api/enterprises/{existing['id']}").get_json()["name"] == "青川鑫源化工股份有限公司"
    # The same digest again: the registry now holds the new name, so that preview no longer says what would happen.
    assert apply(caller, seen, digest).status_code == 409


def test_import_of_a_gbk_csv_from_excel(client):
    caller = login(client, "admin")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(_good_rows(2, start=10))
    content = buffer.getvalue().encode("gb18030")
    digest = preview(caller, content, "registry.csv").get_json()["digest"]
    assert apply(caller, content, digest, "registry.csv").status_code == 200
    names = {i["name"] for i in caller.get("/api/enterprises?q=导入测试企业").get_json()["items"]}
    assert names == {"导入测试企业10号", "导入测试企业11号"}


def test_import_of_another_format_is_refused(client):
    caller = login(client, "admin")
    response = preview(caller, b"%PDF-1.4", "registry.pdf")
    assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "file"


def test_field_staff_cannot_preview_an_import(client):
    sampler = login(client, "lh_sampler")
    response = preview(sampler, _xlsx([HEADER, *_good_rows(1)]))
    assert response.status_code == 403 and error_of(response)["code"] == "FORBIDDEN"


def test_an_import_never_moves_or_renames_another_districts_enterprise(client):
    theirs = login(client, "lh_supervisor").get("/api/enterprises?q=鑫源").get_json()["items"][0]  # 临河区
    importer = login(client, "dg_supervisor")  # 东港区
    rows = [HEADER, [theirs["credit_code"], "冒名顶替有限公司", "东港区", "2614", "有机化学原料制造", "中", "某人",
                     "13900000000", "苯"]]
    response = preview(importer, _xlsx(rows))
    assert response.status_code == 422
    assert [(d["row"], d["field"], d["code"]) for d in error_of(response)["details"]] == [
        (2, "credit_code", "other_district")]
    still = login(client, "lh_supervisor").get(f"/api/enterprises/{theirs['id']}")
    assert still.status_code == 200  # 临河区 keeps its enterprise, name and district unchanged
    assert (still.get_json()["name"], still.get_json()["region_id"]) == (theirs["name"], theirs["region_id"])
