"""Every download, for everyone: who gets the file, who gets 404 (may not see) or 403."""

import pytest
from django.urls import reverse

from tests.documents.helpers import docx, xlsx
from tests.factories import UserFactory, grant
from wuxiao.people.models import Role
from wuxiao.projects.models import TeamMember

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def another_applicant(unit_a):
    user = UserFactory(username="zhou", real_name="周舟")
    grant(user, unit_a, Role.APPLICANT)
    return user


@pytest.fixture
def people(request, city_projects, alice_committee, dan_district_admin, bob_unit_admin, carol_applicant,
           eve_other_unit_admin, mallory, dave_expert, another_applicant):  # fmt: skip
    return {
        "alice": alice_committee, "dan": dan_district_admin, "bob": bob_unit_admin, "carol": carol_applicant,
        "eve": eve_other_unit_admin, "mallory": mallory, "dave": dave_expert, "zhou": another_applicant,
    }  # fmt: skip


def status_for(client_for, user, url):
    return client_for(user).get(url).status_code


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_portal_form_only_for_the_leader_and_team(people, city_projects, client_for, fmt):
    project = city_projects["known"]
    url = reverse("portal:project_form_download", args=[project.pk, fmt])
    response = client_for(people["carol"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == (DOCX_TYPE if fmt == "docx" else "application/pdf")
    assert response["Content-Disposition"].startswith("attachment;")
    for name in ("zhou", "bob", "eve", "mallory", "dave", "alice"):
        assert status_for(client_for, people[name], url) == 404, name
    member = UserFactory(username="teammate")
    TeamMember.objects.filter(project=project, name="韦小敏").update(user=member)
    assert status_for(client_for, member, url) == 200


def test_portal_form_rejects_unknown_format_and_anonymous(people, city_projects, client, client_for):
    project = city_projects["known"]
    assert (
        client_for(people["carol"]).get(reverse("portal:project_form_download", args=[project.pk, "odt"])).status_code
        == 404
    )
    client.logout()
    response = client.get(reverse("portal:project_form_download", args=[project.pk, "pdf"]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_console_form_for_admins_of_the_unit_and_above(people, city_projects, client_for, fmt):
    url = reverse("console:documents_project_form", args=[city_projects["known"].pk, fmt])
    for name in ("bob", "dan", "alice"):
        assert status_for(client_for, people[name], url) == 200, name
    assert status_for(client_for, people["eve"], url) == 404
    for name in ("mallory", "dave", "carol", "zhou"):
        assert status_for(client_for, people[name], url) == 403, name


def test_console_form_prints_the_phone_in_full(people, city_projects, client_for):
    url = reverse("console:documents_project_form", args=[city_projects["known"].pk, "docx"])
    doc = docx(client_for(people["bob"]).get(url).content)
    assert doc.tables[1].cell(4, 3).text == "13877212345"


def test_unit_summary_permissions(people, unit_a, client_for):
    url = reverse("console:documents_summary", args=[unit_a.pk])
    for name in ("bob", "dan", "alice"):
        response = client_for(people[name]).get(url)
        assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE, name
    assert status_for(client_for, people["eve"], url) == 404
    for name in ("mallory", "dave", "carol", "zhou"):
        assert status_for(client_for, people[name], url) == 403, name


def test_unit_summary_with_selected_projects(people, unit_a, city_projects, client_for):
    ids = f"{city_projects['a_pending'].pk},{city_projects['known'].pk}"
    response = client_for(people["bob"]).get(
        reverse("console:documents_summary", args=[unit_a.pk]) + f"?projects={ids}"
    )
    ws = xlsx(response.content)["汇总表"]
    assert [ws["C5"].value, ws["C6"].value, ws["G7"].value] == ["数控车床自动送料装置的改进", "车间照明节能改造", "2项"]
    assert ws["D5"].value == "蔡柔\n13877212345"  # the form needs the phone in full


def test_campaign_summary_only_for_the_committee(people, committee, district, client_for):
    url = reverse("console:documents_summary", args=[committee.pk])
    assert status_for(client_for, people["alice"], url) == 200
    for name in ("dan", "bob", "eve"):
        assert status_for(client_for, people[name], url) == 404, name
    for name in ("mallory", "dave", "carol"):
        assert status_for(client_for, people[name], url) == 403, name
    district_url = reverse("console:documents_summary", args=[district.pk])
    assert status_for(client_for, people["dan"], district_url) == 200
    assert status_for(client_for, people["bob"], district_url) == 404


@pytest.mark.parametrize("route", ["console:documents_project_list", "console:documents_progress"])
def test_lists_for_admins_scoped(people, client_for, route):
    url = reverse(route)
    for name in ("alice", "dan", "bob", "eve"):
        response = client_for(people[name]).get(url)
        assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE, name
    for name in ("mallory", "dave", "carol", "zhou"):
        assert status_for(client_for, people[name], url) == 403, name


def test_project_list_download_keeps_the_filters(people, client_for, other_district):
    response = client_for(people["alice"]).get(
        reverse("console:documents_project_list") + f"?district={other_district.pk}&page=3"
    )
    ws = xlsx(response.content)["项目列表"]
    assert [ws.cell(row=r, column=2).value for r in range(3, ws.max_row + 1)] == ["反应釜温控优化"]
    eve_ws = xlsx(client_for(people["eve"]).get(reverse("console:documents_project_list")).content)["项目列表"]
    assert eve_ws.max_row == 3 and eve_ws["F3"].value == "138****0004"


def test_booklet_builder_only_for_the_committee(people, client_for, city_projects):
    url = reverse("console:documents_booklet")
    page = client_for(people["alice"]).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # Only forwarded projects are offered.
    assert "反应釜温控优化" in html and "车间照明节能改造" not in html
    for name in ("dan", "bob", "eve", "mallory", "dave", "carol"):
        assert status_for(client_for, people[name], url) == 403, name
        assert client_for(people[name]).post(url, {"format": "pdf", "all": "1"}).status_code == 403, name


def test_booklet_builder_needs_a_project(people, client_for):
    response = client_for(people["alice"]).post(reverse("console:documents_booklet"), {"format": "pdf"})
    assert response.status_code == 200 and "请至少选择一个已上报的项目" in response.content.decode()


def test_jobs_belong_to_who_started_them(people, client_for, campaign):
    from wuxiao.documents.models import ExportJob

    job = ExportJob.objects.create(created_by=people["alice"], exporter="booklet.pdf", params={"campaign": campaign.pk})
    for route in ("console:documents_job", "console:documents_job_download"):
        assert status_for(client_for, people["dan"], reverse(route, args=[job.pk])) == 404
        assert status_for(client_for, people["mallory"], reverse(route, args=[job.pk])) == 403
    assert status_for(client_for, people["alice"], reverse("console:documents_job", args=[job.pk])) == 200


def test_index_lists_what_each_admin_may_download(people, client_for, unit_a, unit_b, committee):
    bob_page = client_for(people["bob"]).get(reverse("console:documents")).content.decode()
    assert reverse("console:documents_summary", args=[unit_a.pk]) in bob_page
    assert reverse("console:documents_summary", args=[unit_b.pk]) not in bob_page
    assert reverse("console:documents_booklet") not in bob_page
    alice_page = client_for(people["alice"]).get(reverse("console:documents")).content.decode()
    assert reverse("console:documents_summary", args=[committee.pk]) in alice_page and "全市汇总表" in alice_page
    assert reverse("console:documents_booklet") in alice_page
    assert status_for(client_for, people["mallory"], reverse("console:documents")) == 403
