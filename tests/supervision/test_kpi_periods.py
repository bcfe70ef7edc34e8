"""The dashboard by month, quarter and year beside the same period last year (去年同期), teams by district at city level,
and the same figures handed on as a PDF and an XLSX workbook with Chinese headers."""
import datetime as dt
import io

from openpyxl import load_workbook

from server.domain.kpi_reports import period_title
from server.domain.kpis import same_period_last_year
from tests.documents.pdf_tools import temp_pdf
from tests.support import district, error_of, login
from tests.sync.tablets import HANDED_IN_VISIT, Tablet, hand_in_visit, sample_fields, visit_fields

# Business today is 2026-11-20 (tests/support.py BUSINESS_NOW): this quarter so far is 10-01 … 11-20.
QUARTER = "date_from=2026-10-01&date_to=2026-11-20"


def _visits(client, username, region, days):
    """Sampling visits of one district's team on these days, each with a benzene result (one over the limit: 4.2)."""
    tablet = Tablet(login(client, username))
    enterprises = [e["id"] for e in tablet.caller.get("/api/enterprises?per_page=50").get_json()["items"]
                   if e["region_name"] == region]
    for index, (day, value) in enumerate(days):
        visit = tablet.create("sampling_visit", visit_fields(enterprises[index % len(enterprises)], sampling_date=day,
                                                             task_no=f"T-{day}", **HANDED_IN_VISIT))
        tablet.create("sample", sample_fields(f"S-{username[:2].upper()}-{index}", lab_concentration_mg_m3=value,
                                              start_time=f"{day}T08:00:00+08:00", end_time=f"{day}T16:00:00+08:00"),
                      parent=visit)
        hand_in_visit(tablet, visit)
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, [r for r in results if r["status"] != "applied"]


def _city(client):
    # 临河区: two visits this quarter, one in the same quarter last year, one just after last year's "so far".
    _visits(client, "lh_sampler", "临河区", [("2026-10-12", 4.2), ("2026-11-03", 1.0), ("2025-10-20", 1.0),
                                             ("2025-11-25", 1.0)])
    # 东港区 (its team is also called 采样一组): one visit this quarter, two in last year's.
    _visits(client, "dg_sampler", "东港区", [("2026-10-15", 1.0), ("2025-10-08", 4.2), ("2025-11-19", 1.0)])


def test_a_quarter_beside_the_same_quarter_last_year(client):
    _city(client)
    body = login(client, "city_supervisor").get(f"/api/kpis?{QUARTER}&yoy=true").get_json()
    assert body["period"] == {"from": "2026-10-01", "to": "2026-11-20"}
    assert body["previous"]["period"] == {"from": "2025-10-01", "to": "2025-11-20"}
    now, before = body["sampling"], body["previous"]["sampling"]
    assert (now["visits"], before["visits"]) == (3, 3)  # 2025-11-25 falls after last year's 11-20
    assert (now["exceedance_pct"], before["exceedance_pct"]) == (33.3, 33.3)
    districts = {d["name"]: d["sampling"]["visits"] for d in body["previous"]["districts"]}
    assert districts == {"临河区": 1, "东港区": 2}
    # Without yoy the answer is as before: no `previous`.
    assert "previous" not in login(client, "city_supervisor").get(f"/api/kpis?{QUARTER}").get_json()


