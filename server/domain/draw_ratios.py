"""A district's 双随机 ratio per class: the reference table inspection_sampling_policy is the default (the
province's plan); the district's supervision agency sets its own, each change with its reason in the audit chain
("对甲类用人单位降低抽查比例和频次" is decided locally, reference.md §4.2)."""
import sqlalchemy as sa

from ..models import AuditEntry, ClassSamplingRatio, User
from . import audit
from .classification import class_meaning
from .draws import UNCLASSIFIED, check_district, policy_ratios
from .errors import Invalid, problem
from .permissions import require, require_supervision_agency
from .reference_store import table_data

ACTION = "draw.ratio"
HISTORY_LIMIT = 30


def district_ratios(session, region_id, scheme):
    """{label: %} set by the district for a scheme (only the classes it changed)."""
    return dict(session.execute(sa.select(ClassSamplingRatio.label, ClassSamplingRatio.ratio_pct).where(
        ClassSamplingRatio.region_id == region_id, ClassSamplingRatio.scheme == scheme)).all())


def _meaning(label, scheme, labels):
    if label == UNCLASSIFIED:
        return "尚未评定分类，按最高抽查比例"
    try:
        return class_meaning(label, scheme, labels)["meaning_zh"]
    except Invalid:
        return None


def _names(session, ids):
    rows = session.execute(sa.select(User.id, User.display_name, User.username).where(User.id.in_(ids))).all()
    return {row.id: row.display_name or row.username for row in rows}


def ratio_table(session, actor, *, region_id, scheme):
    """Every class of the scheme with its ratio in force for the district, whether the district set it (who, when,
    why) or it is the policy default, and the district's changes, newest first."""
    require(actor, "draw.manage")
    region = check_district(session, actor, region_id)
    policy = policy_ratios(session, scheme)
    local = {row.label: row for row in session.scalars(sa.select(ClassSamplingRatio).where(
        ClassSamplingRatio.region_id == region_id, ClassSamplingRatio.scheme == scheme))}
    entries = session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == ACTION, AuditEntry.target.like(f"{region_id}:{scheme}:%"))
        .order_by(AuditEntry.id.desc()).limit(HISTORY_LIMIT)).all()
    names = _names(session, {row.updated_by for row in local.values()} | {e.user_id for e in entries})
    labels = table_data(session, "classification_labels")
    rows = []
    for label in sorted(policy, key=lambda x: (x == UNCLASSIFIED, x)):
        mine = local.get(label)
        rows.append({"label": label, "meaning_zh": _meaning(label, scheme, labels),
                     "ratio_pct": mine.ratio_pct if mine else policy[label], "default_pct": policy[label],
                     "source": "district" if mine else "policy", "reason": mine.reason if mine else None,
                     "updated_by_name": names.get(mine.updated_by) if mine else None,
                     "updated_at": mine.updated_at if mine else None})
    history = [{"label": e.details.get("label"), "before": e.details.get("before"), "after": e.details.get("after"),
                "reason": e.details.get("reason"), "user_name": names.get(e.user_id), "at": e.at} for e in entries]
    return {"region_id": region.id, "region_name": region.name, "scheme": scheme, "items": rows, "history": history}


def set_ratio(session, actor, *, region_id, scheme, label, ratio_pct, reason, now):
    """Set a district's ratio for one class; audited with the value before and after and the reason."""
    require(actor, "draw.ratio.edit")
    require_supervision_agency(actor, "抽查比例")
    check_district(session, actor, region_id)
    policy = policy_ratios(session, scheme)
    if label not in policy:
        raise Invalid("该分类方案没有这个类别", details=[problem("label", "unknown_label",
                                                        f"类别“{label}”不属于该分类方案", "Not a class of the scheme")])
    if not (reason or "").strip():
        raise Invalid("请说明调整依据", details=[problem("reason", "required", "请填写调整依据（如年度抽查计划文号）",
                                                   "Give the basis of the change (the plan, a notice)")])
    row = session.scalar(sa.select(ClassSamplingRatio).where(
        ClassSamplingRatio.region_id == region_id, ClassSamplingRatio.scheme == scheme,
        ClassSamplingRatio.label == label))
    before = row.ratio_pct if row else policy[label]
    if row is None:
        row = ClassSamplingRatio(region_id=region_id, scheme=scheme, label=label)
        session.add(row)
    row.ratio_pct, row.reason, row.updated_by, row.updated_at = ratio_pct, reason.strip(), actor.user_id, now
    audit.record(session, actor, ACTION, f"{region_id}:{scheme}:{label}", region_id=region_id, scheme=scheme,
                 label=label, before=before, after=ratio_pct, reason=reason.strip())
    session.flush()
    return ratio_table(session, actor, region_id=region_id, scheme=scheme)
