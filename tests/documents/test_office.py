"""The documents as an office suite prints them (LibreOffice, headless): page counts, and no
text clipped or printed over other text — what reading the files back in Python cannot show.
Skipped only where LibreOffice is not installed; the project's setup script installs it
(scripts/install-system-packages.sh), so CI runs them. PNGs of every page are left in
/tmp/shots-docs/ to be looked at."""

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from tests.documents.conftest import LONG_OPINION, make_project
from tests.documents.helpers import office, office_pdfs, overprinted, pdf, squash, word_boxes
from tests.factories import UserFactory
from wuxiao.documents.queries import form_project
from wuxiao.documents.registry import get_exporter

pytestmark = [pytest.mark.office, pytest.mark.skipif(office() is None, reason="LibreOffice (soffice) is not installed")]

SHOTS = Path("/tmp/shots-docs")


def look(pdf_bytes: bytes, name: str):
    """Leave a PNG of each page to look at (outside the repository)."""
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / f"{name}.pdf").write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(SHOTS / f"{name}.pdf"), str(SHOTS / name)], check=True)


def render(identifier, obj, user, **params):
    return get_exporter(identifier).render(obj, user=user, params=params).content


def page_texts(content: bytes) -> list[str]:
    return [squash(page.extract_text()) for page in pdf(content).pages]


def test_overprint_check_finds_text_over_text():
    """The check the tests below rely on can fail."""
    boxes = [(1, 10, 10, 60, 22, "焊接夹具"), (1, 12, 14, 70, 26, "快速定位"), (1, 10, 40, 60, 52, "分开")]
    assert overprinted(boxes) == [("焊接夹具", "快速定位")]


def test_word_form_prints_on_two_pages_with_a_stamp_in_every_box(stamped_project, bob_unit_admin, tmp_path):
    content = render("project_form.docx", form_project(stamped_project.pk), bob_unit_admin)
    printed = office_pdfs({"form.docx": content}, tmp_path)["form.docx"]
    look(printed, "office-form-docx")
    pages = page_texts(printed)
    assert len(pages) == 2  # as 附件2
    boxes = word_boxes(printed, tmp_path)
    assert overprinted(boxes) == []
    # Every opinion box with its text, signature and date on page 2 (rows never break).
    assert pages[1].count(squash(LONG_OPINION)) == 5
    for day in range(12, 17):
        assert f"2024年6月{day}日" in pages[1]
    assert pages[1].count("签字：黄工") == 5
    # The label column holds "本单位团组织" on one line (pdftotext gives one word per line run).
    assert any(w[5].startswith("本单位团组织") for w in boxes if w[0] == 2)
    assert any(w[5] == "（车间/分厂/" for w in boxes if w[0] == 2)


def test_sheets_print_whole_rows_and_a_whole_footer(
    city_projects, campaign, committee, alice_committee, unit_a, unit_a2, tmp_path
):
    long_unit = "柳州市示例电子信息技术与智能装备制造股份有限公司第二分公司及其下属车间联合团委"
    unit_a2.name = long_unit
    unit_a2.save(update_fields=["name"])
    long_name = "基于机器视觉的数控车床棒料自动送料与尺寸在线检测一体化装置的研制及其在批量生产中的推广应用"
    leader = UserFactory(username="longname", real_name="欧阳明月", mobile="13877200009")
    for i in range(12):
        make_project(campaign, unit_a, leader, name=f"{long_name}{i}", economic_benefit=Decimal(i), self_grade="B")
    files = {
        "summary.xlsx": render("summary.xlsx", committee, alice_committee, campaign=campaign.pk),
        "list.xlsx": render("project_list.xlsx", campaign, alice_committee, campaign=campaign.pk),
        "progress.xlsx": render("progress.xlsx", campaign, alice_committee, campaign=campaign.pk),
    }
    printed = office_pdfs(files, tmp_path)
    for name, content in printed.items():
        look(content, "office-" + name.replace(".", "-"))
        boxes = word_boxes(content, tmp_path)
        assert overprinted(boxes) == [], name
        text = "".join(page_texts(content))
        # Wrapped over lines, nothing cut off.
        assert (long_unit if name == "progress.xlsx" else f"{long_name}11") in text, name
        # Every page's number is printed whole in its footer, inside the paper.
        heights = [float(page.mediabox.height) for page in pdf(content).pages]
        for number, height in enumerate(heights, start=1):
            footer = [w for w in boxes if w[0] == number and w[5].startswith("第") and w[2] > height - 60]
            assert len(footer) == 1 and footer[0][4] < height - 10, (name, number, footer)
    summary_pages = page_texts(printed["summary.xlsx"])
    assert "第1页，共" in summary_pages[0]
    assert "项目合计" in "".join(summary_pages) and "16项" in "".join(summary_pages)


