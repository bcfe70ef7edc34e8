"""Demo CDC registers of one district (the CDC's year-end figures, seed 000): the four 职业健康检查机构 with their
职业健康档案卡 counts and this year's 督导, the year's trainings, and the 职业健康检查 batches with the 主动监测 of ten
small enterprises — this year from 1 January to today, and a smaller part of last year.

Everything is recorded on the district's assistance staff's tablet and pushed through the sync protocol, like the
rest of the demo work (work.py). This year's dates are fractions of the days gone since 1 January on the business
clock, so the year's figures exist whatever the day (early in January they crowd into its first days); last year's
are days of last year. Counts are fixed, so a test can check the figures (see SEEDED).
"""
import datetime as dt

import sqlalchemy as sa

from ..models import Enterprise, Region

# (name with {district}, filing year before this year, categories, cards last year, cards this year so far, the story
# of this year's 督导: (fraction of the year gone, outcome)).
INSTITUTIONS = (
    ("{district}康宁医院", 6, ["dust", "chemical", "physical", "radiation"], 25159, 21034, (0.55, "overdue")),
    ("{district}人民医院", 6, ["dust", "chemical", "physical"], 15215, 13120, (0.60, "rectified")),
    ("{district}妇幼保健院", 5, ["dust", "physical"], 9278, 8015, (0.95, "rectifying")),
    ("{district}老年病医院", 3, ["dust", "chemical"], 3836, 3307, (0.70, "conform")),
)
CONFORMING = ("filing", "conditions", "scope", "outreach", "suspected_disease", "information_report")
FINDINGS = {"overdue": ("archives", "部分职业健康检查档案缺少委托协议书和用人单位提供的资料"),
            "rectified": ("result_notice", "2个批次的检查结果告知用人单位超过30个工作日"),
            "rectifying": ("quality", "未参加本年度职业健康检查质量控制考核")}
# This year's trainings: (fraction of the year gone, audience, title, people, hours, enterprises: "medium:N" the
# district's N larger registry enterprises, "assisted:N" N small enterprises (the registry's first, then by name)).
TRAININGS = (
    (0.12, "managers", "用人单位主要负责人和职业卫生管理人员培训（第一期）", 320, 4, None),
    (0.30, "workers", "职业病防治法宣传周进企业宣讲", 60, 1.5, "medium:1"),
    (0.39, "other", "全区职业病报告工作培训会议", 40, 3, None),
    (0.45, "managers", "用人单位主要负责人和职业卫生管理人员培训（第二期）", 365, 4, None),
    (0.55, "assisted", "帮扶企业负责人及职业健康管理人员免费培训（省级培训试点）", 80, 8, "assisted:40"),
    (0.62, "workers", "重点人群职业健康素养干预讲座", 120, 1, "medium:4"),
    (0.75, "managers", "用人单位主要负责人和职业卫生管理人员培训（第三期）", 330, 4, None),
    (0.85, "radiology", "全区放射工作人员业务培训会", 152, 3, None),
)
LAST_TRAININGS = (
    ((3, 20), "managers", "用人单位主要负责人和职业卫生管理人员培训（上半年）", 450, 4, None),
    ((5, 18), "radiology", "放射工作人员业务培训会", 138, 3, None),
    ((6, 26), "assisted", "帮扶企业职业健康管理人员培训", 60, 6, "assisted:30"),
    ((9, 14), "workers", "一线劳动者职业健康知识讲座", 75, 1.5, "medium:1"),
    ((11, 6), "managers", "用人单位主要负责人和职业卫生管理人员培训（下半年）", 520, 4, None),
)
# 主动监测 of ten small enterprises (679 workers, seed 000): workers, suspected, contraindications, hazards.
ACTIVE = ((68, 0, 3, "苯"), (52, 0, 0, "粉尘"), (91, 1, 2, "其他有机溶剂"), (45, 0, 1, "镍及其化合物"), (77, 0, 0, "苯"),
          (60, 0, 4, "粉尘"), (83, 0, 0, "其他有机溶剂"), (39, 0, 1, "镍及其化合物"), (96, 0, 2, "粉尘"), (68, 0, 0, "苯"))
NAMED = ("鑫达五金加工厂", "宏远包装有限公司", "恒信木器厂", "利民塑料制品厂", "永盛机械配件厂", "华泰石材加工厂", "金源印刷厂",
         "顺发家具厂", "德盛五金加工厂", "天成包装有限公司", "瑞丰木器厂", "兴隆塑料制品厂", "广源机械配件厂", "新亚石材加工厂",
         "富华印刷厂", "长城家具厂", "盛达五金加工厂", "中兴包装有限公司", "泰和木器厂", "汇丰塑料制品厂", "正大机械配件厂",
         "聚鑫石材加工厂", "东升印刷厂", "昌盛家具厂", "万通五金加工厂", "华兴包装有限公司", "宝丰木器厂", "荣达塑料制品厂",
         "信诚机械配件厂", "佳美石材加工厂", "丰源印刷厂", "晨光家具厂", "安泰五金加工厂", "嘉禾包装有限公司")
