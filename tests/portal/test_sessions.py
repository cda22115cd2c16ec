"""Sessions end after 30 idle minutes; activity pushes the end forward, writing the session
at most once a minute."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

DASHBOARD = "/me/"


@pytest.fixture
def weixm(db):
    return UserFactory(username="weixm")


def test_idle_limit_is_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.WUXIAO_SESSION_TOUCH_SECONDS == 60


def test_activity_keeps_the_session_and_idling_ends_it(client, weixm):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(reverse("login"), {"username": "weixm", "password": PASSWORD})
        for _ in range(4):  # two hours of work, a click every 29 minutes
            traveller.shift(timedelta(minutes=29))
            response = client.get(DASHBOARD)
            assert response.status_code == 200
            assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 1800
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={DASHBOARD}"


def test_session_expiry_moves_with_each_request(client, weixm):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        client.post(reverse("login"), {"username": "weixm", "password": PASSWORD})
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert Session.objects.get(session_key=key).expire_date == start + timedelta(minutes=30)
        traveller.shift(timedelta(minutes=10))
        client.get(DASHBOARD)
        assert Session.objects.get(session_key=key).expire_date == start + timedelta(minutes=40)


def test_session_survives_just_under_thirty_idle_minutes(client, weixm):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(reverse("login"), {"username": "weixm", "password": PASSWORD})
        traveller.shift(timedelta(minutes=29, seconds=59))
        assert client.get(DASHBOARD).status_code == 200


def test_session_row_is_written_at_most_once_a_minute(client, weixm):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        client.post(reverse("login"), {"username": "weixm", "password": PASSWORD})
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        client.get(DASHBOARD)  # warm the per-process caches
        traveller.shift(timedelta(seconds=59))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DASHBOARD)
        assert response.status_code == 200
        assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        assert Session.objects.get(session_key=key).expire_date == start + timedelta(minutes=30)
        traveller.shift(timedelta(seconds=1))  # a minute after the last write: write again
        response = client.get(DASHBOARD)
        assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 1800
        assert Session.objects.get(session_key=key).expire_date == start + timedelta(minutes=31)


def test_anonymous_visits_create_no_session(client, db):
    assert client.get("/").status_code == 200
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert Session.objects.count() == 0
