"""The statistics pages: who may see which organisation's numbers, what the pages and
downloads carry, and that a dashboard's query count does not grow with the projects."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import OrgKind, UserFactory, make_org
from tests.unitflow import make_project
from wuxiao.documents.models import ExportJob, JobStatus
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def stats_urls(org):
    return [
        reverse("console:stats", args=[org.pk]),
        reverse("console:stats_xlsx", args=[org.pk]),
        reverse("console:stats_screen", args=[org.pk]),
        reverse("console:stats_screen_data", args=[org.pk]),
    ]


def report(client, org, fmt, capture, query=""):
    """Ask for the report (a background job, run at once in tests) and download it."""
    with capture(execute=True):
        response = client.post(reverse("console:stats_report", args=[org.pk, fmt]) + query)
    assert response.status_code == 302, response.status_code
    job = ExportJob.objects.latest("pk")
    assert response.url == reverse("console:documents_job", args=[job.pk])
    assert job.status == JobStatus.DONE, job.error
    return client.get(reverse("console:documents_job_download", args=[job.pk]))


@pytest.mark.parametrize(
    ("who", "org", "expected"),
    [
        ("bob_unit_admin", "unit_b", 404),
        ("bob_unit_admin", "district", 404),
        ("bob_unit_admin", "committee", 404),
        ("eve_other_unit_admin", "unit_a", 404),
        ("dan_district_admin", "other_district", 404),
        ("dan_district_admin", "unit_b", 404),
        ("dan_district_admin", "committee", 404),
        ("carol_applicant", "unit_a", 403),
        ("dave_expert", "other_district", 403),
        ("mallory", "unit_a", 403),
    ],
)
def test_refused(request, client_for, city, who, org, expected):
    client = client_for(request.getfixturevalue(who))
    organisation = request.getfixturevalue(org)
    for url in stats_urls(organisation):
        assert client.get(url).status_code == expected, url
    assert client.post(reverse("console:stats_report", args=[organisation.pk, "pdf"])).status_code == expected
    assert not ExportJob.objects.exists()


def test_anonymous_goes_to_sign_in(client, city, unit_a):
    for url in stats_urls(unit_a):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("who", "org"),
    [
        ("bob_unit_admin", "unit_a"),
        ("dan_district_admin", "district"),
        ("dan_district_admin", "unit_a"),
        ("alice_committee", "committee"),
        ("alice_committee", "unit_b"),
    ],
)
def test_allowed(request, client_for, city, who, org):
    client = client_for(request.getfixturevalue(who))
    for url in stats_urls(request.getfixturevalue(org)):
        assert client.get(url).status_code == 200, url


def test_unit_admin_sees_only_its_units_numbers(client_for, city, bob_unit_admin, unit_a):
    client = client_for(bob_unit_admin)
    assert client.get(reverse("console:stats_home")).url == reverse("console:stats", args=[unit_a.pk])
    response = client.get(reverse("console:stats", args=[unit_a.pk]))
    assert [n["value"] for n in response.context["numbers"]] == [3, 5, 1, 1, 27.5]
    text = response.content.decode()
    assert "示例化工有限公司团委" not in text and "反应釜温控优化" not in text
    data = client.get(reverse("console:stats_screen_data", args=[unit_a.pk])).json()
    assert [r["name"] for r in data["recent"]] == ["送料装置改进"]


def test_dashboard_page_carries_each_payload_and_its_table(client_for, city, alice_committee, committee, campaign):
    response = client_for(alice_committee).get(reverse("console:stats", args=[committee.pk]))
    text = response.content.decode()
    for payload, _table, dom_id in response.context["charts"]:
        start = text.index(f'<script id="{dom_id}" type="application/json">') + len(
            f'<script id="{dom_id}" type="application/json">'
        )
        assert json.loads(text[start : text.index("</script>", start)]) == payload
        assert f'data-chart="{dom_id}"' in text
    assert "vendor/echarts/echarts.min.js" in text
    # The units table: counts link to the project list of that unit and state.
    unit_a = city["a_forwarded"].unit
    assert f"?campaign={campaign.pk}&amp;unit={unit_a.pk}&amp;state=forwarded" in text
    assert "1 / 5" in text


def test_filters_reach_the_downloads(client_for, city, alice_committee, committee, campaign):
    client = client_for(alice_committee)
    response = client.get(
        reverse("console:stats", args=[committee.pk]), {"date_from": "2024-04-02", "date_to": "2024-04-10"}
    )
    assert response.context["numbers"][0]["value"] == 3
    assert "date_from=2024-04-02&amp;date_to=2024-04-10" in response.content.decode()
    bad = client.get(
        reverse("console:stats", args=[committee.pk]), {"date_from": "2024-05-01", "date_to": "2024-04-01"}
    )
    assert "日期范围有误：开始日期 2024-05-01 晚于结束日期 2024-04-01" in bad.content.decode()


def test_numbers_workbook(client_for, city, alice_committee, committee):
    response = client_for(alice_committee).get(reverse("console:stats_xlsx", args=[committee.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb["关键数据"].iter_rows(min_row=3, values_only=True))
    assert [r[:3] for r in rows] == [
        ("项目总数", 6, "项"),
        ("参与人数", 9, "人"),
        ("参与单位", 3, "个"),
        ("已上报组委会", 2, "项"),
        ("经济效益合计", 50, "万元"),
    ]
    cats = list(wb["按项目类别"].iter_rows(values_only=True))
    assert cats[0] == ("项目类别", "项目数（项）")
    assert cats[1:4] == [("机械", 2), ("化工", 3), ("电子", 1)]


def test_report_pdf_reads_back(client_for, city, alice_committee, committee, django_capture_on_commit_callbacks):
    response = report(client_for(alice_committee), committee, "pdf", django_capture_on_commit_callbacks)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for words in ("统计报告", "项目总数", "6 项", "经济效益合计", "50.0 万元", "按项目类别", "每百名青工参与人数"):
        assert words in text, words
    # WeasyPrint shares one resource dictionary between pages: count distinct pictures.
    images = {image.name for page in reader.pages for image in page.images}
    assert len(images) == 7  # stage, state, category, form, benefit, children, participation


def test_report_docx_reads_back(client_for, city, dan_district_admin, district, django_capture_on_commit_callbacks):
    response = report(client_for(dan_district_admin), district, "docx", django_capture_on_commit_callbacks)
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "城中区团委" in text and "（三）按项目类别" in text
    first = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert first == [
        ["指标", "数值"],
        ["项目总数", "4 项"],
        ["参与人数", "6 人"],
        ["参与单位", "2 个"],
        ["已上报组委会", "1 项"],
        ["经济效益合计", "27.5 万元"],
    ]
    assert len(doc.inline_shapes) == 7


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["console:stats", "console:stats_screen_data", "console:stats_screen"])
def test_query_count_does_not_grow_with_projects(client_for, city, results, alice_committee, committee, district, name):
    """Nor with review assignments and awards (the review and award charts). Each count is
    of a first view: adding projects changes the cache version."""
    from wuxiao.awards.models import Award, AwardLevel
    from wuxiao.reviews.models import Assignment, Review, ReviewRound

    client = client_for(alice_committee)
    url = reverse(name, args=[committee.pk])
    few = count(client, url)
    leader, expert = UserFactory(), UserFactory()
    first_round = ReviewRound.objects.get(campaign=results.campaign, number=1)
    for i in range(15):
        unit = make_org(f"新单位{i}", OrgKind.ENTERPRISE, district)
        project = make_project(
            committee_campaign(city), unit, leader, state=S.FORWARDED, category="其他", achievement_form="小建议"
        )
        assignment = Assignment.objects.create(round=first_round, project=project, expert=expert)
        Review.objects.create(assignment=assignment, submitted_at=project.created_at if i % 2 else None)
        Award.objects.create(
            sheet=results, project=project, rank=10 + i, proposed_level=AwardLevel.THIRD, level=AwardLevel.THIRD
        )
    assert count(client, url) == few


def test_the_dashboard_reads_the_kept_counts_and_a_date_range_the_cache(
    client_for, city, results, alice_committee, committee
):
    """Without dates the counts are the database's kept rows: the projects are never grouped.
    With a date range they are grouped once, then read from the cache while nothing changed."""
    client = client_for(alice_committee)
    url = reverse("console:stats", args=[committee.pk])
    grouping = 'SUM("projects_project"."economic_benefit")'
    with CaptureQueriesContext(connection) as plain:
        plain_page = client.get(url)
    sql = [q["sql"] for q in plain.captured_queries]
    assert not [s for s in sql if grouping in s]
    assert [s for s in sql if "stats_unitstatecount" in s]
    assert {n["label"]: n["value"] for n in plain_page.context["numbers"]}["项目总数"] == 6

    dated = f"{url}?date_from=2024-04-01&date_to=2024-04-30"
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(dated)
    with CaptureQueriesContext(connection) as again:
        second_page = client.get(dated)
    assert len([q for q in first.captured_queries if grouping in q["sql"]]) == 1
    assert not [q for q in again.captured_queries if grouping in q["sql"]]
    assert len(again.captured_queries) < len(first.captured_queries)
    assert second_page.context["numbers"] == first_page.context["numbers"]
    assert [c for c, _t, _d in second_page.context["charts"]] == [c for c, _t, _d in first_page.context["charts"]]


def committee_campaign(city):
    return city["a_submitted"].campaign


def test_project_list_filters_by_campaign_and_unit(client_for, city, alice_committee, campaign, unit_a):
    from datetime import date

    from wuxiao.campaigns.models import Campaign

    later = Campaign.objects.create(
        slug="liuzhou-2025",
        title="2025年活动",
        year=2025,
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 12, 31),
        is_current=True,
    )
    make_project(later, unit_a, UserFactory(), name="二〇二五年项目")
    client = client_for(alice_committee)
    names = lambda r: {p.name for p in r.context["page"]}  # noqa: E731
    assert names(client.get(reverse("console:projects"))) == {"二〇二五年项目"}
    everything = client.get(reverse("console:projects"), {"campaign": "all"})
    text = everything.content.decode()
    assert len(names(everything)) == 7 and "<td>2025年</td>" in text and "<td>2024年</td>" in text  # the column
    only_a = client.get(reverse("console:projects"), {"campaign": campaign.pk, "unit": unit_a.pk})
    assert len(names(only_a)) == 3 and only_a.context["unit"] == unit_a


def test_a_district_switches_between_the_current_and_the_2024_campaign(
    client_for, city, dan_district_admin, district, campaign, unit_a
):
    """The dashboard opens on the current campaign; its 竞赛活动 list offers the earlier one, and
    the units table's counts then link to that campaign's project list."""
    from datetime import date

    from wuxiao.campaigns.models import Campaign

    Campaign.objects.update(is_current=False)
    later = Campaign.objects.create(
        slug="liuzhou-2025", title="2025年活动", year=2025, starts_on=date(2025, 3, 1), ends_on=date(2025, 12, 31),
        is_current=True,
    )  # fmt: skip
    client = client_for(dan_district_admin)
    url = reverse("console:stats", args=[district.pk])
    response = client.get(url)
    assert response.context["campaign"] == later
    options = response.content.decode().split('name="campaign"')[1].split("</select>")[0]
    assert "2025年活动" in options and campaign.title in options
    assert f"?campaign={campaign.pk}&amp;unit={unit_a.pk}" not in response.content.decode()
    response = client.get(url, {"campaign": campaign.pk})
    assert response.context["campaign"] == campaign
    assert f"?campaign={campaign.pk}&amp;unit={unit_a.pk}" in response.content.decode()


def test_the_units_table_pages_the_units_in_tree_order(client_for, city, alice_committee, committee, district, unit_b):
    """各单位进展 shows 20 units a page, in the tree's order, each with its own counts; an
    inactive unit is not listed."""
    client = client_for(alice_committee)
    url = reverse("console:stats", args=[committee.pk])
    before = client.get(url).context["page"].paginator.count
    assert before < 20
    for i in range(40 - before):
        make_org(f"分页单位{i:02d}", OrgKind.ENTERPRISE, district)
    make_org("已停用单位", OrgKind.ENTERPRISE, district, is_active=False)
    first, second = client.get(url), client.get(url, {"page": 2})
    names = [[r["unit"].name for r in page.context["rows"]] for page in (first, second)]
    assert (len(names[0]), len(names[1]), first.context["page"].paginator.num_pages) == (20, 20, 2)
    everything = names[0] + names[1]
    assert "已停用单位" not in everything and len(set(everything)) == 40
    paths = [r["unit"].path for page in (first, second) for r in page.context["rows"]]
    assert paths == sorted(paths)
    # a page number typed by hand: not a number → the first page, past the end → the last
    assert [r["unit"].name for r in client.get(url, {"page": "abc"}).context["rows"]] == names[0]
    assert [r["unit"].name for r in client.get(url, {"page": 999}).context["rows"]] == names[1]
    row_b = next(r for page in (first, second) for r in page.context["rows"] if r["unit"] == unit_b)
    assert (row_b["total"], row_b["forwarded"]) == (2, 1)
    assert f"?campaign={city['b_forwarded'].campaign_id}&amp;unit={unit_b.pk}&amp;state=forwarded" in (
        first.content.decode() + second.content.decode()
    )
