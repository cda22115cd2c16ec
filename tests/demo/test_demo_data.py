"""manage.py demo_data: the demo city the README promises, built through the services."""

import itertools
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import UserFactory, make_org
from wuxiao.audit.models import AuditEntry
from wuxiao.campaigns.models import Campaign, Participation
from wuxiao.campaigns.services import is_stage_open
from wuxiao.demo import build
from wuxiao.lib.dates import age_on
from wuxiao.lib.ids import is_valid_credit_code
from wuxiao.lib.phones import is_mobile
from wuxiao.people.models import Education, Membership, Organisation, OrgKind, Role, User

pytestmark = pytest.mark.django_db

# account → (real name, organisation, role) as the README's table describes them
EXPECTED_ACCOUNTS = {
    "committee": ("覃雅琴", "柳州市青年岗位科技“五小”竞赛活动组委会办公室", Role.ADMIN),
    "district": ("蓝海燕", "城中区团委", Role.ADMIN),
    "unit": ("覃志强", "柳州市华鼎机械制造有限公司团委", Role.ADMIN),
    "applicant": ("韦晓明", "柳州市华鼎机械制造有限公司团委", Role.APPLICANT),
    "advisor": ("梁建国", "柳州市华鼎机械制造有限公司团委", Role.ADVISOR),
    "expert": ("潘立新", "鱼峰区团委", Role.EXPERT),
}


def run(*args) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def signs_in(client, login: str) -> bool:
    """client.login through the real backends (django-axes wants the request)."""
    request = RequestFactory().post("/accounts/login/")
    return client.login(request=request, username=login, password=settings.WUXIAO_DEMO_PASSWORD)


