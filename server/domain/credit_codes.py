"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17."""

# The code alphabet: digits and capitals without I, O, Z, S, V (easily misread).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i-1) mod 31
LENGTH = 18


def check_character(first17):
    """The 18th character for the given first 17 (C18 = 31 − Σ(Ci·Wi) mod 31, with 31 written as 0)."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code):
    """None when the code is valid, else (error code, zh message, en message)."""
    if not isinstance(code, str):
        return ("type", "统一社会信用代码必须是文本", "The credit code must be text")
    if len(code) != LENGTH:
        return ("length", f"统一社会信用代码应为18位，实际为{len(code)}位",
                f"The credit code must have 18 characters, not {len(code)}")
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return ("charset", f"统一社会信用代码含有非法字符：{''.join(bad)}",
                f"The credit code contains characters not allowed: {''.join(bad)}")
    expected = check_character(code[:17])
    if code[17] != expected:
        return ("check_digit", f"统一社会信用代码校验位错误（应为{expected}）",
                f"Wrong check character (expected {expected})")
    return None


def normalise_credit_code(code):
    """Upper-case and strip spaces: codes are often typed in lower case or copied with blanks."""
    return code.strip().replace(" ", "").upper() if isinstance(code, str) else code


def is_valid_credit_code(code):
    """True when the code passes GB 32100's length, alphabet and check character."""
    return credit_code_problem(code) is None
