"""The chart payloads, asserted exactly on the known data set of conftest.py."""

from datetime import date

import pytest

from wuxiao.people.models import Organisation
from wuxiao.projects.states import ProjectState as S
from wuxiao.stats.charts import Dashboard, screen_payload, table
from wuxiao.stats.queries import Scope

pytestmark = pytest.mark.django_db

CATEGORIES = ["机械", "化工", "电子", "通信", "建设", "医药", "仪器", "其他"]
FORMS = ["小发明", "小革新", "小改造", "小设计", "小建议"]


def by_id(charts):
    return {c["id"]: c for c in charts}


def test_committee_charts(city, campaign, committee):
    board = Dashboard(Scope(org=committee, campaign=campaign))
    charts = by_id(board.charts())
    assert charts["stage"] == {
        "id": "stage",
        "title": "按阶段",
        "type": "pie",
        "unit": "项",
        "label": "阶段",
        "labels": ["立项审核中", "未予立项", "攻关中", "成果审核中", "单位评审通过（待上报）", "已上报组委会"],
        "series": [{"name": "项目数", "data": [1, 1, 1, 1, 0, 2]}],
    }
    assert charts["state"]["labels"] == [s.label for s in S if s != S.DRAFT]
    assert charts["state"]["series"] == [{"name": "项目数", "data": [1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 2]}]
    assert charts["category"]["labels"] == CATEGORIES
    assert charts["category"]["series"] == [{"name": "项目数", "data": [2, 3, 1, 0, 0, 0, 0, 0]}]
    # unit_a2's project names no achievement form: counted, under 未填写.
    assert charts["form"]["labels"] == [*FORMS, "未填写"]
    assert charts["form"]["series"] == [{"name": "项目数", "data": [2, 2, 1, 0, 0, 1]}]
    assert charts["benefit"]["unit"] == "万元"
    assert charts["benefit"]["series"] == [{"name": "经济效益", "data": [22.5, 27.5, 0.0, 0, 0, 0, 0, 0]}]

    districts = list(Organisation.objects.filter(parent=committee, is_active=True).order_by("path"))
    assert charts["children"]["labels"] == [d.name for d in districts]
    counts = dict(zip(charts["children"]["labels"], charts["children"]["series"][0]["data"], strict=True))
    forwarded = dict(zip(charts["children"]["labels"], charts["children"]["series"][1]["data"], strict=True))
    assert {k: v for k, v in counts.items() if v} == {"城中区团委": 4, "鱼峰区团委": 2}
    assert {k: v for k, v in forwarded.items() if v} == {"城中区团委": 1, "鱼峰区团委": 1}
    # 城中区: 4 projects + 2 team members = 6 people over 200 young workers; 鱼峰区: 3 over 200.
    rows = {r[0]: r[1:] for r in table(charts["participation"])["rows"]}
    assert rows["城中区团委"] == [3.0, 6, 200]
    assert rows["鱼峰区团委"] == [1.5, 3, 200]
    assert table(charts["participation"])["head"] == [
        "县区/系统",
        "每百名青工参与人数（人）",
        "参与人数（人）",
        "35岁以下青工人数（人）",
    ]
    assert [n["value"] for n in board.numbers()] == [6, 9, 3, 2, 50.0]
    assert [n["label"] for n in board.numbers()] == ["项目总数", "参与人数", "参与单位", "已上报组委会", "经济效益合计"]


def test_district_sees_its_units_only(city, campaign, district, unit_a, unit_a2):
    board = Dashboard(Scope(org=district, campaign=campaign))
    charts = by_id(board.charts())
    assert charts["children"]["labels"] == ["示例机械有限公司团委", "示例电子有限公司团委"]
    assert charts["children"]["series"] == [
        {"name": "项目数", "data": [3, 1]},
        {"name": "已上报", "data": [1, 0]},
    ]
    # unit_a: 3 projects + 2 members over 150; unit_a2: 1 over 50.
    assert charts["participation"]["series"][0] == {"name": "每百名青工参与人数", "data": [3.3, 2.0]}
    assert charts["category"]["series"] == [{"name": "项目数", "data": [2, 1, 1, 0, 0, 0, 0, 0]}]
    assert [n["value"] for n in board.numbers()] == [4, 6, 2, 1, 27.5]


def test_unit_sees_itself(city, campaign, unit_a):
    board = Dashboard(Scope(org=unit_a, campaign=campaign))
    charts = by_id(board.charts())
    assert "children" not in charts and "participation" not in charts
    assert charts["stage"]["series"] == [{"name": "项目数", "data": [1, 0, 1, 0, 0, 1]}]
    assert [n["value"] for n in board.numbers()] == [3, 5, 1, 1, 27.5]


def test_date_range_counts_projects_submitted_within_it(city, campaign, committee):
    board = Dashboard(Scope(org=committee, campaign=campaign, date_from=date(2024, 4, 2), date_to=date(2024, 4, 10)))
    # 4-02 forwarded, 4-03 accepted, 4-10 refused (the draft of 4-04 is never counted).
    assert by_id(board.charts())["stage"]["series"][0]["data"] == [0, 1, 1, 0, 0, 1]
    assert board.numbers()[0]["value"] == 3


def test_quota_chart_from_the_overview_rows(city, campaign, district, unit_a):
    from wuxiao.projects.queries import unit_overview

    board = Dashboard(Scope(org=district, campaign=campaign))
    quota = by_id(board.charts(quota_rows=unit_overview([unit_a], campaign)))["quota"]
    assert quota["labels"] == ["示例机械有限公司团委"]
    assert quota["series"] == [{"name": "已上报", "data": [1]}, {"name": "可报名额", "data": [5]}]


def test_year_on_year(city, campaign, later_campaign, committee, unit_a):
    from tests.factories import UserFactory
    from tests.unitflow import make_project

    later = later_campaign
    make_project(later, unit_a, UserFactory(), state=S.FORWARDED, category="电子", achievement_form="小设计")
    board = Dashboard(Scope(org=committee, campaign=later), compare=campaign)
    charts = by_id(board.charts())
    assert charts["category"]["series"] == [
        {"name": "2025年", "data": [0, 0, 1, 0, 0, 0, 0, 0]},
        {"name": "2024年", "data": [2, 3, 1, 0, 0, 0, 0, 0]},
    ]
    assert charts["stage"]["type"] == "bar"
    numbers = {n["label"]: (n["value"], n["compare"]) for n in board.numbers()}
    assert numbers["项目总数"] == (1, 6)
    assert numbers["已上报组委会"] == (1, 2)
    assert numbers["经济效益合计"] == (12.5, 50.0)


def test_screen_payload(city, campaign, committee):
    data = screen_payload(Scope(org=committee, campaign=campaign))
    assert [(r["name"], r["forwarded_at"]) for r in data["recent"]] == [
        ("反应釜温控优化", "05-21 10:00"),
        ("送料装置改进", "05-20 10:00"),
    ]
    assert data["categories"]["labels"][:3] == ["化工", "机械", "电子"]
    assert data["categories"]["series"][0]["data"][:3] == [3, 2, 1]
    tiles = {t["name"]: (t["total"], t["forwarded"]) for t in data["tiles"] if t["total"]}
    assert tiles == {"城中区团委": (4, 1), "鱼峰区团委": (2, 1)}
    assert [n["value"] for n in data["numbers"]] == [6, 9, 3, 2, 50.0]
