"""PNG renderings of the documents (var/screenshots/docs-*.png), to be looked at beside the
notice's attachments. The 汇总表 goes through LibreOffice when installed, else through a
read-back preview (see helpers.sheet_preview_pdf)."""

import subprocess
from pathlib import Path

from django.conf import settings

from tests.documents.helpers import body, libreoffice_pdf, pdf, sheet_preview_pdf
from wuxiao.documents.queries import form_project
from wuxiao.documents.registry import get_exporter

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def to_png(pdf_bytes: bytes, name: str, *, first=1, last=None) -> list[Path]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    source = SHOTS / f"{name}.pdf"
    source.write_bytes(pdf_bytes)
    last = last or len(pdf(pdf_bytes).pages)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", str(first), "-l", str(last), str(source), str(SHOTS / name)], check=True
    )
    source.unlink()
    return sorted(SHOTS.glob(f"{name}-*.png"))


def test_render_documents_to_png(city_projects, campaign, committee, unit_a, alice_committee, bob_unit_admin, tmp_path):
    for old in SHOTS.glob("docs-*.png"):
        old.unlink()
    form = get_exporter("project_form.pdf").render(form_project(city_projects["known"].pk), user=bob_unit_admin)
    assert len(to_png(form.content, "docs-form")) == 2

    ids = [city_projects["known"].pk, city_projects["b"].pk]
    booklet = get_exporter("booklet.pdf").render(
        campaign, user=alice_committee, params={"campaign": campaign.pk, "projects": ids}
    )
    assert len(to_png(body(booklet.content), "docs-booklet", first=1, last=4)) == 4

    for org, name in ((unit_a, "docs-summary-unit"), (committee, "docs-summary-campaign")):
        sheet = get_exporter("summary.xlsx").render(org, user=alice_committee, params={"campaign": campaign.pk}).content
        rendered = libreoffice_pdf(sheet, tmp_path) or sheet_preview_pdf(sheet, "汇总表")
        assert len(to_png(rendered, name)) >= 1
