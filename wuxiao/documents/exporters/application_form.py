"""申报表 (附件2 of the notice) for one project, as Word and as PDF, laid out like the
attachment: page 1 the project table and its content (which runs onto further pages when
long), page 2 the leader's commitment and the five opinion boxes."""

import io

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.shared import Cm

from wuxiao.documents import content as words
from wuxiao.documents import docx_tools as dx
from wuxiao.documents.exporters.permissions import may_see_project
from wuxiao.documents.pdf import Images, render_document
from wuxiao.documents.queries import form_project
from wuxiao.documents.registry import DOCX, PDF, Exporter, Rendered, register

# Six columns, as the attachment's widest rows (经济效益 | … | 项目起止时间 | … | 是否符合专利申报 | …).
WIDTHS = [2.7, 3.1, 2.2, 2.7, 2.3, 2.6]
# The label column is wide enough for "本单位团组织" and "（车间/分厂/" on one line each.
SECOND_PAGE_WIDTHS = [3.1, 12.5]
STAMP_CM = 2.4
MIN_TEAM_ROWS = 3


class ApplicationFormExporter(Exporter):
    def may_export(self, user, obj) -> bool:
        return may_see_project(user, obj)

    def load(self, params):
        return form_project(params["project"])


def _marks(p, items, *, other_text=None, gap="　", label_first=False):
    """☐机械　☑化工 …, or 是☐　否☑ (label_first) as the attachment prints the patent rows."""
    for i, (symbol, label) in enumerate(items):
        if i:
            dx.add_text(p, gap)
        if label_first:
            dx.add_text(p, label)
        dx.add_mark(p, symbol)
        if not label_first:
            dx.add_text(p, label)
        if label == "其他" and other_text is not None:
            dx.add_text(p, other_text or "　　　　", underline=True)


