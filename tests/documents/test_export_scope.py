"""An export's filter never widens what its viewer may see: every registered exporter,
rendered (or downloaded) by a unit admin and a district admin who name projects they may
not see — another person's DRAFT (with a phone number), another unit's project, another
district's project — lists none of them. Exports select through projects_visible_to,
the query of the project pages."""

import pytest
from django.urls import reverse

from tests.documents.conftest import make_project
from tests.documents.helpers import docx, pdf_text, xlsx
from tests.factories import UserFactory, grant
from wuxiao.documents.registry import EXPORTERS
from wuxiao.people.models import Role
from wuxiao.projects.states import ProjectState

pytestmark = pytest.mark.django_db

SECRET_PHONE = "13977776666"


@pytest.fixture
def outside(campaign, unit_a, unit_a2, unit_b, city_projects):
    """Projects the unit admin of unit_a must never see in an export, and which of them the
    district admin (城中区: unit_a and unit_a2) must not see either."""
    drafter = UserFactory(username="draft", real_name="草稿人", mobile=SECRET_PHONE)
    grant(drafter, unit_a, Role.APPLICANT)
    draft = make_project(
        campaign, unit_a, drafter, name="别人的草稿项目", forwarded=False, state=ProjectState.DRAFT,
        leader_phone=SECRET_PHONE, submitted_at=None,
    )  # fmt: skip
    other_unit = make_project(
        campaign, unit_a2, UserFactory(username="o2"), name="本区其他单位项目", forwarded=False,
        state=ProjectState.SUBMITTED,
    )  # fmt: skip
    other_district = make_project(campaign, unit_b, UserFactory(username="o3"), name="外区单位项目")
    return {"draft": draft, "other_unit": other_unit, "other_district": other_district}


def forbidden(who, outside):
    if who == "bob":
        return [outside["draft"], outside["other_unit"], outside["other_district"]]
    return [outside["draft"], outside["other_district"]]  # dan manages unit_a2 too


def text_of(content: bytes, content_type: str) -> str:
    if content_type.endswith("sheet"):
        wb = xlsx(content)
        return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    if content_type.endswith("document"):
        d = docx(content)
        return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    return pdf_text(content)


def test_every_exporter_is_covered():
    """Exporters that select projects are rendered below with hostile ids and filters; the
    others (statistics, award lists, certificates, salon lists) are refused as a whole to the
    admins who may not have them (test_whole_document_exporters_refuse_the_wrong_admin)."""
    assert sorted(EXPORTERS) == sorted(
        ["booklet.docx", "booklet.pdf", "progress.xlsx", "project_form.docx", "project_form.pdf",
         "project_list.xlsx", "summary.xlsx", *WHOLE_DOCUMENT]
    )  # fmt: skip


WHOLE_DOCUMENT = [
    "campaign_report.docx", "campaign_report.pdf", "stats.xlsx", "certificate.pdf", "certificates.pdf",
    "organisation_awards.xlsx", "results.docx", "results.xlsx", "talents.xlsx", "salon_attendance.xlsx",
]  # fmt: skip


def test_whole_document_exporters_refuse_the_wrong_admin(
    campaign, outside, unit_a, unit_b, district, other_district, committee, bob_unit_admin, dan_district_admin,
    alice_committee,
):  # fmt: skip
    from datetime import timedelta

    from django.utils import timezone

    from wuxiao.awards.models import Award, AwardLevel, AwardSheet, ResultStatus
    from wuxiao.salons.models import Salon

    sheet = AwardSheet.objects.create(campaign=campaign, total=3)
    award = Award.objects.create(
        sheet=sheet, project=outside["other_district"], rank=1, proposed_level="first", level=AwardLevel.FIRST
    )
    now = timezone.now()
    salon = Salon.objects.create(
        campaign=campaign, topic="沙龙", starts_at=now + timedelta(days=3), place="三楼", capacity=5,
        signup_deadline=now + timedelta(days=2), created_by=alice_committee,
    )  # fmt: skip

    def may(identifier, user, obj):
        return EXPORTERS[identifier].may_export(user, obj)

    for user, theirs, others in (
        (bob_unit_admin, [unit_a], [district, other_district, unit_b, committee]),
        (dan_district_admin, [district, unit_a], [other_district, unit_b, committee]),
    ):
        for identifier in ("campaign_report.docx", "campaign_report.pdf", "stats.xlsx"):
            assert all(may(identifier, user, org) for org in theirs), identifier
            assert not any(may(identifier, user, org) for org in others), identifier
        # Before publication the lists are the committee's; personal lists stay the committee's.
        for identifier in ("results.docx", "results.xlsx", "talents.xlsx", "organisation_awards.xlsx"):
            assert not may(identifier, user, sheet) and may(identifier, alice_committee, sheet), identifier
        assert not may("salon_attendance.xlsx", user, salon) and may("salon_attendance.xlsx", alice_committee, salon)
    AwardSheet.objects.filter(pk=sheet.pk).update(status=ResultStatus.PUBLISHED, published_at=now)
    sheet.refresh_from_db()
    award.refresh_from_db()
    for user in (bob_unit_admin, dan_district_admin):
        assert may("results.xlsx", user, sheet) and may("results.docx", user, sheet)
        assert not may("talents.xlsx", user, sheet) and not may("organisation_awards.xlsx", user, sheet)
        assert not may("certificates.pdf", user, sheet) and not may("certificate.pdf", user, award)
    assert may("certificate.pdf", alice_committee, award)


