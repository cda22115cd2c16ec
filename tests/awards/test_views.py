"""Award pages and downloads as each role meets them; the public certificate check; refused users."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.awards.test_services import forwarded, propose
from tests.factories import UserFactory, grant, make_project
from wuxiao.awards import queries as aq
from wuxiao.awards import services
from wuxiao.awards.models import Award, AwardLevel
from wuxiao.campaigns.models import Participation
from wuxiao.people.models import Role
from wuxiao.projects.models import Project, TeamMember


@pytest.fixture
def published(campaign, alice_committee, unit_a, unit_b):
    projects = forwarded(campaign, unit_a, 6, willing=True) + forwarded(campaign, unit_b, 4, start=6)
    TeamMember.objects.create(
        project=projects[0], name="韦一鸣", gender="M", birth_date=date(1996, 1, 1), education="本科"
    )
    propose(campaign, alice_committee, projects, specials=1)
    services.lock_results(campaign=campaign, by=alice_committee)
    services.publish_results(campaign=campaign, by=alice_committee)
    return projects


def test_leader_sees_the_award_and_downloads_the_certificate(client_for, published):
    leader = published[0].leader
    client = client_for(leader)
    page = client.get(reverse("portal:project_detail", args=[published[0].pk]))
    award = Award.objects.get(project=published[0])
    assert "本项目荣获 <strong>特等奖</strong>" in page.content.decode()
    assert award.certificate_number in page.content.decode()
    response = client.get(reverse("portal:project_certificate", args=[published[0].pk]))
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text().replace(" ", "")
    assert "荣誉证书" in text and "特等奖" in text and award.certificate_number in text
    assert "负责人0、韦一鸣：你们的项目" in text.replace("\n", "")
    assert "（示例机械有限公司）" in text.replace("\n", "")  # the employer, not "…团委"


def test_the_dashboard_says_what_came_of_the_review_once_results_are_published(client_for, published):
    """Not "评审在第五阶段" any more: the prize and where the certificate is, or no prize."""
    awarded = client_for(published[0].leader).get(reverse("portal:dashboard")).content.decode()
    assert "下一步：荣获特等奖，可在项目页下载获奖证书" in awarded and "评审在第五阶段" not in awarded
    assert Award.objects.get(project=published[9]).level == AwardLevel.NONE
    none = client_for(published[9].leader).get(reverse("portal:projects")).content.decode()
    assert "评审结果已发布，本项目未获奖" in none


def test_a_leader_alone_is_addressed_as_one_person_on_the_certificate(client_for, published):
    alone = published[1]
    assert not alone.members.exists()
    response = client_for(alone.leader).get(reverse("portal:project_certificate", args=[alone.pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert f"{alone.leader_name}：你的项目《{alone.name}》" in text and "你们" not in text


def test_no_award_shows_before_publication(client_for, campaign, alice_committee, unit_a):
    projects = forwarded(campaign, unit_a, 10)
    propose(campaign, alice_committee, projects, specials=0)
    client = client_for(projects[0].leader)
    page = client.get(reverse("portal:project_detail", args=[projects[0].pk])).content.decode()
    assert "本项目荣获" not in page
    assert client.get(reverse("portal:project_certificate", args=[projects[0].pk])).status_code == 404
    number_free = Award.objects.get(project=projects[0])
    assert number_free.certificate_number is None


def test_another_applicant_cannot_download_a_certificate(client_for, published, carol_applicant, mallory):
    for user in (carol_applicant, mallory):
        response = client_for(user).get(reverse("portal:project_certificate", args=[published[0].pk]))
        assert response.status_code == 404


def test_public_check_confirms_a_certificate_with_the_name_masked(client, published):
    award = Award.objects.get(project=published[0])
    page = client.get(reverse("showcase:certificate", args=[award.certificate_number]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "证书有效" in html and "项目00" in html and "特等奖" in html
    assert "负**0" in html and "负责人0" not in html
    assert page["X-Robots-Tag"] == "noindex"
    forged = client.get(reverse("showcase:certificate", args=["WX2024-000001-ABCDEF"]))
    assert forged.status_code == 404 and "未找到编号" in forged.content.decode()


def test_the_public_types_a_certificate_number_and_lands_on_its_check(client, published):
    """For whoever cannot scan the QR code: 证书查验 in the menu, a number typed by hand (spaces,
    lower case) leads to the page the QR code opens."""
    award = Award.objects.get(project=published[0])
    form = client.get(reverse("showcase:certificate_check"))
    assert form.status_code == 200 and 'name="number"' in form.content.decode()
    assert "未找到编号" not in form.content.decode()
    assert reverse("showcase:certificate_check") in client.get(reverse("showcase:home")).content.decode()
    typed = client.get(reverse("showcase:certificate_check"), {"number": f"  {award.certificate_number.lower()} "})
    assert typed.status_code == 302
    assert typed["Location"] == reverse("showcase:certificate", args=[award.certificate_number])
    odd = client.get(reverse("showcase:certificate_check"), {"number": "WX/2024"})
    assert odd.status_code == 200 and "未找到编号为“WX/2024”" in odd.content.decode()


def test_an_unpublished_number_does_not_verify(client, campaign, alice_committee, unit_a):
    projects = forwarded(campaign, unit_a, 10)
    propose(campaign, alice_committee, projects, specials=0)
    Award.objects.filter(project=projects[0]).update(certificate_number="WX2024-TEST-000001")
    assert client.get(reverse("showcase:certificate", args=["WX2024-TEST-000001"])).status_code == 404


def test_results_lists_download_with_the_notice_wording(client_for, published, alice_committee, bob_unit_admin):
    response = client_for(alice_committee).get(reverse("console:awards_export", args=["results.xlsx"]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "2024年柳州市青年岗位科技“五小”竞赛活动获奖名单"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [r[1] for r in rows] == [
        "特等奖",
        "一等奖",
        "二等奖",
        "二等奖",
        "三等奖",
        "三等奖",
        "三等奖",
        "三等奖",
        "三等奖",
    ]
    assert rows[0][2:6] == ["项目00", "示例机械有限公司", "负责人0", "韦一鸣"]  # the employer, not its league
    # Unit admins may download the published list; the 能手 list (personal data) is the committee's.
    assert client_for(bob_unit_admin).get(reverse("console:awards_export", args=["results.docx"])).status_code == 200
    assert client_for(bob_unit_admin).get(reverse("console:awards_export", args=["talents.xlsx"])).status_code == 403


def test_talent_list_has_the_leaders_of_special_and_first_prizes(client_for, published, alice_committee):
    rows = aq.talent_list(aq.sheet_of(published[0].campaign))
    assert [(r.name, r.level, r.unit) for r in rows] == [
        ("负责人0", "特等奖", "示例机械有限公司"),
        ("负责人1", "一等奖", "示例机械有限公司"),
    ]
    page = client_for(alice_committee).get(reverse("console:talents")).content.decode()
    assert "负责人1" in page and "下载名单" in page


def test_unit_admin_sees_only_its_own_published_prizes(client_for, published, bob_unit_admin, eve_other_unit_admin):
    bob = client_for(bob_unit_admin).get(reverse("console:awards_results")).content.decode()
    assert "项目00" in bob and "项目06" not in bob
    eve = client_for(eve_other_unit_admin).get(reverse("console:awards_results")).content.decode()
    assert "项目06" in eve and "项目00" not in eve
    own = Award.objects.get(project=published[0])
    other = Award.objects.get(project=published[6])
    assert client_for(bob_unit_admin).get(reverse("console:awards_certificate", args=[own.pk])).status_code == 200
    assert client_for(bob_unit_admin).get(reverse("console:awards_certificate", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("console:organisation_awards", []),
        ("console:talents", []),
        ("console:patents", []),
    ],
)
@pytest.mark.parametrize("who", ["dan_district_admin", "bob_unit_admin"])
def test_committee_pages_are_refused_to_other_admins(request, client_for, published, name, args, who):
    assert client_for(request.getfixturevalue(who)).get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("who", ["carol_applicant", "mallory", "dave_expert"])
def test_console_award_pages_are_refused_outside_the_league(request, client_for, published, who):
    client = client_for(request.getfixturevalue(who))
    for name in ("console:awards_results", "console:talents", "console:organisation_awards", "console:patents"):
        assert client.get(reverse(name)).status_code == 403
    award = Award.objects.get(project=published[0])
    assert client.get(reverse("console:awards_certificate", args=[award.pk])).status_code == 403
    assert client.post(reverse("console:awards_lock"), {"action": "unlock", "reason": "x"}).status_code == 403


def test_patent_page_tracks_progress_and_the_team_sees_it(client_for, published, alice_committee):
    client = client_for(alice_committee)
    case = published[0].patent_case
    response = client.post(
        reverse("console:patent_advance", args=[case.pk]),
        {"to": "coaching", "on": "2025-06-02", "note": "知识产权中心辅导"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "coaching"
    page = client_for(published[0].leader).get(reverse("portal:project_detail", args=[published[0].pk]))
    assert "专利申报协助" in page.content.decode() and "辅导中" in page.content.decode()


def test_organisation_metrics_on_a_known_data_set(campaign, published, unit_a, unit_b, district, alice_committee):
    Participation.objects.create(campaign=campaign, organisation=unit_a, young_workers=200)
    Participation.objects.create(campaign=campaign, organisation=unit_b, young_workers=50)
    rows = aq.organisation_metrics(campaign, [unit_a, unit_b, district], today=date(2025, 3, 1))
    a, b, d = rows
    # unit_a: 6 leaders + 1 team member on registered projects; 200 young workers → 3.5 per 100.
    assert (a.participants, a.young_workers, a.participation) == (7, 200, Decimal("3.5"))
    assert (a.registered, a.forwarded, a.quota) == (6, 6, 10)
    assert dict(a.awards) == {"special": 1, "first": 1, "second": 2, "third": 2}
    assert (b.registered, b.forwarded, b.quota, b.award_total) == (4, 4, 5, 3)
    assert (d.registered, d.award_total) == (6, 6)  # the district holds unit_a only
    # 优秀组织奖 is chosen before the results are published, and published with them.
    with pytest.raises(ValidationError, match="已发布，不能再修改"):
        services.choose_organisation_award(campaign=campaign, organisation=unit_a, by=alice_committee)


def test_organisation_metrics_are_cached_but_never_stale(campaign, published, unit_a, carol_applicant):
    """The per-unit figures are cached between changes; every kind of change is seen at once."""
    from wuxiao.projects.models import LevelChange, TeamMember, WorkRecord

    today = date(2025, 3, 1)

    def row():
        return aq.organisation_metrics(campaign, [unit_a], today=today)[0]

    before = row()
    with CaptureQueriesContext(connection) as cached:
        assert row().registered == before.registered
    project = published[0]
    TeamMember.objects.create(project=project, name="新成员", gender="M", birth_date="1998-01-01")
    assert row().participants == before.participants + 1
    make_project(campaign, unit_a, carol_applicant, state="submitted")
    assert row().registered == before.registered + 1
    key = make_project(campaign, unit_a, carol_applicant, state="accepted", level="general")
    LevelChange.objects.create(
        project=key, from_level="general", to_level="key", reason="升级", changed_by=carol_applicant
    )
    Project.objects.filter(pk=key.pk).update(level="key")  # the row written as the service writes it
    assert row().key_projects == before.key_projects + 1
    assert row().overdue_records == before.overdue_records + 1
    WorkRecord.objects.create(project=key, date=today, done="装配", created_by=carol_applicant)
    assert row().overdue_records == before.overdue_records
    assert len(cached) < 12


def test_organisation_award_page_query_count_does_not_grow(client_for, campaign, published, alice_committee, district):
    from tests.factories import OrgKind, make_org

    client = client_for(alice_committee)
    url = reverse("console:organisation_awards")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(12):
        unit = make_org(f"新增测试单位{i}团委", OrgKind.ENTERPRISE, district)
        forwarded(campaign, unit, 2, start=100 + 2 * i)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_certificate_number_is_not_guessable(published):
    numbers = list(Award.objects.exclude(level=AwardLevel.NONE).values_list("certificate_number", flat=True))
    assert all(re.fullmatch(r"WX2024-\d{6}-[0-9A-F]{6}", n) for n in numbers)
    assert len(set(n[-6:] for n in numbers)) == len(numbers)


def test_published_prizes_page_of_a_district_admin(client_for, published, dan_district_admin):
    user = UserFactory(username="zoe", real_name="邹怡")
    grant(user, published[0].unit, Role.ADMIN)
    html = client_for(dan_district_admin).get(reverse("console:awards_results")).content.decode()
    assert "项目00" in html and "项目06" not in html


@pytest.mark.parametrize(
    "to, on, message",
    [
        ("coaching", "2025-02-30", "不存在的日期：2025-02-30（2025 年 2 月只有 28 天）"),
        ("coaching", "0001-06-02", "日期 0001-06-02 应在 2000-01-01 至今天"),
        ("coaching", "2025/6/2x", "日期格式应为 2025-06-18"),
        ("bogus", "2025-06-02", "未知的专利申报状态“bogus”"),
    ],
)
def test_a_patent_step_with_an_impossible_date_or_status_is_refused_naming_it(
    client_for, published, alice_committee, to, on, message
):
    client = client_for(alice_committee)
    case = published[0].patent_case
    response = client.post(reverse("console:patent_advance", args=[case.pk]), {"to": to, "on": on}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    case.refresh_from_db()
    assert case.status == "assessing" and not case.events.exists()
