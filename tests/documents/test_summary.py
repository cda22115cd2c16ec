"""汇总表 (附件3): the Excel read back for a known unit and for the whole campaign."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.documents.conftest import make_project
from tests.documents.helpers import xlsx
from tests.factories import UserFactory
from wuxiao.documents.registry import XLSX, get_exporter
from wuxiao.projects.states import ProjectState

HEADER = ["序号", "单位", "项目名称", "项目主要负责人及联系方式", "创造效益（万元）", "项目类别", "自评等级"]
NOTE_1 = "说明：1.自评等级：特等奖和一等奖标示为“A”，二等奖标示为“B”，三等奖标示为“C”；"
NOTE_2 = "　　　2.创造效益栏必须填"


def summary(org, user, campaign, **params):
    return get_exporter("summary.xlsx").render(org, user=user, params={"campaign": campaign.pk, **params})


def values(ws, row):
    return [ws.cell(row=row, column=c).value for c in range(1, 8)]


def test_unit_summary_has_the_attachment_layout(city_projects, unit_a, bob_unit_admin, campaign):
    filename, content_type, content = summary(unit_a, bob_unit_admin, campaign)
    assert (filename, content_type) == ("汇总表-示例机械有限公司团委-2024.xlsx", XLSX)
    wb = xlsx(content)
    assert wb.sheetnames == ["汇总表"]
    ws = wb["汇总表"]
    assert ws["A1"].value == "附件3"
    assert ws["A2"].value == "柳州市青年岗位科技“五小”成果汇总表"
    assert (ws["A3"].value, ws["D3"].value, ws["F3"].value) == (
        "报送单位（盖章）：示例机械有限公司团委",
        "填报人：黄小军",
        "联系电话：13877200001",
    )
    assert values(ws, 4) == HEADER
    assert values(ws, 5) == [
        1,
        "示例机械有限公司",
        "数控车床自动送料装置的改进",
        "蔡柔\n13877212345",
        12.5,
        "其他（环保）",
        "A",
    ]
    assert values(ws, 6) == [2, "示例机械有限公司", "焊接夹具快速定位改进", "韦小敏\n13877200002", 3, "机械", "B"]
    assert values(ws, 7) == ["项目合计", None, None, None, None, None, "2项"]
    assert (ws["A8"].value, ws["A9"].value) == (NOTE_1, NOTE_2)
    assert ws.max_row == 9
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:G2", "A3:C3", "D3:E3", "F3:G3", "A7:B7", "C7:F7", "A8:G8", "A9:G9"} <= merged
    assert ws["E5"].number_format == "0.00"


def test_summary_is_print_ready(city_projects, unit_a, bob_unit_admin, campaign):
    ws = xlsx(summary(unit_a, bob_unit_admin, campaign).content)["汇总表"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$4:$4"
    assert [ws.column_dimensions[c].width for c in "ABCDEFG"] == [7, 26, 36, 22, 15, 12, 10]
    for row in (4, 5, 6):
        for col in "ABCDEFG":
            border = ws[f"{col}{row}"].border
            assert (border.left.style, border.right.style, border.top.style, border.bottom.style) == ("thin",) * 4
    # The total line's merged cells: the outline only (a merged area has no inner lines).
    assert all(ws[f"{col}7"].border.top.style == ws[f"{col}7"].border.bottom.style == "thin" for col in "ABCDEFG")
    assert ws["A7"].border.left.style == ws["G7"].border.right.style == "thin"
    assert ws["B5"].font.name == "宋体" and ws["A2"].font.name == "黑体"


def test_unit_review_lists_exactly_the_projects_passed_in(city_projects, unit_a, bob_unit_admin, campaign):
    ids = [city_projects["a_pending"].pk, city_projects["known"].pk, city_projects["b"].pk]  # b is not unit_a's
    filename, _, content = summary(unit_a, bob_unit_admin, campaign, projects=ids)
    ws = xlsx(content)["汇总表"]
    assert [ws.cell(row=r, column=3).value for r in (5, 6)] == ["数控车床自动送料装置的改进", "车间照明节能改造"]
    assert ws["G7"].value == "2项"
    # 车间照明节能改造 is not forwarded: the sheet says it is a preview, in its name, title and notes.
    assert filename == "汇总表（预览）-示例机械有限公司团委-2024.xlsx"
    assert ws["A2"].value == "柳州市青年岗位科技“五小”成果汇总表（预览）"
    assert ws["A8"].value == "预览：以下项目尚未上报组委会，本表仅供单位内部审阅，不作为正式报送材料"


def test_unit_summary_is_exactly_what_it_forwarded(city_projects, unit_a, bob_unit_admin, campaign):
    """A key project the quota refused (still 待上报) is not on the unit's sheet; the district's
    and the committee's sheets agree with it."""
    make_project(
        campaign, unit_a, city_projects["known"].leader, name="配额外的重点项目", forwarded=False,
        state=ProjectState.UNIT_APPROVED, level="key",
    )  # fmt: skip
    filename, _, content = summary(unit_a, bob_unit_admin, campaign)
    ws = xlsx(content)["汇总表"]
    assert filename == "汇总表-示例机械有限公司团委-2024.xlsx"
    assert ws["A2"].value == "柳州市青年岗位科技“五小”成果汇总表"
    assert [ws.cell(row=r, column=3).value for r in (5, 6)] == ["数控车床自动送料装置的改进", "焊接夹具快速定位改进"]
    assert ws["G7"].value == "2项"
    assert "预览" not in "".join(str(ws.cell(row=r, column=1).value) for r in range(1, ws.max_row + 1))


