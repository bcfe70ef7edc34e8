"""Who may do what, where. Every access rule lives here; views, sync and documents only call these functions.

The rule book is POLICY: each verb names the roles that may do it. The place part is the same for every verb: a
target outside the actor's jurisdiction does not exist for them (NotFound, so existence is not revealed).
`can(actor, verb, region_id=None)` answers; `require(actor, verb, region_id=None, what=…)` refuses.
"""
from .actors import FIELD_ROLES, OFFICE_ROLES
from .errors import Forbidden, NotFound, problem

EVERYONE = FIELD_ROLES | OFFICE_ROLES
ISSUING_ROLES = frozenset({"inspector", "sampler", "assistant"})
SUPERVISION = frozenset({"supervisor", "admin"})

POLICY = {
    # accounts, devices and reference data
    "user.list": SUPERVISION,
    "user.manage": frozenset({"admin"}),
    "device.manage": frozenset({"admin"}),
    "audit.read": frozenset({"admin"}),
    "reference.read": EVERYONE,
    "reference.edit": frozenset({"admin"}),
    "reference.history": SUPERVISION,
    # the registry
    "enterprise.read": EVERYONE,
    "enterprise.write": EVERYONE,          # field staff: contact details only (check_enterprise_write)
    "enterprise.create": SUPERVISION,
    # field work
    "record.sync": EVERYONE,               # push and pull; the kinds follow the roles (ROLE_ENTITIES)
    "record.read": EVERYONE,
    "record.check": EVERYONE,
    "evaluation.preview": frozenset({"sampler"}) | SUPERVISION,
    "blob.upload": EVERYONE,
    "blob.read": EVERYONE,
    "document.read": EVERYONE,
    "document.issue": ISSUING_ROLES | {"supervisor"},  # only the type's own role (sync/issuing.py): the CDC's
    #                                                   supervisor approves and issues the 检测报告
    "number.reserve": ISSUING_ROLES,
    "number.release": EVERYONE,            # one's own device's blocks
    "number.release_any": SUPERVISION,     # any device's block of the agency
    "labels.print": frozenset({"sampler"}) | SUPERVISION,
    # the monitoring chain after the site (the visit's own agency acts; sync/monitoring.py)
    "monitoring.read": frozenset({"sampler", "laboratory"}) | SUPERVISION,
    "sample.handover": frozenset({"sampler"}),
    "sample.receive": frozenset({"laboratory"}),
    "lab.result": frozenset({"laboratory"}),
    "national.entry": frozenset({"supervisor"}),
    "rectification.read": frozenset({"inspector"}) | SUPERVISION,  # the supervision side's follow-up
    "patient.read": frozenset({"followup"}) | SUPERVISION,  # the patients' register (the CDC's; domain/patients.py)
    "patient.import": SUPERVISION,  # a register kept in a sheet until now, brought in (sync/register_imports.py)
    # The supervision side's registers (domain/ledgers.py): 三同时 projects, 放射诊疗 institutions, 专项治理 campaigns.
    # Inspectors keep them on their tablets and read them; supervisors import them and run the campaigns.
    "project.read": frozenset({"inspector"}) | SUPERVISION,
    "project.import": SUPERVISION,
    "radiology.read": frozenset({"inspector"}) | SUPERVISION,
    "radiology.import": SUPERVISION,
    "campaign.read": frozenset({"inspector"}) | SUPERVISION,
    "campaign.manage": frozenset({"supervisor"}),
    # The CDC's registers (domain/exam_institutions.py, trainings.py, health_exams.py): 职业健康检查机构 and their 督导,
    # 培训, 职业健康检查/主动监测. Assistance staff keep them on their tablets; the CDC's office imports the sheets.
    "examinst.read": frozenset({"assistant"}) | SUPERVISION,
    "examinst.import": SUPERVISION,
    "training.read": frozenset({"assistant"}) | SUPERVISION,
    "training.import": SUPERVISION,
    "healthexam.read": frozenset({"assistant"}) | SUPERVISION,
    "healthexam.import": SUPERVISION,
    # the office
    "record.queue": SUPERVISION,
    "record.review": frozenset({"supervisor"}),
    "conflict.resolve": SUPERVISION,
    "document.void": SUPERVISION,
    "number.register": SUPERVISION,
    "kpi.read": SUPERVISION,
    "export.run": SUPERVISION,
    "draw.manage": SUPERVISION,
    # 分类监督执法 (domain/class_assessments.py, domain/draw_ratios.py): the supervision agency's supervisors assess
    # and set their districts' draw ratios (require_supervision_agency); inspectors read the class files.
    "class.read": frozenset({"inspector"}) | SUPERVISION,
    "class.assess": frozenset({"supervisor"}),
    "draw.ratio.edit": frozenset({"supervisor"}),
}


