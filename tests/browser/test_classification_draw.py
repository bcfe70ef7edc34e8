"""分类监督执法 in the office, end to end: the 执法大队's supervisor assesses an enterprise from the scheme's inputs (the
class and the next reassessment show), raises the 乙 ratio with its basis, draws, opens the draw's public page and
saves it; the standalone script run on the saved page names exactly the enterprises the draw chose, and the single
甲 enterprise at 10 % is not among them."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .office import at_desk, shoot

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def test_a_supervisor_assesses_sets_a_ratio_draws_and_anyone_recomputes_the_draw(context, live_server, screenshots,
                                                                                   tmp_path):
    desk = at_desk(context, live_server)
    page = desk.page
    desk.go("#/classification")
    register = page.locator("[data-testid=class-register]")
    row = register.locator("tr", has_text="临河绿源塑料制品厂")
    expect(row).to_contain_text("未评定")
    row.locator("a").click()

    # The assessment: 一般 hazards above the limits, 8 exposed → Ⅱ; 80 points → B; Ⅱ-B → 乙.
    form = page.locator("[data-testid=class-form]")
    form.locator("select[name=hazard_nature]").select_option("general")
    form.locator("select[name=exposure_conformity]").select_option("nonconform")
    form.locator("input[name=exposed_headcount]").fill("8")
    form.locator("input[name=management_score]").fill("80")
    page.click("[data-testid=class-submit]")
    expect(page.locator("[data-testid=class-label]")).to_have_text("乙类")
    expect(page.locator("[data-testid=class-next-due]")).to_have_text("2029-11-20")  # three years from today
    expect(page.locator("[data-testid=class-assessed-on]")).to_have_text("2026-11-20")
    expect(page.locator("[data-testid=class-history] tbody tr")).to_have_count(1)
    expect(page.locator("[data-testid=class-history]")).to_contain_text("孙伟")
    problems = shoot(desk, screenshots, "class-assessment", phone=True)

    # A refused input says what is wrong in Chinese and keeps nothing.
    form.locator("select[name=hazard_nature]").select_option("")
    page.click("[data-testid=class-submit]")
    expect(page.locator(".toast, [role=status], [role=alert]").filter(has_text="危害性质").first).to_be_visible()
    expect(page.locator("[data-testid=class-history] tbody tr")).to_have_count(1)

    # The 乙 ratio goes from the policy's 30 % to 50 %, with its basis.
    desk.go("#/classification")
    ratios = page.locator("[data-testid=ratio-card]")
    ratios.locator("[data-ratio='乙']").fill("50")
    ratios.locator("[data-testid=ratio-reason]").fill("临卫监〔2026〕12号 年度抽查计划")
    ratios.locator("[data-save-ratio='乙']").click()
    expect(ratios.locator("[data-ratio-row='乙']")).to_contain_text("孙伟")
    expect(ratios.locator("[data-testid=ratio-history]")).to_contain_text("30% → 50%")
    problems.update(shoot(desk, screenshots, "class-register", phone=True))

    # The draw: 甲 has one enterprise at 10 % and draws none; 乙 (4 now) at 50 % draws 2; 丙 all.
    desk.go("#/draws")
    page.locator("[data-testid=draw-form] input[name=title]").fill("2026年第四季度职业卫生双随机抽查")
    page.click("[data-testid=draw-submit]")
    result = page.locator("[data-testid=draw-result]")
    expect(result).to_be_visible()
    drawn = live_server.api("lh_supervisor").get("/api/draws").get_json()["items"][0]
    assert drawn["inputs"]["ratios"]["乙"] == 50 and drawn["result"]["enterprises"]["甲"] == []
    assert len(drawn["inputs"]["enterprises"]["乙"]) == 4 and len(drawn["result"]["enterprises"]["乙"]) == 2
    expect(result.locator("[data-testid=draw-classes] tbody tr", has_text="甲")).to_contain_text("10%")
    candidates = result.locator("[data-testid=draw-candidates] details[data-class='乙']")
    candidates.locator("summary").click()
    expect(candidates.locator("tbody tr")).to_have_count(4)
    expect(candidates).to_contain_text("临河绿源塑料制品厂")

    # The public page, opened as anyone would (no login), saved to a file.
    with page.context.expect_page() as opened:
        result.locator("[data-testid=draw-public]").click()
    public = opened.value
    public.wait_for_load_state()
    expect(public.locator("[data-testid=public-seed]")).to_have_text(drawn["seed"])
    expect(public.locator("[data-testid=public-classes] tr", has_text="甲")).to_contain_text("0")
    expect(public.locator("[data-testid=public-drawn] tbody tr")).to_have_count(len(drawn["result"]["assignments"]))
    saved = tmp_path / "draw.html"
    saved.write_text(public.content(), encoding="utf-8")
    public.close()

    run = subprocess.run([sys.executable, str(ROOT / "tools" / "recompute_draw.py"), str(saved), "--json"],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    recomputed = json.loads(run.stdout)
    codes = {c["id"]: c["credit_code"] for pool in drawn["inputs"]["enterprises"].values() for c in pool}
    chosen = [codes[a["enterprise_id"]] for a in drawn["result"]["assignments"]]
    assert [d["credit_code"] for d in recomputed["drawn"]] == chosen
    single = drawn["inputs"]["enterprises"]["甲"][0]["credit_code"]
    assert single not in [d["credit_code"] for d in recomputed["drawn"]]
    assert problems == {}
    assert desk.errors == []