@pytest.mark.parametrize("who", ["bob", "dan"])
def test_summary_ids_never_widen_the_scope(who, request, client_for, unit_a, district, outside):
    user = request.getfixturevalue({"bob": "bob_unit_admin", "dan": "dan_district_admin"}[who])
    ids = ",".join(str(p.pk) for p in outside.values())
    for organisation in (unit_a, district):
        if who == "bob" and organisation == district:
            continue
        response = client_for(user).get(
            reverse("console:documents_summary", args=[organisation.pk]) + f"?projects={ids}"
        )
        assert response.status_code == 200
        text = text_of(response.content, response["Content-Type"])
        for project in forbidden(who, outside):
            assert project.name not in text, (who, organisation.name, project.name)
        assert SECRET_PHONE not in text


@pytest.mark.parametrize("who", ["bob", "dan"])
def test_project_list_filters_never_widen_the_scope(who, request, client_for, outside, unit_a2, unit_b, other_district):
    user = request.getfixturevalue({"bob": "bob_unit_admin", "dan": "dan_district_admin"}[who])
    base = reverse("console:documents_project_list")
    for query in ("", f"?unit={unit_b.pk}", f"?district={other_district.pk}", f"?unit={unit_a2.pk}", "?state=draft"):
        response = client_for(user).get(base + query)
        text = text_of(response.content, response["Content-Type"])
        for project in forbidden(who, outside):
            assert project.name not in text, (who, query, project.name)


@pytest.mark.parametrize("who", ["bob", "dan"])
def test_progress_lists_only_the_viewers_units(who, request, client_for, outside, unit_b):
    user = request.getfixturevalue({"bob": "bob_unit_admin", "dan": "dan_district_admin"}[who])
    response = client_for(user).get(reverse("console:documents_progress"))
    text = text_of(response.content, response["Content-Type"])
    assert unit_b.name not in text
    if who == "bob":
        assert "示例电子有限公司团委" not in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("who", ["bob", "dan"])
def test_project_forms_of_projects_out_of_sight_are_404(who, fmt, request, client_for, outside):
    user = request.getfixturevalue({"bob": "bob_unit_admin", "dan": "dan_district_admin"}[who])
    for project in forbidden(who, outside):
        url = reverse("console:documents_project_form", args=[project.pk, fmt])
        assert client_for(user).get(url).status_code == 404, project.name
        assert client_for(user).get(reverse("portal:project_form_download", args=[project.pk, fmt])).status_code == 404


@pytest.mark.parametrize("identifier", ["booklet.docx", "booklet.pdf"])
def test_booklet_chapters_only_of_projects_the_viewer_sees(
    identifier, campaign, outside, city_projects, dan_district_admin
):
    exporter = EXPORTERS[identifier]
    ids = [p.pk for p in outside.values()] + [city_projects["known"].pk]
    chapters = exporter.chapters(
        campaign,
        user=dan_district_admin,
        params={"projects": ids, "images_per_project": 0},
        progress=lambda n: None,
        share=100,
    )
    assert sorted(c.name for c in chapters) == sorted(
        ["本区其他单位项目", "数控车床自动送料装置的改进"]
    )  # dan sees unit_a2