def test_unit_summary_before_forwarding_is_a_marked_preview(campaign, unit_a2, district, dan_district_admin):
    leader = UserFactory(username="lan2", real_name="蓝天", mobile="13877200003")
    make_project(campaign, unit_a2, leader, name="待上报的重点项目", forwarded=False, state=ProjectState.UNIT_APPROVED,
                 level="key")  # fmt: skip
    make_project(campaign, unit_a2, leader, name="一般项目", forwarded=False, state=ProjectState.UNIT_APPROVED,
                 level="general")  # fmt: skip
    filename, _, content = summary(unit_a2, dan_district_admin, campaign)
    ws = xlsx(content)["汇总表"]
    assert filename.startswith("汇总表（预览）-")
    assert ws["A2"].value.endswith("（预览）")
    assert values(ws, 5)[2] == "待上报的重点项目"
    assert values(ws, 6)[0] == "项目合计" and values(ws, 6)[6] == "1项"
    assert ws["A7"].value.startswith("预览：")


def test_campaign_summary_lists_every_forwarded_project_on_one_sheet(
    city_projects, committee, alice_committee, campaign
):
    wb = xlsx(summary(committee, alice_committee, campaign).content)
    assert wb.sheetnames == ["汇总表", "分县区统计"]
    ws = wb["汇总表"]
    assert (ws["A3"].value, ws["D3"].value, ws["F3"].value) == (
        f"报送单位（盖章）：{committee.name}",
        "填报人：莫飘",
        "联系电话：0772-2827423",
    )
    rows = [values(ws, r) for r in range(5, 9)]
    assert [r[:3] for r in rows] == [
        [1, "示例机械有限公司", "数控车床自动送料装置的改进"],
        [2, "示例机械有限公司", "焊接夹具快速定位改进"],
        [3, "示例电子有限公司", "电路板检测工装"],
        [4, "示例化工有限公司", "反应釜温控优化"],
    ]
    assert [r[4] for r in rows] == [12.5, 3, 1, 8.8]
    assert values(ws, 9)[0] == "项目合计" and values(ws, 9)[6] == "4项"
    index = wb["分县区统计"]
    assert [[index.cell(row=r, column=c).value for c in range(1, 6)] for r in (2, 3, 4, 5)] == [
        ["序号", "县区/系统", "单位数", "项目数", "创造效益合计（万元）"],
        [1, "城中区团委", 2, 3, 16.5],
        [2, "鱼峰区团委", 1, 1, 8.8],
        ["合计", None, 3, 4, 25.3],
    ]


def test_district_summary_covers_its_subtree(city_projects, district, dan_district_admin, campaign):
    ws = xlsx(summary(district, dan_district_admin, campaign).content)["汇总表"]
    assert [ws.cell(row=r, column=3).value for r in (5, 6, 7)] == [
        "数控车床自动送料装置的改进",
        "焊接夹具快速定位改进",
        "电路板检测工装",
    ]
    assert ws["G8"].value == "3项"
    # The district's sheet is signed by the admin who downloads it.
    assert (ws["D3"].value, ws["F3"].value) == (
        f"填报人：{dan_district_admin.real_name}",
        f"联系电话：{dan_district_admin.mobile}",
    )


def test_summary_query_count_does_not_grow_with_rows(
    city_projects, committee, alice_committee, campaign, unit_a, unit_b
):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            summary(committee, alice_committee, campaign)
        return len(ctx.captured_queries)

    count()  # warm-up: the user's organisations are cached after the first call
    few = count()
    leader = city_projects["b"].leader
    for i in range(20):
        make_project(campaign, unit_a if i % 2 else unit_b, leader, name=f"批量项目{i}", economic_benefit=Decimal(i))
    assert count() == few
