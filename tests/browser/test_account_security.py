"""Account controls of 等保 2.0 level 3 in the app: a supervisor's first login sets up the second factor (QR code, the
secret to type, ten recovery codes shown once) and every later login asks for the code; an administrator resets an
inspector's forgotten password, and the inspector must replace the temporary one — a weak password is refused with
the rule it breaks — before anything else of the app opens."""
import base64
import hashlib
import hmac
import struct
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from server.demo.seed import DEMO_PASSWORD
from server.extensions import db
from server.models import User
from tests.support import snapshot

from .tablet import VIEWPORTS, FieldTablet, wait_until

pytestmark = pytest.mark.browser

SIZES = VIEWPORTS
STEP = "[data-testid=account-step][data-step={}]"
CODE_FIELD = "[data-field=totp_code]:not([hidden])"


def totp_now(secret):
    """The current code of an authenticator app (RFC 6238: SHA-1, 30 s, 6 digits)."""
    try:
        import pyotp
    except ImportError:
        key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
        digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
        offset = digest[-1] & 0x0F
        return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"
    return pyotp.TOTP(secret).now()


def second_factor_for_admins_and_supervisors(live_server):
    """As in production: admins and supervisors must confirm a TOTP code at login."""
    live_server.app.config["TOTP_REQUIRED_ROLES"] = ("admin", "supervisor")


def submit_login(page, username, password=DEMO_PASSWORD):
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.login-form button[type=submit]")


def enrol_totp(page):
    """On the 设置二次验证 page: read the secret as someone typing it into an authenticator app, confirm a current
    code, note the recovery codes and go on. Returns (secret, recovery codes)."""
    page.wait_for_selector(STEP.format("totp"))
    secret = page.locator("[data-testid=totp-secret]").get_attribute("data-secret")
    assert page.locator("[data-testid=totp-secret]").inner_text().replace(" ", "") == secret
    page.fill("[data-testid=totp-enrol] input[name=code]", totp_now(secret))
    page.click("[data-testid=totp-confirm]")
    codes = page.locator("[data-testid=recovery-codes] li")
    expect(codes).to_have_count(10)
    recovery = [text.strip() for text in codes.all_inner_texts()]
    page.click("[data-testid=recovery-ack]")
    page.click("[data-testid=totp-continue]")
    return secret, recovery


def log_in(tablet, username, password=DEMO_PASSWORD, secrets=None):
    """Log in as `username`, answering the second factor when asked: set up at the first login (the secret is kept
    in `secrets`), the current code at later ones. Waits for the home screen, synced."""
    secrets = {} if secrets is None else secrets
    page = tablet.page
    tablet.open()
    submit_login(page, username, password)
    page.wait_for_selector(f"html[data-ready=home], {STEP.format('totp')}, {CODE_FIELD}")
    if page.locator(STEP.format("totp")).count():
        secrets[username], _ = enrol_totp(page)
    elif page.locator(CODE_FIELD).count():
        page.fill("input[name=totp_code]", totp_now(secrets[username]))
        page.click("form.login-form button[type=submit]")
    page.wait_for_selector("html[data-ready=home]")
    tablet.wait_synced()
    return tablet


def fits(tablet, folder, name):
    """Screenshots at a desk, a portrait tablet and a phone; the layout problems found at each size."""
    return tablet.shots(folder, f"account-{name}", SIZES)


def user_row(live_server, username):
    with live_server.app.app_context():
        return snapshot(db.session.scalar(sa.select(User).where(User.username == username)))


