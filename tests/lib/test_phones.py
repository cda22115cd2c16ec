"""Phone numbers: mainland mobiles 1[3-9] + 9 digits; landlines with an area code, however dashed."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from wuxiao.lib.phones import is_mobile, mask_phone, normalise_phone, validate_mobile, validate_phone

mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)


@given(mobiles)
def test_every_mainland_mobile_is_valid_and_masked_to_its_ends(mobile):
    assert is_mobile(mobile)
    validate_mobile(mobile)
    validate_phone(mobile)
    assert mask_phone(mobile) == f"{mobile[:3]}****{mobile[-4:]}"


@given(st.sampled_from("012"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_second_digit_below_3_is_not_a_mobile(second, rest):
    assert not is_mobile(f"1{second}{rest}")


@given(st.text(alphabet="0123456789", min_size=0, max_size=20).filter(lambda s: len(s) != 11))
def test_only_eleven_digits_make_a_mobile(digits):
    assert not is_mobile(digits)


@pytest.mark.parametrize("value", ["12877212345", "1387721234", "138772123456", "23877212345", "1387721234a", ""])
def test_bad_mobile_message_names_the_rule(value):
    with pytest.raises(ValidationError) as exc:
        validate_mobile(value)
    assert exc.value.messages == [
        f"手机号码“{value}”格式不正确：应为 1 开头、第二位 3–9 的 11 位数字，例如 13877212345"
    ]


@pytest.mark.parametrize(
    "value",
    ["0772—2827423", "0772-2827423", "0772–2827423", "0772－2827423", "07722827423", "010-12345678", "0772 2827423"],
)
def test_landlines_with_any_dash_are_valid(value):
    validate_phone(value)


def test_the_notice_number_with_its_long_dash():
    assert normalise_phone("0772—2827423") == "0772-2827423"
    assert mask_phone("0772—2827423") == "0772-***7423"
    assert not is_mobile("0772—2827423")


@pytest.mark.parametrize("value", ["2827423", "772-2827423", "0772-282742", "0772-282742345", "电话", "12877212345"])
def test_bad_phone_message_names_the_rule(value):
    with pytest.raises(ValidationError) as exc:
        validate_phone(value)
    assert exc.value.messages == [
        f"联系电话“{value}”格式不正确：应为 11 位手机号码或带区号的固定电话，例如 0772-2827423"
    ]


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13877212345", "138****2345"),
        (" 138 7721 2345 ", "138****2345"),
        ("010-12345678", "010-****5678"),
        ("07722827423", "*******7423"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask(value, masked):
    assert mask_phone(value) == masked


def test_masked_filter_in_templates():
    from django.template import engines

    template = engines["django"].from_string("{{ phone|masked }}")
    assert template.render({"phone": "13877212345"}) == "138****2345"
    assert template.render({"phone": None}) == ""
