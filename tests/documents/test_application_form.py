"""申报表 (附件2): the Word and PDF read back, cell by cell, for the known project."""

import io

from docx.oxml.ns import qn

from tests.documents.conftest import LONG_OPINION
from tests.documents.helpers import (
    docx,
    drawn_images,
    embedded_fonts,
    pdf,
    pdf_text,
    row_texts,
    squash,
    uncovered_characters,
)
from wuxiao.documents.content import COMMITMENT_LINES
from wuxiao.documents.queries import form_project
from wuxiao.documents.registry import DOCX, PDF, get_exporter

CATEGORIES = "☐机械　☐化工　☐电子　☐通信　☐建设　☐医药　☐仪器　☑其他环保"
FORMS = "☐小发明　☐小革新　☑小改造　☐小设计　☐小建议"


def render(identifier, project, user):
    return get_exporter(identifier).render(form_project(project.pk), user=user)


def test_word_form_has_the_attachment_rows_in_order(known_project, carol_applicant):
    filename, content_type, content = render("project_form.docx", known_project, carol_applicant)
    assert filename == "申报表-数控车床自动送料装置的改进.docx"
    assert content_type == DOCX
    doc = docx(content)
    texts = [p.text for p in doc.paragraphs[:2]]
    assert texts == ["附件2", "柳州市青年岗位科技“五小”成果申报表"]
    assert row_texts(doc.tables[0], 0) == ["填报人：蔡柔", "填表时间：2024年6月10日"]
    t = doc.tables[1]
    assert [row_texts(t, r) for r in range(12)] == [
        ["项目名称", "数控车床自动送料装置的改进"],
        ["单位名称", "示例机械有限公司"],
        ["经济效益", "12.50万元", "项目起止\n时间", "2024.6.1—2024.12.31", "是否符合\n专利申报", "是"],
        ["项目负责人", "蔡柔", "性别", "女", "年龄", "27"],
        ["文化程度", "本科", "联系方式", "13877212345"],
        ["主要研究\n人员组成", "姓名", "性别", "年龄", "文化程度"],
        # 1998-03-12 is 26 on 2024-05-01; 1989-05-01 turns 35 on the reference date itself.
        ["主要研究\n人员组成", "韦小敏", "男", "26", "大专"],
        ["主要研究\n人员组成", "覃海", "男", "35", "硕士研究生"],
        ["主要研究\n人员组成", "", "", "", ""],
        ["项目类别", CATEGORIES],
        ["成果形式", FORMS],
        ["是否已经\n申报专利", "是☐　否☑", "是否愿意\n申报专利", "是☑　否☐"],
    ]
    content_cell = t.cell(12, 0)
    assert [p.text for p in content_cell.paragraphs] == [
        "项目内容（立项理由、立项内容、立项措施、立项效益）",
        "立项理由：原送料方式依靠人工，效率低且存在安全隐患。",
        "立项内容：设计气动送料机构，实现棒料自动送进。",
        "立项措施：组建攻关小组，分三步试制与验证。",
        "立项效益：每年节约人工成本约12.5万元。",
        "（可另附纸）",
    ]
    # The free text of 其他 sits on the underlined line.
    other = [r for r in t.cell(9, 1).paragraphs[0].runs if r.text == "环保"]
    assert len(other) == 1 and other[0].font.underline is True


def test_word_form_second_page_commitment_and_opinions(known_project, carol_applicant):
    doc = docx(render("project_form.docx", known_project, carol_applicant).content)
    t2 = doc.tables[2]
    assert [row_texts(t2, r)[0] for r in range(6)] == [
        "项目负责人\n承诺",
        "（车间/分厂/\n科室/子公司）\n意见",
        "本单位技术\n部门意见",
        "本单位团组织\n意见",
        "竞赛评审小组\n意见",
        "竞赛组委会\n意见",
    ]
    assert [p.text for p in t2.cell(0, 1).paragraphs] == [*COMMITMENT_LINES, "项目负责人签字：蔡柔", "2024年6月10日"]
    assert [p.text for p in t2.cell(1, 1).paragraphs] == ["同意申报。", "签字：黄工", "2024年6月12日"]
    assert [p.text for p in t2.cell(2, 1).paragraphs] == ["", "盖　章", "年　　月　　日"]
    assert [p.text for p in t2.cell(3, 1).paragraphs] == ["同意推荐为重点项目。", "签字：卜波", "2024年6月15日"]
    for r in (4, 5):
        assert [p.text for p in t2.cell(r, 1).paragraphs] == ["", "盖　章", "年　　月　　日"]
    # The workshop's stamp floats over its signature and date, inside the cell: it takes no
    # room of its own, so stamped boxes do not grow and push the form onto a third page.
    anchors = t2._element.findall(".//" + qn("wp:anchor"))
    assert len(anchors) == 1 and len(doc.inline_shapes) == 0
    assert anchors[0].get("layoutInCell") == "1" and anchors[0].find(qn("wp:wrapNone")) is not None
    assert t2.cell(1, 1)._tc.find(".//" + qn("wp:anchor")) is not None
    # No row of either table breaks across pages, except the content box (it may run on).
    form_rows = doc.tables[1].rows
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in list(form_rows)[:-1] + list(t2.rows))