def test_a_supervisor_sets_up_the_second_factor_and_needs_the_code_at_every_login(context, live_server, screenshots):
    second_factor_for_admins_and_supervisors(live_server)
    desk = FieldTablet(context, live_server).open()
    page = desk.page
    submit_login(page, "lh_supervisor")

    # The first login opens the set-up, and nothing else: no navigation, and a typed route leads nowhere.
    step = page.locator(STEP.format("totp"))
    expect(step).to_contain_text("设置二次验证")
    expect(step.locator("[data-testid=totp-qr]")).to_be_visible()
    expect(page.locator("[data-nav]")).to_have_count(0)
    page.evaluate("location.hash = '#/review'")
    page.wait_for_timeout(300)
    expect(page.locator("[data-nav], [data-testid=queue]")).to_have_count(0)
    expect(step).to_be_visible()
    problems = fits(desk, screenshots, "totp-enrol")
    # A mistyped code is refused at the field; the set-up waits for a right one.
    page.fill("[data-testid=totp-enrol] input[name=code]", "12345")
    page.click("[data-testid=totp-confirm]")
    expect(page.locator("[data-testid=totp-error]")).to_have_text("请输入 6 位数字")

    secret = page.locator("[data-testid=totp-secret]").get_attribute("data-secret")
    page.fill("[data-testid=totp-enrol] input[name=code]", totp_now(secret))
    page.click("[data-testid=totp-confirm]")
    codes = page.locator("[data-testid=recovery-codes] li")
    expect(codes).to_have_count(10)
    assert len({text.strip() for text in codes.all_inner_texts()}) == 10
    expect(page.locator("[data-testid=recovery-warning]")).to_contain_text("只显示这一次")
    expect(page.locator("[data-testid=totp-continue]")).to_be_disabled()  # not before the codes are written down
    problems.update(fits(desk, screenshots, "recovery-codes"))
    page.click("[data-testid=recovery-ack]")
    page.click("[data-testid=totp-continue]")
    page.wait_for_selector("html[data-ready=home]")
    desk.wait_synced()
    expect(page.locator("[data-nav=review]")).to_be_visible()
    assert user_row(live_server, "lh_supervisor").totp_confirmed_at is not None

    # Logged out and back: the password alone no longer opens the account.
    desk.go("#/sync")
    page.get_by_role("button", name="退出登录").click()
    submit_login(page, "lh_supervisor")
    code_field = page.locator(CODE_FIELD)
    expect(code_field).to_contain_text("请输入验证器应用中的 6 位动态验证码")
    expect(code_field).to_contain_text("恢复码")  # a lost phone: a recovery code works too
    code = page.locator("input[name=totp_code]")
    assert code.get_attribute("inputmode") == "numeric" and code.get_attribute("autocomplete") == "one-time-code"
    problems.update(fits(desk, screenshots, "login-code"))
    wrong = "000000" if totp_now(secret) != "000000" else "111111"
    code.fill(wrong)
    page.click("form.login-form button[type=submit]")
    expect(page.locator("[data-testid=totp-code-error]")).to_contain_text("验证码错误或已过期")
    expect(page.locator("html[data-ready=home]")).to_have_count(0)
    code.fill(totp_now(secret))
    page.click("form.login-form button[type=submit]")
    page.wait_for_selector("html[data-ready=home]")
    desk.wait_synced()
    expect(page.locator("[data-nav=review]")).to_be_visible()
    assert problems == {}
    assert desk.errors == []


def test_an_inspector_must_replace_the_temporary_password_an_admin_gave(new_context, live_server, screenshots):
    second_factor_for_admins_and_supervisors(live_server)
    admin = log_in(FieldTablet(new_context(), live_server), "admin")
    page = admin.page
    admin.go("#/admin/users")

    # The new-user form measures the password as it is typed.
    page.click("[data-testid=users-new]")
    form = page.locator("[data-testid=user-form]")
    form.locator("input[name=username]").fill("lh_sampler3")
    form.locator("input[name=password]").fill("lh_sampler3")
    expect(form.locator("[data-rule=contains_username]")).to_have_attribute("data-met", "false")
    form.locator("input[name=password]").fill("Field@2026x")
    expect(form.locator("[data-rule][data-met=false]")).to_have_count(0)
    page.click("[data-testid=users-new]")

    # The inspector forgot the password: the admin gives a temporary one, shown once.
    row = page.locator("[data-testid=users] [data-user=lh_inspector]")
    row.locator("[data-testid=user-reset-password]").click()
    expect(page.locator("[data-testid=reset-dialog]")).to_contain_text("临时密码")
    page.click("[data-testid=reset-confirm]")
    temporary = page.locator("[data-testid=temp-password]").inner_text().strip()
    assert len(temporary) >= 8
    expect(page.locator("[data-testid=reset-dialog]")).to_contain_text("只显示这一次")
    problems = fits(admin, screenshots, "temporary-password")
    page.click("[data-testid=temp-password-done]")
    expect(row.locator("[data-testid=user-must-change]")).to_be_visible()
    assert user_row(live_server, "lh_inspector").must_change_password

    inspector = FieldTablet(new_context(), live_server).open()
    field = inspector.page
    submit_login(field, "lh_inspector", temporary)
    step = field.locator(STEP.format("password"))
    expect(step).to_contain_text("修改初始密码")
    expect(field.locator("[data-nav]")).to_have_count(0)
    field.fill("input[name=current_password]", temporary)

    # A weak password: the rule it breaks is shown, and it never leaves the tablet.
    sent = live_server.mark()
    field.fill("input[name=new_password]", "12345678")
    classes = step.locator("[data-rule=classes]")
    expect(classes).to_have_attribute("data-met", "false")
    expect(classes).to_contain_text("至少 3 类")
    expect(step.locator("[data-testid=password-meter]")).to_contain_text("弱")
    field.fill("input[name=repeat_password]", "12345678")
    field.click("[data-testid=password-submit]")
    expect(field.locator("[data-testid=new_password-error]")).to_contain_text("新密码不符合要求")
    expect(field.locator("[data-testid=new_password-error]")).to_contain_text("至少 3 类")
    assert "/api/auth/password" not in live_server.requests[sent:]
    problems.update(fits(inspector, screenshots, "initial-password"))

    # Meets the rules the tablet knows, yet the server knows it as a common password: said at the field.
    field.fill("input[name=new_password]", "P@ssw0rd")
    field.fill("input[name=repeat_password]", "P@ssw0rd")
    field.click("[data-testid=password-submit]")
    expect(field.locator("[data-testid=new_password-error]")).to_contain_text("常见密码")
    expect(step).to_be_visible()

    field.fill("input[name=new_password]", "Qingchuan#Lh2026")
    expect(step.locator("[data-testid=password-meter]")).to_have_attribute("data-level", "3")
    field.fill("input[name=repeat_password]", "Qingchuan#Lh2026")
    field.click("[data-testid=password-submit]")
    field.wait_for_selector("html[data-ready=home]")
    inspector.wait_synced()
    expect(field.locator("[data-nav=enterprises]")).to_be_visible()
    assert not user_row(live_server, "lh_inspector").must_change_password
    client = live_server.app.test_client()
    assert client.post("/api/auth/login", json={"username": "lh_inspector", "password": temporary}).status_code == 401
    assert client.post("/api/auth/login", json={"username": "lh_inspector",
                                                "password": "Qingchuan#Lh2026"}).status_code == 200

    # Later, from the settings, any user can change the password again.
    inspector.go("#/sync")
    field.click("[data-testid=change-password]")
    field.wait_for_selector("[data-testid=account-password]")
    problems.update(fits(inspector, screenshots, "change-password"))
    field.fill("input[name=current_password]", "wrong-password")
    field.fill("input[name=new_password]", "Another#Lh2027")
    field.fill("input[name=repeat_password]", "Another#Lh2027")
    field.click("[data-testid=password-submit]")
    expect(field.locator("[data-testid=current_password-error]")).to_contain_text("当前密码错误")
    field.fill("input[name=current_password]", "Qingchuan#Lh2026")
    field.click("[data-testid=password-submit]")
    wait_until(field, "document.documentElement.dataset.route === '#/sync'")
    assert client.post("/api/auth/login", json={"username": "lh_inspector",
                                                "password": "Another#Lh2027"}).status_code == 200
    assert problems == {}
    assert admin.errors == [] and inspector.errors == []