# What the district ends with (the clock's today well into the year: every finding's deadline decided): for tests.
SEEDED = {"institutions": 4, "cards_last_year": 53488, "cards_this_year": 45476, "findings_this_year": 3,
          "sessions_this_year": 8, "people_this_year": 1467, "managers_this_year": 1015,
          "enterprises_trained_this_year": 44, "sessions_last_year": 5, "people_last_year": 1243,
          "batches_this_year": 12, "examined_this_year": 954, "active_workers_this_year": 679,
          "active_enterprises_this_year": 10, "suspected_this_year": 2, "contraindications_this_year": 17,
          "batches_last_year": 3, "active_workers_last_year": 150}


class _Year:
    """Days of the current year (as fractions of the days gone) and of the last one, on the business clock."""

    def __init__(self, today):
        self.today, self.start = today, today.replace(month=1, day=1)
        self.gone = (today - self.start).days

    def this(self, fraction):
        return self.start + dt.timedelta(days=int(self.gone * fraction))

    def last(self, month, day):
        return dt.date(self.start.year - 1, month, day)


def _registry(work, region_id):
    """The district's registry enterprises: (small and micro ones, the larger ones), each sorted by name."""
    found = work.office.session.execute(sa.select(Enterprise.id, Enterprise.name, Enterprise.size).where(
        Enterprise.region_id == region_id).order_by(Enterprise.name)).all()
    return [e for e in found if e.size in ("small", "micro")], [e for e in found if e.size not in ("small", "micro")]


def seed_cdc_registers(work):
    """Schedule the district's CDC registers on the demo timeline (call from DistrictWork.schedule())."""
    office = work.office
    actor = office.actor(f"{work.d.prefix}_assistant")
    region = office.session.get(Region, actor.region_id)
    small, larger = _registry(work, region.id)
    year = _Year(office.today)
    tablet = work.tablet("assistant")
    place = region.name.removesuffix("区")
    names = [f"{place}{name}" for name in NAMED]

    def at(day, hhmm):
        return work.timeline.at((office.today - day).days, hhmm)

    files = _institutions(work, tablet, year, region, at)
    _trainings(work, tablet, year, region, small, larger, names, at)
    _exams(work, tablet, year, region, small, larger, names, files, at)


def _institutions(work, tablet, year, region, at):
    files = {}
    opened = year.last(1, 8)

    @at(opened, "10:00")
    def open_files(when):
        for index, (name, filed, categories, *_rest) in enumerate(INSTITUTIONS, start=1):
            files[index] = tablet.create("exam_institution", {
                "institution_name": name.format(district=region.name), "exam_categories": categories,
                "filing_no": f"{region.short_name}职检备〔{year.start.year - filed}〕第{index:03d}号",
                "filed_on": dt.date(year.start.year - filed, 3 + index, 10).isoformat(),
                "address": f"青川市{region.name}健康路{index * 6}号", "contact_name": "职业健康科"})
        tablet.push(when)

    @at(year.this(0.02), "09:30")
    def last_years_cards(when):
        for index, (_name, _filed, _categories, last, _this, _story) in enumerate(INSTITUTIONS, start=1):
            tablet.create("exam_card_count", {"year": year.start.year - 1, "cards_reported": last,
                                              "counted_to": year.last(12, 31).isoformat()}, parent=files[index])
        tablet.push(when)

    counted = year.this(0.97)

    @at(counted, "16:30")
    def this_years_cards(when):
        for index, (_name, _filed, _categories, _last, cards, _story) in enumerate(INSTITUTIONS, start=1):
            tablet.create("exam_card_count", {"year": year.start.year, "cards_reported": cards,
                                              "counted_to": counted.isoformat()}, parent=files[index])
        tablet.push(when)

    for index, (*_rest, (fraction, outcome)) in enumerate(INSTITUTIONS, start=1):
        _supervision(work, tablet, files, index, year.this(fraction), outcome, at)
    _supervision(work, tablet, files, 1, year.last(7, 15), "rectified", at)  # last year's, of one institution
    return files


