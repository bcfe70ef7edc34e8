"""等保 2.0 level-3 account controls (GB/T 22239-2019 §8.1.4.1): a password policy, an initial password changed
before anything else, password age, a TOTP second factor for admins and supervisors with one-time recovery codes,
login limits per address and per account, and token answers no cache keeps."""
import pyotp

from tests.support import error_of, login, user


def _create(admin, username, password, roles=("followup",)):
    return admin.post("/api/users", json={"username": username, "password": password, "display_name": "新同事",
                                          "agency_id": admin.tokens["user"]["agency_id"], "roles": list(roles)})


def test_weak_passwords_are_refused_with_every_rule_they_break(client):
    admin = login(client, "admin")
    expected = {"12345678": {"classes", "common"}, "aaaaaaaa": {"classes"}, "password": {"classes", "common"},
                "Abc1": {"min_length"}, "Wangxiao#2026": {"contains_username"}, "P@ssw0rd": {"common"}}
    for password, codes in expected.items():
        response = _create(admin, "wangxiao", password)
        assert response.status_code == 422, password
        assert {d["code"] for d in error_of(response)["details"] if d["field"] == "password"} == codes, password
    assert _create(admin, "wangxiao", "Shui-Jing7").status_code == 201


def test_the_password_policy_is_published_for_the_meter(client):
    assert client.get("/api/auth/password-policy").get_json() == {
        "min_length": 8, "classes_required": 3, "classes": ["lower", "upper", "digit", "symbol"]}


def test_an_initial_password_is_changed_before_anything_else(client):
    admin = login(client, "admin")
    assert _create(admin, "xinren", "Chushi#2026").status_code == 201
    newcomer = login(client, "xinren", password="Chushi#2026")
    assert newcomer.tokens["must_change_password"] is True
    blocked = newcomer.get("/api/sync/pull")
    assert blocked.status_code == 403 and error_of(blocked)["code"] == "PASSWORD_CHANGE_REQUIRED"
    weak = newcomer.post("/api/auth/password", json={"current_password": "Chushi#2026", "new_password": "12345678"})
    assert weak.status_code == 422 and {d["field"] for d in error_of(weak)["details"]} == {"new_password"}
    same = newcomer.post("/api/auth/password", json={"current_password": "Chushi#2026", "new_password": "Chushi#2026"})
    assert error_of(same)["details"][0]["code"] == "same_as_current"
    wrong = newcomer.post("/api/auth/password", json={"current_password": "nope", "new_password": "Ziji-Mima9"})
    assert error_of(wrong)["details"][0]["field"] == "current_password"
    done = newcomer.post("/api/auth/password", json={"current_password": "Chushi#2026", "new_password": "Ziji-Mima9"})
    assert done.status_code == 200
    assert newcomer.get("/api/sync/pull").status_code == 200
    assert login(client, "xinren", password="Ziji-Mima9").tokens["must_change_password"] is False


def test_an_admin_reset_gives_a_temporary_password_to_change_at_login(client):
    admin = login(client, "admin")
    reset = admin.post(f"/api/users/{user('lh_inspector').id}/password-reset")
    assert reset.status_code == 200
    temporary = reset.get_json()["temporary_password"]
    assert client.post("/api/auth/login", json={"username": "lh_inspector", "password": "Demo@2026"}).status_code \
        == 401
    inspector = login(client, "lh_inspector", password=temporary)
    assert inspector.tokens["must_change_password"] is True
    assert error_of(inspector.get("/api/enterprises"))["code"] == "PASSWORD_CHANGE_REQUIRED"
    assert login(client, "lh_sampler").post(f"/api/users/{user('lh_inspector').id}/password-reset").status_code \
        == 403


def test_passwords_older_than_the_set_age_are_changed_at_login(app_factory):
    app = app_factory(PASSWORD_MAX_AGE_DAYS=90)
    client = app.test_client()
    assert login(client, "lh_sampler").tokens["must_change_password"] is False
    app.extensions["clock"].advance(days=400)  # the demo accounts were made long before
    assert login(client, "lh_sampler").tokens["must_change_password"] is True


def test_supervisors_enrol_a_second_factor_and_then_need_it_at_every_login(app_factory):
    app = app_factory(TOTP_REQUIRED_ROLES=("admin", "supervisor"))
    client = app.test_client()
    first = login(client, "lh_supervisor")
    assert first.tokens["totp_enrolment_required"] is True
    blocked = first.get("/api/records")
    assert blocked.status_code == 403 and error_of(blocked)["code"] == "TOTP_ENROLMENT_REQUIRED"
    assert login(client, "lh_sampler").tokens["totp_enrolment_required"] is False  # field roles: optional
    enrolment = first.post("/api/auth/totp/enrol").get_json()
    assert enrolment["otpauth_uri"].startswith("otpauth://totp/") and "secret=" + enrolment["secret"] in \
        enrolment["otpauth_uri"]
    totp = pyotp.TOTP(enrolment["secret"])
    refused = first.post("/api/auth/totp/confirm", json={"code": "000000" if totp.now() != "000000" else "111111"})
    assert refused.status_code == 422
    codes = first.post("/api/auth/totp/confirm", json={"code": totp.now()}).get_json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert first.get("/api/records").status_code == 200

    body = {"username": "lh_supervisor", "password": "Demo@2026"}
    missing = client.post("/api/auth/login", json=body)
    assert missing.status_code == 401 and error_of(missing)["code"] == "TOTP_REQUIRED"
    assert error_of(missing)["details"][0]["code"] == "required"
    wrong = client.post("/api/auth/login", json={**body, "totp_code": "12345"})
    assert error_of(wrong)["details"][0]["code"] == "invalid"
    right = client.post("/api/auth/login", json={**body, "totp_code": totp.now()})
    assert right.status_code == 200 and right.get_json()["totp_enrolment_required"] is False
    # A recovery code stands in for a lost phone, once.
    assert client.post("/api/auth/login", json={**body, "totp_code": codes[0]}).status_code == 200
    assert client.post("/api/auth/login", json={**body, "totp_code": codes[0]}).status_code == 401


def test_token_answers_are_never_cached(client):
    response = client.post("/api/auth/login", json={"username": "lh_sampler", "password": "Demo@2026"})
    assert response.headers["Cache-Control"] == "no-store"


def test_a_valid_token_does_not_buy_more_login_attempts(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    attacker = login(client, "lh_sampler")  # one account of their own; its token attached to every try
    statuses = [client.post("/api/auth/login", json={"username": "lh_followup", "password": f"guess-{i}"},
                            headers=attacker.headers).status_code for i in range(4)]
    assert statuses[-1] == 429


def test_an_idle_office_session_ends_but_a_field_tablet_keeps_its_login(client):
    import jwt

    def refresh_life(username):
        claims = jwt.decode(login(client, username).tokens["refresh_token"], options={"verify_signature": False})
        return (claims["exp"] - claims["iat"]) / 60

    assert refresh_life("lh_supervisor") == 60  # 30 minutes of access + 30 idle, slid forward by every refresh
    assert refresh_life("admin") == 60
    assert refresh_life("lh_sampler") == 30 * 24 * 60  # days offline in the field