def build_docx(form: words.ApplicationForm) -> bytes:
    doc = dx.new_document()
    dx.paragraph(doc, form.attachment_label, size=14, east_asia=dx.TITLE_FONT)
    title = dx.paragraph(doc, form.title, align=dx.CENTER, size=18, bold=True, east_asia=dx.TITLE_FONT)
    title.paragraph_format.space_before = dx.Pt(6)
    title.paragraph_format.space_after = dx.Pt(12)
    header = doc.add_table(rows=1, cols=2)
    dx.set_widths(header, [7.8, 7.8])
    dx.cell_text(header.cell(0, 0), f"填报人：{form.filler}", align=dx.LEFT)
    dx.cell_text(header.cell(0, 1), f"填表时间：{form.filled_on}", align=dx.RIGHT)

    team_rows = max(len(form.members), MIN_TEAM_ROWS)
    rows = 5 + 1 + team_rows + 3 + 1
    t = dx.form_table(doc, rows, WIDTHS)

    def span(r, a, b, text="", **kw):
        cell = t.cell(r, a).merge(t.cell(r, b)) if b > a else t.cell(r, a)
        dx.cell_text(cell, text, **kw)
        return cell

    span(0, 0, 0, "项目名称")
    span(0, 1, 5, form.name)
    span(1, 0, 0, "单位名称")
    span(1, 1, 5, form.unit)
    for col, text in enumerate(
        ["经济效益", form.benefit, "项目起止\n时间", form.period, "是否符合\n专利申报", form.patent_eligible]
    ):
        span(2, col, col, text)
    for col, text in enumerate(["项目负责人", form.leader_name, "性别", form.leader_gender, "年龄", form.leader_age]):
        span(3, col, col, text)
    span(4, 0, 0, "文化程度")
    span(4, 1, 1, form.leader_education)
    span(4, 2, 2, "联系方式")
    span(4, 3, 5, form.leader_phone)
    first = 5
    label = t.cell(first, 0).merge(t.cell(first + team_rows, 0))
    dx.cell_text(label, "主要研究\n人员组成")
    for col, text in ((1, "姓名"), (2, "性别"), (3, "年龄")):
        span(first, col, col, text)
    span(first, 4, 5, "文化程度")
    for i in range(team_rows):
        member = form.members[i] if i < len(form.members) else words.Member("", "", "", "")
        r = first + 1 + i
        span(r, 1, 1, member.name)
        span(r, 2, 2, member.gender)
        span(r, 3, 3, member.age)
        span(r, 4, 5, member.education)
    r = first + 1 + team_rows
    span(r, 0, 0, "项目类别")
    _marks(span(r, 1, 5, align=dx.LEFT).paragraphs[0], form.categories, other_text=form.category_other)
    span(r + 1, 0, 0, "成果形式")
    _marks(span(r + 1, 1, 5, align=dx.LEFT).paragraphs[0], form.forms)
    span(r + 2, 0, 0, "是否已经\n申报专利")
    _marks(span(r + 2, 1, 2).paragraphs[0], form.patent_filed, label_first=True)
    span(r + 2, 3, 3, "是否愿意\n申报专利")
    _marks(span(r + 2, 4, 5).paragraphs[0], form.patent_willing, label_first=True)
    for row in t.rows[: r + 3]:
        dx.row_height(row, 0.9)
        dx.keep_row_together(row)
    content_row = t.rows[r + 3]
    dx.row_height(content_row, 9.0)
    cell = span(r + 3, 0, 5, words.CONTENT_HEADING, align=dx.LEFT, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
    for heading, text in form.content_parts:
        p = cell.add_paragraph()
        dx.add_text(p, f"{heading}：", bold=True)
        lines = (text or "").splitlines() or [""]
        dx.add_text(p, lines[0])
        for line in lines[1:]:
            dx.paragraph(cell, line, first_line_chars=2)
    dx.paragraph(cell, words.CONTENT_EXTRA, align=dx.RIGHT)

    dx.page_break(doc)
    t2 = dx.form_table(doc, 6, SECOND_PAGE_WIDTHS)
    dx.cell_text(t2.cell(0, 0), words.COMMITMENT_LABEL)
    dx.row_height(t2.rows[0], 6.5)
    for row in t2.rows:
        dx.keep_row_together(row)
    box = t2.cell(0, 1)
    dx.cell_text(box, words.COMMITMENT_LINES[0], align=dx.LEFT)
    for line in words.COMMITMENT_LINES[1:]:
        dx.paragraph(box, line, first_line_chars=2)
    sign = dx.paragraph(box, f"{words.COMMITMENT_SIGN}{form.commitment_name}", first_line_chars=2)
    sign.paragraph_format.space_before = dx.Pt(12)
    dx.paragraph(box, form.commitment_date or words.DATE_BLANK, align=dx.RIGHT)
    for i, opinion in enumerate(form.opinions, start=1):
        dx.row_height(t2.rows[i], 3.4)
        dx.cell_text(t2.cell(i, 0), opinion.label)
        box = t2.cell(i, 1)
        if opinion.filled:
            dx.cell_text(box, opinion.text, align=dx.LEFT, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
            box.paragraphs[0].paragraph_format.first_line_indent = dx.Pt(21)
            dx.paragraph(box, f"签字：{opinion.signer}", align=dx.RIGHT).paragraph_format.space_before = dx.Pt(6)
            date = dx.paragraph(box, opinion.date, align=dx.RIGHT)
            if opinion.stamp:
                # Over the signature and the date, inside the box: it floats (takes no room)
                # from 1.6 cm above the date line; the space after the date keeps its lower
                # edge inside the box when a long opinion fills it.
                run = date.add_run()
                run.add_picture(io.BytesIO(opinion.stamp[0]), height=Cm(STAMP_CM))
                dx.float_picture(run, left_cm=SECOND_PAGE_WIDTHS[1] - 0.4 - STAMP_CM - 2.6, top_cm=-1.5)
                date.paragraph_format.space_after = dx.Pt(12)
        else:
            dx.cell_text(box, "", valign=WD_CELL_VERTICAL_ALIGNMENT.BOTTOM)
            dx.paragraph(box, words.STAMP_BLANK, align=dx.RIGHT)
            dx.paragraph(box, words.DATE_BLANK, align=dx.RIGHT)
    # 五号 (10.5 pt) on page 2, as forms print their boxes: the commitment and five opinions
    # with stamps then fit one page, in Word and in LibreOffice (whose CJK line height is larger).
    dx.set_size(t2, 10.5)
    dx.tiny(doc.add_paragraph())  # Word ends a document with a paragraph: keep it from making a page 3
    return dx.to_bytes(doc)


def build_pdf(form: words.ApplicationForm) -> bytes:
    return build_pdf_document(form).write_pdf()


def build_pdf_document(form: words.ApplicationForm):
    """The laid-out form (WeasyPrint's Document): pages and boxes, before writing the PDF."""
    images = Images()
    opinions = [{"box": o, "stamp_uri": images.url(o.stamp)} for o in form.opinions]
    team = list(form.members) + [words.Member("", "", "", "")] * max(0, MIN_TEAM_ROWS - len(form.members))
    return render_document(
        "documents/application_form.html",
        {
            "form": form,
            "team": team,
            "team_rowspan": len(team) + 1,
            "opinions": opinions,
            "words": {
                "content_heading": words.CONTENT_HEADING,
                "content_extra": words.CONTENT_EXTRA,
                "commitment_label": words.COMMITMENT_LABEL,
                "commitment_lines": words.COMMITMENT_LINES,
                "commitment_sign": words.COMMITMENT_SIGN,
                "stamp_blank": words.STAMP_BLANK,
                "date_blank": words.DATE_BLANK,
            },
        },
        "form.css",
        images,
    )


@register
class ApplicationFormDocx(ApplicationFormExporter):
    identifier = "project_form.docx"
    label = "申报表（Word）"
    content_type = DOCX

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        form = words.application_form(obj)
        return Rendered(f"{form.filename_stem}.docx", self.content_type, build_docx(form))


@register
class ApplicationFormPdf(ApplicationFormExporter):
    identifier = "project_form.pdf"
    label = "申报表（PDF）"
    content_type = PDF

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        form = words.application_form(obj)
        return Rendered(f"{form.filename_stem}.pdf", self.content_type, build_pdf(form))
