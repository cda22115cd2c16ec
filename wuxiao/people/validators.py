"""Password rules: at least 8 characters, at least 3 of 4 character classes, plus Django's
common-password, all-digits and similarity checks (configured in settings)."""

import string

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.core.exceptions import ValidationError


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's rule with a Chinese message that names the numbers (Django 5.2's own message
    changed wording and its zh-hans catalogue has no translation for it yet)."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                "密码太短：至少需要 %(min_length)d 个字符，当前只有 %(length)d 个",
                code="password_too_short",
                params={"min_length": self.min_length, "length": len(password)},
            )

    def get_help_text(self):
        return f"密码至少 {self.min_length} 个字符。"


class CharacterClassValidator:
    """At least `min_classes` of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        checks = (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        )
        return sum(checks)

    def validate(self, password, user=None):
        found = self.classes_in(password)
        if found < self.min_classes:
            raise ValidationError(
                "密码需至少包含大写字母、小写字母、数字、符号中的 %(need)d 类，当前只有 %(found)d 类",
                code="password_too_simple",
                params={"need": self.min_classes, "found": found},
            )

    def get_help_text(self):
        return f"密码需至少包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类。"