def _supervision(work, tablet, files, index, on, outcome, at):
    """A 督导 of one institution on `on`: the conforming items and, unless all conformed, one finding."""
    today = work.office.today
    held = {}
    if outcome == "overdue":  # due a month after the visit, or the day before today when that comes sooner
        deadline = on + dt.timedelta(days=max(0, min(30, (today - on).days - 1)))
    else:
        deadline = on + dt.timedelta(days=20 if outcome == "rectified" else 30)
    rectified = min(on + dt.timedelta(days=12), today)

    @at(on, "14:30")
    def visit(when):
        held["visit"] = tablet.create("institution_supervision", {
            "supervised_on": on.isoformat(), "supervisors": f"{work.names['assistant']}、{work.names['sampler']}",
            "supervision_kind": "comprehensive", "institution_escort": "职业健康科科长",
            "summary": "发现问题当场反馈，限时整改" if outcome != "conform" else "各项均符合要求"}, parent=files[index])
        for key in CONFORMING:
            tablet.create("supervision_item", {"item_key": key, "result": "conform"}, parent=held["visit"])
        if outcome in FINDINGS:
            key, finding = FINDINGS[outcome]
            held["item"] = tablet.create("supervision_item", {
                "item_key": key, "result": "nonconform", "finding": finding, "deadline": deadline.isoformat()},
                parent=held["visit"])
        tablet.push(when)

    if outcome == "rectified":
        @at(rectified, "17:10")
        def rectify(when):
            tablet.pull()
            tablet.update(held["item"], {"rectified_on": rectified.isoformat(),
                                         "rectification_note": "机构提交整改报告，复核已整改"})
            tablet.push(when)


def _enterprises_of(spec, small, larger, names):
    """The enterprises a training lists (child records' fields)."""
    if not spec:
        return []
    kind, count = spec.split(":")
    count = int(count)
    if kind == "medium":
        return [{"enterprise_id": e.id, "people": 15} for e in larger[:count]]
    listed = [{"enterprise_id": e.id, "people": 2} for e in small[:count]]
    return listed + [{"enterprise_name": name, "people": 2} for name in names[:count - len(listed)]]


def _trainings(work, tablet, year, region, small, larger, names, at):
    plan = [(year.last(month, day), spec) for (month, day), *spec in LAST_TRAININGS] + \
           [(year.this(fraction), spec) for fraction, *spec in TRAININGS]
    for number, (held, (kind, title, people, hours, enterprises)) in enumerate(plan, start=1):
        def train(when, held=held, kind=kind, title=title, people=people, hours=hours, enterprises=enterprises,
                  number=number):
            session = tablet.create("training_session", {
                "session_no": f"{work.d.code}-PX-{held.year}-{number:02d}", "title": title,
                "held_on": held.isoformat(), "kind": kind, "organiser": f"{region.name}疾病预防控制中心",
                "people_trained": people, "hours": hours})
            for fields in _enterprises_of(enterprises, small, larger, names):
                tablet.create("training_enterprise", fields, parent=session)
            tablet.push(when)
        at(held, "17:00")(train)


def _exams(work, tablet, year, region, small, larger, names, files, at):
    """Ten 主动监测 batches by the 人民医院 and two of the institutions' own this year; three last year."""
    today = work.office.today
    monitored = [{"enterprise_id": e.id} for e in small[:len(ACTIVE)]]
    monitored += [{"enterprise_name": name} for name in names[:len(ACTIVE) - len(monitored)]]
    plan = [(year.this(0.40 + index * 0.02), "active_monitoring", 1, monitored[index], *ACTIVE[index])
            for index in range(len(ACTIVE))]
    plan += [(year.this(0.30), "on_duty", 0, {"enterprise_id": larger[0].id}, 230, 1, 4, "粉尘、噪声"),
             (year.this(0.96), "pre_employment", 2, {"enterprise_id": larger[1].id}, 45, 0, 0, "粉尘")]
    plan += [(year.last(6, 12), "active_monitoring", 1, {"enterprise_id": small[0].id}, 80, 0, 1, "苯"),
             (year.last(6, 19), "active_monitoring", 1, {"enterprise_id": small[1].id}, 70, 0, 1, "其他有机溶剂"),
             (year.last(9, 8), "on_duty", 0, {"enterprise_id": larger[0].id}, 180, 0, 0, "粉尘、噪声")]
    for number, (start, kind, by, enterprise, workers, suspected, contraindicated, hazards) in enumerate(plan, 1):
        def examine(when, start=start, kind=kind, by=by, enterprise=enterprise, workers=workers, suspected=suspected,
                    contraindicated=contraindicated, hazards=hazards, number=number):
            reported = start + dt.timedelta(days=16)
            fields = {"batch_no": f"{work.d.code}-TJ-{start.year}-{number:03d}", "kind": kind,
                      "institution_id": files[by + 1],
                      "institution_name": INSTITUTIONS[by][0].format(district=region.name), **enterprise,
                      "exam_from": start.isoformat(), "exam_to": min(start + dt.timedelta(days=1), today).isoformat(),
                      "hazards": hazards, "workers_examined": workers, "suspected_cases": suspected,
                      "contraindications": contraindicated, "recheck_needed": contraindicated + suspected}
            # Reported about two weeks after the examination; the 上岗前 batch of the last days not yet.
            if reported <= today and kind != "pre_employment":
                fields.update(reported_national=True, reported_on=reported.isoformat())
            tablet.create("health_exam_batch", fields)
            tablet.push(when)
        at(min(start + dt.timedelta(days=2), today), "18:00")(examine)
