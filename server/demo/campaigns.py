"""The demo district's supervision-side registers. Its 专项治理 campaign, 印刷、家具、汽车制造行业 (seed 000: 治理完成印刷、
家具、汽车制造行业单位10家), opened by the supervision agency's supervisor two months ago with a deadline at the end of
the quarter, its enterprises enrolled from the registry by industry code; their states follow the demo's own
inspections and monitoring results, two have their treatment figures recorded. And the registry's 申报 dates."""
import calendar
import datetime as dt

import sqlalchemy as sa

from ..domain.campaigns import code_prefixes, industry_matches
from ..models import Enterprise, Region

CODES = "C23, C21, C36"


def seed_campaigns(work):
    """Schedule the campaign of `work`'s district on its timeline."""
    office, d = work.office, work.d
    tablet = work.tablet("supervisor")

    def make(when):
        region = office.enterprise(d.returned_inspection).region_id
        enterprises = office.session.execute(sa.select(Enterprise.id, Enterprise.name, Enterprise.industry_code)
                                             .where(Enterprise.region_id == region).order_by(Enterprise.name)).all()
        name = office.session.scalar(sa.select(Region.name).where(Region.id == region))
        start = dt.date.fromisoformat(office.day(60))
        month = (office.today.month - 1) // 3 * 3 + 3
        quarter_end = dt.date(office.today.year, month, calendar.monthrange(office.today.year, month)[1])
        campaign = tablet.create("campaign", {
            "campaign_name": f"{name}印刷、家具、汽车制造行业职业病危害专项治理", "campaign_code": f"ZX-{d.code}-01",
            "industry": "printing", "industry_codes": CODES, "start_date": start.isoformat(),
            "deadline": quarter_end.isoformat(), "target_count": 10, "lead_unit": f"{name}卫生健康局",
            "description": "以改善工作场所环境为主要任务，优先采用工程技术措施，使作业岗位危害因素浓（强）度达到限值要求"})
        chosen = [row for row in enterprises if industry_matches(row.industry_code, code_prefixes(CODES))]
        for index, row in enumerate(chosen):
            fields = {"enterprise_id": row.id, "enrolled_on": office.day(58), "enrolment": "registry_industry"}
            if index < 2:
                fields.update({"workers_exposed": 40 + index * 20, "workers_examined": 38 + index * 20,
                               "workers_trained": 40 + index * 15, "status_evaluation_on": office.day(400)})
            tablet.create("campaign_enterprise", fields, parent=campaign)
        tablet.push(when)

    work.timeline.at(58, "15:00")(make)


def seed_declarations(work):
    """The district's 职业病危害项目申报 as the 执法大队 keeps it on the registry: most enterprises declared years ago
    and updated within the year, two declaring for the first time this year, one not updated for over a year, the
    rest not declared yet."""
    office, d = work.office, work.d

    def make(when):
        from ..domain.enterprises import update_enterprise  # the office's own edit, with its rules
        actor = office.actor(f"{d.prefix}_supervisor")
        region = office.enterprise(d.returned_inspection).region_id
        names = list(office.session.scalars(sa.select(Enterprise.name).where(Enterprise.region_id == region)
                                            .order_by(Enterprise.name)))
        today = office.today
        for index, name in enumerate(names):
            enterprise = office.enterprise(name)
            if index % 5 == 4:
                continue  # not declared yet
            if index in (1, 6):  # first declared this year
                dates = {"first_declared_on": max(dt.date(today.year, 1, 1), today - dt.timedelta(days=15 + index))}
            elif index == 3:
                dates = {"first_declared_on": dt.date(today.year - 3, 4, 8),
                         "last_declared_on": dt.date(today.year - 2, 6, 1)}  # not updated since: overdue
            else:
                dates = {"first_declared_on": dt.date(today.year - 2 - index % 3, 3 + index % 6, 12),
                         "last_declared_on": today - dt.timedelta(days=20 + index * 9)}
            update_enterprise(office.session, actor, enterprise.id, dates, today=today)
        office.session.commit()

    work.timeline.at(30, "16:00")(make)
