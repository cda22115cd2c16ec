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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
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
    declare_chinese(doc)
    return doc


def declare_chinese(doc):
    """Declare the text Chinese (zh-CN) and name the fonts in the document defaults instead of
    the template's theme fonts: without it Word and LibreOffice treat the text as Western with
    Japanese East Asian text and pick the Japanese variants of CJK fonts."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)
    for attr, value in (
        ("w:ascii", BODY_LATIN),
        ("w:hAnsi", BODY_LATIN),
        ("w:eastAsia", BODY_FONT),
        ("w:cs", BODY_LATIN),
    ):
        fonts.set(qn(attr), value)
    for style_rpr in (rpr, doc.styles["Normal"].element.get_or_add_rPr()):
        lang = style_rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            style_rpr.append(lang)
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        lang.set(qn("w:bidi"), "ar-SA")


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


def set_size(table, points: float):
    """Every run of a table at one size; first-line indents of two characters follow it."""
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                if p.paragraph_format.first_line_indent:
                    p.paragraph_format.first_line_indent = Pt(points * 2)
                for run in p.runs:
                    run.font.size = Pt(points)


def keep_row_together(row):
    """A row never breaks across pages (an opinion's stamp and date stay beside its label)."""
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))


def repeat_as_header(row):
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:tblHeader")) is None:
        trpr.append(OxmlElement("w:tblHeader"))


def float_picture(run, *, left_cm: float, top_cm: float, relative_to="column"):
    """Turn the run's inline picture into one that floats over the text at an offset from
    the cell (column) and the paragraph, as a stamp sits on paper: it takes no room of its
    own, so it never pushes a row taller, and stays inside the cell (layoutInCell)."""
    from docx.oxml.ns import nsdecls
    from docx.oxml.parser import parse_xml

    inline = run._element.find(".//" + qn("wp:inline"))
    extent, doc_pr, graphic = inline.find(qn("wp:extent")), inline.find(qn("wp:docPr")), inline.find(qn("a:graphic"))
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp", "a")} distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        f'relativeHeight="{251659264 + int(doc_pr.get("id"))}" behindDoc="0" locked="0" layoutInCell="1" '
        f'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="{relative_to}"><wp:posOffset>{int(Cm(left_cm))}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{int(Cm(top_cm))}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{extent.get("cx")}" cy="{extent.get("cy")}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f"<wp:wrapNone/></wp:anchor>"
    )
    anchor.append(doc_pr)
    anchor.append(parse_xml(f"<wp:cNvGraphicFramePr {nsdecls('wp')}/>"))
    anchor.append(graphic)
    inline.getparent().replace(inline, anchor)
    return anchor


def form_table(doc, rows, widths_cm):
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, widths_cm)
    return table


def page_break(doc):
    """A page break in a 1 pt paragraph: the paragraph mark that follows the break moves to
    the next page, where a full-size empty line would push a full page over."""
    from docx.enum.text import WD_BREAK

    tiny(doc.add_paragraph()).add_run().add_break(WD_BREAK.PAGE)


def tiny(p):
    """A paragraph that takes (almost) no height: Word needs one after a table."""
    p.paragraph_format.line_spacing = Pt(1)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
    mark = p._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    rpr.append(size)
    mark.append(rpr)
    return p


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


def bookmark(paragraph, name: str, bookmark_id: int):
    """A bookmark around a paragraph's content (a PAGEREF field points at it)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    ppr = paragraph._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def contents_entry(container, text: str, target: str, *, width_cm: float):
    """One line of a table of contents: the title, a dotted leader and the page number of the
    bookmark `target` (a PAGEREF field, which Word and LibreOffice compute when they lay the
    document out), as real paragraphs rather than a TOC field only Word can rebuild."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

    p = container.add_paragraph()
    p.paragraph_format.tab_stops.add_tab_stop(Cm(width_cm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    p.paragraph_format.space_after = Pt(6)
    add_text(p, f"{text}\t")
    add_field(p, f"PAGEREF {target} \\h", "")
    return p


def page_number_footer(doc, template="第 {} 页"):
    """The page number centred in every page's footer (a PAGE field)."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = CENTER
    before, after = template.split("{}")
    add_text(p, before, size=10.5)
    set_run_font(add_field(p, "PAGE", "1"), size=10.5)
    add_text(p, after, size=10.5)


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
