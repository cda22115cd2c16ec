"""Finding the account a sign-in names, and the key the lockout counts under."""

import pytest
from django.test import RequestFactory

from tests.factories import PASSWORD, UserFactory
from wuxiao.people.backends import UsernameOrMobileBackend, axes_username, find_user


@pytest.fixture
def weixm(db):
    return UserFactory(username="WeiXM", mobile="13877212345")


@pytest.mark.parametrize("login", ["WeiXM", "weixm", " WEIXM ", "13877212345", "138 7721 2345"])
def test_find_user_by_username_or_mobile(weixm, login):
    assert find_user(login) == weixm


@pytest.mark.parametrize("login", ["", None, "weix", "13877212346", "1387721234"])
def test_find_user_finds_nobody(weixm, login):
    assert find_user(login) is None


def test_lockout_key_is_the_account_however_it_is_typed(weixm):
    request = RequestFactory().post("/accounts/login/")
    assert axes_username(request, {"username": "13877212345"}) == "weixm"
    assert axes_username(request, {"username": " WeiXM"}) == "weixm"
    assert axes_username(request, {"username": "Nobody "}) == "nobody"


def test_lockout_key_falls_back_to_the_posted_form(weixm):
    request = RequestFactory().post("/accounts/login/", {"username": "13877212345"})
    assert axes_username(request, None) == "weixm"


def test_backend_checks_the_password(weixm):
    backend = UsernameOrMobileBackend()
    assert backend.authenticate(None, username="13877212345", password=PASSWORD) == weixm
    assert backend.authenticate(None, username="weixm", password="Wrong@2024") is None
    assert backend.authenticate(None, username="nobody", password=PASSWORD) is None
    assert backend.authenticate(None, username=None, password=PASSWORD) is None


def test_backend_refuses_inactive_accounts(weixm):
    weixm.is_active = False
    weixm.save()
    assert UsernameOrMobileBackend().authenticate(None, username="weixm", password=PASSWORD) is None
