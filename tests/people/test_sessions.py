"""The session stores (settings.SESSION_ENGINE): Django's database sessions with the row's
read compiled once — the same answers as Django's own store for a live, an expired, a
missing and a forged key, and a signed-in user stays signed in across requests."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from tests.factories import UserFactory
from wuxiao.people.sessions import cached_db, db

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[db.SessionStore, cached_db.SessionStore], ids=["db", "cached_db"])
def store(request):
    return request.param


def saved(store, **data) -> str:
    session = store()
    session.update(data)
    session.create()
    session.save()
    return session.session_key


def test_a_live_session_is_read_back(store):
    key = saved(store, colour="红")
    assert store(session_key=key).load() == django_db.SessionStore(session_key=key).load() == {"colour": "红"}


def test_an_expired_missing_or_forged_key_is_no_session(store):
    key = saved(store, colour="红")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()  # cached_db: the row, not the cache, must say it is expired
    for session_key in (key, "x" * 32, "x';DROP-TABLE-django_session;--"):
        session = store(session_key=session_key)
        assert session.load() == {} and session.session_key is None
        assert django_db.SessionStore(session_key=session_key).load() == {}
    assert Session.objects.filter(session_key=key).exists()  # left for clearsessions, as Django does


def test_the_site_uses_the_compiled_store():
    from importlib import import_module

    from django.conf import settings

    from wuxiao.people.sessions import CompiledRead

    assert issubclass(import_module(settings.SESSION_ENGINE).SessionStore, CompiledRead)


def test_a_signed_in_user_stays_signed_in(client):
    user = UserFactory(username="liuyang")
    user.set_password("Wuxiao@2024")
    user.save()
    assert client.post("/accounts/login/", {"username": "liuyang", "password": "Wuxiao@2024"}).status_code == 302
    for _ in range(2):
        response = client.get("/me/")
        assert response.status_code == 200 and response.wsgi_request.user == user