def test_word_booklet_has_contents_with_page_numbers_and_numbered_pages(
    city_projects, campaign, alice_committee, tmp_path
):
    ids = [city_projects["b"].pk, city_projects["known"].pk]
    content = render("booklet.docx", campaign, alice_committee, campaign=campaign.pk, projects=ids)
    printed = office_pdfs({"booklet.docx": content}, tmp_path)["booklet.docx"]
    look(printed, "office-booklet-docx")
    pages = page_texts(printed)
    contents = pdf(printed).pages[1].extract_text().splitlines()
    # One line per chapter with the page it starts on.
    first = next(re.search(r"\.(\d+)$", squash(line)) for line in contents if "反应釜温控优化" in line)
    second = next(re.search(r"\.(\d+)$", squash(line)) for line in contents if "数控车床自动送料装置的改进" in line)
    assert first and second, contents
    assert pages[int(first.group(1)) - 1].startswith("1.反应釜温控优化")
    assert pages[int(second.group(1)) - 1].startswith("2.数控车床自动送料装置的改进")
    # Page numbers in the footer, none on the cover.
    assert "第" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert text.endswith(f"第{number}页")
    assert overprinted(word_boxes(printed, tmp_path)) == []


def test_award_lists_print_whole_rows(campaign, alice_committee, unit_a, unit_b, tmp_path):
    """获奖名单 (Excel and Word) and the 青年岗位能手 list, with long names: nothing clipped or
    printed over other text."""
    from tests.awards.test_services import forwarded, propose
    from wuxiao.awards import queries as aq
    from wuxiao.awards import services as awards
    from wuxiao.projects.models import Project

    long_name = "基于机器视觉的数控车床棒料自动送料与尺寸在线检测一体化装置的研制及其在批量生产中的推广应用"
    projects = forwarded(campaign, unit_a, 6) + forwarded(campaign, unit_b, 4, start=6)
    for i, p in enumerate(projects):
        Project.objects.filter(pk=p.pk).update(name=f"{long_name}{i}")
    propose(campaign, alice_committee, projects, specials=1)
    awards.lock_results(campaign=campaign, by=alice_committee)
    awards.publish_results(campaign=campaign, by=alice_committee)
    sheet = aq.sheet_of(campaign)
    # distinct stems: LibreOffice names each PDF after its file
    files = {
        f"{name}-{ext}.{ext}": render(f"{name}.{ext}", sheet, alice_committee, sheet=sheet.pk)
        for name, ext in (("results", "xlsx"), ("results", "docx"), ("talents", "xlsx"))
    }
    printed = office_pdfs(files, tmp_path)
    for name, content in printed.items():
        look(content, "office-" + name.replace(".", "-"))
        boxes = word_boxes(content, tmp_path)
        assert overprinted(boxes) == [], name
        pages = page_texts(content)
        # Every row whole on one page (a row never breaks across pages).
        shown = range(2) if name.startswith("talents") else range(10)
        for i in shown:
            if name.startswith("talents") or i < 9:  # the last forwarded project wins nothing
                assert any(f"{long_name}{i}" in page for page in pages), (name, i)
    # The Word list numbers its pages.
    word = page_texts(printed["results-docx.docx"])
    assert len(word) >= 2 and all(page.endswith(f"第{n}页") for n, page in enumerate(word, start=1)), word
