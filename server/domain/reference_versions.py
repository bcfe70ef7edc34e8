"""Changing reference data with four eyes: an admin's change is a pending version of the row; a second admin verifies
it (the one who proposed it may not); it takes effect from its effective date — a business date in China — and not
before. Until then every evaluation and document keeps the version in force. Versions are kept as the row's history.

A limit changed from 50 to 40 by one person on a Monday and used at once, still citing the standard, is what this
prevents (reference.md: "key it from the official PDF, with a four-eyes check").
"""
import sqlalchemy as sa

from ..clock import CHINA
from ..models import ReferenceRow, ReferenceVersion, User
from ..models.sync_state import allocate_changes
from . import audit
from .errors import Conflict, Forbidden, Invalid, NotFound, invalid, problem
from .oel import OEL_TABLE, overlapping_rows, parse_oel_row
from .permissions import require
from .reference_fields import SYSTEM, checked_changes, field_label, table_fields
from .reference_store import (add_row_audit, check_row, find_row, get_row, require_reason, require_table,
                              row_columns, row_identity, table_data)

STATUSES = ("pending", "scheduled", "current", "superseded", "withdrawn")
KEY_MAX, ROW_KEY_MAX = 128, 255  # reference_rows.key and row_key


def business_day(now):
    """The China date of an instant."""
    return now.astimezone(CHINA).date()


def _latest_verified(session, table, row_key):
    return session.scalar(sa.select(ReferenceVersion).where(
        ReferenceVersion.table_name == table, ReferenceVersion.row_key == row_key,
        ReferenceVersion.state == "verified").order_by(ReferenceVersion.number.desc()).limit(1))


def _base(session, table, row_key):
    """(data, number, in force from) of the newest verified version of a row — the one a change starts from — or
    None when the row does not exist yet."""
    row, latest = find_row(session, table, row_key), _latest_verified(session, table, row_key)
    if latest is not None and (row is None or latest.number > row.version):
        return latest.data, latest.number, latest.in_force_from
    if row is not None:
        return row.data, row.version, row.version_from
    return None


def _refuse_second_pending(session, table, row_key):
    waiting = session.scalar(sa.select(ReferenceVersion).where(
        ReferenceVersion.table_name == table, ReferenceVersion.row_key == row_key, ReferenceVersion.state == "pending"))
    if waiting is not None:
        raise Conflict("该行已有一项修改等待核验", code="CHANGE_PENDING", details=[problem(
            None, "pending", f"该行已有一项修改（{waiting.proposed_at.astimezone(CHINA):%Y-%m-%d %H:%M} 提交）等待核验；"
                             "请先核验或撤销它", "This row has a change waiting for verification; verify or withdraw it first",
            version_id=waiting.id)])


def _check_effective_on(effective_on, today, since):
    if effective_on < today:
        raise invalid("生效日期已过", "effective_on", "past", f"生效日期不能早于今天（{today.isoformat()}）",
                      f"The effective date cannot be before today ({today.isoformat()})")
    if since is not None and effective_on < since:
        raise invalid("生效日期早于上一版本", "effective_on", "before_previous",
                      f"该行上一版本自 {since.isoformat()} 起生效，本次修改的生效日期不能更早",
                      f"The row's previous version takes effect on {since.isoformat()}; this change cannot start earlier")


def _check_periods(session, table, row_key, data):
    """A limit's rows may not overlap in time: two values in force on one sampling date would judge it twice."""
    if table != OEL_TABLE:
        return
    rows = [parse_oel_row(d) for d in table_data(session, table) if row_identity(table, d) != row_key]
    mine = parse_oel_row(data)
    clashes = [pair for pair in overlapping_rows(rows + [mine]) if mine.row_id in pair]
    if clashes:
        other = next(r for r in rows if r.row_id in clashes[0] and r.row_id != mine.row_id)
        period = f"{other.effective_from or '…'} 至 {other.effective_to or '…'}"
        raise invalid("施行期与另一行重叠", "effective_to", "overlap",
                      f"与同一限值的另一行（{period}）施行期重叠；请先为那一行填写停止适用日期",
                      "Overlaps another row of the same limit; give that row a date it stops applying first")


def _unverified(data):
    data = dict(data, verified=False, verified_by=None, verified_at=None)
    if data.get("confidence") in (None, "verified"):
        data["confidence"] = "third_party"  # keyed by one person: not the checked value until a second one checks it
    return data


