"""The signed-in user is read once a request with what every page shows of them: the unread
count and whether they administer an organisation (people.backends.USER_ANNOTATIONS)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.functional import SimpleLazyObject

from tests.factories import UserFactory, grant, make_org
from wuxiao.notifications.models import Notification
from wuxiao.notifications.services import deliver, mark_read, unread_count
from wuxiao.people.backends import UsernameOrMobileBackend
from wuxiao.people.models import OrgKind, Role
from wuxiao.people.permissions import ADMINISTERS, forget_memberships, is_org_admin, memberships


def note(user, n=1):
    for i in range(n):
        deliver(recipients=[user], kind="test.note", title=f"通知{i}")


def badge(response):
    text = response.content.decode()
    start = text.find('id="unread-count">')
    return None if start < 0 else text[start + len('id="unread-count">') : text.find("</span>", start)]


@pytest.fixture
def weixm(db):
    return UserFactory(username="weixm")


def test_a_page_reads_the_unread_count_and_the_admin_flag_with_the_user(client_for, weixm, unit_a):
    note(weixm, 3)
    grant(weixm, unit_a, Role.ADMIN)
    Notification.objects.filter(pk=Notification.objects.filter(recipient=weixm).first().pk).update(
        read_at="2024-05-01T00:00:00Z"
    )
    client = client_for(weixm)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/me/profile/")
    assert response.status_code == 200
    assert badge(response) == "2"
    assert "管理后台" in response.content.decode()
    sql = [q["sql"] for q in captured]
    # one query for the user (with both), none of its own for the count or the roles
    assert sum("notifications_notification" in s for s in sql) == 1, sql
    assert not any(s.lstrip().startswith('SELECT "people_membership"') for s in sql), sql


@pytest.mark.parametrize(
    "roles, active, expected",
    [
        ([], True, False),
        ([Role.APPLICANT], True, False),
        ([Role.ADMIN], True, True),
        ([Role.ADMIN], False, False),  # a deactivated organisation's admin administers nothing
        ([Role.APPLICANT, Role.ADMIN], True, True),
    ],
)
def test_the_admin_flag_read_with_the_user_is_the_rule_of_is_org_admin(district, roles, active, expected):
    user = UserFactory()
    org = make_org("某厂", OrgKind.ENTERPRISE, district, is_active=active)
    for role in roles:
        grant(user, org, role)
    read = UsernameOrMobileBackend().get_user(user.pk)
    assert getattr(read, ADMINISTERS) is expected
    assert is_org_admin(read) is expected


def test_the_unread_count_read_with_the_user_is_the_count(weixm, mallory):
    note(weixm, 2)
    note(mallory, 5)
    read = UsernameOrMobileBackend().get_user(weixm.pk)
    with CaptureQueriesContext(connection) as captured:
        assert unread_count(read) == 2
    assert len(captured) == 0


def test_what_changes_within_the_request_is_read_again_through_the_lazy_user(weixm, unit_a):
    """request.user is a lazy proxy: forgetting goes through it to the user."""
    user = SimpleLazyObject(lambda: UsernameOrMobileBackend().get_user(weixm.pk))
    assert unread_count(user) == 0
    note(user, 1)  # delivered to the signed-in user within the request
    assert unread_count(user) == 1
    mark_read(user=user)
    assert unread_count(user) == 0
    assert memberships(user) == []
    grant(weixm, unit_a, Role.APPLICANT)
    forget_memberships(user)
    assert [m.organisation for m in memberships(user)] == [unit_a]
    assert not hasattr(user, ADMINISTERS)


def test_a_deactivated_user_is_not_signed_in(weixm):
    weixm.is_active = False
    weixm.save()
    assert UsernameOrMobileBackend().get_user(weixm.pk) is None
    assert UsernameOrMobileBackend().get_user(10**9) is None