def roles_for(verb):
    """The roles that may do `verb` (KeyError for a verb the rule book does not know)."""
    return POLICY[verb]


def can(actor, verb, region_id=None):
    """True when the actor's roles allow `verb` and, given a region, it lies in the actor's jurisdiction."""
    return actor.has_role(*roles_for(verb)) and (region_id is None or actor.covers_region(region_id))


def require(actor, verb, region_id=None, what="记录"):
    """Raise Forbidden when no role of the actor allows `verb`, NotFound for a target outside the jurisdiction."""
    require_role(actor, *sorted(roles_for(verb)))
    if region_id is not None:
        ensure_in_jurisdiction(actor, region_id, what)

# Which record kinds each role works with in the field. Supervisors and admins see every kind.
ROLE_ENTITIES = {
    "sampler": {"workplace_survey", "survey_workshop", "survey_post", "sampling_visit", "sample",
                "noise_measurement"},
    "inspector": {"inspection", "checklist_result", "finding", "rectification_item", "reinspection",
                  "reinspection_item", "assignment",
                  # the supervision side's registers (domain/ledgers.py)
                  "construction_project", "radiology_institution", "radiology_device", "campaign",
                  "campaign_enterprise"},
    "assistant": {"assistance_visit",
                  # 职业健康素养监测 (domain/literacy.py): field work handed in and reviewed like an assistance visit
                  "literacy_survey", "literacy_respondent",
                  # the CDC's registers (domain/ledgers.py)
                  "exam_institution", "exam_card_count", "institution_supervision", "supervision_item",
                  "training_session", "training_enterprise", "health_exam_batch"},
    "followup": {"followup", "patient", "patient_employer", "stage_change"},
}
# Registers (DESIGN §7): files with their own history and states that records attach to — a patient's file, a
# 三同时 project, a radiology institution, a campaign. They are kept up to date, not handed in: no review, never in the
# review queue.
REGISTER_KINDS = frozenset({"patient", "construction_project", "radiology_institution", "campaign",
                            "exam_institution", "training_session", "health_exam_batch"})
# The registers' files with their parts. The office keeps them too: an agency's supervisors write its registers'
# records from their own device (sync/entities.py writable_entities), e.g. a campaign they open.
REGISTER_ENTITIES = REGISTER_KINDS | {"patient_employer", "stage_change", "radiology_device", "campaign_enterprise",
                                       "exam_card_count", "institution_supervision", "supervision_item",
                                       "training_enterprise"}
# The laboratory reads the sampling it analyses; it writes results through its own commands, never by sync.
ROLE_READS = {"laboratory": frozenset({"sampling_visit", "sample", "noise_measurement"})}
ROLE_NAMES = {"sampler": "采样人员", "inspector": "监督员", "assistant": "帮扶人员", "followup": "随访人员",
              "laboratory": "实验室检测人员", "supervisor": "审核人", "admin": "管理员"}
ENTERPRISE_CONTACT_FIELDS = frozenset({"contact_name", "contact_phone", "address", "latitude", "longitude",
                                       "legal_representative"})


def require_role(actor, *roles):
    """Raise Forbidden unless the actor has one of the roles."""
    if not actor.has_role(*roles):
        raise Forbidden("当前角色无权执行此操作", details=[problem(None, "role", "需要角色：" + "、".join(
            ROLE_NAMES.get(role, role) for role in roles), "Needs role: " + ", ".join(roles))])


def ensure_in_jurisdiction(actor, region_id, what="记录"):
    """Raise NotFound (not Forbidden: existence is not revealed) when the region is outside the actor's."""
    if region_id is None or not actor.covers_region(region_id):
        raise NotFound(f"{what}不存在")


