"""The enforcement screens at the sizes the app is used at (landscape and portrait tablets, a phone), with a
screenshot of each in test-artifacts/screenshots; and the checklist the tablet computes offline is the one the
server gives for the same enterprise."""
import pytest

from .enforcement import answer, draw_assignments, issued_notice, step
from .tablet import FieldTablet
from .test_sample_labels import visit_with_samples
from .test_screens import shoot

pytestmark = pytest.mark.browser

CHECKLIST_ON_TABLET = """async (ids) => {
    const db = await import('/static/js/db.js');
    const { checklistTables } = await import('/static/js/controllers/inspection.js');
    const { enterpriseChecklist } = await import('/static/js/checklist.js');
    const tables = await checklistTables();
    const out = {};
    for (const id of ids) {
        const enterprise = await db.getEnterprise(id);
        out[id] = enterpriseChecklist(enterprise, tables);
        out[id + '+construction'] = enterpriseChecklist(enterprise, tables, { hasConstructionProject: true });
    }
    return out;
}"""


def test_the_tablets_checklist_is_the_servers(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_inspector")
    ids = tablet.page.evaluate("import('/static/js/db.js').then((db) => db.allEnterprises()).then((all) => all.map((e) => e.id))")
    assert len(ids) >= 8
    computed = tablet.page.evaluate(CHECKLIST_ON_TABLET, ids)
    inspector = live_server.api("lh_inspector")
    kinds = set()
    for enterprise_id in ids:
        for suffix, query in (("", ""), ("+construction", "?has_construction_project=true")):
            response = inspector.get(f"/api/enterprises/{enterprise_id}/checklist{query}")
            assert response.status_code == 200
            assert computed[enterprise_id + suffix] == response.get_json(), enterprise_id + suffix
            kinds.add(tuple(response.get_json()["conditions"]))
    assert len(kinds) >= 4  # enterprises with different declared hazards, different checklists
    assert tablet.errors == []


def test_enforcement_screens_fit_tablets_and_phones(new_context, live_server, screenshots):
    draw_assignments(live_server)
    enterprise_id, notice, _ = issued_notice(live_server)
    visit, _ = visit_with_samples(live_server)

    inspector = FieldTablet(new_context(), live_server).login("lh_inspector")
    page = inspector.page
    page.locator("[data-testid=home-assignments] [data-assignment]").first.wait_for()
    page.locator(f"[data-testid=home-assignments] [data-enterprise='{enterprise_id}'] [data-testid=assignment-start]").click()
    page.wait_for_selector("[data-field=place]")
    inspection = page.evaluate("location.hash.split('/')[2]")
    step(inspector, "checklist")
    answer(inspector, "org_management", "nonconform", "未设置职业卫生管理机构")
    answer(inspector, "prevention_plan", "conform")
    answer(inspector, "rules_procedures", "corrected_on_site", "操作规程未上墙，现场已张贴")
    step(inspector, "findings")
    finding = page.locator("[data-finding]").first.get_attribute("data-finding")
    inspector.go(f"#/enterprise/{enterprise_id}")
    page.click(f"[data-notice='{notice['id']}'] [data-testid=start-reinspection]")
    page.wait_for_selector(".rein-item")
    reinspection = page.evaluate("location.hash.split('/')[2]")

    problems = shoot(inspector, screenshots, [
        ("home-inspector", "#/home"), ("enterprise-enforcement", f"#/enterprise/{enterprise_id}"),
        ("inspection-info", f"#/inspection/{inspection}/info"), ("inspection-checklist", f"#/inspection/{inspection}/checklist"),
        ("inspection-findings", f"#/inspection/{inspection}/findings"),
        ("inspection-finding", f"#/inspection/{inspection}/finding/{finding}"),
        ("inspection-notice", f"#/inspection/{inspection}/notice"), ("inspection-sign", f"#/inspection/{inspection}/sign"),
        ("inspection-issue", f"#/inspection/{inspection}/issue"),
        ("reinspection-items", f"#/reinspection/{reinspection}/items"),
        ("reinspection-issue", f"#/reinspection/{reinspection}/issue")])

    sampler = FieldTablet(new_context(), live_server).login("lh_sampler")
    problems.update(shoot(sampler, screenshots, [("sampling-print", f"#/visit/{visit}/print"),
                                                 ("sample-labels", f"#/visit/{visit}/labels")]))
    assert problems == {}
    assert inspector.errors == [] and sampler.errors == []
