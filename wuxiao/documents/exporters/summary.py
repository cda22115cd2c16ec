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
from wuxiao.documents.queries import reporter_of, summary_projects, unit_selection_is_forwarded, unit_summary_ids
from wuxiao.documents.registry import XLSX, Exporter, Rendered, register
from wuxiao.lib.spreadsheets import write_cell
from wuxiao.people.models import Organisation

WIDTHS = [7, 26, 36, 22, 15, 12, 10]
LAST_COL = len(words.SUMMARY_COLUMNS)


def reporter(campaign: Campaign, organisation: Organisation, user=None) -> tuple[str, str]:
    """填报人 and 联系电话. A unit: its reporter for this campaign, else its contact. A district:
    the admin who downloads it (the sheet is theirs to sign), else its contact. The committee:
    its contact, else the campaign's."""
    if organisation.is_unit:
        participation = reporter_of(campaign=campaign, organisation=organisation)
        if participation and participation.reporter_name:
            return participation.reporter_name, participation.reporter_phone
    elif not organisation.is_committee and user is not None and user.display_name:
        return user.display_name, user.mobile or organisation.contact_phone
    if organisation.contact_name:
        return organisation.contact_name, organisation.contact_phone
    if organisation.is_committee:
        return campaign.contact_name, campaign.contact_phone
    return "", ""


def write_summary_sheet(
    ws, *, campaign: Campaign, organisation: Organisation, rows: list[words.SummaryRow], reporter, preview=False
) -> int:
    """The attachment's layout on one sheet; returns the number of project rows. A preview (a
    unit's sheet before it forwarded) says so in its title and above the notes."""
    xl.set_widths(ws, WIDTHS)
    write_cell(ws, 1, 1, "附件3")
    ws["A1"].font = xl.Font(name="黑体", size=12)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=LAST_COL)
    title = words.SUMMARY_TITLE.format(city=campaign.city)
    write_cell(ws, 2, 1, f"{title}（预览）" if preview else title)
    ws["A2"].font, ws["A2"].alignment = xl.TITLE, xl.CENTER
    ws.row_dimensions[2].height = 36
    name, phone = reporter
    for first, last, text in (
        (1, 3, f"报送单位（盖章）：{organisation.name}"),
        (4, 5, f"填报人：{name}"),
        (6, 7, f"联系电话：{phone}"),
    ):
        ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=last)
        cell = write_cell(ws, 3, first, text)
        cell.font, cell.alignment = xl.BODY, xl.LEFT
    ws.row_dimensions[3].height = xl.row_height_for(
        ["报送单位（盖章）：" + organisation.name, f"填报人：{name}", f"联系电话：{phone}"],
        [sum(WIDTHS[0:3]), sum(WIDTHS[3:5]), sum(WIDTHS[5:7])],
        minimum=26,
    )
    xl.header_row(ws, 4, words.SUMMARY_COLUMNS, height=xl.row_height_for(words.SUMMARY_COLUMNS, WIDTHS, minimum=30))

    styles = xl.CellStyles(ws.parent)
    styles.add("center")
    styles.add("left", alignment=xl.LEFT)
    styles.add("money", number_format="0.00")
    column_styles = ("center", "left", "left", "left", "money", "center", "center")
    row = 4
    for line in rows:
        row += 1
        values = (
            line.number,
            line.unit,
            line.name,
            line.leader_and_phone,
            line.benefit,
            line.category,
            line.grade,
        )
        for col, value in enumerate(values, start=1):
            styles.apply(write_cell(ws, row, col, value), column_styles[col - 1])
        ws.row_dimensions[row].height = xl.row_height_for(values, WIDTHS)
    styles.done()
    count = len(rows)

    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=LAST_COL - 1)
    write_cell(ws, row, 1, "项目合计").alignment = xl.CENTER
    total = write_cell(ws, row, LAST_COL, f"{count}项")
    total.alignment = xl.CENTER
    for col in (1, LAST_COL):
        ws.cell(row=row, column=col).font = xl.BOLD
    xl.box(ws, row, 1, LAST_COL)
    ws.row_dimensions[row].height = 26
    notes = ((words.SUMMARY_PREVIEW,) if preview else ()) + words.SUMMARY_NOTES
    for note in notes:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LAST_COL)
        cell = write_cell(ws, row, 1, note)
        cell.font, cell.alignment = xl.BOLD if note == words.SUMMARY_PREVIEW else xl.BODY, xl.LEFT
        ws.row_dimensions[row].height = xl.row_height_for([note], [sum(WIDTHS)])
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
    write_cell(ws, 1, 1, f"{organisation.name} 汇总表 · 分县区统计")
    ws["A1"].font, ws["A1"].alignment = xl.Font(name="黑体", size=14, bold=True), xl.CENTER
    xl.header_row(ws, 2, ("序号", "县区/系统", "单位数", "项目数", "创造效益合计（万元）"))
    row = 2
    for i, prefix in enumerate(sorted(groups), start=1):
        row += 1
        group = groups[prefix]
        for col, value in enumerate(
            (i, names.get(prefix, ""), len(group["units"]), group["count"], group["benefit"]), start=1
        ):
            cell = write_cell(ws, row, col, value)
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
        cell = write_cell(ws, row, col, value)
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

    def rows(self, obj, params, *, user):
        """(campaign, projects, preview). A unit's own sheet is exactly what it forwarded, or
        before that a preview; the projects it picks (?projects=) are a preview unless all of
        them are forwarded. A district's or the committee's: what was forwarded in its subtree.
        Always within what the user may see (summary_projects selects through projects_visible_to)."""
        campaign = Campaign.objects.get(pk=params["campaign"])
        ids, preview = params.get("projects"), False
        if obj.is_unit:
            if ids is None:
                ids, preview = unit_summary_ids(campaign=campaign, unit=obj)
            else:
                preview = not unit_selection_is_forwarded(campaign=campaign, unit=obj, project_ids=ids)
        projects = summary_projects(user=user, campaign=campaign, organisation=obj, project_ids=ids)
        return campaign, list(projects), preview

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        campaign, projects, preview = self.rows(obj, params or {}, user=user)
        wb = Workbook()
        ws = wb.active
        ws.title = "汇总表"
        write_summary_sheet(
            ws,
            campaign=campaign,
            organisation=obj,
            rows=words.summary_rows(projects),
            reporter=reporter(campaign, obj, user),
            preview=preview,
        )
        if not obj.is_unit:
            write_index_sheet(wb.create_sheet("分县区统计"), organisation=obj, projects=projects)
        kind = "汇总表（预览）" if preview else "汇总表"
        filename = f"{kind}-{words.safe_filename(obj.name)}-{campaign.year}.xlsx"
        return Rendered(filename, self.content_type, xl.to_bytes(wb))
