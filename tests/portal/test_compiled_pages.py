"""The submission flow's pages read what every request reads through compiled reads
(lib.compiled): once a process has served a page, serving it again compiles no SQL for the
session, the user, the roles, the campaign, the project and what its page shows. A read that
slips back to a queryset built per request shows up here (docs/performance.md, session 10)."""

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse

from tests.factories import attachment, make_project
from wuxiao.projects.models import TeamMember
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiles(monkeypatch):
    """The SELECTs compiled by the ORM while the test runs, by their first table."""
    seen = []
    original = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        seen.append(self.query.model._meta.db_table if self.query.model else "?")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    return seen


@pytest.mark.parametrize("page", ["portal:project_detail", "portal:project_edit"])
def test_a_leaders_project_pages_compile_no_sql_the_second_time(
    client_for, campaign, unit_a, carol_applicant, compiles, page
):
    state = S.SUBMITTED if page == "portal:project_detail" else S.DRAFT
    project = make_project(campaign, unit_a, carol_applicant, state=state)
    TeamMember.objects.create(project=project, name="甲", birth_date="1997-05-02")
    attachment(project, "说明.pdf")
    client = client_for(carol_applicant)
    url = reverse(page, args=[project.pk])
    assert client.get(url).status_code == 200  # the first request compiles the shapes
    compiles.clear()
    response = client.get(url)
    assert response.status_code == 200 and "说明.pdf" in response.content.decode()
    assert compiles == []