def propose_change(session, actor, table, row_key, changes, reason, *, effective_on, now):
    """An admin changes values of a row: a pending version, in force only once another admin has verified it and
    its effective date (default: today) has come. Identity fields stay (add a row for a new period instead)."""
    require(actor, "reference.edit")
    require_reason(reason)
    apply_due_versions(session, now)  # whatever came into force since the last housekeeping run, first
    get_row(session, table, row_key)
    _refuse_second_pending(session, table, row_key)
    before, number, since = _base(session, table, row_key)
    today = business_day(now)
    typed = checked_changes(table, table_fields(table, table_data(session, table)), changes)
    effective_on = effective_on or today
    _check_effective_on(effective_on, today, since)
    if all(before.get(name) == value for name, value in typed.items()):
        raise Invalid("没有修改任何值", code="NOTHING_CHANGED",
                      details=[problem("changes", "unchanged", "所填的值与现行版本相同", "Every value equals the version in force")])
    data = _unverified(dict(before, **typed))
    check_row(table, data)
    _check_periods(session, table, row_key, data)
    return _add_version(session, actor, table, row_key, "update", data, before, number, reason, effective_on, now,
                        changed=sorted(typed))


def propose_row(session, actor, table, raw, reason, *, effective_on, now):
    """An admin adds a row (e.g. a limit from the day an amendment takes effect): pending like any change."""
    require(actor, "reference.edit")
    require_reason(reason)
    require_table(session, table)
    apply_due_versions(session, now)
    today = business_day(now)
    effective_on = effective_on or today
    _check_effective_on(effective_on, today, None)
    typed = checked_changes(table, table_fields(table, table_data(session, table)), dict(raw), new_row=True)
    data = _unverified(dict(typed, confidence=None))
    check_row(table, data)
    row_key = row_identity(table, data)
    if len(row_key) > ROW_KEY_MAX or len(data["key"]) > KEY_MAX:
        raise invalid("标识过长", "key", "too_long", f"标识不能超过 {KEY_MAX} 个字符（连同适用条件等不超过 {ROW_KEY_MAX} 个）",
                      f"The key is at most {KEY_MAX} characters ({ROW_KEY_MAX} with its condition and the rest)")
    if _base(session, table, row_key) is not None:
        raise invalid("该行已存在", "key", "unique", "同一标识（及施行日期）的行已存在，请修改该行",
                      "A row with this identity exists; change that row")
    _refuse_second_pending(session, table, row_key)
    _check_periods(session, table, row_key, data)
    return _add_version(session, actor, table, row_key, "create", data, None, None, reason, effective_on, now,
                        changed=sorted(typed))


def _add_version(session, actor, table, row_key, action, data, before, number, reason, effective_on, now, changed):
    version = ReferenceVersion(table_name=table, row_key=row_key, action=action, state="pending", base_number=number,
                               data=data, before=before, reason=reason.strip(), effective_on=effective_on,
                               proposed_by=actor.user_id, proposed_at=now)
    session.add(version)
    session.flush()
    add_row_audit(session, actor.user_id, table, row_key, action, before, data, reason, at=now)
    audit.record(session, actor, f"reference.{action}", f"{table}:{row_key}", reason=reason, changed=changed,
                 effective_on=effective_on.isoformat(), version_id=version.id)
    return version


def _pending_version(session, version_id):
    # Locked: two admins deciding the same change at once are served one after the other (PostgreSQL).
    in_range = 0 < version_id < 2 ** 31  # an id no integer column holds names nothing
    version = session.get(ReferenceVersion, version_id, with_for_update=True) if in_range else None
    if version is None:
        raise NotFound("该修改不存在")
    if version.state != "pending":
        done = "已核验" if version.state == "verified" else "已撤销"
        raise Conflict(f"该修改{done}", code="CHANGE_NOT_PENDING", details=[problem(
            None, "not_pending", f"该修改{done}，不能再操作", f"This change is already {version.state}")])
    return version


def verify_change(session, actor, version_id, reason, *, now):
    """A second admin checks a pending change against the official text and verifies it; it takes effect from its
    effective date, or from today when that date has passed while it waited."""
    require(actor, "reference.edit")
    require_reason(reason)
    version = _pending_version(session, version_id)
    if version.proposed_by == actor.user_id:
        raise Forbidden("核验须由另一名管理员完成（四眼原则）", code="FOUR_EYES", details=[problem(
            None, "four_eyes", "这项修改是您提交的，须由另一名管理员核验",
            "You proposed this change; another admin must verify it")])
    base = _base(session, version.table_name, version.row_key)
    if (base[1] if base else None) != version.base_number:
        raise Conflict("该行在修改提交后已变化", code="CHANGE_STALE", details=[problem(
            None, "stale", "该行在这项修改提交后已有新版本，请撤销后重新修改",
            "The row has a newer version than this change was made from; withdraw it and change the row again")])
    today = business_day(now)
    version.data = dict(version.data, verified=True, confidence="verified",
                        verified_by=actor.display_name or actor.username, verified_at=today.isoformat())
    version.state, version.number = "verified", (version.base_number or 0) + 1
    version.in_force_from = max(version.effective_on, today)
    version.decided_by, version.decided_at, version.decision_reason = actor.user_id, now, reason.strip()
    session.flush()
    add_row_audit(session, actor.user_id, version.table_name, version.row_key, "approve", version.before,
                  version.data, reason, at=now)
    audit.record(session, actor, "reference.approve", f"{version.table_name}:{version.row_key}", reason=reason,
                 version=version.number, in_force_from=version.in_force_from.isoformat())
    apply_due_versions(session, now)
    return version


