import string

from django.core.exceptions import ValidationError


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
