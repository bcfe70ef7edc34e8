"""Hostile or careless input gets a clear 4xx, never a 500, and changes nothing: XML bombs and external entities
in an uploaded workbook, header integers in other scripts, JSON nested without end."""
import io
import zipfile

import pytest
from openpyxl import Workbook

from tests.support import error_of, login
from tests.sync.test_blobs import _photo, _start

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
          '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
            '<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


def _workbook_with_sheet(xml):
    book = Workbook()
    book.active.append(["统一社会信用代码", "单位名称"])
    plain = io.BytesIO()
    book.save(plain)
    hostile = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, data)
    return hostile.getvalue()


@pytest.mark.parametrize("xml", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_an_xlsx_with_entities_is_refused_as_unreadable(client, xml):
    admin = login(client, "admin")
    before = admin.get("/api/enterprises?per_page=1").get_json()["total"]
    response = admin.post("/api/enterprises/import/preview",
                          data={"file": (io.BytesIO(_workbook_with_sheet(xml)), "x.xlsx")},
                          content_type="multipart/form-data")
    assert response.status_code == 422
    assert [(d["field"], d["code"]) for d in error_of(response)["details"]] == [("file", "unreadable")]
    assert "root:" not in response.get_data(as_text=True)
    assert admin.get("/api/enterprises?per_page=1").get_json()["total"] == before


@pytest.mark.parametrize("offset", ["²", "١٢", "-1", "1e3", ""])
def test_an_upload_offset_that_is_not_ascii_digits_is_refused(client, offset):
    caller = login(client, "lh_inspector")
    photo = _photo()
    state = _start(caller, photo)
    response = caller.patch(f"/api/blobs/uploads/{state['upload_id']}", data=photo[:10],
                            headers={"Upload-Offset": offset, "Content-Type": "application/offset+octet-stream"})
    assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "Upload-Offset"


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_json_nested_without_end_is_a_malformed_request(client, depth):
    for body in ("[" * depth + "]" * depth, '{"username":' + "[" * depth + "]" * depth + "}", "[" * depth):
        response = client.post("/api/auth/login", data=body, content_type="application/json")
        assert response.status_code == 400
        assert error_of(response)["code"] == "MALFORMED_REQUEST"
        assert error_of(response)["details"][0]["code"] == "too_deep"


def test_an_ordinary_push_is_not_taken_for_deep_json(client):
    from tests.sync.tablets import Tablet, sample_fields, visit_fields
    from tests.support import enterprise_in
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    for index in range(60):
        tablet.create("sample", sample_fields(f"D-{index:03d}"), parent=visit)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
