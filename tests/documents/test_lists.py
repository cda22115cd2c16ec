"""The project list (with the page's filters) and the unit progress table, as Excel."""

from datetime import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.documents.helpers import xlsx
from tests.factories import make_org, participation
from wuxiao.documents.registry import get_exporter
from wuxiao.people.models import OrgKind


def project_list(user, campaign, **filters):
    content = (
        get_exporter("project_list.xlsx")
        .render(campaign, user=user, params={"campaign": campaign.pk, "filters": filters})
        .content
    )
    return xlsx(content)["项目列表"]


def names(ws):
    return [ws.cell(row=r, column=2).value for r in range(3, ws.max_row + 1)]


def test_project_list_rows_and_masked_phones(city_projects, alice_committee, campaign):
    ws = project_list(alice_committee, campaign)
    assert ws["A1"].value == "2024年柳州市青年岗位科技“五小”竞赛活动 项目列表"
    assert [ws.cell(row=2, column=c).value for c in range(1, 15)] == [
        "序号", "项目名称", "单位", "县区/系统", "项目负责人", "联系方式", "项目类别", "成果形式",
        "经济效益（万元）", "项目分类", "自评等级", "状态", "提交时间", "上报时间",
    ]  # fmt: skip
    assert names(ws) == [
        "数控车床自动送料装置的改进",
        "焊接夹具快速定位改进",
        "车间照明节能改造",
        "电路板检测工装",
        "反应釜温控优化",
    ]
    assert [ws.cell(row=3, column=c).value for c in range(1, 15)] == [
        1, "数控车床自动送料装置的改进", "示例机械有限公司团委", "城中区团委", "蔡柔", "138****2345", "其他（环保）",
        "小改造", 12.5, "重点项目", "A", "已上报组委会", datetime(2024, 6, 10), datetime(2025, 2, 20),
    ]  # fmt: skip
    every_value = {str(c.value) for row in ws.iter_rows() for c in row}
    assert not any("13877212345" in v for v in every_value)


def test_project_list_applies_the_page_filters(city_projects, alice_committee, campaign, other_district):
    assert names(project_list(alice_committee, campaign, forwarded="0")) == ["车间照明节能改造"]
    assert names(project_list(alice_committee, campaign, district=str(other_district.pk))) == ["反应釜温控优化"]
    assert names(project_list(alice_committee, campaign, q="焊接")) == ["焊接夹具快速定位改进"]
    assert names(project_list(alice_committee, campaign, state="submitted")) == ["车间照明节能改造"]
    assert names(project_list(alice_committee, campaign, category="电子", level="key")) == ["电路板检测工装"]


def test_project_list_is_scoped_to_the_user(city_projects, dan_district_admin, eve_other_unit_admin, campaign):
    assert len(names(project_list(dan_district_admin, campaign))) == 4
    assert names(project_list(eve_other_unit_admin, campaign)) == ["反应釜温控优化"]


def progress(user, campaign):
    content = get_exporter("progress.xlsx").render(campaign, user=user, params={"campaign": campaign.pk}).content
    return xlsx(content)["单位进度"]


def test_progress_table_counts(city_projects, alice_committee, campaign):
    ws = progress(alice_committee, campaign)
    assert [ws.cell(row=2, column=c).value for c in range(1, 9)] == [
        "序号", "单位", "县区/系统", "35岁以下青工人数", "上报名额", "已申报项目", "重点项目", "已上报组委会",
    ]  # fmt: skip
    assert [[ws.cell(row=r, column=c).value for c in range(1, 9)] for r in range(3, 7)] == [
        [1, "示例机械有限公司团委", "城中区团委", 230, 10, 3, 2, 2],
        [2, "示例电子有限公司团委", "城中区团委", 80, 5, 1, 1, 1],
        [3, "示例化工有限公司团委", "鱼峰区团委", 120, 5, 1, 1, 1],
        ["合计", None, None, 430, 20, 5, 4, 4],
    ]


def test_progress_table_is_scoped_and_query_count_is_flat(city_projects, dan_district_admin, district, campaign):
    ws = progress(dan_district_admin, campaign)
    assert [ws.cell(row=r, column=2).value for r in (3, 4)] == ["示例机械有限公司团委", "示例电子有限公司团委"]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            progress(dan_district_admin, campaign)
        return len(ctx.captured_queries)

    few = count()
    for i in range(10):
        participation(campaign, make_org(f"示例新增企业{i}团委", OrgKind.ENTERPRISE, district), young_workers=100 * i)
    assert count() == few
    assert progress(dan_district_admin, campaign).max_row == 2 + 12 + 1
