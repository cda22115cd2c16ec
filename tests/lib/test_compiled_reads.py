"""Compiled and CompiledRelation: reads compiled once give what the ORM gives, on both
databases — the same rows in the same order, every column with the same value and type,
the related rows of select_related, and relations kept where prefetch_related keeps them."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, attachment, make_project, stored_file
from wuxiao.lib.compiled import Compiled, CompiledRelation
from wuxiao.projects.models import FilePurpose, Opinion, OpinionStep, Project, ProjectEvent, ProjectVersion, TeamMember
from wuxiao.projects.queries import _PROJECT_BY_KEY, ProjectShows
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def columns(obj) -> dict:
    """Every concrete column of a model instance, with its value's type."""
    return {
        f.attname: (getattr(obj, f.attname), type(getattr(obj, f.attname)))
        for f in type(obj)._meta.concrete_fields
        if f.attname not in obj.get_deferred_fields()
    }


@pytest.fixture
def busy_project(campaign, unit_a, carol_applicant):
    """A project with something in every relation its page shows."""
    project = make_project(
        campaign,
        unit_a,
        carol_applicant,
        state=S.ACCEPTED,
        economic_benefit=Decimal("12.50"),
        start_date=date(2024, 3, 1),
    )
    TeamMember.objects.create(project=project, name="乙", birth_date="1998-01-01", user=UserFactory())
    TeamMember.objects.create(project=project, name="甲", birth_date="1997-05-02")
    attachment(project, "说明.pdf")
    attachment(project, "图纸.pdf")
    stamp = stored_file(project, FilePurpose.STAMP, "章.png", b"\x89PNG", "image/png", carol_applicant)
    Opinion.objects.create(
        project=project,
        step=OpinionStep.WORKSHOP,
        text="同意",
        approved=False,
        signer=carol_applicant,
        signer_name="韦",
        signed_on=date(2024, 4, 1),
        stamp=stamp,
    )
    stored_file(project, FilePurpose.RESULT_EVIDENCE, "报告.pdf", b"%PDF-1.4", "application/pdf", carol_applicant)
    ProjectEvent.objects.create(project=project, actor=carol_applicant, from_state=S.DRAFT, to_state=S.SUBMITTED)
    ProjectEvent.objects.create(project=project, actor=None, from_state=S.SUBMITTED, to_state=S.ACCEPTED)
    for number in (2, 1):
        ProjectVersion.objects.create(project=project, number=number, data={"n": number}, submitted_by=carol_applicant)
    make_project(campaign, unit_a, carol_applicant)  # another project's rows must not show up
    return project


def test_the_project_read_is_the_orms_with_its_campaign_and_unit(busy_project):
    orm = Project.objects.select_related("campaign", "unit").get(pk=busy_project.pk)
    with CaptureQueriesContext(connection) as captured:
        read = _PROJECT_BY_KEY.first(pk=busy_project.pk)
        assert read.campaign.title and read.unit.name  # joined, not read again
    assert len(captured) == 1
    assert columns(read) == columns(orm)
    assert columns(read.campaign) == columns(orm.campaign) and columns(read.unit) == columns(orm.unit)
    assert read._state.adding is False and read._state.db == "default"
    assert _PROJECT_BY_KEY.first(pk=busy_project.pk + 10_000) is None


@pytest.mark.parametrize("shown", ProjectShows.PAGE, ids=lambda shown: shown.relation)
def test_each_relation_a_page_shows_is_what_prefetch_related_reads(busy_project, shown):
    orm = Project.objects.get(pk=busy_project.pk)
    prefetch_related_objects([orm], shown.prefetch())
    expected = getattr(orm, shown.to_attr) if shown.to_attr else list(getattr(orm, shown.relation).all())
    assert expected, "the fixture fills every relation"

    project = Project.objects.get(pk=busy_project.pk)
    with CaptureQueriesContext(connection) as captured:
        shown.read_into(project)
        seen = getattr(project, shown.to_attr) if shown.to_attr else list(getattr(project, shown.relation).all())
        related = {
            name: [columns(getattr(row, name)) if getattr(row, name) else None for row in seen]
            for name in ("stored", "stamp", "actor")
            if hasattr(type(seen[0]), name)
        }
        assert all(row.project is project for row in seen)  # the way back, as prefetch_related sets it
    assert len(captured) == 1
    assert [columns(row) for row in seen] == [columns(row) for row in expected]
    assert related == {
        name: [columns(getattr(row, name)) if getattr(row, name) else None for row in expected] for name in related
    }


