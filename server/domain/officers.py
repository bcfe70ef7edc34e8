"""The people who inspect: an agency's enforcement officers (执法人员) and the checks of the officers a record names.

An inspection is made by two officers, each holding an enforcement certificate (执法证号) that the documents print.
Tablets receive the roster with every pull and offer it as a list; the server checks each officer a record names
against its own users, because a roster on a tablet can be days old and a value can come from anywhere.
"""
import sqlalchemy as sa

from ..models import User, UserRole
from .errors import problem


def _cert(user):
    return (user.enforcement_cert_no or "").strip()


def enforcement_roster(session, agency_id):
    """The agency's officers as tablets offer them: active inspectors holding a 执法证号, by name."""
    users = session.scalars(sa.select(User).join(UserRole, UserRole.user_id == User.id)
                            .where(User.agency_id == agency_id, User.active.is_(True), UserRole.role == "inspector")
                            .order_by(User.display_name, User.id)).all()
    return [{"id": user.id, "name": user.display_name, "cert_no": _cert(user)} for user in users if _cert(user)]


def _user_ids(values):
    ids = {}
    for field, value in values.items():
        text = str(value)
        if text.isascii() and text.isdigit() and len(text) <= 18:
            ids[field] = int(text)
    return ids


def officer_problems(session, agency_id, fields, data, prefix=""):
    """Field-level problems of the officers named in `data` by the given `officer` fields (unanswered ones are the
    form's business): each must be an active inspector of the agency who holds a 执法证号."""
    values = {field["id"]: data.get(field["id"]) for field in fields if data.get(field["id"]) not in (None, "")}
    ids = _user_ids(values)
    users = {user.id: user for user in session.scalars(sa.select(User).where(User.id.in_(sorted(set(ids.values())))))} \
        if ids else {}
    labels = {field["id"]: (field.get("label_zh") or field["id"], field.get("label_en") or field["id"]) for field in fields}
    problems = []
    for name in values:
        zh, en = labels[name]
        user = users.get(ids.get(name))
        if user is None or user.agency_id != agency_id or "inspector" not in user.roles:
            problems.append(problem(prefix + name, "not_officer", f"{zh}：所选人员不是本机构的执法人员",
                                    f"{en}: the person chosen is not an enforcement officer of the agency"))
        elif not user.active:
            problems.append(problem(prefix + name, "officer_inactive", f"{zh}：{user.display_name}的账号已停用，请另选执法人员",
                                    f"{en}: {user.display_name}'s account is disabled; choose another officer"))
        elif not _cert(user):
            problems.append(problem(prefix + name, "no_cert_no",
                                    f"{zh}：{user.display_name}没有执法证号，不能作为执法人员（请管理员补填执法证号）",
                                    f"{en}: {user.display_name} holds no enforcement certificate number"))
    return problems