def test_word_form_sets_east_asian_fonts(known_project, carol_applicant):
    doc = docx(render("project_form.docx", known_project, carol_applicant).content)
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "宋体"
    title_run = doc.paragraphs[1].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body_run = doc.tables[1].cell(0, 1).paragraphs[0].runs[0]
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    mark_run = doc.tables[1].cell(9, 1).paragraphs[0].runs[0]
    assert (mark_run.text, mark_run._element.rPr.rFonts.get(qn("w:eastAsia"))) == ("☐", "Segoe UI Symbol")
    # The text is declared Chinese, so office suites pick the Chinese (not Japanese) glyphs.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    assert doc.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_pdf_form_text_marks_and_two_pages(known_project, carol_applicant):
    filename, content_type, content = render("project_form.pdf", known_project, carol_applicant)
    assert (filename, content_type) == ("申报表-数控车床自动送料装置的改进.pdf", PDF)
    reader = pdf(content)
    assert len(reader.pages) == 2
    assert [drawn_images(page) for page in reader.pages] == [0, 1]  # the workshop's stamp
    # Text extraction breaks lines where the PDF wraps them: compare without whitespace.
    page1, page2 = (squash(page.extract_text()) for page in reader.pages)
    for expected in (
        "附件2\n柳州市青年岗位科技“五小”成果申报表\n填报人：蔡柔 填表时间：2024年6月10日",
        "项目名称 数控车床自动送料装置的改进",
        "单位名称 示例机械有限公司",
        "项目负责人 蔡柔 性别 女 年龄 27",
        "文化程度 本科 联系方式 13877212345",
        "韦小敏 男 26 大专\n覃海 男 35 硕士研究生",
        "项目类别 ☐ 机械 ☐ 化工 ☐ 电子 ☐ 通信 ☐ 建设 ☐ 医药 ☐ 仪器 ☑ 其他 环保",
        "成果形式 ☐ 小发明 ☐ 小革新 ☑ 小改造 ☐ 小设计 ☐ 小建议",
        "是☐ 否☑",
        "是☑ 否☐",
        "项目内容（立项理由、立项内容、立项措施、立项效益）\n立项理由：原送料方式依靠人工，效率低且存在安全隐患。",
        "立项效益：每年节约人工成本约12.5万元。\n（可另附纸）",
    ):
        assert squash(expected) in page1
    for expected in (
        "项目负责人承诺如下：\n1、本项目成果中所填写的所有内容真实、准确。",
        "项目负责人签字：蔡柔\n2024年6月10日",
        "同意申报。\n签字：黄工\n2024年6月12日",
        "同意推荐为重点项目。\n签字：卜波\n2024年6月15日",
    ):
        assert squash(expected) in page2
    assert page2.count("盖章") == 3
    assert page2.count("年月日") == 3


def test_pdf_embeds_cjk_fonts_and_no_glyph_is_a_box(known_project, carol_applicant):
    content = render("project_form.pdf", known_project, carol_applicant).content
    fonts = embedded_fonts(pdf(content))
    names = " ".join(fonts)
    assert "Noto-Serif-CJK-SC" in names and "Noto-Sans-CJK-SC" in names and "DejaVu-Sans" in names
    assert all(fonts.values()), fonts
    text = pdf_text(content)
    assert "☑" in text and "☐" in text
    assert uncovered_characters(text) == set()


def test_rare_characters_of_extension_b_print_in_the_pdf(known_project, carol_applicant):
    """Names with CJK Extension A/B characters (𠀀 U+20000, 𪚥 U+2A6A5, 㐀 U+3400) print with
    the HanaMin fallback instead of a crossed box."""
    known_project.leader_name = "韦𠀀㐀"
    known_project.save()
    known_project.members.update(name="覃𪚥")
    content = render("project_form.pdf", known_project, carol_applicant).content
    text = pdf_text(content)
    assert "韦𠀀㐀" in text and "覃𪚥" in text
    assert uncovered_characters(text) == set()
    assert any("HanaMin" in name for name in embedded_fonts(pdf(content)))


