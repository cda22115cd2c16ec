"""manage.py demo_data: the projects of the current campaign (as far as --stage allows) and
the 2024 campaign's history, so every demo account has something to act on."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from wuxiao.campaigns.models import Campaign
from wuxiao.demo import build
from wuxiao.people.models import Role, User
from wuxiao.projects.models import Project, TeamMember, WorkRecord
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def run(*args) -> None:
    call_command("demo_data", *args, stdout=StringIO())


def states(campaign_slug: str, **filters) -> dict:
    return dict(
        Counter(Project.objects.filter(campaign__slug=campaign_slug, **filters).values_list("state", flat=True))
    )


def forwarded_within_quota() -> bool:
    for campaign in Campaign.objects.all():
        for part in campaign.participations.all():
            n = Project.objects.filter(campaign=campaign, unit=part.organisation, state=S.FORWARDED).count()
            if n > part.quota:
                return False
    return True


def test_registration_stage_projects_and_the_accounts_data():
    run("--scale", "0.25")
    current = build.DEMO_CAMPAIGN_SLUG
    # Seeded: the same counts every run. 申报 states only, nothing forwarded yet.
    assert states(current) == {
        S.DRAFT: 26,
        S.SUBMITTED: 12,
        S.RETURNED: 11,
        S.WITHDRAWN: 8,
        S.ACCEPTED: 84,
        S.REFUSED: 13,
    }
    accepted = Project.objects.filter(campaign__slug=current, state=S.ACCEPTED)
    assert set(accepted.values_list("level", flat=True)) == {"key", "general"}
    assert all(p.advisor_assignments.count() >= 2 for p in accepted.filter(level="key"))
    assert not WorkRecord.objects.filter(project__campaign__slug=current).exists()

    # applicant: leads a draft and two submitted projects, and is in a colleague's team.
    applicant = User.objects.get(username="applicant")
    assert states(current, leader=applicant) == {S.DRAFT: 1, S.SUBMITTED: 2}
    member = TeamMember.objects.get(user=applicant)
    assert member.project.leader != applicant and member.project.campaign.slug == current

    # unit: submitted applications to classify and key projects, in its own unit.
    unit_admin = User.objects.get(username="unit")
    unit = unit_admin.memberships.get(role=Role.ADMIN).organisation
    assert unit.name == build.DEMO_UNIT
    mine = Project.objects.filter(campaign__slug=current, unit=unit)
    assert mine.filter(state=S.SUBMITTED).exclude(leader=applicant).count() >= 1
    assert mine.filter(state=S.ACCEPTED, level="key").count() >= 1

    # advisor: advises every key project of that unit.
    advisor = User.objects.get(username="advisor")
    key = mine.filter(level="key")
    assert key.exists() and all(p.advisor_assignments.filter(advisor=advisor).exists() for p in key)

    # district and committee: their units' projects, everyone's.
    district = User.objects.get(username="district").memberships.get(role=Role.ADMIN).organisation
    assert Project.objects.filter(campaign__slug=current, unit__path__startswith=district.path).count() >= 10
    assert Project.objects.filter(campaign__slug=current).values("unit").distinct().count() == 17

    # The 2024 campaign: ended, on its real dates, most projects forwarded, within quota.
    base = Campaign.objects.get(slug=build.BASE_CAMPAIGN_SLUG)
    assert base.starts_on.year == 2024 and base.ends_on < timezone.localdate() and not base.is_current
    history = states(build.BASE_CAMPAIGN_SLUG)
    assert history == {S.FORWARDED: 20, S.UNIT_APPROVED: 5, S.DRAFT: 6, S.RETURNED: 6, S.WITHDRAWN: 1}
    forwarded = Project.objects.filter(campaign=base, state=S.FORWARDED)
    assert all(p.self_grade and p.forwarded_at.date() <= base.ends_on for p in forwarded)
    assert forwarded_within_quota()


def test_collection_stage_has_results_in_the_chain_and_forwarded_projects():
    run("--scale", "0.1", "--stage", "collection")
    current = states(build.DEMO_CAMPAIGN_SLUG)
    assert current[S.FORWARDED] >= 1 and current[S.UNIT_APPROVED] >= 1
    assert current.get(S.RESULT_TECH, 0) + current.get(S.RESULT_LEAGUE, 0) >= 1
    assert WorkRecord.objects.filter(project__campaign__slug=build.DEMO_CAMPAIGN_SLUG).exists()
    assert forwarded_within_quota()


def test_work_stage_has_work_records_and_no_results():
    run("--scale", "0.1", "--stage", "work")
    current = states(build.DEMO_CAMPAIGN_SLUG)
    assert S.FORWARDED not in current and S.UNIT_APPROVED not in current
    accepted = Project.objects.filter(campaign__slug=build.DEMO_CAMPAIGN_SLUG, state=S.ACCEPTED)
    assert accepted.count() == current[S.ACCEPTED] > 0
    assert all(p.work_records.exists() for p in accepted)


def test_no_commitment_is_dated_after_the_opinions_that_follow_it():
    """A 申报表 prints its 承诺 date above the opinions of the workshop, the technical department
    and the league: in both campaigns the 承诺 comes first, and the work records and opinions
    fall inside the campaign."""
    from wuxiao.projects.models import Opinion

    run("--scale", "0.1", "--stage", "collection")
    opinions = Opinion.objects.select_related("project", "project__campaign")
    checked = {c.slug: 0 for c in Campaign.objects.all()}
    for opinion in opinions:
        project = opinion.project
        committed = timezone.localtime(project.commitment_at).date()
        assert committed <= opinion.signed_on, (project.name, committed, opinion.signed_on)
        assert opinion.signed_on <= project.campaign.ends_on, (project.name, opinion.signed_on)
        checked[project.campaign.slug] += 1
    assert checked[build.BASE_CAMPAIGN_SLUG] > 0 and checked[build.DEMO_CAMPAIGN_SLUG] > 0


def test_every_demo_project_fits_its_unit():
    """No law firm submits a tablet coater: each project of the demo city's enterprises, agencies
    and 两企三新 is of its unit's trade or 其他, in both campaigns. (The notice's universities
    teach every trade; their projects may be of any category.)"""
    from wuxiao.demo.names import unit_category
    from wuxiao.people.models import OrgKind

    run("--scale", "0.1", "--stage", "collection")
    seen = set()
    projects = Project.objects.exclude(category="").exclude(unit__kind=OrgKind.UNIVERSITY)
    for name, category, unit in projects.values_list("name", "category", "unit__name"):
        own = unit_category(unit)
        assert own is not None, unit
        assert category in (own, "其他"), (unit, name, category)
        seen.add(own)
    assert len(seen) >= 4  # the city has several trades