def test_month_and_year_periods_and_their_last_year(client):
    _city(client)
    caller = login(client, "lh_supervisor")
    month = caller.get("/api/kpis?date_from=2026-10-01&date_to=2026-10-31&yoy=true").get_json()
    assert (month["sampling"]["visits"], month["previous"]["sampling"]["visits"]) == (1, 1)
    year = caller.get("/api/kpis?date_from=2026-01-01&date_to=2026-11-20&yoy=true").get_json()
    assert (year["sampling"]["visits"], year["previous"]["sampling"]["visits"]) == (2, 1)
    assert same_period_last_year(dt.date(2028, 2, 1), dt.date(2028, 2, 29)) == (dt.date(2027, 2, 1),
                                                                                dt.date(2027, 2, 28))
    assert [period_title(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in (
        ("2026-11-01", "2026-11-20"), ("2026-10-01", "2026-10-31"), ("2026-07-01", "2026-09-30"),
        ("2026-10-01", "2026-11-20"), ("2025-01-01", "2025-12-31"), ("2026-01-01", "2026-11-20"),
        ("2026-03-05", "2026-04-02"))] == [
        "2026年11月（1日至20日）", "2026年10月", "2026年第三季度", "2026年第四季度（截至11月20日）", "2025年",
        "2026年（截至11月20日）", "2026年3月5日至2026年4月2日"]


def test_teams_of_the_same_name_in_two_districts_stay_apart(client):
    _city(client)
    body = login(client, "city_supervisor").get(f"/api/kpis?{QUARTER}").get_json()
    teams = [(t["district"], t["name"], t["sampling"]["visits"]) for t in body["teams"]]
    assert ("东港区", "采样一组", 1) in teams and ("临河区", "采样一组", 2) in teams
    assert [t[0] for t in teams] == sorted(t[0] for t in teams)  # grouped by district
    ids = {(t["district"], t["team_id"]) for t in body["teams"] if t["name"] == "采样一组"}
    assert len({team_id for _, team_id in ids}) == 2
    lh = login(client, "city_supervisor").get(f"/api/kpis?{QUARTER}&region_id={district('临河区').id}").get_json()
    assert [(t["district"], t["name"]) for t in lh["teams"]] == [("临河区", "采样一组")]


def test_the_report_as_pdf_and_workbook(client):
    _city(client)
    caller = login(client, "city_supervisor")
    with caller.get(f"/api/kpis/report.pdf?{QUARTER}") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert "attachment" in response.headers["Content-Disposition"]
        pdf = temp_pdf(response.data)
    text = pdf.flat_text()
    for expected in ("职业健康工作统计指标", "青川市", "2026年第四季度（截至11月20日）", "去年同期", "2025年第四季度（截至11月20日）",
                     "采样次数", "超标率", "33.3%", "按区县", "临河区", "东港区", "采样一组", "去年2", "苯"):
        assert expected in text, expected
    assert text.count("采样一组") == 2  # one row per district's team
    assert pdf.page_size[0] > pdf.page_size[1]  # landscape A4

    with caller.get(f"/api/kpis/report.xlsx?{QUARTER}") as response:
        assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
        assert ".xlsx" in response.headers["Content-Disposition"]
        book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["总体指标", "按区县", "按小组", "按危害因素", "说明"]
    overall = {row[0]: row[1:] for row in book["总体指标"].iter_rows(min_row=2, values_only=True)}
    assert overall["采样次数"][:3] == (3, 3, "+0次（+0.0%）")
    assert overall["超标率（%）"][:2] == (33.3, 33.3)
    header = [c.value for c in book["总体指标"][1]]
    assert header[0] == "指标" and header[1].startswith("本期") and header[2].startswith("去年同期")
    teams = list(book["按小组"].iter_rows(values_only=True))
    assert teams[0][:4] == ("区县", "小组", "采样次数（本期）", "采样次数（去年同期）")
    assert {(row[0], row[1], row[2], row[3]) for row in teams[1:]} == {("东港区", "采样一组", 1, 2),
                                                                        ("临河区", "采样一组", 2, 1)}
    districts = {row[0]: row[1:3] for row in book["按区县"].iter_rows(min_row=2, values_only=True)}
    assert districts == {"临河区": (2, 1), "东港区": (1, 2)}


def test_the_report_follows_the_same_rules_as_the_figures(client):
    response = login(client, "lh_supervisor").get("/api/kpis/report.xlsx?date_from=2026-05-01&date_to=2026-04-01")
    assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "date_to"
    assert login(client, "lh_sampler").get(f"/api/kpis/report.pdf?{QUARTER}").status_code == 403
    # The CDC's report holds the CDC's own work only, like its dashboard.
    _city(client)
    book = load_workbook(io.BytesIO(login(client, "dg_cdc_supervisor").get(f"/api/kpis/report.xlsx?{QUARTER}").data))
    assert [row[0] for row in book["按区县"].iter_rows(min_row=2, values_only=True)] == ["东港区"]
