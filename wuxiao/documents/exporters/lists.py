"""Lists for the offices: the project list a user is looking at (with its filters) and the
unit-level progress table. Phone numbers are masked: these are working lists, not forms."""

from openpyxl import Workbook

from wuxiao.campaigns.models import Campaign
from wuxiao.documents import content as words
from wuxiao.documents import xlsx_tools as xl
from wuxiao.documents.exporters.permissions import is_admin
from wuxiao.documents.queries import filtered_projects, progress_rows
from wuxiao.documents.registry import XLSX, Exporter, Rendered, register
from wuxiao.lib.phones import mask_phone
from wuxiao.lib.spreadsheets import write_cell
from wuxiao.people.permissions import admin_organisations


def title_rows(ws, title: str, labels, widths):
    xl.set_widths(ws, widths)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(labels))
    write_cell(ws, 1, 1, title)
    ws["A1"].font, ws["A1"].alignment = xl.Font(name="黑体", size=14, bold=True), xl.CENTER
    ws.row_dimensions[1].height = xl.row_height_for([title], [sum(widths)], size=14, minimum=30)
    xl.header_row(ws, 2, labels, height=xl.row_height_for(labels, widths, minimum=30))
    xl.print_setup(ws, title_rows="2:2")
    ws.freeze_panes = "A3"


def cell_styles(wb) -> xl.CellStyles:
    styles = xl.CellStyles(wb)
    styles.add("center")
    styles.add("left", alignment=xl.LEFT)
    styles.add("money", number_format="0.00")
    styles.add("date", number_format="yyyy-mm-dd")
    styles.add("total", font=xl.BOLD)
    return styles


def write_row(ws, row, values, styles: xl.CellStyles, names, widths):
    for col, value in enumerate(values, start=1):
        styles.apply(write_cell(ws, row, col, value), names[col - 1])
    ws.row_dimensions[row].height = xl.row_height_for(values, widths)


class CampaignListExporter(Exporter):
    """obj: the campaign; rows are scoped to what the user administers."""

    content_type = XLSX

    def may_export(self, user, obj) -> bool:
        return is_admin(user)

    def load(self, params):
        return Campaign.objects.get(pk=params["campaign"])


PROJECT_COLUMNS = (
    "序号",
    "项目名称",
    "单位",
    "县区/系统",
    "项目负责人",
    "联系方式",
    "项目类别",
    "成果形式",
    "经济效益（万元）",
    "项目分类",
    "自评等级",
    "状态",
    "提交时间",
    "上报时间",
)
PROJECT_WIDTHS = [6, 32, 24, 16, 10, 14, 10, 10, 12, 10, 9, 18, 12, 12]


@register
class ProjectListXlsx(CampaignListExporter):
    identifier = "project_list.xlsx"
    label = "项目列表（Excel）"

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        filters = (params or {}).get("filters", {})
        wb = Workbook()
        ws = wb.active
        ws.title = "项目列表"
        title_rows(ws, f"{obj.title} 项目列表", PROJECT_COLUMNS, PROJECT_WIDTHS)
        styles = cell_styles(wb)
        names = ("center", "left", "left", "left", *["center"] * 4, "money", *["center"] * 3, "date", "date")
        row = 2
        for i, p in enumerate(filtered_projects(user, campaign=obj, filters=filters).iterator(chunk_size=2000), 1):
            row += 1
            values = (
                i, p.name, p.unit.name, p.unit.parent.name if p.unit.parent_id else "", p.leader_name,
                mask_phone(p.leader_phone), p.category_display, p.achievement_form, p.economic_benefit,
                p.get_level_display(), p.self_grade, p.get_state_display(),
                words.local_day(p.submitted_at), words.local_day(p.forwarded_at),
            )  # fmt: skip
            write_row(ws, row, values, styles, names, PROJECT_WIDTHS)
        ws.auto_filter.ref = f"A2:N{row}"
        return Rendered(f"项目列表-{obj.year}.xlsx", self.content_type, xl.to_bytes(wb))


PROGRESS_COLUMNS = (
    "序号",
    "单位",
    "县区/系统",
    "35岁以下青工人数",
    "上报名额",
    "已申报项目",
    "重点项目",
    "已上报组委会",
)
PROGRESS_WIDTHS = [6, 32, 20, 12, 10, 10, 10, 12]


@register
class ProgressXlsx(CampaignListExporter):
    identifier = "progress.xlsx"
    label = "单位进度表（Excel）"

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        wb = Workbook()
        ws = wb.active
        ws.title = "单位进度"
        title_rows(ws, f"{obj.title} 单位进度表", PROGRESS_COLUMNS, PROGRESS_WIDTHS)
        styles = cell_styles(wb)
        names = ("center", "left", "left", *["center"] * 5)
        row = 2
        totals = [0, 0, 0, 0, 0]
        for i, part in enumerate(progress_rows(campaign=obj, organisations=admin_organisations(user)), 1):
            row += 1
            org = part.organisation
            counts = [part.young_workers, part.quota, part.registered, part.key, part.forwarded]
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
            values = (i, org.name, org.parent.name if org.parent_id else "", *counts)
            write_row(ws, row, values, styles, names, PROGRESS_WIDTHS)
        row += 1
        write_row(ws, row, ("合计", None, None, *totals), styles, ["total"] * 8, PROGRESS_WIDTHS)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        return Rendered(f"单位进度表-{obj.year}.xlsx", self.content_type, xl.to_bytes(wb))
