"""create_committee_admin: the first account of a production site."""

import pytest
from django.core.management import CommandError, call_command

from tests.factories import UserFactory
from wuxiao.audit.models import AuditEntry
from wuxiao.people.models import Membership, Role, User


def test_creates_a_committee_admin(committee, monkeypatch, capsys):
    monkeypatch.setenv("WUXIAO_ADMIN_PASSWORD", "Xk9#mq2Lp")
    call_command("create_committee_admin", "mopiao", "--real-name", "莫飘", "--mobile", "13877212345")
    user = User.objects.get(username="mopiao")
    assert (user.real_name, user.mobile) == ("莫飘", "13877212345")
    assert user.check_password("Xk9#mq2Lp")
    assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [
        (committee.pk, Role.ADMIN)
    ]
    assert AuditEntry.objects.filter(action="membership.grant").count() == 1
    assert capsys.readouterr().out == f"mopiao 现为“{committee.name}”的团组织管理员\n"


def test_promotes_an_existing_account_without_touching_its_password(committee, monkeypatch):
    monkeypatch.delenv("WUXIAO_ADMIN_PASSWORD", raising=False)
    user = UserFactory(username="mopiao")
    call_command("create_committee_admin", "MoPiao")
    assert Membership.objects.filter(user=user, organisation=committee, role=Role.ADMIN).exists()


def test_weak_password_is_refused_with_the_reasons(committee, monkeypatch):
    monkeypatch.setenv("WUXIAO_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError) as exc:
        call_command("create_committee_admin", "mopiao")
    assert str(exc.value) == (
        "密码太短：至少需要 8 个字符，当前只有 5 个；"
        "密码需至少包含大写字母、小写字母、数字、符号中的 3 类，当前只有 1 类"
    )
    assert not User.objects.filter(username="mopiao").exists()


def test_bad_mobile_is_refused(committee, monkeypatch):
    monkeypatch.setenv("WUXIAO_ADMIN_PASSWORD", "Xk9#mq2Lp")
    with pytest.raises(CommandError) as exc:
        call_command("create_committee_admin", "mopiao", "--mobile", "12345")
    assert str(exc.value) == "手机号码“12345”格式不正确：应为 1 开头、第二位 3–9 的 11 位数字，例如 13877212345"
    assert not User.objects.filter(username="mopiao").exists()


def test_needs_the_campaign_loaded_first(db, monkeypatch):
    monkeypatch.setenv("WUXIAO_ADMIN_PASSWORD", "Xk9#mq2Lp")
    with pytest.raises(CommandError) as exc:
        call_command("create_committee_admin", "mopiao")
    assert str(exc.value) == "还没有组委会组织：请先运行 manage.py load_campaign"
