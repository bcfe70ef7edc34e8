"""An admin revokes a lost tablet: it can do nothing more, and its owner must log in on another device."""
from tests.support import error_of, login


def test_admin_lists_devices_of_the_jurisdiction(client):
    tablet = login(client, "lh_inspector")
    admin = login(client, "admin")
    body = admin.get("/api/devices").get_json()
    assert tablet.device_id in {d["id"] for d in body["items"]}
    entry = next(d for d in body["items"] if d["id"] == tablet.device_id)
    assert entry["username"] == "lh_inspector" and entry["revoked_at"] is None


def test_revoked_device_is_refused_everywhere_and_cannot_log_in_again(client):
    tablet = login(client, "lh_inspector")
    admin = login(client, "admin")
    response = admin.post(f"/api/devices/{tablet.device_id}/revoke", json={"reason": "平板丢失"})
    assert response.status_code == 200 and response.get_json()["revoked_reason"] == "平板丢失"
    refused = tablet.get("/api/enterprises")
    assert refused.status_code == 403 and error_of(refused)["code"] == "DEVICE_REVOKED"
    refresh = client.post("/api/auth/refresh", headers={"Authorization": f"Bearer {tablet.tokens['refresh_token']}"})
    assert refresh.status_code == 403 and error_of(refresh)["code"] == "DEVICE_REVOKED"
    again = client.post("/api/auth/login", json={"username": "lh_inspector", "password": "Demo@2026",
                                                 "device_id": tablet.device_id})
    assert again.status_code == 403 and error_of(again)["code"] == "DEVICE_REVOKED"
    fresh = login(client, "lh_inspector")
    assert fresh.device_id != tablet.device_id
    assert fresh.get("/api/enterprises").status_code == 200


def test_revoking_an_unknown_device_is_not_found(client):
    admin = login(client, "admin")
    response = admin.post("/api/devices/00000000-0000-0000-0000-000000000000/revoke", json={})
    assert response.status_code == 404 and error_of(response)["code"] == "NOT_FOUND"
    assert "设备" in error_of(response)["message"]
    assert all(d["revoked_at"] is None for d in admin.get("/api/devices").get_json()["items"])  # nothing revoked


def test_only_admins_revoke_devices(client):
    tablet = login(client, "lh_inspector")
    supervisor = login(client, "lh_supervisor")
    response = supervisor.post(f"/api/devices/{tablet.device_id}/revoke", json={})
    assert response.status_code == 403
    assert tablet.get("/api/auth/me").status_code == 200
