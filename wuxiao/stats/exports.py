"""The statistics exporters, registered in the documents registry like every other export:
the numbers of a dashboard as a workbook, and the campaign report (PDF and Word) an office
sends upward. obj is the organisation whose subtree is counted; params carry the campaign,
the date range and the compared campaign (as the dashboard's filters put them)."""

from datetime import date

from django.utils import timezone
from openpyxl import Workbook

from wuxiao.campaigns.models import Campaign
from wuxiao.documents import docx_tools as dx
from wuxiao.documents import xlsx_tools as xl
from wuxiao.documents.pdf import Images, render_pdf
from wuxiao.documents.registry import DOCX, PDF, XLSX, Exporter, Rendered, no_progress, register
from wuxiao.lib.spreadsheets import write_cell
from wuxiao.people.models import Organisation
from wuxiao.people.permissions import can_manage_organisation, is_committee_admin
from wuxiao.stats.charts import Dashboard, table
from wuxiao.stats.queries import Scope, published_prizes


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def scope_from_params(org: Organisation, params: dict) -> tuple[Scope, Campaign | None]:
    campaign = Campaign.objects.filter(pk=params.get("campaign")).first() or Campaign.objects.current()
    compare = Campaign.objects.filter(pk=params["compare"]).first() if params.get("compare") else None
    scope = Scope(
        org=org, campaign=campaign, date_from=_date(params.get("date_from")), date_to=_date(params.get("date_to"))
    )
    return scope, compare


def describe(scope: Scope) -> str:
    text = f"{scope.campaign.title} · {scope.org.name}"
    if scope.date_from or scope.date_to:
        text += f" · 提交日期 {scope.date_from or '…'} 至 {scope.date_to or '…'}"
    return text


class StatsExporter(Exporter):
    def may_export(self, user, obj) -> bool:
        return can_manage_organisation(user, obj)

    def load(self, params):
        return Organisation.objects.get(pk=params["organisation"])

    def filename(self, scope: Scope, suffix: str) -> str:
        return f"{scope.campaign.year}年{scope.org.name}{self.label}.{suffix}"


@register
class NumbersWorkbook(StatsExporter):
    identifier = "stats.xlsx"
    label = "统计数据"
    content_type = XLSX

    def render(self, obj, *, user, params=None, progress=no_progress):
        scope, compare = scope_from_params(obj, params or {})
        board = Dashboard(scope, compare=compare, unpublished_awards=is_committee_admin(user))
        wb = Workbook()
        ws = wb.active
        ws.title = "关键数据"
        widths = [18, 14, 8] + ([12] if compare else [])
        # The description wraps over the table's width: one line would run off the page.
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
        write_cell(ws, 1, 1, describe(scope))
        ws["A1"].font, ws["A1"].alignment = xl.BOLD, xl.LEFT
        ws.row_dimensions[1].height = xl.row_height_for([describe(scope)], [sum(widths)])
        xl.header_row(ws, 2, ["指标", "数值", "单位"] + (["对比届次"] if compare else []))
        for i, n in enumerate(board.numbers(), start=3):
            values = [n["label"], n["value"], n["unit"]] + ([n["compare"]] if compare else [])
            for col, v in enumerate(values, start=1):
                write_cell(ws, i, col, v).border = xl.BORDER
        xl.set_widths(ws, widths)
        xl.print_setup(ws, title_rows="2:2", landscape=False)
        for payload in board.charts():
            sheet = wb.create_sheet(payload["title"][:31].replace("/", "、"))
            t = table(payload)
            xl.header_row(sheet, 1, t["head"])
            for r, row in enumerate(t["rows"], start=2):
                for col, v in enumerate(row, start=1):
                    write_cell(sheet, r, col, v).border = xl.BORDER
            xl.set_widths(sheet, [30] + [16] * (len(t["head"]) - 1))
            xl.print_setup(sheet, title_rows="1:1", landscape=False)
        prizes = prize_rows(scope)
        if prizes:
            sheet = wb.create_sheet("获奖名单")
            xl.header_row(sheet, 1, PRIZE_HEAD)
            for r, row in enumerate(prizes, start=2):
                for col, v in enumerate(row, start=1):
                    write_cell(sheet, r, col, int(v) if col == 1 else v).border = xl.BORDER
            xl.set_widths(sheet, [6, 9, 34, 28, 30])
            xl.print_setup(sheet, title_rows="1:1", landscape=True)
        return Rendered(self.filename(scope, "xlsx"), XLSX, xl.to_bytes(wb))


PRIZE_HEAD = ["序号", "奖项", "项目名称", "单位", "项目团队"]


