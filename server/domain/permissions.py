"""Who may do what, where. Every access rule lives here; views only call these functions."""
from .errors import Forbidden, NotFound

# Which record kinds each role works with in the field. Supervisors and admins see every kind.
ROLE_ENTITIES = {
    "sampler": {"workplace_survey", "survey_workshop", "survey_post", "sampling_visit", "sample",
                "noise_measurement"},
    "inspector": {"inspection", "checklist_result", "finding", "rectification_item", "reinspection",
                  "reinspection_item", "assignment"},
    "assistant": {"assistance_visit"},
    "followup": {"followup"},
}
ENTERPRISE_CONTACT_FIELDS = frozenset({"contact_name", "contact_phone", "address", "latitude", "longitude",
                                       "legal_representative"})


def require_role(actor, *roles):
    """Raise Forbidden unless the actor has one of the roles."""
    if not actor.has_role(*roles):
        raise Forbidden("当前角色无权执行此操作", details=[{"field": None, "code": "role",
                                                  "message": "需要角色：" + "、".join(roles),
                                                  "message_en": "Needs role: " + ", ".join(roles)}])


def ensure_in_jurisdiction(actor, region_id, what="记录"):
    """Raise NotFound (not Forbidden: existence is not revealed) when the region is outside the actor's."""
    if region_id is None or not actor.covers_region(region_id):
        raise NotFound(f"{what}不存在")


def readable_entities(actor):
    """Record kinds the actor may read, or None for every kind."""
    if actor.has_role("supervisor", "admin"):
        return None
    kinds = set()
    for role in actor.roles:
        kinds |= ROLE_ENTITIES.get(role, set())
    return kinds


def check_enterprise_read(actor, enterprise):
    """Every role reads enterprises of its own jurisdiction."""
    ensure_in_jurisdiction(actor, enterprise.region_id, "用人单位")


def check_enterprise_write(actor, enterprise_region_id, fields):
    """Admins and supervisors edit the registry; field staff may correct contact details only."""
    ensure_in_jurisdiction(actor, enterprise_region_id, "用人单位")
    if actor.has_role("admin", "supervisor"):
        return
    outside = sorted(set(fields) - ENTERPRISE_CONTACT_FIELDS)
    if outside or not actor.has_role("sampler", "inspector", "assistant", "followup"):
        raise Forbidden("现场人员只能修改联系方式和地址", details=[
            {"field": f, "code": "forbidden_field", "message": "无权修改此字段",
             "message_en": "Field staff may not change this field"} for f in outside])


def check_enterprise_create(actor, region_id):
    """Registry entries are created by admins and supervisors of the region."""
    require_role(actor, "admin", "supervisor")
    ensure_in_jurisdiction(actor, region_id, "地区")


def check_admin_over(actor, target_agency_region_id):
    """Admins manage users and devices of agencies within their own jurisdiction."""
    require_role(actor, "admin")
    ensure_in_jurisdiction(actor, target_agency_region_id, "用户")
