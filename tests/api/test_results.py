"""评审结果 through the API: the 获奖名单 is public once published (no token needed) and holds only
what the public results page shows; before publication it is 404 to everyone; the committee
reads the award sheet at any stage, everyone else is refused."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import messages
from tests.awards.test_services import forwarded, propose
from wuxiao.awards import services
from wuxiao.awards.models import Award, AwardLevel
from wuxiao.projects.models import Project, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten(campaign, unit_a, unit_b):
    projects = forwarded(campaign, unit_a, 6) + forwarded(campaign, unit_b, 4, start=6)
    Project.objects.filter(pk=projects[0].pk).update(leader_phone="13877212345", leader_birth_date=date(1995, 5, 6))
    TeamMember.objects.create(
        project=projects[0], name="韦一鸣", gender="M", birth_date=date(1996, 1, 1), education="bachelor"
    )
    return projects


@pytest.fixture
def proposed(campaign, alice_committee, ten):
    propose(campaign, alice_committee, ten, specials=1)
    return ten


@pytest.fixture
def published(campaign, alice_committee, proposed):
    services.lock_results(campaign=campaign, by=alice_committee)
    services.publish_results(campaign=campaign, by=alice_committee)
    return proposed


def test_nothing_is_public_before_publication(anonymous, api_as, campaign, alice_committee, proposed, mallory):
    for api in (anonymous, api_as(mallory), api_as(alice_committee)):
        assert api.get("/results").json()["count"] == 0
        response = api.get(f"/results/{campaign.pk}")
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"
    services.lock_results(campaign=campaign, by=alice_committee)  # locked is not yet published
    assert anonymous.get(f"/results/{campaign.pk}").status_code == 404
    assert anonymous.get("/results/999999").status_code == 404


def test_the_published_list_is_public_and_holds_only_public_fields(anonymous, campaign, published):
    campaigns = anonymous.get("/results").json()
    assert [c["id"] for c in campaigns["items"]] == [campaign.pk]
    assert campaigns["items"][0]["published_at"] is not None
    response = anonymous.get(f"/results/{campaign.pk}", {"page_size": 100})
    assert response.status_code == 200
    page = response.json()
    prizes = Award.objects.filter(sheet__campaign=campaign).exclude(level=AwardLevel.NONE)
    assert page["count"] == prizes.count() > 0
    order = list(AwardLevel.values)
    levels = [row["level"] for row in page["items"]]
    assert levels == sorted(levels, key=order.index) and levels[0] == "special"
    assert "none" not in levels
    first = next(row for row in page["items"] if row["project_id"] == published[0].pk)
    assert set(first) == {"project_id", "name", "unit", "category", "achievement_form", "level", "level_label", "team"}
    assert first["unit"] == "示例机械有限公司" and first["team"] == ["负责人0", "韦一鸣"]
    assert first["level_label"] == "特等奖"
    text = json.dumps(page, ensure_ascii=False)
    award = Award.objects.get(project=published[0])
    for secret in ("13877212345", "1995-05-06", "1996-01-01", award.certificate_number, "score", "rank"):
        assert secret not in text, secret


def test_the_published_list_filters_by_level_and_pages(anonymous, campaign, published):
    thirds = anonymous.get(f"/results/{campaign.pk}", {"level": "third"}).json()
    assert thirds["count"] == Award.objects.filter(sheet__campaign=campaign, level="third").count()
    assert {row["level"] for row in thirds["items"]} == {"third"}
    page2 = anonymous.get(f"/results/{campaign.pk}", {"page": 2, "page_size": 2}).json()
    page1 = anonymous.get(f"/results/{campaign.pk}", {"page": 1, "page_size": 2}).json()
    assert len(page2["items"]) == 2 and not {r["project_id"] for r in page1["items"]} & {
        r["project_id"] for r in page2["items"]
    }
    wrong = anonymous.get(f"/results/{campaign.pk}", {"level": "none"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "level"


def test_the_published_list_costs_the_same_queries_for_more_rows(anonymous, campaign, published):
    with CaptureQueriesContext(connection) as many:
        assert len(anonymous.get(f"/results/{campaign.pk}", {"page_size": 100}).json()["items"]) >= 4
    with CaptureQueriesContext(connection) as few:
        assert len(anonymous.get(f"/results/{campaign.pk}", {"page_size": 1}).json()["items"]) == 1
    assert len(many) == len(few)


def test_the_committee_reads_the_draft_sheet(api_as, campaign, alice_committee, proposed):
    api = api_as(alice_committee)
    response = api.get(f"/campaigns/{campaign.pk}/award-sheet", {"page_size": 100})
    assert response.status_code == 200, response.content
    sheet = response.json()
    assert sheet["status"] == "draft" and sheet["status_label"] == "评定中"
    assert sheet["total"] == 10 and sheet["count"] == 10 and sheet["specials"] == 1
    assert sum(sheet["level_counts"].values()) == 10
    assert [row["rank"] for row in sheet["items"]] == sorted(row["rank"] for row in sheet["items"])
    assert {row["project_id"] for row in sheet["items"]} == {p.pk for p in proposed}
    assert all(row["certificate_number"] is None for row in sheet["items"])


@pytest.mark.parametrize(
    "who", ["bob_unit_admin", "dan_district_admin", "carol_applicant", "dave_expert", "eve_other_unit_admin", "mallory"]
)
def test_everyone_else_is_refused_the_sheet(request, api_as, campaign, proposed, who):
    response = api_as(request.getfixturevalue(who)).get(f"/campaigns/{campaign.pk}/award-sheet")
    assert response.status_code == 403
    assert messages(response) == ["只有组委会办公室可以查看奖项评定表"]


def test_the_anonymous_are_refused_the_sheet(anonymous, campaign, proposed):
    assert anonymous.get(f"/campaigns/{campaign.pk}/award-sheet").status_code == 401


def test_no_sheet_yet_is_404_for_the_committee(api_as, campaign, alice_committee):
    assert api_as(alice_committee).get(f"/campaigns/{campaign.pk}/award-sheet").status_code == 404
