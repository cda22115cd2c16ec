"""The public showcase: published results, the gallery and public project pages show what the
committee published and nothing else — crawled link by link from the home page."""

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urljoin

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.awards.test_services import forwarded, propose
from tests.factories import stored_file
from wuxiao.awards import services
from wuxiao.awards.models import Award
from wuxiao.projects.models import Attachment, FilePurpose, Project, TeamMember
from wuxiao.projects.states import ProjectState
from wuxiao.publication import services as publishing

PHONE = "13877299999"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def city(campaign, alice_committee, unit_a, unit_b, carol_applicant):
    """Ten forwarded projects, published; plus a draft, an unpublished project of the same unit,
    phones and birth dates everywhere."""
    projects = forwarded(campaign, unit_a, 6) + forwarded(campaign, unit_b, 4, start=6)
    for p in projects:
        Project.objects.filter(pk=p.pk).update(
            leader_phone=PHONE,
            leader_birth_date=date(1995, 3, 12),
            content="该装置将送料时间由40秒缩短至12秒。" * 3,
            category="机械",
            achievement_form="小革新",
            economic_benefit=Decimal("18.50"),
        )
    TeamMember.objects.create(
        project=projects[0], name="韦一鸣", gender="M", birth_date=date(1996, 7, 21), education="本科"
    )
    draft = Project.objects.create(
        campaign=campaign, unit=unit_a, leader=carol_applicant, created_by=carol_applicant, name="草稿里的秘密项目",
        leader_phone=PHONE,
    )  # fmt: skip
    waiting = Project.objects.create(
        campaign=campaign, unit=unit_a, leader=carol_applicant, created_by=carol_applicant, name="单位尚未上报的项目",
        state=ProjectState.UNIT_APPROVED,
    )  # fmt: skip
    propose(campaign, alice_committee, projects, specials=0)
    services.lock_results(campaign=campaign, by=alice_committee)
    services.publish_results(campaign=campaign, by=alice_committee)
    return {"projects": projects, "draft": draft, "waiting": waiting}


def crawl(client, start="/"):
    """Every same-site page reachable from `start` without signing in (bounded)."""
    seen, todo, pages = set(), [start], {}
    while todo and len(seen) < 200:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        for href in re.findall(r'href="([^"#]+)"', html):
            link = urljoin(url, href.replace("&amp;", "&"))
            if link.startswith("/") and not link.startswith(("/static/", "/accounts/", "/portal/", "/console/")):
                todo.append(link)
    return pages


def test_public_pages_show_the_prizes_and_leak_nothing(client, city, campaign):
    pages = crawl(client)
    assert reverse("showcase:results", args=[campaign.slug]) in pages
    gallery = reverse("showcase:gallery", args=[campaign.slug])
    assert gallery in pages
    public = [u for u in pages if u.startswith("/showcase/projects/")]
    assert len(public) == 8  # 10 forwarded: 1 一等奖 + 2 二等奖 + 5 三等奖
    everything = "\n".join(pages.values())
    for secret in (
        PHONE,
        "138****9999",
        "1995-03-12",
        "1995年3月12日",
        "1996-07-21",
        "草稿里的秘密项目",
        "单位尚未上报的项目",
    ):
        assert secret not in everything
    assert "韦一鸣" in everything  # the team is public by default
    # 单位 is the employer, as the notice's forms mean it, not its league organisation
    results = pages[reverse("showcase:results", args=[campaign.slug])]
    assert "示例机械有限公司" in results and "有限公司团委" not in everything
    by_unit = results.split('<h2 class="h6">各单位获奖情况</h2>')[1]
    assert "一等奖 1 项" in by_unit and "三等奖 3 项" in by_unit  # whole words, not "一1 三3"
    assert "项目09" not in everything  # the 9th and 10th won nothing and were not made public


def test_a_campaign_whose_results_are_not_published_shows_nothing(client, campaign, alice_committee, unit_a):
    projects = forwarded(campaign, unit_a, 10)
    propose(campaign, alice_committee, projects, specials=0)
    services.lock_results(campaign=campaign, by=alice_committee)
    assert client.get(reverse("showcase:results", args=[campaign.slug])).status_code == 404
    assert client.get(reverse("showcase:gallery", args=[campaign.slug])).status_code == 404
    assert client.get(reverse("showcase:project", args=[projects[0].pk])).status_code == 404
    assert "评审结果" not in client.get("/").content.decode()


