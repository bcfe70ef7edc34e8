"""Logging in from a tablet, staying logged in for a field week, and logging out."""
from tests.support import error_of, login, user


def test_inspector_logs_in_and_gets_tokens_with_roles_and_device(client):
    caller = login(client, "lh_inspector")
    assert caller.tokens["user"]["roles"] == ["inspector"]
    assert caller.tokens["user"]["enforcement_cert_no"]
    assert len(caller.device_id) == 36
    me = caller.get("/api/auth/me")
    assert me.status_code == 200 and me.get_json()["username"] == "lh_inspector"


def test_wrong_password_is_refused_with_the_envelope(client):
    response = client.post("/api/auth/login", json={"username": "lh_inspector", "password": "wrong-password"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "INVALID_CREDENTIALS"


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    response = client.post("/api/auth/login", json={"username": "nobody", "password": "wrong-password"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "INVALID_CREDENTIALS"


def test_refresh_rotates_and_the_old_refresh_token_stops_working(client):
    caller = login(client, "lh_sampler")
    old_refresh = caller.tokens["refresh_token"]
    first = client.post("/api/auth/refresh", headers={"Authorization": f"Bearer {old_refresh}"})
    assert first.status_code == 200
    new = first.get_json()
    assert new["refresh_token"] != old_refresh and new["device_id"] == caller.device_id
    again = client.post("/api/auth/refresh", headers={"Authorization": f"Bearer {old_refresh}"})
    assert again.status_code == 401
    # A retired token presented again looks stolen: the whole login ends, including the new token.
    stolen = client.post("/api/auth/refresh", headers={"Authorization": f"Bearer {new['refresh_token']}"})
    assert stolen.status_code == 401


def test_access_token_cannot_be_used_to_refresh(client):
    caller = login(client, "lh_sampler")
    response = client.post("/api/auth/refresh", headers=caller.headers)
    assert response.status_code == 401
    assert error_of(response)["code"] in ("TOKEN_INVALID", "UNAUTHENTICATED")


def test_logout_revokes_the_access_token_and_the_login(client):
    caller = login(client, "lh_sampler")
    response = caller.post("/api/auth/logout", json={"refresh_token": caller.tokens["refresh_token"]})
    assert response.status_code == 200
    after = caller.get("/api/auth/me")
    assert after.status_code == 401 and error_of(after)["code"] == "TOKEN_REVOKED"
    refresh = client.post("/api/auth/refresh",
                          headers={"Authorization": f"Bearer {caller.tokens['refresh_token']}"})
    assert refresh.status_code == 401


def test_login_is_rate_limited_with_a_clear_429(app_factory):
    client = app_factory(LOGIN_RATE_LIMIT="3 per minute").test_client()
    statuses = [client.post("/api/auth/login", json={"username": "lh_sampler", "password": "bad-password"}
                            ).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    last = client.post("/api/auth/login", json={"username": "lh_sampler", "password": "bad-password"})
    assert error_of(last)["code"] == "RATE_LIMITED"
    assert "请求过于频繁" in error_of(last)["message"]


def test_repeated_failures_slow_password_login_but_not_the_devices_already_signed_in(app_factory):
    app = app_factory(LOCKOUT_THRESHOLD=3, LOGIN_RATE_LIMIT="100 per minute")
    clock = app.extensions["clock"]
    client = app.test_client()
    tablet = login(client, "lh_followup")  # a tablet in the field, signed in before the attack
    answers = [client.post("/api/auth/login", json={"username": "lh_followup", "password": "bad-password"})
               for _ in range(3)]
    locked = client.post("/api/auth/login", json={"username": "lh_followup", "password": "Demo@2026"})
    unknown = client.post("/api/auth/login", json={"username": "nobody-here", "password": "Demo@2026"})
    # One answer for a wrong password, a locked account and an unknown user: nothing to enumerate.
    for response in (*answers, locked, unknown):
        assert response.status_code == 401 and error_of(response)["code"] == "INVALID_CREDENTIALS"
        assert error_of(response)["message"] == "用户名或密码错误；多次失败后账号会被暂时锁定"
    assert tablet.get("/api/sync/pull").status_code == 200  # the field keeps syncing
    clock.advance(minutes=6)  # the first lock lasts 5 minutes
    assert login(client, "lh_followup").tokens["user"]["username"] == "lh_followup"


def test_each_further_failure_doubles_the_wait_and_an_admin_can_lift_it(app_factory):
    app = app_factory(LOCKOUT_THRESHOLD=2, LOGIN_RATE_LIMIT="100 per minute")
    clock, client = app.extensions["clock"], app.test_client()
    for _ in range(2):
        client.post("/api/auth/login", json={"username": "lh_followup", "password": "bad-password"})
    clock.advance(minutes=6)
    client.post("/api/auth/login", json={"username": "lh_followup", "password": "bad-password"})  # 3rd: 10 min
    clock.advance(minutes=6)
    assert client.post("/api/auth/login", json={"username": "lh_followup", "password": "Demo@2026"}).status_code == 401
    admin = login(client, "admin")
    with app.app_context():
        user_id = user("lh_followup").id
    listed = {u["username"]: u for u in admin.get("/api/users").get_json()["items"]}["lh_followup"]
    assert listed["locked"] is True and listed["locked_until"]
    assert admin.post(f"/api/users/{user_id}/unlock").status_code == 200
    assert login(client, "lh_followup").tokens["user"]["username"] == "lh_followup"


def test_re_login_with_the_device_id_keeps_the_device(client):
    first = login(client, "lh_sampler")
    second = login(client, "lh_sampler", device_id=first.device_id)
    assert second.device_id == first.device_id


def test_another_user_on_the_same_tablet_gets_a_different_device(client):
    first = login(client, "lh_sampler")
    second = login(client, "lh_sampler2", device_id=first.device_id)
    assert second.device_id != first.device_id
