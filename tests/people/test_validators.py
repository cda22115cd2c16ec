"""The password policy: ≥ 8 characters, 3 of 4 classes, not common, not all digits, not like
the person's own details. Every refusal is in Chinese and names its numbers."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from wuxiao.people.models import User
from wuxiao.people.validators import CharacterClassValidator, MinimumLengthValidator

PERSON = User(username="weixiaomin", real_name="韦小敏", email="weixiaomin@example.com", mobile="13877212345")


def refusals(password, user=PERSON):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


def test_a_good_password_passes():
    assert refusals("Xk9#mq2Lp") == []
    assert refusals("Wuxiao@2024") == []


def test_too_short_names_both_numbers():
    assert refusals("Xk9#mq2") == ["密码太短：至少需要 8 个字符，当前只有 7 个"]


def test_too_few_classes_names_both_numbers():
    assert refusals("xkqmzplwv") == ["密码需至少包含大写字母、小写字母、数字、符号中的 3 类，当前只有 1 类"]
    assert refusals("xkqmzp9w2") == ["密码需至少包含大写字母、小写字母、数字、符号中的 3 类，当前只有 2 类"]


@pytest.mark.parametrize("password", ["xkqmzp9W", "xkqmzp9#", "XKQMZP9#", "xkqmzpW#"])
def test_any_three_classes_are_enough(password):
    assert refusals(password) == []


def test_common_password_is_refused_in_chinese():
    # on Django's list of 20,000 common passwords, though it has three classes
    assert refusals("Password1") == ["这个密码太常见了。"]


def test_all_digits_is_refused_in_chinese():
    assert "密码只包含数字。" in refusals("48271593064")


@pytest.mark.parametrize(
    ("password", "field"),
    [("Weixiaomin1", "用户名"), ("13877212345Ab", "手机号码")],
)
def test_similar_to_own_details_is_refused_in_chinese(password, field):
    assert refusals(password) == [f"密码跟 {field} 太相似了。"]


def test_similar_to_own_email_is_refused_in_chinese():
    person = User(username="wxm", email="liuzhou.youth@example.com")
    assert refusals("Liuzhou.youth@ex1", person) == ["密码跟 电子邮件地址 太相似了。"]


def test_help_texts_are_chinese():
    assert password_validation.password_validators_help_texts() == [
        "你的密码不能与你的其他个人信息太相似。",
        "密码至少 8 个字符。",
        "你的密码不能是一个常见密码。",
        "你的密码不能全都是数字。",
        "密码需至少包含大写字母、小写字母、数字、符号中的 3 类。",
    ]


@given(st.text(max_size=40))
def test_classes_counted_match_a_plain_reading(password):
    expected = sum(
        [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )
    assert CharacterClassValidator.classes_in(password) == expected


@given(st.text(min_size=0, max_size=20))
def test_minimum_length_refuses_exactly_the_short_ones(password):
    validator = MinimumLengthValidator(min_length=8)
    if len(password) >= 8:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as exc:
            validator.validate(password)
        assert exc.value.messages == [f"密码太短：至少需要 8 个字符，当前只有 {len(password)} 个"]
