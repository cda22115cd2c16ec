"""Small python-docx helpers: A4 pages, East Asian fonts, cell merging and widths.

Word picks the font of a Chinese character from `w:eastAsia`, not from the font name
python-docx sets, so every run gets both. Body: 宋体 (SimSun, on every Chinese Windows and
mapped by WPS/LibreOffice); titles: 黑体 (SimHei) rather than 方正小标宋, which many office PCs
lack. Check boxes use Segoe UI Symbol (Windows) — Word and LibreOffice fall back to any
font with ☐☑ (e.g. DejaVu Sans) where it is missing.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT, BODY_LATIN = "宋体", "Times New Roman"
TITLE_FONT = "黑体"
SYMBOL_FONT = "Segoe UI Symbol"
CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT


def set_run_font(run, east_asia=BODY_FONT, latin=BODY_LATIN, size=None, bold=None):
    run.font.name = latin
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    return run


def new_document(*, landscape=False, margins_cm=(2.5, 2.2, 2.2, 2.2)) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (Cm(m) for m in margins_cm)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_LATIN
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    for name in ("Heading 1", "Heading 2", "Title"):
        style = doc.styles[name]
        srpr = style.element.get_or_add_rPr()
        sfonts = srpr.find(qn("w:rFonts"))
        if sfonts is None:
            sfonts = OxmlElement("w:rFonts")
            srpr.insert(0, sfonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            sfonts.set(qn(attr), BODY_LATIN)
        sfonts.set(qn("w:eastAsia"), TITLE_FONT)
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            sfonts.attrib.pop(qn(theme_attr), None)
        style.font.color.rgb = None
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    return doc


def add_text(paragraph, text, *, size=None, bold=None, east_asia=BODY_FONT, underline=None):
    run = set_run_font(paragraph.add_run(text), east_asia=east_asia, size=size, bold=bold)
    if underline is not None:
        run.font.underline = underline
    return run


def add_mark(paragraph, symbol, *, size=None):
    return set_run_font(paragraph.add_run(symbol), east_asia=SYMBOL_FONT, latin=SYMBOL_FONT, size=size)


def paragraph(container, text="", *, align=LEFT, size=None, bold=None, east_asia=BODY_FONT, first_line_chars=0):
    p = container.add_paragraph()
    p.alignment = align
    if first_line_chars:
        p.paragraph_format.first_line_indent = Pt((size or 12) * first_line_chars)
    if text:
        add_text(p, text, size=size, bold=bold, east_asia=east_asia)
    return p


def cell_text(cell, text="", *, align=CENTER, bold=None, size=None, valign=WD_CELL_VERTICAL_ALIGNMENT.CENTER):
    """Replace a cell's content with one paragraph of text."""
    cell.vertical_alignment = valign
    p = cell.paragraphs[0]
    for run in list(p.runs):
        run._element.getparent().remove(run._element)
    p.alignment = align
    if text:
        add_text(p, text, bold=bold, size=size)
    return p


def set_widths(table, widths_cm):
    """Word honours cell widths, not column widths: set both, on every row."""
    table.autofit = False
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
    for row in table.rows:
        for i, width in enumerate(widths_cm):
            row.cells[i].width = Cm(width)


def row_height(row, cm, *, exact=False):
    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def form_table(doc, rows, widths_cm):
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, widths_cm)
    return table


def page_break(doc):
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def add_field(paragraph, instruction: str, placeholder: str = ""):
    """A Word field (TOC, PAGE): Word computes it; the placeholder shows until it does."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, text, end):
        run._element.append(element)
    return run


def update_fields_on_open(doc):
    """Ask Word to refresh fields (the table of contents) when the file is opened."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
