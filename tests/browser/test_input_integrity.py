"""Every value as typed: a sampler and an assistant type wrong, ambiguous, long and unlikely values on a tablet with no
signal, reload in the middle, and find every entry where they left it — refused ones marked with what is wrong (never
rescaled, never lost, never "为必填项" in their place), unlikely readings confirmed into the notes, and only accepted
values reaching the server."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record

from .tablet import FieldTablet, wait_until

pytestmark = pytest.mark.browser

LONG_TEXT = "车间内局部排风运行，" * 60  # 600 characters where 500 are allowed


def reload_offline(tablet, ready):
    """The tablet is reloaded (the app cold-starts from its service worker) and the same screen comes back."""
    tablet.page.reload()
    tablet.page.wait_for_selector(ready)


def box(tablet, field_id):
    return tablet.field(field_id).locator("input, textarea").first


def test_sampling_entries_survive_a_reload_and_the_submit_list_names_what_is_wrong(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    page = tablet.page
    visit_id = tablet.start_visit_offline(context, "鑫源化工")
    tablet.fill("task_no", "LH-2026-077")
    tablet.fill("temperature_c", "abc")
    tablet.fill("humidity_pct", "150")
    tablet.fill("pressure_kpa", "１０１．３")  # full-width digits from a Chinese keyboard are read as typed
    assert "气温：“abc”不是数字" in tablet.message("temperature_c")
    assert "相对湿度不能大于 100" in tablet.message("humidity_pct")
    expect(tablet.field("temperature_c")).to_have_class("field type-number has-error")
    expect(tablet.field("temperature_c").locator("input")).to_have_value("abc")

    # A long paste is kept whole: the counter says how much is over, the field says the limit.
    box(tablet, "production_status").fill(LONG_TEXT)
    counter = tablet.field("production_status").locator(".char-count")
    expect(counter).to_have_text("600/500 字，超出 100 字")
    box(tablet, "production_status").press("Tab")
    assert "生产状况/工况不能超过 500 个字" in tablet.message("production_status")
    assert len(box(tablet, "production_status").input_value()) == 600

    # Typed and not yet left: the focused field's text is kept when the page goes away.
    box(tablet, "checker_name").fill("周审核")
    reload_offline(tablet, "[data-field=task_no]")

    expect(box(tablet, "temperature_c")).to_have_value("abc")
    assert "气温：“abc”不是数字" in tablet.message("temperature_c")
    expect(box(tablet, "humidity_pct")).to_have_value("150")
    expect(box(tablet, "production_status")).to_have_value(LONG_TEXT)
    expect(box(tablet, "checker_name")).to_have_value("周审核")
    expect(box(tablet, "pressure_kpa")).to_have_value("101.3")

    # The submit list names the actual problem, not "为必填项".
    page.click("[data-step=submit]")
    problems = page.locator("[data-testid=local-problems]")
    page.click("[data-testid=submit-button]")
    expect(problems).to_contain_text("气温：“abc”不是数字")
    expect(problems).to_contain_text("相对湿度不能大于 100")
    expect(problems).not_to_contain_text("气温为必填项")

    # A sample with a thousands separator, an unlikely flow and a lighter filter.
    page.click("[data-step=samples]")
    page.click("[data-testid=add-sample]")
    page.wait_for_selector("[data-field=hazard_key]")
    sample_id = page.evaluate("location.hash.split('/')[4]")
    tablet.pick("hazard_key", "水泥", "cement_dust")
    tablet.choose("duration_type", "long_time")
    tablet.choose("collector", "filter_membrane")
    tablet.fill("flow_before_l_min", "20")
    tablet.fill("flow_after_l_min", "21.5")
    tablet.fill("filter_mass_before_mg", "1,200")
    assert "“1,200”中的逗号可能是千位分隔符" in tablet.message("filter_mass_before_mg")
    warning = tablet.field("flow_after_l_min").locator(".field-warning")
    expect(warning).to_contain_text("采样前后流量相差 7.5%")
    reload_offline(tablet, "[data-field=flow_after_l_min]")
    expect(box(tablet, "filter_mass_before_mg")).to_have_value("1,200")
    assert "千位分隔符" in tablet.message("filter_mass_before_mg")
    expect(tablet.field("flow_after_l_min").locator(".field-warning")).to_contain_text("请确认")

    tablet.fill("filter_mass_before_mg", "35.120")
    tablet.fill("filter_mass_after_mg", "35.100")
    expect(tablet.field("filter_mass_before_mg").locator(".field-msg")).to_have_text("")
    lighter = tablet.field("filter_mass_after_mg").locator(".field-warning")
    expect(lighter).to_contain_text("采样后滤膜质量 35.1 mg 低于采样前 35.12 mg")
    lighter.locator("button[data-confirm]").click()
    expect(lighter).to_contain_text("已确认")
    tablet.field("flow_after_l_min").locator("button[data-confirm]").click()
    expect(tablet.field("flow_after_l_min").locator(".field-warning")).to_contain_text("已确认")
    notes = box(tablet, "notes")
    expect(notes).to_have_value("【已确认】采样后滤膜质量 35.1 mg 低于采样前 35.12 mg，已复核。\n"
                                "【已确认】采样前后流量 20 → 21.5 L/min，相差 7.5%。")
    reload_offline(tablet, "[data-field=notes]")
    expect(tablet.field("filter_mass_after_mg").locator(".field-warning")).to_contain_text("已确认")

    # Back online: only accepted values reach the server; the confirmations travel in the notes.
    context.set_offline(False)
    tablet.sync()
    with live_server.app.app_context():
        visit = db.session.get(Record, visit_id)
        sample = db.session.get(Record, sample_id)
        assert "temperature_c" not in visit.data and "humidity_pct" not in visit.data
        assert "production_status" not in visit.data
        assert visit.data["pressure_kpa"] == 101.3 and visit.data["checker_name"] == "周审核"
        assert (sample.data["filter_mass_before_mg"], sample.data["filter_mass_after_mg"]) == (35.12, 35.1)
        assert "【已确认】采样前后流量 20 → 21.5 L/min" in sample.data["notes"]
    # The refused entries are still on the tablet, still marked, after the sync.
    tablet.go(f"#/visit/{visit_id}/header")
    expect(box(tablet, "temperature_c")).to_have_value("abc")
    assert tablet.errors == []


def test_an_assistance_count_typed_with_a_thousands_separator_is_refused_and_kept(new_context, live_server):
    assistant = FieldTablet(new_context(), live_server).login("lh_assistant")
    page = assistant.page
    page.click("[data-flow=assistance]")
    page.locator("[data-enterprise]").first.click()
    page.wait_for_selector("[data-field=exposed_workers]")
    record_id = page.evaluate("location.hash.split('/')[2]")
    assistant.fill("exposed_workers", "1,200")
    assistant.fill("workers_trained", "二十")
    assert "“1,200”中的逗号可能是千位分隔符" in assistant.message("exposed_workers")
    assert "“二十”不是数字" in assistant.message("workers_trained")
    box(assistant, "guidance_given").fill("现场指导制定体检计划")  # not left: kept by pagehide
    page.reload()
    page.wait_for_selector("[data-field=exposed_workers]")
    expect(box(assistant, "exposed_workers")).to_have_value("1,200")
    assert "千位分隔符" in assistant.message("exposed_workers")
    expect(box(assistant, "workers_trained")).to_have_value("二十")
    expect(box(assistant, "guidance_given")).to_have_value("现场指导制定体检计划")

    assistant.fill("exposed_workers", "1200")
    assistant.fill("workers_trained", "20")
    expect(assistant.field("exposed_workers").locator(".field-msg")).to_have_text("")
    assistant.sync()
    with live_server.app.app_context():
        data = db.session.get(Record, record_id).data
        assert (data["exposed_workers"], data["workers_trained"]) == (1200, 20)  # as typed, never 1.2
        assert data["guidance_given"] == "现场指导制定体检计划"
    page.reload()
    page.wait_for_selector("[data-field=exposed_workers]")
    expect(box(assistant, "exposed_workers")).to_have_value("1200")
    wait_until(page, "Object.keys(localStorage).filter((k) => k.startsWith('entries:')).length === 0")
    assert assistant.errors == []
