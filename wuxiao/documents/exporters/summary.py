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
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.worksheet.cell_range import CellRange

from wuxiao.campaigns.models import Campaign
from wuxiao.documents import content as words
from wuxiao.documents import xlsx_tools as xl
from wuxiao.documents.exporters.permissions import may_manage
from wuxiao.documents.queries import reporter_of, summary_projects, unit_selection_is_forwarded, unit_summary_ids
from wuxiao.documents.registry import XLSX, Exporter, Rendered, register
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


def merge(ws, row: int, first: int, last: int) -> None:
    ws.merged_cells.add(CellRange(min_row=row, min_col=first, max_row=row, max_col=last))


def summary_styles(wb) -> xl.CellStyles:
    styles = xl.CellStyles(wb)
    styles.add("mark", font=xl.Font(name="黑体", size=12), alignment=xl.PLAIN, border=xl.NO_BORDER)
    styles.add("title", font=xl.TITLE, border=xl.NO_BORDER)
    styles.add("index title", font=xl.Font(name="黑体", size=14, bold=True), border=xl.NO_BORDER)
    styles.add("signature", alignment=xl.LEFT, border=xl.NO_BORDER)
    styles.add("header", font=xl.BOLD)
    styles.add("center")
    styles.add("left", alignment=xl.LEFT)
    styles.add("money", number_format="0.00")
    styles.add("total", font=xl.BOLD)
    styles.add("total money", font=xl.BOLD, number_format="0.00")
    styles.add("boxed", font=DEFAULT_FONT, alignment=xl.PLAIN)  # the merged cells of the total line
    styles.add("note", alignment=xl.LEFT, border=xl.NO_BORDER)
    styles.add("bold note", font=xl.BOLD, alignment=xl.LEFT, border=xl.NO_BORDER)
    return styles


COLUMN_STYLES = ("center", "left", "left", "left", "money", "center", "center")


def write_summary_sheet(
    ws, *, campaign: Campaign, organisation: Organisation, rows: list[words.SummaryRow], reporter, preview=False
) -> int:
    """The attachment's layout on one write-only sheet; returns the number of project rows. A
    preview (a unit's sheet before it forwarded) says so in its title and above the notes.

    The sheet is streamed: each row goes to the file as it is appended, so 10,000 rows never
    sit in memory as cell objects. Hence the order: widths, print setup and the frozen header
    before the first row; a row's height and merged ranges before the row itself."""
    styles = summary_styles(ws.parent)
    cell = styles.cell
    xl.set_widths(ws, WIDTHS)
    xl.print_setup(ws, title_rows="4:4")
    ws.freeze_panes = "A5"
    ws.append([cell(ws, "附件3", "mark")])
    merge(ws, 2, 1, LAST_COL)
    title = words.SUMMARY_TITLE.format(city=campaign.city)
    ws.row_dimensions[2].height = 36
    ws.append([cell(ws, f"{title}（预览）" if preview else title, "title")])
    name, phone = reporter
    signature = (f"报送单位（盖章）：{organisation.name}", f"填报人：{name}", f"联系电话：{phone}")
    for first, last in ((1, 3), (4, 5), (6, 7)):
        merge(ws, 3, first, last)
    ws.row_dimensions[3].height = xl.row_height_for(
        signature, [sum(WIDTHS[0:3]), sum(WIDTHS[3:5]), sum(WIDTHS[5:7])], minimum=26
    )
    ws.append([cell(ws, signature[0], "signature"), None, None, cell(ws, signature[1], "signature"), None,
               cell(ws, signature[2], "signature"), None])  # fmt: skip
    ws.row_dimensions[4].height = xl.row_height_for(words.SUMMARY_COLUMNS, WIDTHS, minimum=30)
    ws.append([cell(ws, label, "header") for label in words.SUMMARY_COLUMNS])

    row, heights = 4, xl.RowHeights(ws)
    for line in rows:
        row += 1
        values = (line.number, line.unit, line.name, line.leader_and_phone, line.benefit, line.category, line.grade)
        heights.set(row, xl.row_height_for(values, WIDTHS))
        ws.append([cell(ws, value, style) for value, style in zip(values, COLUMN_STYLES, strict=True)])
        del ws.row_dimensions[row]  # written with the row
    count = len(rows)

    row += 1
    merge(ws, row, 1, 2)
    merge(ws, row, 3, LAST_COL - 1)
    ws.row_dimensions[row].height = 26
    boxes = [cell(ws, None, "boxed") for _ in range(LAST_COL - 2)]
    ws.append([cell(ws, "项目合计", "total"), *boxes, cell(ws, f"{count}项", "total")])
    notes = ((words.SUMMARY_PREVIEW,) if preview else ()) + words.SUMMARY_NOTES
    for note in notes:
        row += 1
        merge(ws, row, 1, LAST_COL)
        ws.row_dimensions[row].height = xl.row_height_for([note], [sum(WIDTHS)])
        ws.append([cell(ws, note, "bold note" if note == words.SUMMARY_PREVIEW else "note")])
    ws.print_area = f"A1:G{row}"
    return count


def write_index_sheet(ws, *, organisation: Organisation, projects):
    """分县区统计 (a write-only sheet): one line per organisation directly below the one reporting."""
    depth = organisation.depth
    groups: dict[str, dict] = {}
    for project in projects:
        prefix = ".".join(project.unit.path.split(".")[: depth + 1]) + "."
        group = groups.setdefault(prefix, {"units": set(), "count": 0, "benefit": Decimal(0)})
        group["units"].add(project.unit_id)
        group["count"] += 1
        group["benefit"] += project.economic_benefit or 0
    names = dict(Organisation.objects.filter(path__in=list(groups)).values_list("path", "name"))
    styles = summary_styles(ws.parent)
    cell = styles.cell
    xl.set_widths(ws, [8, 34, 12, 12, 18])
    xl.print_setup(ws, title_rows="2:2", landscape=False)
    merge(ws, 1, 1, 5)
    ws.append([cell(ws, f"{organisation.name} 汇总表 · 分县区统计", "index title")])
    ws.row_dimensions[2].height = 30
    ws.append(
        [cell(ws, label, "header") for label in ("序号", "县区/系统", "单位数", "项目数", "创造效益合计（万元）")]
    )
    for i, prefix in enumerate(sorted(groups), start=1):
        group = groups[prefix]
        values = (i, names.get(prefix, ""), len(group["units"]), group["count"], group["benefit"])
        ws.append(
            [cell(ws, v, s) for v, s in zip(values, ("center", "left", "center", "center", "money"), strict=True)]
        )
    totals = (
        "合计",
        "",
        len({p.unit_id for p in projects}),
        len(projects),
        sum((p.economic_benefit or 0) for p in projects),
    )
    ws.append([cell(ws, v, s) for v, s in zip(totals, ("total",) * 4 + ("total money",), strict=True)])


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
        wb = Workbook(write_only=True)
        write_summary_sheet(
            xl.streamed_sheet(wb, "汇总表"),
            campaign=campaign,
            organisation=obj,
            rows=words.summary_rows(projects),
            reporter=reporter(campaign, obj, user),
            preview=preview,
        )
        if not obj.is_unit:
            write_index_sheet(xl.streamed_sheet(wb, "分县区统计"), organisation=obj, projects=projects)
        kind = "汇总表（预览）" if preview else "汇总表"
        filename = f"{kind}-{words.safe_filename(obj.name)}-{campaign.year}.xlsx"
        return Rendered(filename, self.content_type, xl.to_bytes(wb))
