"""统一社会信用代码 (GB 32100-2015): 18 characters with a check character."""

from django.core.exceptions import ValidationError

_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(_CHARS.index(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    code = (code or "").strip().upper()
    if len(code) != 18 or any(ch not in _CHARS for ch in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def validate_credit_code(value: str) -> None:
    if not is_valid_credit_code(value):
        raise ValidationError(
            "统一社会信用代码“%(value)s”无效：应为 18 位数字或大写字母（不含 I、O、S、V、Z），且末位校验码正确",
            code="invalid_credit_code",
            params={"value": value},
        )
