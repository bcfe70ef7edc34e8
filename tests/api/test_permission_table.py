"""The rule book (domain/permissions.py POLICY) is what every endpoint enforces: each endpoint names one verb, and
for every role the answer over HTTP is the table's — refused with FORBIDDEN exactly when the role is not listed.
Generated from the app's routes and the table, so a new endpoint or a changed rule is covered without editing
this file."""
import re

import pytest

from server.domain.actors import FIELD_ROLES, OFFICE_ROLES
from server.domain.permissions import POLICY, can, require
from server.domain.actors import Actor
from server.domain.errors import Forbidden, NotFound
from tests.support import error_of, login

# One demo user per role (临河区, or the city for the admin).
USERS = {"sampler": "lh_sampler", "inspector": "lh_inspector", "assistant": "lh_assistant",
         "followup": "lh_followup", "supervisor": "lh_supervisor", "admin": "admin"}
PLACEHOLDER = {"int": "999999", "string": "00000000-0000-0000-0000-000000000000"}


def _routes(app):
    """(method, path with placeholder ids, verb) of every endpoint that names a verb."""
    routes = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        verb = getattr(view, "permission", None)
        if verb is None:
            continue
        path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: PLACEHOLDER.get(m.group(1) or "string", "x"), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path, verb))
    return routes


def test_every_endpoint_but_ones_own_account_names_a_verb_of_the_rule_book(app):
    routes = _routes(app)
    assert len(routes) > 50
    assert {verb for _, _, verb in routes} <= set(POLICY)
    unguarded = sorted(rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
                       and not rule.rule.startswith("/api/auth/")
                       and getattr(app.view_functions[rule.endpoint], "permission", None) is None)
    # Besides one's own account (/api/auth/*), public by design: the API's own documentation and a draw's public
    # reproducibility page.
    assert unguarded == ["/api/docs", "/api/openapi.json", "/api/public/draws/<string:draw_id>"]


@pytest.mark.parametrize("role", sorted(USERS))
def test_each_role_gets_exactly_what_the_table_allows(app, client, role):
    caller = login(client, USERS[role])
    wrong = []
    for method, path, verb in _routes(app):
        response = getattr(caller, method.lower())(path, json={}) if method != "GET" else caller.get(path)
        refused = response.status_code == 403 and error_of(response)["code"] == "FORBIDDEN"
        if refused == (role in POLICY[verb]):
            wrong.append(f"{method} {path} ({verb}): {response.status_code}")
        assert response.status_code < 500, f"{method} {path}: {response.status_code}"
    assert wrong == []


def test_outside_the_jurisdiction_a_target_does_not_exist_and_a_missing_role_is_named_in_chinese():
    supervisor = Actor(user_id=1, username="s", roles=frozenset({"supervisor"}), agency_id=1, region_id=2,
                       region_ids=frozenset({2}))
    sampler = Actor(user_id=2, username="c", roles=frozenset({"sampler"}), agency_id=1, region_id=2,
                    region_ids=frozenset({2}))
    assert can(supervisor, "record.review", 2) and not can(supervisor, "record.review", 3)
    assert not can(sampler, "record.review", 2)
    with pytest.raises(NotFound):
        require(supervisor, "record.review", 3)
    with pytest.raises(Forbidden) as refused:
        require(sampler, "record.review", 2)
    assert refused.value.details[0]["message"] == "需要角色：审核人"
    assert set(POLICY["record.sync"]) == FIELD_ROLES | OFFICE_ROLES


@pytest.mark.parametrize("verb, roles", [
    ("record.review", {"supervisor"}),                                  # only the reviewer approves or returns
    # the people on site sign documents; the CDC's 科长 approves and issues the 检测报告
    ("document.issue", {"inspector", "sampler", "assistant", "supervisor"}),
    ("lab.result", {"laboratory"}), ("sample.receive", {"laboratory"}), ("sample.handover", {"sampler"}),
    ("document.void", {"supervisor", "admin"}),
    ("kpi.read", {"supervisor", "admin"}), ("export.run", {"supervisor", "admin"}),
    ("conflict.resolve", {"supervisor", "admin"}), ("draw.manage", {"supervisor", "admin"}),
    ("user.manage", {"admin"}), ("device.manage", {"admin"}), ("reference.edit", {"admin"}),
    ("labels.print", {"sampler", "supervisor", "admin"}),
])
def test_the_rules_the_work_depends_on(verb, roles):
    assert set(POLICY[verb]) == roles