def test_a_logged_in_tablet_is_sent_to_the_step_the_server_asks_for(new_context, live_server):
    live_server.app.config["TOTP_REQUIRED_ROLES"] = ()
    sampler = FieldTablet(new_context(), live_server).login("lh_sampler")
    desk = FieldTablet(new_context(), live_server).login("lh_supervisor")
    admin = live_server.api("admin")
    temporary = admin.post(f"/api/users/{user_row(live_server, 'lh_sampler').id}/password-reset").get_json()
    forgotten = admin.post(f"/api/users/{user_row(live_server, 'dg_supervisor').id}/password-reset").get_json()
    second_factor_for_admins_and_supervisors(live_server)

    # The sampler's next sync meets 403 PASSWORD_CHANGE_REQUIRED: the tablet opens 修改初始密码 and nothing else.
    sampler.page.click("[data-testid=sync-button]")
    step = sampler.page.locator(STEP.format("password"))
    expect(step).to_be_visible()
    expect(sampler.page.locator("[data-nav]")).to_have_count(0)
    sampler.page.fill("input[name=current_password]", temporary["temporary_password"])
    for name in ("new_password", "repeat_password"):
        sampler.page.fill(f"input[name={name}]", "Caiyang#Lh2026")
    sampler.page.click("[data-testid=password-submit]")
    sampler.page.wait_for_selector("[data-nav=enterprises]")
    sampler.wait_synced()

    # The supervisor, logged in before the second factor was required, is sent to set it up at the next call.
    desk.page.click("[data-testid=sync-button]")
    enrol_totp(desk.page)
    desk.page.wait_for_selector("[data-nav=review]")
    desk.wait_synced()
    assert user_row(live_server, "lh_supervisor").totp_confirmed_at is not None

    # A supervisor with a reset password: first a new password, then the second factor, then the office.
    other = FieldTablet(new_context(), live_server).open()
    submit_login(other.page, "dg_supervisor", forgotten["temporary_password"])
    other.page.fill(f"{STEP.format('password')} input[name=current_password]", forgotten["temporary_password"])
    for name in ("new_password", "repeat_password"):
        other.page.fill(f"input[name={name}]", "Donggang#Sh2026")
    other.page.click("[data-testid=password-submit]")
    enrol_totp(other.page)
    other.page.wait_for_selector("[data-nav=review]")
    other.wait_synced()
    assert sampler.errors == [] and desk.errors == [] and other.errors == []