def test_a_kept_relation_is_filtered_further_by_the_database(busy_project):
    """What is kept is the relation's own queryset: a further filter still reads only this
    project's rows."""
    ProjectShows.members.read_into(busy_project)
    assert [m.name for m in busy_project.members.filter(name="甲")] == ["甲"]
    assert busy_project.members.count() == 2


def test_a_relation_known_to_be_empty_reads_nothing(busy_project):
    with CaptureQueriesContext(connection) as captured:
        ProjectShows.opinions.read_into(busy_project, empty=True)
        ProjectShows.evidence.read_into(busy_project, empty=True)
        assert list(busy_project.opinions.all()) == [] and busy_project.prefetched_evidence == []
    assert len(captured) == 0


def test_converted_columns_and_annotations_have_the_orms_types(busy_project):
    """SQLite returns decimals, dates and booleans as text and integers: the compiled read
    passes them through the same converters as the ORM."""
    from django.db.models import Count, Exists, OuterRef

    def build(pk):
        return Project.objects.filter(pk=pk).annotate(
            team=Count("members"), stamped=Exists(Opinion.objects.filter(project=OuterRef("pk"), approved=False))
        )

    [read] = Compiled(build).all(pk=busy_project.pk)
    orm = build(busy_project.pk).get()
    assert columns(read) == columns(orm)
    assert (read.team, read.stamped) == (orm.team, orm.stamped) == (2, True)
    assert type(read.stamped) is bool and type(read.economic_benefit) is Decimal


def test_compiled_once_per_connection_and_reads_fresh_rows(busy_project, monkeypatch):
    read = Compiled(lambda pk: Project.objects.filter(pk=pk))
    plans = []
    original = read.plan
    monkeypatch.setattr(read, "plan", lambda conn: plans.append(conn) or original(conn))
    assert read.first(pk=busy_project.pk).name == busy_project.name
    Project.objects.filter(pk=busy_project.pk).update(name="改过的名称")
    assert read.first(pk=busy_project.pk).name == "改过的名称"
    assert len(plans) == 1


def test_a_string_stand_in_and_several_of_them(busy_project):
    read = Compiled(lambda project, name: TeamMember.objects.filter(project_id=project, name=name))
    assert [m.name for m in read.all(project=busy_project.pk, name="甲")] == ["甲"]
    assert read.all(project=busy_project.pk, name="丙") == []


@pytest.mark.django_db(transaction=True)
def test_a_row_lock_needs_a_transaction_where_the_orm_needs_one(busy_project):
    """PostgreSQL: FOR UPDATE outside a transaction is refused, as the ORM refuses it; SQLite
    has no row locks (its IMMEDIATE transactions serialise writers) and neither refuses."""
    locked = Compiled(lambda pk: Project.objects.select_for_update().filter(pk=pk))
    reads = (
        lambda: list(Project.objects.select_for_update().filter(pk=busy_project.pk)),
        lambda: locked.first(pk=busy_project.pk),
    )
    for read in reads:
        if connection.features.has_select_for_update:
            with pytest.raises(TransactionManagementError):
                read()
        else:
            read()
    with transaction.atomic():
        assert locked.first(pk=busy_project.pk).pk == busy_project.pk


def test_shapes_it_is_not_for_are_refused_when_compiled(busy_project):
    with pytest.raises(ValueError, match="not among"):
        Compiled(lambda pk: Project.objects.filter(pk=busy_project.pk)).all(pk=1)
    with pytest.raises(ValueError, match="prefetches nothing"):
        Compiled(lambda pk: Project.objects.filter(pk=pk).prefetch_related("members")).all(pk=1)
    with pytest.raises(ValueError, match="prefetches nothing"):
        Compiled(lambda pk: Project.objects.filter(pk=pk).values("name")).all(pk=1)


def test_a_relation_of_another_model_by_its_own_foreign_key(busy_project):
    """CompiledRelation is not tied to projects: a stored file's attachment, one-to-one."""
    read = CompiledRelation(Project, "stored_files")
    rows = read.read_into(busy_project)
    assert {f.name for f in rows} == {"说明.pdf", "图纸.pdf", "章.png", "报告.pdf"}


def test_a_key_no_column_can_hold_is_no_row(client_for, busy_project, carol_applicant):
    """A URL's <int:pk> takes any number of digits: no row, a 404 — as the ORM answers (SQLite
    would refuse the number itself)."""
    assert _PROJECT_BY_KEY.first(pk=10**30) is None and _PROJECT_BY_KEY.all(pk=-(10**30)) == []
    assert client_for(carol_applicant).get(f"/me/projects/{10**30}/").status_code == 404
