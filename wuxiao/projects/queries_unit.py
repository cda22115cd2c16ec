"""Reads for the unit workflow pages, each a constant number of queries whatever the rows."""

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from wuxiao.campaigns.models import Campaign, Participation
from wuxiao.people.models import Membership, Organisation, Role
from wuxiao.projects import rules_unit as rules
from wuxiao.projects.models import AdvisorAssignment, Project, ProjectEvent, ProjectLevel, WorkRecord
from wuxiao.projects.states import ProjectState

# Applications the unit deals with (drafts stay private to the applicant).
UNIT_STATES = [s for s in ProjectState.values if s != ProjectState.DRAFT]


def unit_projects(unit: Organisation, campaign: Campaign) -> QuerySet[Project]:
    return (
        Project.objects.filter(unit=unit, campaign=campaign)
        .exclude(state=ProjectState.DRAFT)
        .select_related("leader", "unit", "campaign")
        # A correlated count per row shown, not a GROUP BY over all the unit's projects.
        .annotate(
            advisor_count=Coalesce(
                Subquery(
                    AdvisorAssignment.objects.filter(project=OuterRef("pk"))
                    .order_by()
                    .values("project")
                    .annotate(n=Count("*"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .order_by("-submitted_at", "-id")
    )


def filter_applications(qs: QuerySet[Project], *, state="", level="", category="") -> QuerySet[Project]:
    if state:
        qs = qs.filter(state=state)
    if level == "none":
        qs = qs.filter(level="")
    elif level:
        qs = qs.filter(level=level)
    if category:
        qs = qs.filter(category=category)
    return qs


def progress_of(projects: list[Project], *, today: date) -> list[tuple[Project, rules.Progress]]:
    """Each project with its work-record metrics: two queries for any number of projects."""
    ids = [p.pk for p in projects]
    dates = defaultdict(list)
    for pid, day in WorkRecord.objects.filter(project_id__in=ids).values_list("project_id", "date"):
        dates[pid].append(day)
    accepted = dict(
        ProjectEvent.objects.filter(project_id__in=ids, to_state=ProjectState.ACCEPTED)
        .order_by("project_id", "at")
        .values_list("project_id", "at")
    )
    rows = []
    for p in projects:
        since = accepted[p.pk].date() if p.pk in accepted else (p.submitted_at or p.created_at).date()
        rows.append((p, rules.progress(dates[p.pk], since=min(since, today), today=today)))
    return rows


def opinion_states_for(user, unit: Organisation) -> list[str]:
    """The chain states whose opinion `user` gives in `unit`."""
    from wuxiao.people.permissions import can_manage_organisation

    roles = set(Membership.objects.filter(user=user, organisation=unit).values_list("role", flat=True))
    states = []
    if Role.WORKSHOP in roles:
        states.append(ProjectState.RESULT_WORKSHOP)
    if Role.TECH_DEPT in roles:
        states.append(ProjectState.RESULT_TECH)
    if can_manage_organisation(user, unit):
        states.append(ProjectState.RESULT_LEAGUE)
    return states


def units_with_opinion_role(user) -> list[Organisation]:
    ids = Membership.objects.filter(user=user, role__in=[Role.WORKSHOP, Role.TECH_DEPT]).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("path"))


def forwardable(unit: Organisation, campaign: Campaign) -> QuerySet[Project]:
    return unit_projects(unit, campaign).filter(state=ProjectState.UNIT_APPROVED, level=ProjectLevel.KEY)


def summary_rows(projects) -> list[dict]:
    """The rows of the 汇总表 (附件3)."""
    rows = []
    for i, p in enumerate(projects, 1):
        rows.append(
            {
                "number": i,
                "unit": p.unit.name,
                "name": p.name,
                "leader": f"{p.leader_name or p.leader.display_name} {p.leader_phone or p.leader.mobile or ''}".strip(),
                "benefit": p.economic_benefit,
                "category": p.category_display,
                "grade": p.self_grade,
            }
        )
    return rows


def unit_overview(units: list[Organisation], campaign: Campaign) -> list[dict]:
    """Per unit: counts by state, forwarded vs quota. Three queries for any number of units."""
    counts = defaultdict(Counter)
    for unit_id, state, n in (
        Project.objects.filter(campaign=campaign, unit__in=units)
        .exclude(state=ProjectState.DRAFT)
        .values_list("unit_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[unit_id][state] = n
    participations = {
        p.organisation_id: p
        for p in Participation.objects.filter(campaign=campaign, organisation__in=units).select_related("campaign")
    }
    from wuxiao.campaigns.rules import quota

    rows = []
    for unit in units:
        c = counts[unit.pk]
        part = participations.get(unit.pk)
        rows.append(
            {
                "unit": unit,
                "counts": c,
                "cells": [c[state] for state, _ in overview_states()],
                "total": sum(c.values()),
                "forwarded": c[ProjectState.FORWARDED],
                "quota": part.quota if part else quota(0, campaign.quota_settings),
                "young_workers": part.young_workers if part else None,
                "reporter_name": part.reporter_name if part else "",
            }
        )
    return rows


def units_under(org: Organisation) -> list[Organisation]:
    from wuxiao.people.models import UNIT_KINDS

    return list(Organisation.objects.subtree(org).filter(kind__in=UNIT_KINDS, is_active=True).select_related("parent"))


def overview_states() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in ProjectState if s != ProjectState.DRAFT]


def forwarded_q() -> Q:
    return Q(state=ProjectState.FORWARDED)


def published_directions(campaign: Campaign, unit: Organisation) -> QuerySet:
    """The directions applicants of `unit` see when they apply (for the submission form)."""
    from wuxiao.projects.models import Direction

    return Direction.objects.filter(campaign=campaign, unit=unit, published=True).order_by("order", "id")
