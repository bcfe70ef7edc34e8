"""Supervisor review of field records: draft → submitted → approved | returned → resubmitted → …

Field staff submit and resubmit their own records; supervisors approve or return them with a comment.
Approval locks a record for everyone: a change after approval is an amendment, not an edit.
"""
from dataclasses import dataclass

from .actors import FIELD_ROLES
from .errors import Conflict, Forbidden, Invalid, problem

STATES = ("draft", "submitted", "returned", "resubmitted", "approved")
STATE_NAMES = {"draft": ("草稿", "draft"), "submitted": ("已提交", "submitted"), "returned": ("已退回", "returned"),
               "resubmitted": ("已重新提交", "resubmitted"), "approved": ("已审核通过", "approved")}
REVIEWER_ROLES = frozenset({"supervisor"})
# by: "owner" = the field user who made the record; "reviewer" = a supervisor other than the owner.
ACTIONS = {
    "submit": {"from": ("draft",), "to": "submitted", "by": "owner", "zh": "提交", "en": "submitted"},
    "resubmit": {"from": ("returned",), "to": "resubmitted", "by": "owner", "zh": "重新提交", "en": "resubmitted"},
    "approve": {"from": ("submitted", "resubmitted"), "to": "approved", "by": "reviewer", "zh": "审核通过",
                "en": "approved"},
    "return": {"from": ("submitted", "resubmitted"), "to": "returned", "by": "reviewer", "zh": "退回", "en": "returned"},
}
# Records under review do not change under the supervisor's eyes; a returned record goes back to its owner.
# What figures and exports count: work handed in (submitted, resubmitted after a return, approved). Drafts never;
# returned records are shown apart until they come back.
COUNTED_STATES = ("submitted", "resubmitted", "approved")


@dataclass(frozen=True)
class ReviewStep:
    """The state after a review action and the event to store in the record's history."""

    state: str
    event: dict


def _locked():
    return Conflict("记录已审核通过并锁定，不能修改。The record is approved and locked.",
                    details=[problem("review_state", "locked", "已审核通过的记录已锁定", "Approved records are locked")])


def _check_actor(action, spec, actor, owner_id):
    if spec["by"] == "owner":
        if actor.user_id != owner_id or not actor.has_role(*FIELD_ROLES):
            raise Forbidden(f"只有记录的填写人可以{spec['zh']}。Only the record's author may {action}.",
                            details=[problem("action", "not_owner", "不是记录的填写人", "Not the author of the record")])
    elif not actor.has_role(*REVIEWER_ROLES):
        raise Forbidden(f"只有审核人可以{spec['zh']}。Only a supervisor may {action}.",
                        details=[problem("action", "not_reviewer", "需要审核人角色", "Needs the supervisor role")])
    elif actor.user_id == owner_id:
        # Four eyes: nobody approves or returns a record they made themselves.
        raise Forbidden(f"不能审核自己填写的记录。You cannot {action} your own record.",
                        details=[problem("action", "own_record", "不能审核自己的记录", "Cannot review your own record")])


def _check_state(action, spec, state):
    if state not in STATES:
        raise Invalid("审核状态无效", details=[problem("review_state", "unknown_state", f"未知状态：{state}",
                                                    f"Unknown state: {state}")])
    if state == "approved":
        raise _locked()
    if state not in spec["from"]:
        zh, en = STATE_NAMES[state]
        raise Conflict(f"记录当前为“{zh}”，不能{spec['zh']}。A {en} record cannot be {spec['en']}.",
                       details=[problem("review_state", "invalid_transition", f"“{zh}”状态下不能{spec['zh']}",
                                         f"Cannot {action} a {en} record")])


def apply_review_action(state, action, actor, *, owner_id, at, comment=None):
    """Run one review action → ReviewStep(state, event); Invalid (input), Forbidden (who), Conflict (state, locked)."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Invalid("未知的审核操作", details=[problem("action", "unknown_action", f"未知操作：{action}",
                                                    f"Unknown action: {action}")])
    _check_actor(action, spec, actor, owner_id)
    _check_state(action, spec, state)
    comment = (comment or "").strip() or None
    if action == "return" and comment is None:
        raise Invalid("退回时必须填写意见", details=[problem("comment", "required", "退回时必须说明原因",
                                                      "A return needs a comment saying what to fix")])
    if at.tzinfo is None:
        raise Invalid("时间必须带时区", details=[problem("at", "naive_datetime", "时间必须带时区",
                                                   "Time must be timezone-aware")])
    event = {"action": action, "from_state": state, "to_state": spec["to"], "actor_id": actor.user_id,
             "comment": comment, "at": at}
    return ReviewStep(state=spec["to"], event=event)


def allowed_actions(state, actor, owner_id):
    """Review actions the actor may take on the record now (for showing buttons)."""
    allowed = []
    for action, spec in ACTIONS.items():
        try:
            _check_actor(action, spec, actor, owner_id)
            _check_state(action, spec, state)
        except (Forbidden, Conflict, Invalid):
            continue
        allowed.append(action)
    return allowed
