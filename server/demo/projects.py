"""Demo 三同时 ledger: a handful of construction projects per district, entered from the inspector's tablet, so the
ledger shows every state today — one with its acceptance overdue, one 已落实, one whose design is due within the
month, one in progress whose builder is not in the registry yet, one without its hazard class (未填报).

Every date is relative to today on the business clock (DistrictWork.office.day); the stage rules are those of
domain/projects.py with the shipped reference data.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    builder: str            # a registry enterprise's name, or the name of a builder not in the registry
    in_registry: bool
    nature: str
    level: str | None
    days: dict              # field → days ago (negative: ahead)


# The story of each project in days before today (see domain/projects.py for the stages' due days).
STORIES = {
    "overdue": dict(registered_on=420, approval_date=400, pre_assessment_done_on=410, protection_design_done_on=385,
                    construction_start=380, trial_run_start=200, control_evaluation_done_on=25,
                    planned_completion=30),   # acceptance due 180 days into the trial operation: 20 days ago
    "implemented": dict(registered_on=700, approval_date=650, pre_assessment_done_on=660,
                        protection_design_done_on=610, construction_start=600, trial_run_start=150,
                        control_evaluation_done_on=40, acceptance_done_on=12, planned_completion=10),
    "due_soon": dict(registered_on=90, approval_date=60, pre_assessment_done_on=70, construction_start=-20,
                     planned_completion=-400),  # the design is due before construction starts, in 20 days
    "ongoing": dict(registered_on=45, approval_date=30, pre_assessment_done_on=40, construction_start=-90,
                    planned_completion=-500),
    "incomplete": dict(registered_on=10, approval_date=-30),
}

DISTRICT_PROJECTS = {
    "lh": (
        Project("LH-SST-2025-011", "水泥粉磨系统技术改造项目", "青川鲁峰水泥有限公司", True, "technical_renovation",
                "serious", STORIES["overdue"]),
        Project("LH-SST-2024-006", "陶瓷砖生产线扩建项目", "临河华美陶瓷有限公司", True, "expansion", "heavier",
                STORIES["implemented"]),
        Project("LH-SST-2026-002", "铸造清理车间技术改造项目", "青川洪基铸造有限公司", True, "technical_renovation",
                "general", STORIES["due_soon"]),
        Project("LH-SST-2026-004", "年产5000吨注塑制品新建项目", "临河新锐塑业有限公司", False, "new_build", "general",
                STORIES["ongoing"]),
        Project("LH-SST-2026-007", "尾矿库扩建项目", "青川金岭矿业有限公司", True, "expansion", None,
                STORIES["incomplete"]),
    ),
    "dg": (
        Project("DG-SST-2025-003", "氯化装置扩能改造项目", "东港宏泰化学工业有限公司", True, "technical_renovation",
                "serious", STORIES["overdue"]),
        Project("DG-SST-2024-009", "玻璃纤维拉丝生产线新建项目", "青川晶石玻璃纤维有限公司", True, "new_build",
                "heavier", STORIES["implemented"]),
        Project("DG-SST-2026-001", "汽车部件涂装线技术改造项目", "东港驰远汽车部件有限公司", True,
                "technical_renovation", "general", STORIES["due_soon"]),
        Project("DG-SST-2026-005", "新型环保板材新建项目", "东港海川新材料有限公司", False, "new_build", "general",
                STORIES["ongoing"]),
        Project("DG-SST-2026-006", "石灰石破碎系统扩建项目", "东港石门石灰石矿", True, "expansion", None,
                STORIES["incomplete"]),
    ),
}


def project_fields(work, project):
    """The file of a demo project as the inspector enters it."""
    office = work.office
    fields = {"project_code": project.code, "project_name": project.name, "project_nature": project.nature,
              "approval_kind": "filing", "approval_authority": f"{_district_name(work)}发展和改革局"}
    if project.in_registry:
        enterprise = office.enterprise(project.builder)
        fields.update(enterprise_id=enterprise.id, builder_name=enterprise.name, industry=enterprise.industry_name)
    else:
        fields["builder_name"] = project.builder
    if project.level:
        fields["hazard_level"] = project.level
    for name, days_ago in project.days.items():
        fields[name] = office.day(days_ago)
    for stage in ("pre_assessment", "protection_design", "control_evaluation", "acceptance"):
        if f"{stage}_done_on" in fields:
            fields[f"{stage}_ref"] = "报告及专家评审意见存档"
    return fields


def _district_name(work):
    return {"lh": "临河区", "dg": "东港区"}.get(work.d.prefix, "")


def seed_projects(work):
    """Schedule the district's demo projects on the demo timeline: the inspector enters them three days ago."""
    projects = DISTRICT_PROJECTS.get(work.d.prefix, ())
    tablet = work.tablet("inspector")

    def enter(when):
        for project in projects:
            tablet.create("construction_project", project_fields(work, project))
        tablet.push(when)

    if projects:
        work.timeline.at(3, "15:20")(enter)
