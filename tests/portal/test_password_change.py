"""Changing one's password: a Chinese page, the whole policy, old sessions stay valid for the
person who changed it."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

URL = "/accounts/password/"


@pytest.fixture
def weixm(db):
    return UserFactory(username="weixm", real_name="韦小敏", mobile="13877212345")


def change(client, old, new1, new2=None):
    return client.post(URL, {"old_password": old, "new_password1": new1, "new_password2": new2 or new1})


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_page_is_chinese(client_for, weixm):
    response = client_for(weixm).get(URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>修改密码 · 五小竞赛平台</title>" in text
    labels = [
        "旧密码",
        "新密码",
        "新密码确认",
        "密码至少 8 个字符。",
        "密码需至少包含大写字母、小写字母、数字、符号中的 3 类。",
    ]
    for label in labels:
        assert label in text


def test_change_works_and_keeps_the_session(client_for, weixm):
    client = client_for(weixm)
    response = change(client, PASSWORD, "Xk9#mq2Lp")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    weixm.refresh_from_db()
    assert weixm.check_password("Xk9#mq2Lp")
    # still signed in after the change (the session hash was updated)
    done = client.get(reverse("password_change_done"))
    assert done.status_code == 200
    assert "密码已修改" in done.content.decode()


def test_new_password_signs_in_and_old_does_not(client_for, client, weixm):
    change(client_for(weixm), PASSWORD, "Xk9#mq2Lp")
    client.post(reverse("logout"))
    bad = client.post(reverse("login"), {"username": "weixm", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert bad.status_code == 200
    good = client.post(reverse("login"), {"username": "weixm", "password": "Xk9#mq2Lp"}, REMOTE_ADDR="10.0.0.9")
    assert good.status_code == 302


@pytest.mark.parametrize(
    ("new", "field", "messages"),
    [
        ("Xk9#mq", "new_password1", ["密码太短：至少需要 8 个字符，当前只有 6 个"]),
        ("xkqmzplwv", "new_password1", ["密码需至少包含大写字母、小写字母、数字、符号中的 3 类，当前只有 1 类"]),
        ("Password1", "new_password1", ["这个密码太常见了。"]),
        (
            "48271593064",
            "new_password1",
            ["密码只包含数字。", "密码需至少包含大写字母、小写字母、数字、符号中的 3 类，当前只有 1 类"],
        ),
        ("Weixm20#", "new_password1", ["密码跟 用户名 太相似了。"]),
        ("13877212345Ab", "new_password1", ["密码跟 手机号码 太相似了。"]),
    ],
)
def test_weak_new_password_is_refused_with_the_reason(client_for, weixm, new, field, messages):
    response = change(client_for(weixm), PASSWORD, new)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: messages}
    weixm.refresh_from_db()
    assert weixm.check_password(PASSWORD)


def test_wrong_old_password_is_refused_in_chinese(client_for, weixm):
    response = change(client_for(weixm), "Wrong@2024", "Xk9#mq2Lp")
    assert response.context["form"].errors == {"old_password": ["你的旧密码不正确。请重新输入。"]}


def test_mismatch_is_refused_in_chinese(client_for, weixm):
    response = change(client_for(weixm), PASSWORD, "Xk9#mq2Lp", "Xk9#mq2Lq")
    assert response.context["form"].errors == {"new_password2": ["输入的两个密码不一致。"]}
