"""Phone numbers: validation and masking.

Mobile: mainland 11 digits starting 1[3-9]. Landline: area code 0 + 2–3 digits, a dash
(the notice writes "0772—2827423" with a long dash) and 7–8 digits.
"""

import re

from django.core.exceptions import ValidationError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "‐": "-", " ": ""})


def normalise_phone(value: str) -> str:
    return (value or "").strip().translate(_DASHES)


def is_mobile(value: str) -> bool:
    return bool(MOBILE_RE.match(normalise_phone(value)))


def validate_mobile(value: str) -> None:
    if not is_mobile(value):
        raise ValidationError(
            "手机号码“%(value)s”格式不正确：应为 1 开头、第二位 3–9 的 11 位数字，例如 13877212345",
            code="invalid_mobile",
            params={"value": value},
        )


def validate_phone(value: str) -> None:
    """A mobile number or a landline with area code (e.g. 0772-2827423)."""
    phone = normalise_phone(value)
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(
            "联系电话“%(value)s”格式不正确：应为 11 位手机号码或带区号的固定电话，例如 0772-2827423",
            code="invalid_phone",
            params={"value": value},
        )


def mask_phone(value: str) -> str:
    """13877212345 → 138****2345; 0772-2827423 → 0772-***7423."""
    phone = normalise_phone(value)
    if not phone:
        return ""
    if MOBILE_RE.match(phone):
        return f"{phone[:3]}****{phone[-4:]}"
    if "-" in phone:
        area, number = phone.split("-", 1)
        return f"{area}-{'*' * max(len(number) - 4, 0)}{number[-4:]}"
    return f"{'*' * max(len(phone) - 4, 0)}{phone[-4:]}"
