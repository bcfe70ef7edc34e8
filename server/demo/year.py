"""A year of one district's work, so the dashboard's catalogue and the year-end summary have a year to count and a
year before to compare with: the spring sampling campaign (visits sampled, analysed, approved and entered into the
national system), routine inspections, assistance visits, and patients followed up — this year up to six weeks ago
(the weeks after belong to the stories of work.py), and a smaller part of last year.

Every date is a day of the current or the previous year on the business clock, never a fixed year; a day not yet
six weeks past is left out, so early in a year the demo simply holds less of it. Everything goes through the same
tablets and commands as work.py's stories.
"""
import datetime as dt

RECENT_DAYS = 45  # work.py's stories fill the last weeks

# The spring campaign: (month, day) sampled, (enterprise, workshop, post, point, hazards with the lab's results).
SPRING = (
    ((4, 8), ("青川鑫源化工有限公司", "精馏车间", "精馏操作工", "精馏塔操作平台",
                           (("benzene", 2.4), ("toluene", 12.0)))),
    ((4, 15), ("临河彩虹印务有限公司", "复合车间", "复合机长", "1号复合机操作位",
                            (("toluene", 41.0), ("ethyl_acetate", 80.0)))),
    ((4, 22), ("青川鲁峰水泥有限公司", "粉磨车间", "磨机巡检工", "水泥磨巡检点", (("cement_dust", 5.6),))),
    ((4, 29), ("临河华美陶瓷有限公司", "成型车间", "压制工", "压机操作位", (("silica_dust", 0.9),))),
    ((5, 6), ("临河美居家具有限公司", "涂装车间", "调漆工", "调漆间", (("xylene", 22.0),))),
    ((5, 13), ("临河润泽精细化学品有限公司", "合成车间", "投料工", "投料口", (("toluene", 8.0),))),
    ((5, 20), ("青川洪基铸造有限公司", "造型车间", "造型工", "造型线", (("silica_dust", 0.4),))),
    ((5, 28), ("临河亮光电镀有限公司", "前处理车间", "打磨工", "抛光机", (("other_dust", 3.1),))),
)
# Last year's campaign: fewer enterprises.
LAST_SPRING = (
    ((4, 10), ("青川鑫源化工有限公司", "合成车间", "反应釜操作工", "反应釜投料口", (("benzene", 7.5),))),
    ((4, 24), ("临河彩虹印务有限公司", "印刷车间", "凹印机长", "3号凹印机操作位", (("toluene", 30.0),))),
    ((5, 15), ("青川鲁峰水泥有限公司", "包装车间", "包装工", "2号包装机", (("cement_dust", 3.0),))),
)
# Routine inspections where everything conformed: (month, day, enterprise).
INSPECTIONS = ((2, 26, "临河通达机械制造有限公司"), (3, 19, "临河步步高鞋业有限公司"), (5, 14, "临河绿源塑料制品厂"),
               (6, 18, "临河星途改装车有限公司"), (8, 20, "临河彩虹印务有限公司"), (9, 10, "临河美居家具有限公司"))
LAST_INSPECTIONS = ((3, 12, "临河通达机械制造有限公司"), (6, 5, "临河绿源塑料制品厂"), (9, 17, "临河华美陶瓷有限公司"))
ASSISTANCE = ((3, 11, "临河星途改装车有限公司"), (6, 3, "临河通达机械制造有限公司"), (7, 22, "临河步步高鞋业有限公司"),
              (9, 24, "临河绿源塑料制品厂"))
LAST_ASSISTANCE = ((5, 9, "临河通达机械制造有限公司"), (10, 12, "临河绿源塑料制品厂"))
# Patients followed once a year: (serial, name, sex, employer, (month, day) last year, (month, day) this year or None).
PATIENTS = (("041", "韩国庆", "male", "青川金岭矿业有限公司", (3, 14), (3, 12)),
            ("042", "冯玉田", "male", "青川洪基铸造有限公司", (3, 21), (3, 26)),
            ("043", "曹宝山", "male", "临河华美陶瓷有限公司", (4, 9), (4, 16)),
            ("044", "魏长江", "male", "青川鲁峰水泥有限公司", (6, 2), (6, 11)),
            ("045", "蒋淑芬", "female", "临河华美陶瓷有限公司", (7, 7), (7, 2)),
            ("046", "田守义", "male", "青川金岭矿业有限公司", (9, 1), None))


def seed_year(work):
    """Schedule a year of the district's routine work on the demo timeline (call from DistrictWork.schedule())."""
    from .work import SamplingVisit  # work.py schedules this module's stories: imported when they are scheduled
    office = work.office
    today = office.today

    def days_ago(year, month, day):
        """Days before today of that date, or None when it is not yet past the recent weeks (or does not exist)."""
        try:
            ago = (today - dt.date(year, month, day)).days
        except ValueError:
            return None
        return ago if ago > RECENT_DAYS else None

    this, last = today.year, today.year - 1
    number = 100
    for year, campaign in ((last, LAST_SPRING), (this, SPRING)):
        for index, ((month, day), spec) in enumerate(campaign):
            ago = days_ago(year, month, day)
            if ago is not None:
                number += 1
                _sampled_and_entered(work, SamplingVisit(*spec), ago, f"{work.d.code}-{year}-{number:03d}",
                                     "sampler" if index % 2 == 0 else "sampler2")
    for year, plan in ((last, LAST_INSPECTIONS), (this, INSPECTIONS)):
        for month, day, name in plan:
            ago = days_ago(year, month, day)
            if ago is not None:
                _routine_inspection(work, name, ago)
    for year, plan in ((last, LAST_ASSISTANCE), (this, ASSISTANCE)):
        for month, day, name in plan:
            ago = days_ago(year, month, day)
            if ago is not None:
                _assistance(work, name, ago)
    _patients(work, days_ago, last, this)