def prize_rows(scope: Scope) -> list[list[str]]:
    """获奖名单 of the scope once published (empty before): one row per prize."""
    return [
        [
            str(i),
            a.get_level_display(),
            a.project.name,
            a.project.unit.employer,
            "、".join([a.project.leader_name, *[m.name for m in a.project.members.all()]]),
        ]
        for i, a in enumerate(published_prizes(scope), start=1)
    ]


def report_content(scope: Scope, compare: Campaign | None, progress) -> dict:
    """The report goes to other offices: award numbers and the list only once published,
    whoever asks for it."""
    # matplotlib only when a report is drawn: imported with the exporters it added 25 MB to
    # every web and worker process (the export worker's budget is 250 MB).
    from wuxiao.stats.images import chart_png

    board = Dashboard(scope, compare=compare)
    charts = board.charts()
    pictures = []
    for i, c in enumerate(charts, start=1):
        pictures.append((c, table(c), chart_png(c)))
        progress(80 * i // len(charts))
    return {
        "scope": scope,
        "compare": compare,
        "description": describe(scope),
        "numbers": board.numbers(),
        "charts": pictures,
        "prize_head": PRIZE_HEAD,
        "prizes": prize_rows(scope),
        "generated": timezone.localdate(),
    }


@register
class CampaignReportPdf(StatsExporter):
    identifier = "campaign_report.pdf"
    label = "竞赛活动统计报告"
    content_type = PDF
    background = True

    def render(self, obj, *, user, params=None, progress=no_progress):
        scope, compare = scope_from_params(obj, params or {})
        content = report_content(scope, compare, progress)
        images = Images()
        content["charts"] = [(c, t, images.url((png, "image/png"))) for c, t, png in content["charts"]]
        pdf = render_pdf("stats/report.html", content, "report.css", images)
        return Rendered(self.filename(scope, "pdf"), PDF, pdf)


@register
class CampaignReportDocx(StatsExporter):
    identifier = "campaign_report.docx"
    label = "竞赛活动统计报告"
    content_type = DOCX
    background = True

    def render(self, obj, *, user, params=None, progress=no_progress):
        import io

        from docx.shared import Cm

        scope, compare = scope_from_params(obj, params or {})
        content = report_content(scope, compare, progress)
        doc = dx.new_document()
        dx.paragraph(
            doc, f"{scope.campaign.title}统计报告", align=dx.CENTER, size=18, bold=True, east_asia=dx.TITLE_FONT
        )
        dx.paragraph(doc, content["description"], align=dx.CENTER, size=11)
        dx.paragraph(doc, f"生成日期：{content['generated']:%Y年%m月%d日}", align=dx.CENTER, size=11)
        dx.paragraph(doc, "一、主要数据", size=14, bold=True, east_asia=dx.TITLE_FONT)
        head = ["指标", "数值"] + ([f"{compare.year}年"] if compare else [])
        rows = [head] + [
            [n["label"], f"{n['value']} {n['unit']}"]
            + ([f"{n['compare']} {n['unit']}" if n["compare"] is not None else "—"] if compare else [])
            for n in content["numbers"]
        ]
        _docx_table(doc, rows)
        dx.paragraph(doc, "二、分项统计", size=14, bold=True, east_asia=dx.TITLE_FONT)
        for number, (payload, t, png) in enumerate(content["charts"], start=1):
            dx.paragraph(doc, f"（{_chinese(number)}）{payload['title']}", size=12, bold=True, east_asia=dx.TITLE_FONT)
            doc.add_picture(io.BytesIO(png), width=Cm(15.5))
            doc.paragraphs[-1].alignment = dx.CENTER
            _docx_table(doc, [t["head"]] + [[str(v) for v in row] for row in t["rows"]])
        if content["prizes"]:
            dx.paragraph(doc, "三、获奖名单", size=14, bold=True, east_asia=dx.TITLE_FONT)
            _docx_table(doc, [PRIZE_HEAD] + content["prizes"])
        dx.page_number_footer(doc)
        return Rendered(self.filename(scope, "docx"), DOCX, dx.to_bytes(doc))


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (up to 99)."""
    digits = "一二三四五六七八九"
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[ones - 1] if ones else "")


def _docx_table(doc, rows):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            dx.cell_text(table.cell(r, c), str(value), bold=(r == 0), size=10.5)
    # A row never breaks across pages; the heading row repeats on the next one.
    for row in table.rows:
        dx.keep_row_together(row)
    dx.repeat_as_header(table.rows[0])
    dx.paragraph(doc, "")
    return table
