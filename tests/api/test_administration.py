"""Administration: users' roles and accounts, with every change in the audit trail."""
from tests.support import error_of, login, user


def test_admin_changes_roles_and_deactivates_and_both_are_audited(client):
    admin = login(client, "admin")
    target = user("lh_assistant")
    changed = admin.patch(f"/api/users/{target.id}", json={"roles": ["assistant", "followup"], "display_name": "陈静静"})
    assert changed.status_code == 200 and changed.get_json()["roles"] == ["assistant", "followup"]
    assert admin.patch(f"/api/users/{target.id}", json={"active": False}).status_code == 200
    refused = client.post("/api/auth/login", json={"username": "lh_assistant", "password": "Demo@2026"})
    assert refused.status_code == 401
    entries = admin.get("/api/audit?action=user.").get_json()["items"]
    assert [e["action"] for e in entries[:2]] == ["user.update", "user.update"]
    assert entries[0]["user"] == "系统管理员" and entries[1]["details"]["changed"] == ["display_name", "roles"]


def test_an_inspector_needs_a_certificate_number(client):
    admin = login(client, "admin")
    response = admin.patch(f"/api/users/{user('lh_followup').id}", json={"roles": ["inspector"]})
    assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "enforcement_cert_no"


def test_admins_cannot_lock_themselves_out(client):
    admin = login(client, "admin")
    response = admin.patch(f"/api/users/{user('admin').id}", json={"active": False})
    assert response.status_code == 403 and error_of(response)["code"] == "SELF_LOCKOUT"


def test_device_revocation_reference_edits_and_imports_are_audited(client):
    admin = login(client, "admin")
    tablet = login(client, "lh_sampler")
    admin.post(f"/api/devices/{tablet.device_id}/revoke", json={"reason": "丢失"})
    rows = admin.get("/api/reference/oel_limits?key=toluene").get_json()["items"]
    admin.patch(f"/api/reference/oel_limits/{rows[0]['row_key']}", json={"changes": {"note": "核对"}, "reason": "核对原文"})
    actions = [e["action"] for e in admin.get("/api/audit").get_json()["items"]]
    assert actions[:2] == ["reference.update", "device.revoke"]


def test_only_admins_read_the_audit_trail(client):
    assert login(client, "lh_supervisor").get("/api/audit").status_code == 403


def test_pickers_list_the_teams_of_the_agencies_in_jurisdiction(client):
    """The review queue filters by team and users are created into teams: both need the teams by name."""
    district_body = login(client, "lh_supervisor").get("/api/regions").get_json()
    agencies = {a["id"] for a in district_body["agencies"]}
    teams = {t["name"] for t in district_body["teams"]}
    assert teams == {"采样一组", "执法一组"} and {t["agency_id"] for t in district_body["teams"]} <= agencies
    sampler_team = user("lh_sampler").team_id
    assert sampler_team in {t["id"] for t in district_body["teams"]}
    assert user("dg_sampler").team_id not in {t["id"] for t in district_body["teams"]}
    city_body = login(client, "admin").get("/api/regions").get_json()
    assert len(city_body["teams"]) == 4