def _sampled_and_entered(work, spec, ago, task_no, role):
    """Sampled, feedback issued on site, handed over, analysed, approved, reported (检测报告) and entered into the
    national system."""
    from .work import signature_png
    office, at, d = work.office, work.timeline.at, work.d
    tablet, lab, cdc = work.tablet(role), f"{d.prefix}_lab", f"{d.prefix}_cdc_supervisor"
    visit = {}

    @at(ago, "17:30")
    def record(when):
        visit["id"], enterprise, visit["results"] = work._visit(tablet, spec, ago, task_no)
        tablet.attach(visit["id"], "escort_signature", signature_png(enterprise.contact_name or enterprise.name),
                      "image/png", kind="signature")
        tablet.push(when)
        office.issue(f"{d.prefix}_{role}", visit["id"], "sampling_feedback", when)

    @at(ago - 1, "09:10")
    def hand_over(when):
        office.hand_over(f"{d.prefix}_{role}", visit["id"], when)

    @at(ago - 4, "15:40")
    def analyse(when):
        office.receive(lab, visit["id"], when)
        for sample, concentration in visit["results"]:
            office.enter_result(lab, sample, concentration, when)

    @at(ago - 10, "15:20")
    def approve(when):
        office.review(cdc, visit["id"], "approve", when)

    @at(ago - 11, "10:30")
    def report(when):
        office.issue(cdc, visit["id"], "monitoring_report", when)

    @at(ago - 18, "16:00")
    def enter(when):
        office.national_entry(cdc, visit["id"], when)


def _routine_inspection(work, name, ago):
    """An inspection where every item checked conformed: handed in and approved by the 审核人."""
    at, tablet = work.timeline.at, work.tablet("inspector")
    holder = {}

    @at(ago, "15:40")
    def inspect(when):
        holder["id"], _, _ = work._inspection(
            tablet, name, ago, conform=("org_management", "hazard_declaration", "periodic_testing", "warning_signs",
                                        "training"))
        tablet.submit(holder["id"])
        tablet.push(when)

    @at(ago - 2, "11:00")
    def approve(when):
        work.office.review(f"{work.d.prefix}_supervisor", holder["id"], "approve", when)


def _assistance(work, name, ago):
    at, tablet, office = work.timeline.at, work.tablet("assistant"), work.office
    holder = {}

    @at(ago, "16:00")
    def visit(when):
        holder["id"] = tablet.create("assistance_visit",
                                     work._assistance_fields(office.enterprise(name), ago, trained=18))
        tablet.submit(holder["id"])
        tablet.push(when)

    @at(ago - 3, "10:30")
    def approve(when):
        office.review(f"{work.d.prefix}_cdc_supervisor", holder["id"], "approve", when)


def _patients(work, days_ago, last, this):
    """Files opened at the start of last year, each patient followed up once a year (handed in and approved)."""
    office, at, d = work.office, work.timeline.at, work.d
    tablet = work.tablet("followup")
    opened = days_ago(last, 1, 8)
    if opened is None:
        return
    files = {}

    def fields(serial, name, sex, employer):
        diagnosed = last - 6
        return {"case_no": f"{d.code}-CF-{diagnosed}-{serial}", "patient_name": name, "sex": sex,
                "pneumoconiosis_type": "silicosis", "stage": "stage_1", "diagnosis_date": f"{diagnosed}-05-20",
                "employer_name": employer}

    @at(opened, "09:00")
    def open_files(when):
        for serial, name, sex, employer, _before, _now in PATIENTS:
            files[serial] = tablet.create("patient", {**fields(serial, name, sex, employer), "status": "alive",
                                                      "registered_on": office.day(opened)})
        tablet.push(when)

    for serial, name, sex, employer, before, now in PATIENTS:
        for year, when_day in ((last, before), (this, now)):
            ago = days_ago(year, *when_day) if when_day else None
            if ago is None:
                continue
            holder = {}

            def follow(when, serial=serial, name=name, sex=sex, employer=employer, ago=ago, holder=holder):
                holder["id"] = tablet.create("followup", {
                    **fields(serial, name, sex, employer), "patient_id": files[serial],
                    "followup_date": office.day(ago), "followup_method": "home_visit",
                    "followup_staff": work.names["followup"], "vital_status": "alive", "complications": ["none"],
                    "dyspnea_grade": "mild"})
                tablet.submit(holder["id"])
                tablet.push(when)

            at(ago, "15:00")(follow)
            at(ago - 2, "10:30")(lambda when, holder=holder: office.review(
                f"{d.prefix}_cdc_supervisor", holder["id"], "approve", when))
