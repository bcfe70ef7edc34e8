"""An admin imports the district's registry spreadsheet: a hazard the reference data does not know is refused with
its row and column; the corrected file is previewed — a new enterprise, a registered one with each changed field's
old and new value, a row without change — and nothing is written until the admin confirms; then the enterprise
page shows the new name, size and declared hazards."""
import csv
import io

import pytest
from playwright.sync_api import expect

from .office import at_desk, shoot

pytestmark = pytest.mark.browser

HEADER = ["统一社会信用代码", "单位名称", "所属区县", "企业规模", "申报危害因素"]
NEW_CODE = "91350100M000100Y43"  # the worked example of GB 32100


def registry_csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8-sig")


def test_admin_previews_the_changes_confirms_and_the_enterprise_page_shows_them(context, live_server, screenshots,
                                                                                 tmp_path):
    admin = live_server.api("admin")
    xinyuan = admin.get("/api/enterprises?q=鑫源").get_json()["items"][0]  # 中型; 苯, 甲苯, 二甲苯, 噪声
    runze = admin.get("/api/enterprises?q=润泽").get_json()["items"][0]
    rows = [[NEW_CODE, "青川新锐家具有限公司", "临河区", "小", "木粉尘、噪声"],
            [xinyuan["credit_code"], "青川鑫源化工股份有限公司", "临河区", "大", "苯，甲苯，噪声"],
            [runze["credit_code"], runze["name"], "临河区", "小", ""]]
    (tmp_path / "名录-有误.csv").write_bytes(registry_csv([*rows[:1], [*rows[1][:4], "苯、香蕉水"], rows[2]]))
    (tmp_path / "名录.csv").write_bytes(registry_csv(rows))
    desk = at_desk(context, live_server, "admin")
    page = desk.page
    desk.go("#/admin/enterprises")
    total = page.locator(".registry h2").nth(1)
    expect(total).to_have_text("名录共 30 家")

    page.set_input_files("[data-testid=import-file]", str(tmp_path / "名录-有误.csv"))
    page.click("[data-testid=import-start]")
    refused = page.locator("[data-testid=import-report][data-outcome=error]")
    expect(refused).to_contain_text("1行有错误，未导入任何数据")
    problem = refused.locator("tbody tr")
    expect(problem).to_have_count(1)
    expect(problem.locator("th")).to_have_text("3")  # the file's third line
    expect(problem.locator("td").nth(0)).to_have_text("申报危害因素")
    expect(problem.locator("td").nth(1)).to_contain_text("香蕉水")
    problems = shoot(desk, screenshots, "admin-import-unknown-hazard")

    page.set_input_files("[data-testid=import-file]", str(tmp_path / "名录.csv"))
    page.click("[data-testid=import-start]")
    preview = page.locator("[data-testid=import-report][data-outcome=preview]")
    expect(preview).to_contain_text("新增 1 家 · 更新 1 家 · 无变化 1 家")
    expect(preview.locator("[data-testid=import-new]")).to_contain_text("青川新锐家具有限公司")
    update = preview.locator(f"[data-testid=import-update][data-credit-code='{xinyuan['credit_code']}']")
    expect(update.locator("h3")).to_contain_text("第 3 行 · 青川鑫源化工有限公司")
    diff = [[cell.strip() for cell in row.split("\t")] for row in update.locator("tbody tr").all_inner_texts()]
    assert diff == [["单位名称", "青川鑫源化工有限公司", "青川鑫源化工股份有限公司"], ["企业规模", "中型", "大型"],
                    ["申报危害因素", "苯、甲苯、二甲苯（全部异构体）、噪声", "苯、甲苯、噪声"]]
    expect(preview.locator("[data-testid=import-unchanged] summary")).to_have_text("无变化的行（1）")
    problems.update(shoot(desk, screenshots, "admin-import-preview", phone=True))
    # Nothing is written before the admin confirms.
    assert admin.get(f"/api/enterprises/{xinyuan['id']}").get_json()["name"] == "青川鑫源化工有限公司"
    expect(total).to_have_text("名录共 30 家")

    page.click("[data-testid=import-confirm]")
    done = page.locator("[data-testid=import-report][data-outcome=imported]")
    expect(done).to_contain_text("已导入：新增 1 家，更新 1 家。")
    expect(total).to_have_text("名录共 31 家")
    desk.wait_synced()  # the import brings the desk's own copy of the registry up to date
    done.locator(f"a[data-enterprise='{xinyuan['id']}']").click()
    card = page.locator("[data-testid=enterprise-card]")
    expect(card.locator("h2")).to_have_text("青川鑫源化工股份有限公司")
    expect(card).to_contain_text("大型")
    expect(card.locator(".tags .tag")).to_have_text(["苯", "甲苯", "噪声"])
    problems.update(shoot(desk, screenshots, "admin-import-enterprise"))
    assert problems == {}
    assert desk.errors == []