# Which record kinds each kind of agency works on. A CDC samples, assists enterprises and follows patients up; a
# health-supervision agency inspects. A commission (卫健委) oversees both and works on neither.
AGENCY_ENTITIES = {
    "cdc": ROLE_ENTITIES["sampler"] | ROLE_ENTITIES["assistant"] | ROLE_ENTITIES["followup"],
    "supervision": ROLE_ENTITIES["inspector"],
    "commission": frozenset(),
}
# Sharing the work needs, explicit and read-only: the supervision agency reads the CDC's monitoring results of the
# enterprises it inspects. Nothing else crosses between agencies.
SHARED_READ = {"supervision": ROLE_ENTITIES["sampler"]}
AGENCY_KIND_NAMES = {"cdc": "疾病预防控制中心", "supervision": "卫生健康监督机构", "commission": "卫生健康委员会"}


def _role_entities(actor):
    kinds = set()
    for role in actor.roles:
        kinds |= ROLE_ENTITIES.get(role, set())
    return kinds


def readable_entities(actor):
    """Record kinds the actor may read, or None for every kind: field staff read their roles' kinds; a supervisor
    the kinds of their agency and what is shared with it; commission supervisors and admins every kind."""
    if actor.has_role("admin") or (actor.has_role("supervisor") and actor.agency_kind == "commission"):
        return None
    kinds = _role_entities(actor)
    for role in actor.roles:
        kinds |= ROLE_READS.get(role, frozenset())
    if actor.has_role("supervisor"):
        kinds |= AGENCY_ENTITIES.get(actor.agency_kind, set()) | SHARED_READ.get(actor.agency_kind, set())
    return kinds


def own_entities(actor):
    """Record kinds the actor's agency works on (reviews, settles conflicts on), or None for every kind (admins)."""
    if actor.has_role("admin"):
        return None
    return _role_entities(actor) | set(AGENCY_ENTITIES.get(actor.agency_kind, ()))


def review_kinds(agency):
    """The root kinds an agency's supervisors review: the agency's setting `review_kinds`, else its kind's work."""
    configured = (agency.settings or {}).get("review_kinds")
    return frozenset(configured) if configured is not None else frozenset(AGENCY_ENTITIES.get(agency.kind, ()))


def reviewing_agency_id(agency):
    """The agency whose supervisors review this agency's records: itself unless its setting `review_by_agency_id`
    hands review to another (a small district CDC reviewed by the city CDC)."""
    return (agency.settings or {}).get("review_by_agency_id") or agency.id


def check_reviewer(actor, record, record_agency, reviewer_agency):
    """Each agency reviews its own agency's records, of the kinds it reviews. Refusals name the reviewing agency."""
    if reviewing_agency_id(record_agency) != actor.agency_id or record.entity not in review_kinds(reviewer_agency):
        raise Forbidden(f"此记录由{record_agency.name}审核，您所在机构不能审核。"
                        "Only the record's own agency reviews it.",
                        details=[problem("action", "other_agency", f"由{record_agency.name}审核",
                                         "Reviewed by another agency")])


def require_supervision_agency(actor, what):
    """Classes and draw ratios are the health-supervision agency's to set: a CDC's or a commission's supervisor is
    refused (code AGENCY_KIND), naming who sets them."""
    if actor.agency_kind != "supervision":
        raise Forbidden(f"{what}由卫生健康监督机构的审核人设置", code="AGENCY_KIND",
                        details=[problem(None, "agency_kind", f"{what}由卫生健康监督机构的审核人设置",
                                         "Set by the health-supervision agency's supervisors")])


def check_enterprise_read(actor, enterprise):
    """Every role reads enterprises of its own jurisdiction."""
    ensure_in_jurisdiction(actor, enterprise.region_id, "用人单位")


def check_enterprise_write(actor, enterprise_region_id, fields):
    """Admins and supervisors edit the registry; field staff may correct contact details only."""
    ensure_in_jurisdiction(actor, enterprise_region_id, "用人单位")
    if actor.has_role("admin", "supervisor"):
        return
    outside = sorted(set(fields) - ENTERPRISE_CONTACT_FIELDS)
    if outside or not actor.has_role(*FIELD_ROLES):
        raise Forbidden("现场人员只能修改联系方式和地址", details=[
            {"field": f, "code": "forbidden_field", "message": "无权修改此字段",
             "message_en": "Field staff may not change this field"} for f in outside])


def check_enterprise_create(actor, region_id):
    """Registry entries are created by admins and supervisors of the region."""
    require(actor, "enterprise.create", region_id, "地区")


def check_admin_over(actor, target_agency_region_id):
    """Admins manage users and devices of agencies within their own jurisdiction."""
    require(actor, "user.manage", target_agency_region_id, "用户")
