"""The demo 三同时 ledger (server/demo/projects.py): what a new supervisor finds in each district's ledger today."""
from server.demo.projects import seed_projects
from server.demo.work import DONGGANG, LINHE, DistrictWork, Office, Timeline, services_of
from server.domain.projects import implemented_by_enterprise, project_lines
from server.extensions import db
from server.models import Region
from tests.support import login


def _seeded(app):
    office = Office(services_of(app, db.session))
    timeline = Timeline(office)
    for district in (LINHE, DONGGANG):
        seed_projects(DistrictWork(office, timeline, district))
    timeline.run()
    db.session.remove()
    return office.today


def test_each_district_ledger_shows_every_state_and_the_builders_in_words(app, client):
    today = _seeded(app)
    supervisor = login(client, "lh_supervisor")
    body = supervisor.get("/api/ledgers/projects").get_json()
    counts = {state["key"]: state["count"] for state in body["states"]}
    assert counts == {"overdue": 1, "due": 1, "incomplete": 1, "ongoing": 1, "done": 1}
    lines = {line["project_name"]: line for line in body["items"]}
    overdue = lines["水泥粉磨系统技术改造项目"]
    assert overdue["state_zh"] == "逾期" and overdue["builder"] == "青川鲁峰水泥有限公司"
    assert overdue["overdue_stages"].startswith("职业病防护设施竣工验收（应于") and "已逾期20天" in overdue["overdue_stages"]
    assert lines["年产5000吨注塑制品新建项目"]["builder"] == "临河新锐塑业有限公司"  # not in the registry yet
    assert lines["铸造清理车间技术改造项目"]["next_stage"] == "职业病防护设施设计"
    assert lines["尾矿库扩建项目"]["hazard_level_zh"] == "未填写"
    # The other district's ledger holds its own five projects only.
    other = login(client, "dg_supervisor").get("/api/ledgers/projects").get_json()
    assert other["all"] == 5 and not {line["project_name"] for line in other["items"]} & set(lines)
    with app.app_context():
        linhe = db.session.query(Region).filter_by(name="临河区").one()
        by_enterprise = implemented_by_enterprise(db.session, {linhe.id}, today)
        assert len(by_enterprise) == 4 and sum(not ok for ok in by_enterprise.values()) == 1
        assert len(project_lines(db.session, {linhe.id}, today)) == 5