def withdraw_change(session, actor, version_id, reason, *, now):
    """A pending change is withdrawn (by its author) or sent back (by a second admin who finds it wrong)."""
    require(actor, "reference.edit")
    require_reason(reason)
    version = _pending_version(session, version_id)
    version.state = "withdrawn"
    version.decided_by, version.decided_at, version.decision_reason = actor.user_id, now, reason.strip()
    add_row_audit(session, actor.user_id, version.table_name, version.row_key, "withdraw", version.before,
                  version.data, reason, at=now)
    audit.record(session, actor, "reference.withdraw", f"{version.table_name}:{version.row_key}", reason=reason)
    return version


def apply_due_versions(session, now):
    """Make every verified version whose date has come the row's data (so devices receive it by sync); returns them.
    Run at verification and daily by `flask housekeeping reference-versions` just after midnight, China time."""
    due = session.scalars(sa.select(ReferenceVersion).where(
        ReferenceVersion.state == "verified", ReferenceVersion.applied_at.is_(None),
        ReferenceVersion.in_force_from <= business_day(now))
        .order_by(ReferenceVersion.in_force_from, ReferenceVersion.number)).all()
    for version in due:
        row = find_row(session, version.table_name, version.row_key)
        if row is None:
            row = ReferenceRow(table_name=version.table_name, row_key=version.row_key)
            session.add(row)
        for name, value in row_columns(version.data).items():
            setattr(row, name, value)
        row.version, row.version_from = version.number, version.in_force_from
        row.edited_by, row.edited_at = version.proposed_by, version.proposed_at
        row.change_no = allocate_changes(session)
        version.applied_at = now
        add_row_audit(session, version.decided_by, version.table_name, version.row_key, "apply", version.before,
                      version.data, None, at=now)
    session.flush()
    return due


def _status(version, rows):
    if version.state != "verified":
        return version.state
    if version.applied_at is None:
        return "scheduled"
    row = rows.get((version.table_name, version.row_key))
    return "current" if row is not None and row.version == version.number else "superseded"


def diff(table, before, after):
    """The fields a version changes, labelled: [{field, label_zh, label_en, before, after}]."""
    before = before or {}
    names = [name for name in after if name not in SYSTEM and after.get(name) != before.get(name)]
    return [{"field": name, "label_zh": field_label(table, name)[0], "label_en": field_label(table, name)[1],
             "before": before.get(name), "after": after.get(name)} for name in names]


def _described(session, versions):
    row_keys = {v.row_key for v in versions}
    rows = {(r.table_name, r.row_key): r for r in session.scalars(
        sa.select(ReferenceRow).where(ReferenceRow.row_key.in_(row_keys)))} if row_keys else {}
    user_ids = {v.proposed_by for v in versions} | {v.decided_by for v in versions if v.decided_by}
    names = {u.id: u.display_name or u.username for u in session.scalars(sa.select(User).where(User.id.in_(user_ids)))}
    return [{"version": version, "status": _status(version, rows), "proposed_by_name": names.get(version.proposed_by),
             "decided_by_name": names.get(version.decided_by),
             "changes": diff(version.table_name, version.before, version.data)} for version in versions]


def describe_change(session, version):
    """One version with its status, the names of who proposed and decided it, and what it changes."""
    return _described(session, [version])[0]


def list_changes(session, actor, *, table=None, row_key=None, status=None):
    """Versions, newest first, with their status, who proposed and verified them and what they change."""
    require(actor, "reference.history")
    query = sa.select(ReferenceVersion)
    if table:
        require_table(session, table)
        query = query.where(ReferenceVersion.table_name == table)
    if row_key:
        query = query.where(ReferenceVersion.row_key == row_key)
    wanted = {"pending", "scheduled"} if status == "open" else {status} if status else set(STATUSES)
    found = _described(session, session.scalars(query.order_by(ReferenceVersion.id.desc())).all())
    return [item for item in found if item["status"] in wanted]
