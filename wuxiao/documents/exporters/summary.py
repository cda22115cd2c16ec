"""汇总表 (附件3 of the notice) as Excel.

A unit's table lists the projects it forwards (or the ones passed in, for its own review
before forwarding). The campaign-wide table (committee) and a district's table list the
forwarded projects of the subtree on ONE sheet in the attachment's own columns — the
attachment already has a 单位 column, so the office can sort, filter and total everything
in one place — ordered by district and unit, with a second sheet 分县区统计 as the index.
See docs/documents.md.
"""

from decimal import Decimal

from openpyxl import Workbook

from wuxiao.campaigns.models import Campaign
from wuxiao.documents import content as words
from wuxiao.documents import xlsx_tools as xl
from wuxiao.documents.exporters.permissions import may_manage
from wuxiao.documents.queries import reporter_of, summary_projects, unit_review_projects
from wuxiao.documents.registry import XLSX, Exporter, Rendered, register
from wuxiao.people.models import Organisation

WIDTHS = [7, 26, 36, 22, 15, 12, 10]
LAST_COL = len(words.SUMMARY_COLUMNS)


def reporter(campaign: Campaign, organisation: Organisation) -> tuple[str, str]:
    """填报人 and 联系电话: the unit's reporter for this campaign, else the organisation's
    contact, else (for the committee) the campaign's contact."""
    participation = reporter_of(campaign=campaign, organisation=organisation)
    if participation and participation.reporter_name:
        return participation.reporter_name, participation.reporter_phone
    if organisation.contact_name:
        return organisation.contact_name, organisation.contact_phone
    if organisation.is_committee:
        return campaign.contact_name, campaign.contact_phone
    return "", ""


def leader_and_phone(project) -> str:
    return "\n".join(part for part in (project.leader_name, project.leader_phone) if part)


def write_summary_sheet(ws, *, campaign: Campaign, organisation: Organisation, projects) -> int:
    """The attachment's layout on one sheet; returns the number of project rows."""
    xl.set_widths(ws, WIDTHS)
    ws["A1"] = "附件3"
    ws["A1"].font = xl.Font(name="黑体", size=12)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=LAST_COL)
    ws["A2"] = words.SUMMARY_TITLE.format(city=campaign.city)
    ws["A2"].font, ws["A2"].alignment = xl.TITLE, xl.CENTER
    ws.row_dimensions[2].height = 36
    name, phone = reporter(campaign, organisation)
    for first, last, text in (
        (1, 3, f"报送单位（盖章）：{organisation.name}"),
        (4, 5, f"填报人：{name}"),
        (6, 7, f"联系电话：{phone}"),
    ):
        ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=last)
        cell = ws.cell(row=3, column=first, value=text)
        cell.font, cell.alignment = xl.BODY, xl.LEFT
    ws.row_dimensions[3].height = 26
    xl.header_row(ws, 4, words.SUMMARY_COLUMNS)

    styles = xl.CellStyles(ws.parent)
    styles.add("center")
    styles.add("left", alignment=xl.LEFT)
    styles.add("money", number_format="0.00")
    column_styles = ("center", "left", "left", "left", "money", "center", "center")
    row = 4
    count = 0
    for count, project in enumerate(projects, start=1):
        row += 1
        values = (
            count,
            project.unit.name,
            project.name,
            leader_and_phone(project),
            project.economic_benefit,
            project.category_display,
            project.self_grade,
        )
        for col, value in enumerate(values, start=1):
            styles.apply(ws.cell(row=row, column=col, value=value), column_styles[col - 1])
    styles.done()

    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=LAST_COL - 1)
    ws.cell(row=row, column=1, value="项目合计").alignment = xl.CENTER
    total = ws.cell(row=row, column=LAST_COL, value=f"{count}项")
    total.alignment = xl.CENTER
    for col in (1, LAST_COL):
        ws.cell(row=row, column=col).font = xl.BOLD
    xl.box(ws, row, 1, LAST_COL)
    ws.row_dimensions[row].height = 26
    for note in words.SUMMARY_NOTES:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LAST_COL)
        cell = ws.cell(row=row, column=1, value=note)
        cell.font, cell.alignment = xl.BODY, xl.LEFT
    xl.print_setup(ws, title_rows="4:4")
    ws.print_area = f"A1:G{row}"
    ws.freeze_panes = "A5"
    return count


def write_index_sheet(ws, *, organisation: Organisation, projects):
    """分县区统计: one line per organisation directly below the one reporting."""
    depth = organisation.depth
    groups: dict[str, dict] = {}
    for project in projects:
        prefix = ".".join(project.unit.path.split(".")[: depth + 1]) + "."
        group = groups.setdefault(prefix, {"units": set(), "count": 0, "benefit": Decimal(0)})
        group["units"].add(project.unit_id)
        group["count"] += 1
        group["benefit"] += project.economic_benefit or 0
    names = dict(Organisation.objects.filter(path__in=list(groups)).values_list("path", "name"))
    xl.set_widths(ws, [8, 34, 12, 12, 18])
    ws.merge_cells("A1:E1")
    ws["A1"] = f"{organisation.name} 汇总表 · 分县区统计"
    ws["A1"].font, ws["A1"].alignment = xl.Font(name="黑体", size=14, bold=True), xl.CENTER
    xl.header_row(ws, 2, ("序号", "县区/系统", "单位数", "项目数", "创造效益合计（万元）"))
    row = 2
    for i, prefix in enumerate(sorted(groups), start=1):
        row += 1
        group = groups[prefix]
        for col, value in enumerate(
            (i, names.get(prefix, ""), len(group["units"]), group["count"], group["benefit"]), start=1
        ):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font, cell.border, cell.alignment = xl.BODY, xl.BORDER, xl.LEFT if col == 2 else xl.CENTER
        ws.cell(row=row, column=5).number_format = "0.00"
    row += 1
    totals = (
        "合计",
        "",
        len({p.unit_id for p in projects}),
        len(projects),
        sum((p.economic_benefit or 0) for p in projects),
    )
    for col, value in enumerate(totals, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font, cell.border, cell.alignment = xl.BOLD, xl.BORDER, xl.CENTER
    ws.cell(row=row, column=5).number_format = "0.00"
    xl.print_setup(ws, title_rows="2:2", landscape=False)


@register
class SummaryXlsx(Exporter):
    """obj: the reporting organisation (a unit, a district or the committee).
    params: campaign (id), projects (ids, optional: a unit's selection before forwarding)."""

    identifier = "summary.xlsx"
    label = "汇总表（Excel）"
    content_type = XLSX

    def may_export(self, user, obj) -> bool:
        return may_manage(user, obj)

    def load(self, params):
        return Organisation.objects.get(pk=params["organisation"])

    def rows(self, obj, params):
        campaign = Campaign.objects.get(pk=params["campaign"])
        ids = params.get("projects")
        if obj.is_unit and ids is None:
            ids = list(unit_review_projects(campaign=campaign, unit=obj).values_list("pk", flat=True))
        return campaign, list(summary_projects(campaign=campaign, organisation=obj, project_ids=ids))

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        campaign, projects = self.rows(obj, params or {})
        wb = Workbook()
        ws = wb.active
        ws.title = "汇总表"
        write_summary_sheet(ws, campaign=campaign, organisation=obj, projects=projects)
        if not obj.is_unit:
            write_index_sheet(wb.create_sheet("分县区统计"), organisation=obj, projects=projects)
        filename = f"汇总表-{words.safe_filename(obj.name)}-{campaign.year}.xlsx"
        return Rendered(filename, self.content_type, xl.to_bytes(wb))
