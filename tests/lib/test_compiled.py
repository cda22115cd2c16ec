"""CompiledGet: the signed-in user's read compiled once, and the same user as the ORM reads."""

import pytest

from tests.factories import UserFactory, grant
from wuxiao.lib.compiled import CompiledGet
from wuxiao.notifications.services import deliver
from wuxiao.people.backends import SIGNED_IN_USER, UsernameOrMobileBackend, _signed_in_users
from wuxiao.people.models import Role

pytestmark = pytest.mark.django_db


def test_the_user_is_the_one_the_orm_reads_with_its_annotations(unit_a):
    user = UserFactory(username="weixm", real_name="韦晓敏")
    grant(user, unit_a, Role.ADMIN)
    deliver(recipients=[user], kind="test.note", title="通知")
    read = CompiledGet(_signed_in_users).get(user.pk)
    orm = _signed_in_users().get(pk=user.pk)
    fields = [f.attname for f in type(user)._meta.concrete_fields]
    assert {f: getattr(read, f) for f in fields} == {f: getattr(orm, f) for f in fields}
    annotations = list(_signed_in_users().query.annotations)
    assert annotations and [getattr(read, a) for a in annotations] == [getattr(orm, a) for a in annotations]
    assert [type(getattr(read, a)) for a in annotations] == [type(getattr(orm, a)) for a in annotations]
    assert read._state.adding is False and read._state.db == "default"


def test_a_missing_or_malformed_key_is_no_user(db):
    user = UserFactory()
    assert SIGNED_IN_USER.get(user.pk + 1000) is None
    assert SIGNED_IN_USER.get("not-a-key") is None
    assert SIGNED_IN_USER.get(str(user.pk)).pk == user.pk  # the session stores the key as text


def test_compiled_once_and_reads_fresh_rows(db, monkeypatch):
    users = CompiledGet(_signed_in_users)
    compiles = []
    original = users.read.plan
    monkeypatch.setattr(users.read, "plan", lambda connection: compiles.append(1) or original(connection))
    a, b = UserFactory(real_name="甲"), UserFactory(real_name="乙")
    assert users.get(a.pk).real_name == "甲" and users.get(b.pk).real_name == "乙"
    type(a).objects.filter(pk=a.pk).update(real_name="甲改")
    assert users.get(a.pk).real_name == "甲改"
    assert compiles == [1]


def test_an_inactive_user_is_signed_out(db):
    user = UserFactory()
    assert UsernameOrMobileBackend().get_user(user.pk) == user
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert UsernameOrMobileBackend().get_user(user.pk) is None
