"""统一社会信用代码 (GB 32100-2015): the check character, checked against the standard's own
definition (weights 3^i mod 31, check = 31 − Σ mod 31)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from wuxiao.lib.ids import credit_code_check_char, is_valid_credit_code, validate_credit_code

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z


def reference_check_char(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return ALPHABET[(31 - total % 31) % 31]


bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


def test_a_published_code_is_valid():
    assert is_valid_credit_code("914403001922038216")


def test_a_code_computed_here_is_valid():
    first17 = "91450200MA5L7KQ3X"
    check = reference_check_char(first17)
    assert check == credit_code_check_char(first17)
    assert is_valid_credit_code(first17 + check)
    assert is_valid_credit_code((first17 + check).lower())  # typed in lower case
    assert is_valid_credit_code(f"  {first17}{check} ")


@given(bodies)
def test_the_check_char_matches_the_standard(first17):
    assert credit_code_check_char(first17) == reference_check_char(first17)
    assert is_valid_credit_code(first17 + reference_check_char(first17))


@given(bodies, st.sampled_from(ALPHABET))
def test_any_other_check_char_is_refused(first17, wrong):
    if wrong != reference_check_char(first17):
        assert not is_valid_credit_code(first17 + wrong)


@pytest.mark.parametrize(
    "code",
    ["914403001922038217", "91440300192203821", "9144030019220382160", "9144030019220382I6", "", "统一社会信用代码"],
)
def test_bad_codes_are_refused_with_the_rule(code):
    assert not is_valid_credit_code(code)
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.messages == [
        f"统一社会信用代码“{code}”无效：应为 18 位数字或大写字母（不含 I、O、S、V、Z），且末位校验码正确"
    ]