def test_the_committee_hides_shows_and_rewrites_without_touching_the_form(client, city, alice_committee, campaign):
    first, last = city["projects"][0], city["projects"][9]
    publishing.save_entry(
        project=first, by=alice_committee, visible=False, summary="", show_team=True, show_benefit=False
    )
    publishing.save_entry(
        project=last,
        by=alice_committee,
        visible=True,
        summary="公开的简介，由组委会审定。",
        show_team=False,
        show_benefit=True,
    )
    assert client.get(reverse("showcase:project", args=[first.pk])).status_code == 404
    html = client.get(reverse("showcase:project", args=[last.pk])).content.decode()
    assert "公开的简介，由组委会审定。" in html and "负责人9" not in html and "创造效益：</strong>18.50 万元" in html
    last.refresh_from_db()
    assert last.content.startswith("该装置")  # the 申报表 is unchanged
    # The prize list stays complete: a 获奖名单 is public by nature.
    assert "项目00" in client.get(reverse("showcase:results", args=[campaign.slug])).content.decode()


def test_only_chosen_images_of_public_projects_are_served(client, city, alice_committee, carol_applicant):
    project = city["projects"][0]
    image = Attachment.objects.create(
        project=project,
        stored=stored_file(project, FilePurpose.ATTACHMENT, "现场.png", PNG, "image/png", project.leader),
    )
    other = Attachment.objects.create(
        project=project,
        stored=stored_file(project, FilePurpose.ATTACHMENT, "未选.png", PNG, "image/png", project.leader),
    )
    assert client.get(reverse("showcase:image", args=[image.pk])).status_code == 404
    publishing.save_entry(
        project=project,
        by=alice_committee,
        visible=True,
        summary="",
        show_team=True,
        show_benefit=False,
        images=[image],
    )
    assert client.get(reverse("showcase:image", args=[image.pk])).status_code == 200
    assert client.get(reverse("showcase:image", args=[other.pk])).status_code == 404
    assert (
        f'src="{reverse("showcase:image", args=[image.pk])}"'
        in client.get(reverse("showcase:project", args=[project.pk])).content.decode()
    )


@pytest.mark.parametrize("who", ["bob_unit_admin", "dan_district_admin", "carol_applicant", "mallory"])
def test_only_the_committee_chooses_what_goes_public(request, client_for, city, who):
    from django.core.exceptions import PermissionDenied

    user = request.getfixturevalue(who)
    project = city["projects"][0]
    with pytest.raises(PermissionDenied):
        publishing.save_entry(project=project, by=user, visible=False, summary="x", show_team=True, show_benefit=True)
    client = client_for(user)
    assert client.get(reverse("console:publication")).status_code == 403
    assert client.post(reverse("console:publication_edit", args=[project.pk]), {"summary": "x"}).status_code == 403


def test_public_pages_are_cached_and_a_change_is_seen_at_once(
    client, city, alice_committee, campaign, django_capture_on_commit_callbacks
):
    url = reverse("showcase:gallery", args=[campaign.slug])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url).status_code == 200
    assert len(cached) <= 2  # the session check at most; the page itself comes from the cache
    project = city["projects"][1]
    with django_capture_on_commit_callbacks(execute=True):
        publishing.save_entry(
            project=project,
            by=alice_committee,
            visible=True,
            summary="刚刚修改的公开简介",
            show_team=True,
            show_benefit=False,
        )
    assert "刚刚修改的公开简介" in client.get(url).content.decode()


def test_gallery_filters_and_query_count(client, city, campaign, alice_committee):
    url = reverse("showcase:gallery", args=[campaign.slug])
    html = client.get(url, {"level": "first"}).content.decode()
    assert "项目00" in html and "项目01" not in html
    html = client.get(url, {"q": "项目0"}).content.decode()
    assert "项目05" in html
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "项目"})
    for p in forwarded(campaign, Award.objects.first().project.unit, 5, start=50):
        publishing.save_entry(
            project=p, by=alice_committee, visible=True, summary="新增", show_team=True, show_benefit=False
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"q": "项目", "page": "1"})
    assert "项目50" in client.get(url, {"q": "项目5"}).content.decode()
    assert len(many) == len(few)


def test_each_prize_in_the_results_links_its_public_page_unless_the_committee_hid_it(
    client, city, campaign, alice_committee
):
    from wuxiao.publication.services import save_entry

    first, second = city["projects"][0], city["projects"][1]
    save_entry(project=second, by=alice_committee, visible=False, summary="", show_team=True, show_benefit=True)
    results = client.get(reverse("showcase:results", args=[campaign.slug])).content.decode()
    assert f'href="{reverse("showcase:project", args=[first.pk])}"' in results
    assert reverse("showcase:project", args=[second.pk]) not in results
    assert second.name in results  # the 获奖名单 itself stays complete
    assert client.get(reverse("showcase:project", args=[second.pk])).status_code == 404
