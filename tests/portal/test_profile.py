"""Editing one's own profile: required fields, mobile format and uniqueness, an audit entry."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from wuxiao.audit.models import AuditEntry

URL = "/me/profile/"


@pytest.fixture
def weixm(db):
    return UserFactory(username="weixm", real_name="韦小敏", mobile="13877212345", email="")


def form_data(**overrides):
    data = {
        "real_name": "韦晓敏",
        "gender": "F",
        "birth_date": "1996-08-15",
        "education": "college",
        "mobile": "13877212345",
        "email": "wxm@example.com",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_page_shows_the_person_own_details(client_for, weixm):
    response = client_for(weixm).get(URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>个人资料 · 五小竞赛平台</title>" in text
    assert 'value="韦小敏"' in text
    assert 'value="13877212345"' in text


def test_saving_changes_the_profile_and_records_it(client_for, weixm):
    response = client_for(weixm).post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == URL
    weixm.refresh_from_db()
    assert (weixm.real_name, weixm.gender, weixm.birth_date, weixm.education, weixm.email) == (
        "韦晓敏",
        "F",
        date(1996, 8, 15),
        "college",
        "wxm@example.com",
    )
    entry = AuditEntry.objects.get(action="user.profile")
    assert entry.actor == weixm
    assert entry.before == {
        "real_name": "韦小敏",
        "gender": "M",
        "birth_date": "1995-06-01",
        "education": "bachelor",
        "email": "",
    }
    assert entry.after == {
        "real_name": "韦晓敏",
        "gender": "F",
        "birth_date": "1996-08-15",
        "education": "college",
        "email": "wxm@example.com",
    }


def test_saving_nothing_new_records_nothing(client_for, weixm):
    client_for(weixm).post(
        URL, form_data(real_name="韦小敏", gender="M", birth_date="1995-06-01", education="bachelor", email="")
    )
    assert AuditEntry.objects.filter(action="user.profile").count() == 0


def test_success_message_is_chinese(client_for, weixm):
    response = client_for(weixm).post(URL, form_data(), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["个人资料已保存"]


@pytest.mark.parametrize("mobile", ["12877212345", "1387721234", "23877212345", "1387721234a"])
def test_bad_mobile_is_refused_with_the_rule(client_for, weixm, mobile):
    response = client_for(weixm).post(URL, form_data(mobile=mobile))
    assert response.status_code == 200
    errors = response.context["form"].errors["mobile"]
    assert f"手机号码“{mobile}”格式不正确：应为 1 开头、第二位 3–9 的 11 位数字，例如 13877212345" in errors
    weixm.refresh_from_db()
    assert weixm.mobile == "13877212345"


def test_too_long_mobile_is_refused_with_the_numbers(client_for, weixm):
    response = client_for(weixm).post(URL, form_data(mobile="138772123456"))
    assert response.context["form"].errors["mobile"][0] == "确保该变量包含不超过 11 字符 (目前字符数 12)。"


@pytest.mark.parametrize("mobile", ["13000000000", "19999999999", "15177212345"])
def test_every_second_digit_from_3_to_9_is_accepted(client_for, weixm, mobile):
    assert client_for(weixm).post(URL, form_data(mobile=mobile)).status_code == 302
    weixm.refresh_from_db()
    assert weixm.mobile == mobile


def test_mobile_of_another_account_is_refused(client_for, weixm):
    UserFactory(username="other", mobile="13977200001")
    response = client_for(weixm).post(URL, form_data(mobile="13977200001"))
    assert response.context["form"].errors == {"mobile": ["该手机号码已被其他账号使用"]}


def test_keeping_own_mobile_is_fine(client_for, weixm):
    assert client_for(weixm).post(URL, form_data(mobile="13877212345")).status_code == 302


def test_required_fields_are_named_in_chinese(client_for, weixm):
    response = client_for(weixm).post(URL, {"email": ""})
    assert response.context["form"].errors == {
        name: ["这个字段是必填项。"] for name in ["real_name", "gender", "birth_date", "education", "mobile"]
    }


def test_birth_date_in_the_future_is_refused(client_for, weixm):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(weixm).post(URL, form_data(birth_date=tomorrow.isoformat()))
    assert response.context["form"].errors == {
        "birth_date": [f"出生日期 {tomorrow:%Y-%m-%d} 晚于今天（{timezone.localdate():%Y-%m-%d}）"]
    }


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0001-01-01", "出生日期 0001-01-01 早于 1900-01-01，请检查年份"),
        ("2023-02-30", "不存在的日期：2023-02-30（2023 年 2 月只有 28 天）"),
    ],
)
def test_birth_date_must_exist_and_be_plausible(client_for, weixm, typed, message):
    response = client_for(weixm).post(URL, form_data(birth_date=typed))
    assert response.context["form"].errors == {"birth_date": [message]}


def test_bad_email_is_refused_in_chinese(client_for, weixm):
    response = client_for(weixm).post(URL, form_data(email="not-an-address"))
    assert response.context["form"].errors == {"email": ["输入一个有效的 Email 地址。"]}


def test_username_cannot_be_changed_here(client_for, weixm):
    client_for(weixm).post(URL, form_data(username="hacker", is_staff="on", is_superuser="on"))
    weixm.refresh_from_db()
    assert (weixm.username, weixm.is_staff, weixm.is_superuser) == ("weixm", False, False)
