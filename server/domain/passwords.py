"""Password policy and the login second factor (等保 2.0 level 3, GB/T 22239-2019 §8.1.4.1).

A password has at least 8 characters from at least three of four classes (lower case, upper case, digits,
symbols), does not contain the username, and is not a common password (reference/security/common_passwords.txt).
Admins and supervisors confirm a TOTP code (RFC 6238, any authenticator app) at login; ten one-time recovery
codes, kept as hashes, stand in for a lost phone.
"""
import hashlib
import hmac
import secrets
from functools import lru_cache
from pathlib import Path

import pyotp

from .errors import Invalid, problem

MIN_LENGTH = 8
CLASSES_REQUIRED = 3
CLASSES = ("lower", "upper", "digit", "symbol")
CLASS_NAMES = {"lower": "小写字母", "upper": "大写字母", "digit": "数字", "symbol": "符号"}
COMMON_FILE = Path(__file__).resolve().parents[2] / "reference" / "security" / "common_passwords.txt"
ISSUER = "职业卫生现场工作系统"
RECOVERY_CODES = 10


@lru_cache(maxsize=1)
def common_passwords():
    """The refused common passwords, lower-cased."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def policy():
    """What the password meter shows (the server checks the same, plus the common-password list)."""
    return {"min_length": MIN_LENGTH, "classes_required": CLASSES_REQUIRED, "classes": list(CLASSES)}


def _classes(password):
    found = set()
    for char in password:
        if char.islower():
            found.add("lower")
        elif char.isupper():
            found.add("upper")
        elif char.isdigit():
            found.add("digit")
        else:
            found.add("symbol")
    return found


def password_problems(password, username, field="password"):
    """Field-level problems of a new password (empty when it meets the policy)."""
    password = password or ""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(problem(field, "min_length", f"密码至少 {MIN_LENGTH} 位", f"At least {MIN_LENGTH} characters"))
    if len(_classes(password)) < CLASSES_REQUIRED:
        names = "、".join(CLASS_NAMES[c] for c in CLASSES)
        problems.append(problem(field, "classes", f"须包含{names}中的至少 {CLASSES_REQUIRED} 类",
                                f"Use at least {CLASSES_REQUIRED} of lower case, upper case, digits and symbols"))
    if username and username.lower() in password.lower():
        problems.append(problem(field, "contains_username", "密码不能包含用户名", "Must not contain the username"))
    if password.lower() in common_passwords():
        problems.append(problem(field, "common", "这是常见密码，容易被猜中", "A common password, easily guessed"))
    return problems


def check_password(password, username, field="password"):
    """Invalid with every unmet rule, or nothing."""
    problems = password_problems(password, username, field)
    if problems:
        raise Invalid("密码不符合要求", details=problems)


def temporary_password():
    """A one-time password an admin hands over (it meets the policy; the user must change it at login)."""
    while True:
        candidate = secrets.token_urlsafe(9) + "-7a"
        if not password_problems(candidate, None):
            return candidate


# --- second factor ---------------------------------------------------------------------------------------


def new_totp_secret():
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(secret, username):
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def totp_ok(secret, code, at):
    """True for the current code at instant `at` (one step of clock drift either way)."""
    code = "".join(str(code or "").split())
    return bool(secret) and code.isascii() and code.isdigit() and len(code) == 6 and \
        pyotp.TOTP(secret).verify(code, for_time=at, valid_window=1)


def _code_hash(code):
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def new_recovery_codes():
    """(codes to show once, their hashes to keep)."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    return codes, [_code_hash(c) for c in codes]


def use_recovery_code(hashes, code):
    """The hashes left after using `code`, or None when it is not one of them."""
    wanted = _code_hash(str(code or ""))
    for index, kept in enumerate(hashes or []):
        if hmac.compare_digest(kept, wanted):
            return [h for i, h in enumerate(hashes) if i != index]
    return None