def counts() -> dict:
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "participations": Participation.objects.count(),
        "campaigns": Campaign.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_full_demo_city(client, monkeypatch):
    monkeypatch.setattr(build, "PROJECTS", 30)  # the projects have tests/demo/test_demo_projects.py
    monkeypatch.setattr(build, "HISTORY_PROJECTS", 10)
    output = run()
    today = timezone.localdate()

    units = Organisation.objects.units()
    assert units.count() == 47  # 40 generated (the demo unit included) + the 7 universities
    assert units.filter(kind=OrgKind.UNIVERSITY).count() == 7
    assert {OrgKind.ENTERPRISE, OrgKind.AGENCY, OrgKind.TWO_NEW} <= set(units.values_list("kind", flat=True))
    assert all(u.parent.kind in (OrgKind.DISTRICT, OrgKind.COMMITTEE) for u in units.select_related("parent"))
    assert User.objects.count() == 300

    # Every unit reports a headcount for both campaigns; quotas follow SPEC's rule and vary.
    demo = Campaign.objects.get(slug=build.DEMO_CAMPAIGN_SLUG)
    base = Campaign.objects.get(slug=build.BASE_CAMPAIGN_SLUG)
    for campaign in (demo, base):
        assert campaign.participations.count() == 47
    quotas = [(p.young_workers, p.quota) for p in demo.participations.select_related("campaign")]
    assert all(q == min(500, 5 * max(1, n // 100)) for n, q in quotas)
    assert len({q for _, q in quotas}) >= 8
    assert min(q for _, q in quotas) == 5 and max(q for _, q in quotas) >= 200

    # People: valid unique mobiles, SPEC's education list, mostly young, a few over 35.
    people = list(User.objects.all())
    mobiles = [u.mobile for u in people]
    assert len(set(mobiles)) == 300 and all(is_mobile(m) for m in mobiles)
    assert {u.education for u in people} <= set(Education.values)
    assert all(u.real_name and u.gender and u.birth_date for u in people)
    applicants = User.objects.filter(memberships__role=Role.APPLICANT).distinct()
    ages = [age_on(u.birth_date, demo.reference_date) for u in applicants]
    assert len(ages) >= 80  # every unit has two advisors, a tech lead or a workshop head, the rest apply
    assert 0 < sum(a > 35 for a in ages) <= 8
    assert all(18 <= a <= 40 for a in ages)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert all(
        Membership.objects.filter(organisation=d, role=Role.ADMIN).exists()
        for d in Organisation.objects.filter(kind=OrgKind.DISTRICT)
    )
    assert all(Membership.objects.filter(organisation=u, role=Role.ADMIN).exists() for u in units)
    assert all(is_valid_credit_code(u.credit_code) for u in units if u.credit_code)

    # Built through the services: the committee account created the units, admins granted roles.
    committee = User.objects.get(username="committee")
    assert AuditEntry.objects.filter(action="organisation.create", actor=committee).count() == 40
    assert AuditEntry.objects.filter(action="membership.grant").count() == Membership.objects.count()
    assert AuditEntry.objects.filter(action="participation.headcount").count() == 94

    # The current campaign: the 2024 rules, today in the application stage.
    assert Campaign.objects.current() == demo
    assert not base.is_current
    assert demo.title == f"{demo.starts_on.year}年柳州市青年岗位科技“五小”竞赛活动（演示）"
    assert demo.stage_on(today).kind == "registration"
    assert (demo.max_age, demo.quota_cap, demo.categories) == (base.max_age, base.quota_cap, base.categories)
    assert demo.committee_members.count() == base.committee_members.count() == 11

    # The six accounts sign in with the demo password and hold the right role in the right place.
    for username, (real_name, org_name, role) in EXPECTED_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.real_name == real_name and is_mobile(user.mobile)
        assert Membership.objects.filter(user=user, organisation__name=org_name, role=role).exists()
        assert signs_in(client, username), username
        assert user.notifications.filter(kind="people.welcome").exists()
        assert f"{username}" in output and real_name in output
    unit = Organisation.objects.get(name="柳州市华鼎机械制造有限公司团委")
    assert unit.parent.name == "城中区团委"
    applicant = User.objects.get(username="applicant")
    assert age_on(applicant.birth_date, demo.reference_date) == 30
    assert signs_in(client, "13977200104")  # by mobile number too
    assert not client.login(request=RequestFactory().post("/"), username="applicant", password="wrong-Pass1")
    # 2024 ends with published awards, certificates under the committee's seal and the 案例集 online.
    assert base.award_sheet.is_published and base.award_sheet.seal
    booklet = client.get(f"/campaigns/{base.slug}/booklet.docx")
    assert booklet.status_code == 200 and booklet["Content-Disposition"].startswith("attachment")
    assert "演示数据已生成" in output
    assert re.search(r"47 个基层单位（含 7 所在柳高校）；演示人员 300 人", output)


def test_running_twice_changes_nothing():
    run("--scale", "0.25")
    before = counts()
    names = list(User.objects.order_by("pk").values_list("username", "real_name", "mobile", "birth_date"))
    output = run("--scale", "0.25")
    assert "演示数据已存在，未做改动" in output
    assert counts() == before
    assert list(User.objects.order_by("pk").values_list("username", "real_name", "mobile", "birth_date")) == names


def test_scale_shrinks_the_city():
    run("--scale", "0.25")
    assert Organisation.objects.units().count() == 10 + 7
    # Every unit and district still gets its admin, an advisor and an applicant.
    assert 17 * 3 + 15 <= User.objects.count() < 120


def test_reset_rebuilds_the_same_demo_and_keeps_other_data(district):
    own_org = make_org("自建单位团支部", OrgKind.ENTERPRISE, district)
    own_user = UserFactory(username="someone")
    Membership.objects.create(user=own_user, organisation=own_org, role=Role.ADMIN)
    run("--scale", "0.25")
    first = list(User.objects.exclude(pk=own_user.pk).order_by("pk").values_list("username", "real_name", "mobile"))
    orgs = set(Organisation.objects.values_list("name", flat=True))

    output = run("--reset", "--scale", "0.25")

    assert "已删除原有演示数据" in output and "演示数据已生成" in output
    again = list(User.objects.exclude(pk=own_user.pk).order_by("pk").values_list("username", "real_name", "mobile"))
    assert again == first  # same seed, same city
    assert set(Organisation.objects.values_list("name", flat=True)) == orgs
    assert Campaign.objects.filter(slug=build.DEMO_CAMPAIGN_SLUG).count() == 1
    assert Membership.objects.filter(user=own_user, organisation=own_org, role=Role.ADMIN).exists()


def test_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match=r"生产环境.*不允许生成演示数据"):
        run()
    assert not User.objects.exists()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("stage", ["collection", "launch", "promotion"])
def test_stage_option_puts_today_in_that_stage(stage):
    run("--stage", stage, "--scale", "0.1")
    today = timezone.localdate()
    demo = Campaign.objects.get(slug=build.DEMO_CAMPAIGN_SLUG)
    assert demo.stage_on(today).kind == stage
    assert is_stage_open(demo, stage)
    assert not is_stage_open(demo, "registration")
    stages = list(demo.stages.order_by("number"))
    assert stages[0].starts_on == demo.starts_on and stages[-1].ends_on == demo.ends_on
    assert all(a.ends_on < b.starts_on for a, b in itertools.pairwise(stages))
    # Same spacing as 2024: each stage keeps its length.
    base = Campaign.objects.get(slug=build.BASE_CAMPAIGN_SLUG)
    lengths = [s.ends_on - s.starts_on for s in base.stages.order_by("number")]
    assert [s.ends_on - s.starts_on for s in stages] == lengths
    assert demo.reference_date == demo.starts_on


def test_stage_option_on_an_existing_demo_moves_only_the_dates():
    run("--scale", "0.1")
    before = {k: v for k, v in counts().items() if k != "audit"}
    output = run("--stage", "collection")
    demo = Campaign.objects.get(slug=build.DEMO_CAMPAIGN_SLUG)
    assert demo.stage_on(timezone.localdate()).kind == "collection"
    assert "今天处于“成果收集”阶段" in output
    assert {k: v for k, v in counts().items() if k != "audit"} == before


def test_apportion_gives_everyone_a_seat_and_exactly_the_total():
    slots = [("a", None, 10.0), ("b", None, 1.0), ("c", None, 5.0)]
    assert build._apportion(20, slots) == [12, 2, 6]
    assert sum(build._apportion(7, slots)) == 7
    assert build._apportion(2, slots) == [1, 1, 1]  # at least one each, even over the total


def test_the_applicant_lands_on_a_dashboard_naming_the_campaign_and_stage(client):
    run("--scale", "0.1", "--stage", "work")
    response = client.post("/accounts/login/", {"username": "applicant", "password": settings.WUXIAO_DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/me/"
    text = client.get("/me/").content.decode()
    demo = Campaign.objects.get(slug=build.DEMO_CAMPAIGN_SLUG)
    assert "您好，韦晓明" in text
    assert demo.title in text
    assert "第三阶段 · 项目攻关" in text
    assert all("2024年" not in s.description for s in demo.stages.all())
