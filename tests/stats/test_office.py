"""The statistics workbook and report as LibreOffice prints them: nothing printed over other
text, every page numbered. Skipped only where LibreOffice is not installed."""

import re

import pytest

from tests.documents.helpers import office, office_pdfs, overprinted, pdf, squash, word_boxes
from tests.documents.test_office import look
from wuxiao.documents.registry import get_exporter

pytestmark = [pytest.mark.office, pytest.mark.skipif(office() is None, reason="LibreOffice (soffice) is not installed")]


def test_the_statistics_print_without_text_over_text(city, results, campaign, committee, alice_committee, tmp_path):
    files = {
        f"stats-{name.replace('.', '-')}.{name.rsplit('.', 1)[1]}": get_exporter(name)
        .render(committee, user=alice_committee, params={"campaign": campaign.pk})
        .content
        for name in ("stats.xlsx", "campaign_report.docx")
    }
    printed = office_pdfs(files, tmp_path)
    for name, content in printed.items():
        look(content, "office-" + name.replace(".", "-"))
        assert overprinted(word_boxes(content, tmp_path)) == [], name
        pages = [squash(p.extract_text()) for p in pdf(content).pages]
        numbered = [re.search(rf"第{n}页", page) is not None for n, page in enumerate(pages, start=1)]
        assert pages and all(numbered), (name, numbered)
