"""Review progress and award numbers on the dashboards, the workbook and the report, on the
known data set of conftest.py (`results`): exact numbers, each office's scope, and award
numbers hidden from the offices until the committee publishes them."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.stats.conftest import publish
from tests.stats.test_views import report
from wuxiao.stats.charts import Dashboard, table
from wuxiao.stats.queries import Scope

pytestmark = pytest.mark.django_db

LEVELS = ["特等奖", "一等奖", "二等奖", "三等奖"]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def by_id(charts):
    return {c["id"]: c for c in charts}


def nonzero(payload):
    """{label: [values of each series]} for the rows with any number."""
    rows = zip(payload["labels"], zip(*[s["data"] for s in payload["series"]], strict=True), strict=True)
    return {label: list(values) for label, values in rows if any(values)}


def test_committee_review_progress(results, campaign, committee):
    charts = by_id(Dashboard(Scope(org=committee, campaign=campaign)).charts())
    assert charts["review"] == {
        "id": "review",
        "title": "评审进度（评分任务）",
        "type": "bar",
        "unit": "份",
        "label": "评审轮次",
        "labels": ["初评", "复评"],
        "series": [
            {"name": "评审任务", "data": [4, 1]},
            {"name": "已评分", "data": [3, 0]},
            {"name": "未评分", "data": [1, 1], "table_only": True},
        ],
    }
    assert charts["review_projects"]["series"] == [
        {"name": "参评项目", "data": [2, 1]},
        {"name": "评分已完成", "data": [1, 0]},
    ]
    assert table(charts["review_projects"]) == {
        "head": ["评审轮次", "参评项目（项）", "评分已完成（项）"],
        "rows": [["初评", 2, 1], ["复评", 1, 0]],
    }


def test_review_progress_is_scoped(results, campaign, district, unit_b):
    district_charts = by_id(Dashboard(Scope(org=district, campaign=campaign)).charts())
    assert district_charts["review"]["series"][:2] == [
        {"name": "评审任务", "data": [2, 1]},
        {"name": "已评分", "data": [2, 0]},
    ]
    assert district_charts["review_projects"]["series"] == [
        {"name": "参评项目", "data": [1, 1]},
        {"name": "评分已完成", "data": [1, 0]},
    ]
    unit_charts = by_id(Dashboard(Scope(org=unit_b, campaign=campaign)).charts())
    assert unit_charts["review"]["series"][:2] == [
        {"name": "评审任务", "data": [2, 0]},
        {"name": "已评分", "data": [1, 0]},
    ]
    assert unit_charts["review_projects"]["series"] == [
        {"name": "参评项目", "data": [1, 0]},
        {"name": "评分已完成", "data": [0, 0]},
    ]


def test_no_review_charts_without_rounds(city, campaign, committee):
    charts = by_id(Dashboard(Scope(org=committee, campaign=campaign)).charts())
    assert "review" not in charts and "award_level" not in charts


def test_committee_sees_award_numbers_before_publication(results, campaign, committee):
    charts = by_id(Dashboard(Scope(org=committee, campaign=campaign), unpublished_awards=True).charts())
    assert charts["award_level"]["title"] == "获奖数（按奖项等级）（未发布）"
    assert charts["award_level"]["labels"] == LEVELS
    assert charts["award_level"]["series"] == [{"name": "获奖项目数", "data": [0, 1, 1, 1]}]
    children = charts["award_children"]
    assert [s["name"] for s in children["series"]] == [*LEVELS, "合计"]
    assert nonzero(children) == {"城中区团委": [0, 1, 0, 1, 2], "鱼峰区团委": [0, 0, 1, 0, 1]}


def test_offices_see_award_numbers_only_once_published(results, campaign, district, unit_a):
    for org in (district, unit_a):
        assert "award_level" not in by_id(Dashboard(Scope(org=org, campaign=campaign)).charts())
    publish(results)
    district_charts = by_id(Dashboard(Scope(org=district, campaign=campaign)).charts())
    assert district_charts["award_level"]["title"] == "获奖数（按奖项等级）"
    assert district_charts["award_level"]["series"] == [{"name": "获奖项目数", "data": [0, 1, 0, 1]}]
    assert nonzero(district_charts["award_children"]) == {"示例机械有限公司团委": [0, 1, 0, 1, 2]}
    unit_charts = by_id(Dashboard(Scope(org=unit_a, campaign=campaign)).charts())
    assert unit_charts["award_level"]["series"] == [{"name": "获奖项目数", "data": [0, 1, 0, 1]}]
    assert "award_children" not in unit_charts


# ---- the pages and the downloads


def chart_ids(response):
    return [payload["id"] for payload, _t, _dom in response.context["charts"]]


def test_pages_hide_unpublished_awards_from_offices(
    client_for, results, alice_committee, dan_district_admin, bob_unit_admin, committee, district, unit_a
):
    committee_page = client_for(alice_committee).get(reverse("console:stats", args=[district.pk]))
    assert "award_level" in chart_ids(committee_page)
    assert "获奖数（按奖项等级）（未发布）" in committee_page.content.decode()
    for user, org in ((dan_district_admin, district), (bob_unit_admin, unit_a)):
        page = client_for(user).get(reverse("console:stats", args=[org.pk]))
        assert "review" in chart_ids(page)
        assert "award_level" not in chart_ids(page) and "获奖数" not in page.content.decode()
        wb = load_workbook(io.BytesIO(client_for(user).get(reverse("console:stats_xlsx", args=[org.pk])).content))
        assert not [name for name in wb.sheetnames if "获奖" in name]
    publish(results)
    page = client_for(bob_unit_admin).get(reverse("console:stats", args=[unit_a.pk]))
    award = by_id([p for p, _t, _d in page.context["charts"]])["award_level"]
    assert award["series"] == [{"name": "获奖项目数", "data": [0, 1, 0, 1]}]
    text = page.content.decode()
    # Never another unit's numbers or names: unit_b's 二等奖 project stays out.
    assert "反应釜温控优化" not in text and "示例化工有限公司团委" not in text


def test_workbook_carries_review_and_award_sheets(client_for, city, results, alice_committee, committee):
    publish(results)
    response = client_for(alice_committee).get(reverse("console:stats_xlsx", args=[committee.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    assert list(wb["评审进度（评分任务）"].iter_rows(values_only=True)) == [
        ("评审轮次", "评审任务（份）", "已评分（份）", "未评分（份）"),
        ("初评", 4, 3, 1),
        ("复评", 1, 0, 1),
    ]
    assert list(wb["获奖数（按奖项等级）"].iter_rows(values_only=True)) == [
        ("奖项等级", "获奖项目数（项）"),
        ("特等奖", 0),
        ("一等奖", 1),
        ("二等奖", 1),
        ("三等奖", 1),
    ]
    by_district = {r[0]: r[1:] for r in wb["获奖数（按县区、系统）"].iter_rows(min_row=2, values_only=True) if r[-1]}
    assert by_district == {"城中区团委": (0, 1, 0, 1, 2), "鱼峰区团委": (0, 0, 1, 0, 1)}
    prizes = list(wb["获奖名单"].iter_rows(values_only=True))
    assert prizes[0] == ("序号", "奖项", "项目名称", "单位", "项目团队")
    assert [r[:4] for r in prizes[1:]] == [
        (1, "一等奖", "送料装置改进", "示例机械有限公司"),
        (2, "二等奖", "反应釜温控优化", "示例化工有限公司"),
        (3, "三等奖", city["a_accepted"].name, "示例机械有限公司"),
    ]


def test_report_pdf_carries_the_published_award_list(
    client_for, results, alice_committee, committee, django_capture_on_commit_callbacks
):
    client = client_for(alice_committee)
    text = pdf_text(report(client, committee, "pdf", django_capture_on_commit_callbacks))
    # Before publication the report (sent to other offices) carries no award numbers or list.
    assert "评审进度（评分任务）" in text
    assert "获奖名单" not in text and "获奖数" not in text
    publish(results)
    text = pdf_text(report(client, committee, "pdf", django_capture_on_commit_callbacks))
    for words in ("三、获奖名单", "获奖数（按奖项等级）", "一等奖", "送料装置改进", "反应釜温控优化"):
        assert words in text, words


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages)


def test_report_docx_award_list_is_scoped(
    client_for, results, dan_district_admin, district, django_capture_on_commit_callbacks
):
    publish(results)
    response = report(client_for(dan_district_admin), district, "docx", django_capture_on_commit_callbacks)
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs]
    assert "（八）评审进度（评分任务）" in headings and "（十一）获奖数（按单位）" in headings
    assert "三、获奖名单" in headings
    prizes = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert prizes[0] == ["序号", "奖项", "项目名称", "单位", "项目团队"]
    assert [r[:2] + r[3:4] for r in prizes[1:]] == [
        ["1", "一等奖", "示例机械有限公司"],
        ["2", "三等奖", "示例机械有限公司"],
    ]
    assert "反应釜温控优化" not in "\n".join("|".join(r) for r in prizes)


def test_award_list_sheet_keeps_formula_like_names_as_text(client_for, city, results, alice_committee, committee):
    from wuxiao.projects.models import Project

    Project.objects.filter(pk=city["a_forwarded"].pk).update(name='=HYPERLINK("http://evil.example","看")')
    publish(results)
    response = client_for(alice_committee).get(reverse("console:stats_xlsx", args=[committee.pk]))
    cell = load_workbook(io.BytesIO(response.content))["获奖名单"]["C2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil.example","看")', "s")
