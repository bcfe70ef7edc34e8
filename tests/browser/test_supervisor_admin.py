"""The administrator's screens: people and their roles, revoking a lost tablet (its next push is refused), importing
the enterprise registry with a report for every row, reference data with its verification flag (an edit waits
for a second admin's verification), and the published form versions."""
import csv
import io
import random

import pytest
from playwright.sync_api import expect

from server.demo.seed import demo_credit_code

from .office import at_desk, shoot

pytestmark = pytest.mark.browser


def registry_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["统一社会信用代码", "单位名称", "所属区县", "行业代码", "行业名称", "企业规模"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_admin_manages_people_and_revokes_a_lost_tablet(context, live_server, screenshots):
    lost = live_server.api("lh_sampler")
    client = live_server.app.test_client()
    for _ in range(10):  # someone kept guessing the assistant's password
        client.post("/api/auth/login", json={"username": "lh_assistant", "password": "wrong-password"})
    desk = at_desk(context, live_server, "admin")
    page = desk.page
    expect(page.locator("[data-area=admin] [data-tile]")).to_have_count(5)
    expect(page.locator("[data-tile=users] [data-count]")).to_have_attribute("data-count", "1")
    page.click("[data-nav=admin]")
    sampler = page.locator("[data-testid=users] [data-user=lh_sampler]")
    expect(sampler).to_contain_text("王海燕")
    expect(sampler.locator("[data-role=sampler]")).to_have_text("采样")
    locked = page.locator("[data-testid=users] [data-user=lh_assistant]")
    expect(locked.locator("[data-testid=user-locked]")).to_be_visible()
    problems = shoot(desk, screenshots, "admin-users", phone=True)
    locked.locator("[data-testid=user-unlock]").click()
    expect(locked.locator("[data-testid=user-locked]")).to_have_count(0)
    assert client.post("/api/auth/login", json={"username": "lh_assistant", "password": "Demo@2026"}).status_code == 200

    # A new sampler joins the team; later she also does follow-ups.
    page.click("[data-testid=users-new]")
    form = page.locator("[data-testid=user-form]")
    form.locator("input[name=username]").fill("lh_sampler3")
    form.locator("input[name=display_name]").fill("钱晓雨")
    form.locator("input[name=password]").fill("Field@2026x")
    form.locator("select[name=agency_id]").select_option(label="临河区疾病预防控制中心")
    form.locator("select[name=team_id]").select_option(label="采样一组 · 临河区疾病预防控制中心")
    form.locator("[data-role=sampler]").click()
    page.click("[data-testid=user-create]")
    created = page.locator("[data-testid=users] [data-user=lh_sampler3]")
    expect(created).to_contain_text("钱晓雨")
    expect(created).to_contain_text("采样一组")
    created.locator("[data-testid=user-roles]").click()
    page.locator("[data-testid=roles-dialog] [data-role=followup]").click()
    page.click("[data-testid=roles-save]")
    expect(created.locator("[data-role=followup]")).to_have_text("随访")
    roles = {u["username"]: u["roles"] for u in live_server.api("admin").get("/api/users").get_json()["items"]}
    assert sorted(roles["lh_sampler3"]) == ["followup", "sampler"]

    page.click("[data-tab=devices]")
    row = page.locator(f"[data-testid=devices] [data-device='{lost.device_id}']")
    expect(row).to_contain_text("王海燕 (lh_sampler)")
    row.locator("[data-testid=device-revoke]").click()
    page.fill("[data-testid=revoke-dialog] input[name=reason]", "平板在厂区遗失")
    page.click("[data-testid=revoke-confirm]")
    expect(row).to_have_attribute("data-revoked", "true")
    expect(row).to_contain_text("平板在厂区遗失")
    expect(page.locator("[data-testid=revoke-dialog]")).to_have_count(0)
    response = lost.post("/api/sync/push", json={"protocol": 1, "device_id": lost.device_id, "mutations": []})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "DEVICE_REVOKED"
    problems.update(shoot(desk, screenshots, "admin-devices", phone=True))
    assert problems == {}
    assert desk.errors == []


def test_admin_imports_the_registry_and_edits_reference_data(context, live_server, screenshots, tmp_path):
    rng = random.Random(4242)
    good = [[demo_credit_code(rng, "379901"), f"临河导入测试{i}号有限公司", "临河区", "2110", "木质家具制造", "小"] for i in range(2)]
    bad = [good[0][0][:-1] + ("0" if good[0][0][-1] != "0" else "1"), "校验位错误公司", "临河区", "", "", "小"]
    (tmp_path / "名录-有误.csv").write_bytes(registry_csv([*good, bad]))
    (tmp_path / "名录.csv").write_bytes(registry_csv(good))
    desk = at_desk(context, live_server, "admin")
    page = desk.page
    desk.go("#/admin/enterprises")
    total = page.locator(".registry h2").nth(1)
    expect(total).to_have_text("名录共 30 家")
    page.set_input_files("[data-testid=import-file]", str(tmp_path / "名录-有误.csv"))
    page.click("[data-testid=import-start]")
    report = page.locator("[data-testid=import-report][data-outcome=error]")
    expect(report).to_contain_text("未导入任何数据")
    expect(report.locator("tbody tr", has_text="统一社会信用代码")).to_contain_text("4")  # the fourth line of the file
    expect(total).to_have_text("名录共 30 家")
    problems = shoot(desk, screenshots, "admin-import-refused")
    page.set_input_files("[data-testid=import-file]", str(tmp_path / "名录.csv"))
    page.click("[data-testid=import-start]")
    expect(page.locator("[data-testid=import-report][data-outcome=preview]")).to_contain_text("新增 2 家")
    page.click("[data-testid=import-confirm]")
    report = page.locator("[data-testid=import-report][data-outcome=imported]")
    expect(report).to_contain_text("已导入：新增 2 家")
    expect(report.locator("tbody tr")).to_have_count(2)
    expect(total).to_have_text("名录共 32 家")
    problems.update(shoot(desk, screenshots, "admin-enterprises", phone=True))

    page.click("[data-tab=reference]")
    page.click("[data-table=oel_limits]")
    rows = page.locator("[data-testid=ref-rows] [data-row]")
    expect(rows.first).to_be_visible()
    expect(page.locator("[data-testid=ref-rows] [data-verified=false]").first).to_contain_text("未核验")
    page.fill(".reference input[type=search]", "toluene")
    page.press(".reference input[type=search]", "Enter")
    toluene = page.locator("[data-testid=ref-rows] [data-row]").first
    expect(toluene).to_contain_text("甲苯")
    row_key = toluene.get_attribute("data-row")
    toluene.locator("[data-testid=ref-edit]").click()
    page.fill("[data-testid=edit-dialog] [name=note]", "已对照 GBZ 2.1-2019 原文核对")
    page.fill("[data-testid=edit-dialog] input[name=reason]", "补充核对说明")
    page.click("[data-testid=edit-save]")
    expect(page.locator("[data-testid=edit-dialog]")).to_have_count(0)
    admin = live_server.api("admin")
    stored = next(r for r in admin.get("/api/reference/oel_limits?key=toluene").get_json()["items"] if r["row_key"] == row_key)
    # Four eyes: the change waits for another admin (tests/browser/test_reference_four_eyes.py); the row keeps its note.
    assert stored["data"]["note"] != "已对照 GBZ 2.1-2019 原文核对" and stored["verified"] is False
    expect(page.locator(".reference input[type=search]")).to_have_value("toluene")
    expect(page.locator(f"[data-row='{row_key}'] [data-testid=ref-pending]")).to_be_visible()
    expect(page.locator("[data-testid=ref-changes] [data-change]")).to_contain_text("须由另一名管理员核验")
    problems.update(shoot(desk, screenshots, "admin-reference"))

    page.click("[data-tab=forms]")
    current = page.locator("[data-testid=form-versions] [data-form='sampling_record/3']")
    expect(current).to_contain_text("当前版本")
    expect(page.locator("[data-testid=form-versions] [data-form='sampling_record/1']")).to_contain_text("旧版本")
    current.click()
    expect(page.locator("[data-testid=form-outline]")).to_contain_text("sampling_visit")
    problems.update(shoot(desk, screenshots, "admin-forms"))
    assert problems == {}
    assert desk.errors == []