def test_pdf_never_copies_whole_font_files(known_project, carol_applicant):
    """WeasyPrint would copy each font's whole file into memory (Noto CJK collections are
    19–27 MB, HanaMin 23 and 31 MB) although it embeds only a subset: pdf.py defers the copy.
    With the copies a form took about 70 MB of Python heap, Extension B names more."""
    import tracemalloc

    known_project.leader_name = "韦𠀀㐀"  # HanaMinA and HanaMinB too
    known_project.save()
    render("project_form.pdf", known_project, carol_applicant)  # fonts and stylesheets cached
    tracemalloc.start()
    try:
        content = render("project_form.pdf", known_project, carol_applicant).content
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any("HanaMin" in name for name in embedded_fonts(pdf(content)))
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MB"


def test_uncovered_characters_sees_a_character_no_font_has():
    assert uncovered_characters("韦𱍊󠄀") == {"𱍊", "󠄀"}


def test_long_content_runs_onto_further_pages(known_project, carol_applicant):
    known_project.content = "\n".join(
        f"第{i}步：调整送料气缸行程并记录节拍，确认稳定后进入下一步。" for i in range(1, 120)
    )
    known_project.save()
    reader = pdf(render("project_form.pdf", known_project, carol_applicant).content)
    assert len(reader.pages) >= 4
    text = pdf_text(render("project_form.pdf", known_project, carol_applicant).content)
    assert "第119步" in text and "立项效益：每年节约人工成本约12.5万元。" in text
    # The commitment page still comes after all of the content.
    assert text.index("（可另附纸）") < text.index("项目负责人承诺如下：")


def test_blank_project_prints_empty_marks_and_boxes(campaign, unit_a, carol_applicant):
    from tests.documents.conftest import make_project

    project = make_project(
        campaign,
        unit_a,
        carol_applicant,
        name="",
        forwarded=False,
        category="",
        achievement_form="",
        economic_benefit=None,
        leader_birth_date=None,
        submitted_at=None,
    )
    doc = docx(render("project_form.docx", project, carol_applicant).content)
    t = doc.tables[1]
    assert row_texts(t, 9) == ["项目类别", "☐机械　☐化工　☐电子　☐通信　☐建设　☐医药　☐仪器　☐其他　　　　"]
    assert row_texts(t, 11) == ["是否已经\n申报专利", "是☐　否☐", "是否愿意\n申报专利", "是☐　否☐"]
    assert row_texts(t, 3)[5] == "" and row_texts(t, 2)[1] == ""
    assert row_texts(doc.tables[0], 0) == ["填报人：蔡柔", "填表时间："]
    assert doc.tables[2].cell(0, 1).paragraphs[-1].text == "年　　月　　日"
    assert render("project_form.docx", project, carol_applicant).filename == "申报表-未命名项目.docx"


def test_a_scanned_seal_becomes_ink_on_transparent_paper():
    from PIL import Image

    from tests.documents.conftest import scanned_seal
    from wuxiao.documents.content import stamp_image

    data, mime = stamp_image(scanned_seal(480))
    assert mime == "image/png"
    with Image.open(io.BytesIO(data)) as img:
        assert img.mode == "RGBA"
        # Cropped to the ink: the ring touches the edges; the paper around it is transparent.
        assert img.size[0] < 480 and abs(img.size[0] - img.size[1]) <= 2
        w, h = img.size
        assert img.getpixel((2, 2))[3] == 0  # a corner outside the ring: paper
        assert img.getpixel((w // 2, h // 2))[3] == 255  # the star's centre: ink
        assert img.getpixel((w // 2, h // 4))[3] == 0  # between star and ring: paper
    assert stamp_image(b"%PDF-1.4 not a picture") is None


def test_pdf_stamps_stay_inside_their_boxes_under_long_opinions(stamped_project, carol_applicant):
    """A stamp sits over its box's signature and date and never hangs into the next box, even
    when a long opinion fills the box; the five stamped boxes keep the form on two pages."""
    from wuxiao.documents.content import application_form
    from wuxiao.documents.exporters.application_form import build_pdf_document

    def layout():
        return build_pdf_document(application_form(form_project(stamped_project.pk)))

    assert len(layout().pages) == 2
    stamped_project.opinions.filter(step="league").update(text=LONG_OPINION * 3)
    document = layout()
    checked = 0
    for page in document.pages:
        for td in page._page_box.descendants():
            if getattr(td, "element_tag", "") != "td":
                continue
            for box in td.descendants():
                if getattr(box, "element_tag", "") == "img" and "stamp" in (box.element.get("class") or ""):
                    top, bottom = td.border_box_y(), td.border_box_y() + td.border_height()
                    assert top <= box.position_y and box.position_y + box.margin_height() <= bottom + 0.5
                    checked += 1
    assert checked == 5
