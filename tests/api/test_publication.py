"""成果发布 through the API: the committee shows or hides a forwarded project in the public
gallery with its summary and images (publication.services.save_entry, as the console's
publication_edit). Everyone else gets the console's words and nothing changes."""

from decimal import Decimal

import pytest

from tests.api.conftest import messages
from tests.factories import Role, UserFactory, attachment, grant, open_stage
from wuxiao.awards import services as awards
from wuxiao.awards.rules import Ranked
from wuxiao.people.permissions import COMMITTEE_ONLY
from wuxiao.publication.models import PublicEntry

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def locked(world, campaign, alice_committee):
    open_stage(campaign, "review")
    awards.propose_awards(
        campaign=campaign,
        by=alice_committee,
        ranking=[Ranked(world["forwarded"].pk, Decimal("90"))],
        basis="初评",
        specials=0,
    )
    awards.lock_results(campaign=campaign, by=alice_committee)
    return world["forwarded"]


@pytest.fixture
def olga_other_district_admin(other_district):
    user = UserFactory(username="olga", real_name="欧佳")
    grant(user, other_district, Role.ADMIN)
    return user


def state():
    return sorted(PublicEntry.objects.values_list("project_id", "visible", "summary"))


def entry(**extra):
    return {"visible": True, "summary": " 送料时间由 40 秒缩短至 12 秒 ", "show_team": False, **extra}


def test_the_committee_shows_and_hides_a_project(api_as, locked, alice_committee):
    api = api_as(alice_committee)
    photo = attachment(locked, "样机.png", PNG, "image/png")
    shown = api.put(f"/projects/{locked.pk}/public-entry", entry(images=[photo.pk]))
    assert shown.status_code == 200, shown.content
    row = PublicEntry.objects.get(project=locked)
    assert (row.visible, row.summary, row.show_team, row.show_benefit) == (
        True,
        "送料时间由 40 秒缩短至 12 秒",
        False,
        False,
    )
    assert list(row.images.all()) == [photo] and shown.json()["images"] == [photo.pk]
    hidden = api.put(f"/projects/{locked.pk}/public-entry", entry(visible=False))
    assert hidden.status_code == 200 and hidden.json()["visible"] is False
    row.refresh_from_db()
    assert not row.visible and not row.images.exists()


def test_the_services_rules_and_messages(api_as, world, locked, alice_committee):
    api = api_as(alice_committee)
    pdf = attachment(locked, "说明书.pdf")
    others = attachment(world["accepted"], "别的.png", PNG, "image/png")
    before = state()
    for image in (pdf, others):
        refused = api.put(f"/projects/{locked.pk}/public-entry", entry(images=[image.pk]))
        assert (refused.status_code, messages(refused)) == (422, ["只能选择本项目附件中的图片"])
    not_forwarded = api.put(f"/projects/{world['accepted'].pk}/public-entry", entry())
    assert (not_forwarded.status_code, messages(not_forwarded)) == (422, ["只有上报组委会的项目可以公开展示"])
    assert state() == before


def test_not_before_the_results_are_locked(api_as, world, alice_committee):
    refused = api_as(alice_committee).put(f"/projects/{world['forwarded'].pk}/public-entry", entry())
    assert (refused.status_code, messages(refused)) == (422, ["奖项结果锁定或发布后才能公开展示项目"])
    assert not PublicEntry.objects.exists()


@pytest.mark.parametrize(
    "who", ["olga_other_district_admin", "dan_district_admin", "bob_unit_admin", "carol_applicant", "dave_expert"]
)
def test_everyone_else_is_refused_as_on_the_console(request, api_as, locked, who):
    api = api_as(request.getfixturevalue(who))
    before = state()
    refused = api.put(f"/projects/{locked.pk}/public-entry", entry())
    assert (refused.status_code, messages(refused)) == (403, [COMMITTEE_ONLY])
    assert state() == before


def test_a_read_only_token_may_not(api_as, locked, alice_committee):
    refused = api_as(alice_committee, scope="read").put(f"/projects/{locked.pk}/public-entry", entry())
    assert refused.status_code == 403
    assert not PublicEntry.objects.exists()
