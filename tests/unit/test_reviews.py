"""An inspector submits a record, the supervisor returns it with a comment, then approves the fix."""
from datetime import datetime, timedelta, timezone

import pytest

from server.domain.actors import Actor
from server.domain.errors import Conflict, Forbidden, Invalid
from server.domain.reviews import allowed_actions, apply_review_action

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 3, 2, 16, 30, tzinfo=CST)


def actor(user_id, *roles):
    return Actor(user_id=user_id, username=f"u{user_id}", roles=frozenset(roles), agency_id=1, region_id=1,
                 region_ids=frozenset({1}))


INSPECTOR = actor(1, "inspector")
COLLEAGUE = actor(2, "inspector")
SUPERVISOR = actor(9, "supervisor")


def step(state, action, who, comment=None):
    return apply_review_action(state, action, who, owner_id=INSPECTOR.user_id, comment=comment, at=AT)


def test_submit_return_resubmit_approve_then_locked():
    submitted = step("draft", "submit", INSPECTOR)
    returned = step(submitted.state, "return", SUPERVISOR, comment="  第2项缺少现场照片  ")
    resubmitted = step(returned.state, "resubmit", INSPECTOR)
    approved = step(resubmitted.state, "approve", SUPERVISOR)

    assert [s.event["to_state"] for s in (submitted, returned, resubmitted, approved)] == [
        "submitted", "returned", "resubmitted", "approved"]
    assert returned.event == {"action": "return", "from_state": "submitted", "to_state": "returned",
                              "actor_id": 9, "comment": "第2项缺少现场照片", "at": AT}
    with pytest.raises(Conflict):
        step(approved.state, "return", SUPERVISOR, comment="再看看")


def test_a_second_return_round_is_possible():
    again = step("resubmitted", "return", SUPERVISOR, comment="照片仍不清晰")
    assert again.state == "returned"


def test_returning_without_a_comment_is_refused():
    with pytest.raises(Invalid) as caught:
        step("submitted", "return", SUPERVISOR, comment="   ")
    assert caught.value.details[0]["field"] == "comment"


def test_approving_a_draft_is_a_conflict_with_a_message_in_both_languages():
    with pytest.raises(Conflict) as caught:
        step("draft", "approve", SUPERVISOR)
    assert "草稿" in caught.value.message and "draft record cannot be approved" in caught.value.message
    assert caught.value.details[0]["code"] == "invalid_transition"


@pytest.mark.parametrize("who, action, state", [
    (INSPECTOR, "approve", "submitted"),          # field staff do not approve, not even their own record
    (COLLEAGUE, "submit", "draft"),               # only the author submits
    (SUPERVISOR, "submit", "draft"),
    (actor(3, "admin"), "return", "submitted"),   # admins manage users, they do not review
])
def test_wrong_people_are_forbidden(who, action, state):
    with pytest.raises(Forbidden):
        step(state, action, who, comment="意见")


def test_a_supervisor_who_also_inspects_cannot_approve_their_own_record():
    both = actor(1, "inspector", "supervisor")
    with pytest.raises(Forbidden) as caught:
        step("submitted", "approve", both)
    assert caught.value.details[0]["code"] == "own_record"


@pytest.mark.parametrize("role", ["sampler", "inspector", "assistant", "followup"])
def test_every_field_role_submits_its_own_records(role):
    author = actor(1, role)
    assert step("draft", "submit", author).state == "submitted"
    assert allowed_actions("draft", author, owner_id=1) == ["submit"]
    assert allowed_actions("submitted", author, owner_id=1) == []


def test_the_supervisor_sees_approve_and_return_only_while_under_review():
    assert allowed_actions("submitted", SUPERVISOR, owner_id=1) == ["approve", "return"]
    assert allowed_actions("draft", SUPERVISOR, owner_id=1) == []
    assert allowed_actions("approved", SUPERVISOR, owner_id=1) == []


def test_unknown_actions_and_naive_times_are_refused():
    with pytest.raises(Invalid):
        step("draft", "publish", INSPECTOR)
    with pytest.raises(Invalid):
        apply_review_action("draft", "submit", INSPECTOR, owner_id=1, at=datetime(2026, 3, 2, 16, 30))
