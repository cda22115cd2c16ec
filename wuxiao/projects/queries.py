"""Reused reads of projects, scoped to the user who asks. Views never filter projects by
hand: they start from `projects_visible_to`, which later capabilities extend (advisors,
opinion givers, experts by assignment, the public for published results)."""

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as day_start

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from wuxiao.campaigns.models import Campaign, Participation
from wuxiao.lib.compiled import Compiled, CompiledRelation
from wuxiao.people.models import Membership, Organisation, Role
from wuxiao.people.permissions import admin_organisations, memberships
from wuxiao.projects import rules
from wuxiao.projects.models import (
    AdvisorAssignment,
    Attachment,
    Direction,
    FilePurpose,
    Opinion,
    Project,
    ProjectEvent,
    ProjectLevel,
    ProjectVersion,
    StoredFile,
    TeamMember,
    WorkRecord,
)
from wuxiao.projects.states import ProjectState

# Who else sees projects, added by data apps above this one without an import cycle: the
# reviews app registers "experts see the projects assigned to them" from its AppConfig.ready().
# Each function takes the user and returns a Q over Project (Q(pk__in=[]) for nothing).
_visibility_extensions: list[Callable[[object], Q]] = []


def extend_visibility(rule: Callable[[object], Q]) -> Callable[[object], Q]:
    """Register one more "who sees which projects" rule (usable as a decorator)."""
    if rule not in _visibility_extensions:
        _visibility_extensions.append(rule)
    return rule


def visibility_q(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(leader=user) | Q(pk__in=TeamMember.objects.filter(user=user).values("project_id"))
    # Admins see their subtree's projects once submitted: a draft stays private to its team.
    # The subtree as `unit_id IN (ids)`, not a join on the unit's path: then every rule reads
    # only columns the list indexes carry (Project.LIST_COLUMNS), and a page is an index scan.
    for org in admin_organisations(user):
        q |= Q(unit_id__in=Organisation.objects.subtree(org).values("pk")) & ~Q(state__in=ProjectState.PRIVATE)
    # Technical advisors see the projects they guide; the unit's opinion givers (车间, 技术部门)
    # see its projects once a result is in the chain.
    q |= Q(pk__in=AdvisorAssignment.objects.filter(advisor=user).values("project_id"))
    giver_units = [m.organisation_id for m in memberships(user) if m.role in (Role.WORKSHOP, Role.TECH_DEPT)]
    if giver_units:
        q |= Q(unit_id__in=giver_units, state__in=ProjectState.RESULT_OR_LATER)
    for rule in _visibility_extensions:
        q |= rule(user)
    return q


def projects_visible_to(user, *, campaign=None) -> QuerySet[Project]:
    qs = Project.objects.filter(visibility_q(user)).select_related("campaign", "unit", "leader")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def projects_listed_for(user) -> QuerySet[Project]:
    """The rows of projects_visible_to(user), shaped for a long list of 200,000 projects.

    An admin (of a unit, a district, the city) sees a share of the table: visibility_q as it
    is, an OR over columns the list indexes carry, lets PostgreSQL walk an index in the list's
    order and stop at the page (no sort, no heap). Anyone else (applicant, team member,
    advisor, opinion giver, expert) sees a handful: one `id IN (UNION of indexed lookups)`
    finds them without walking the table (the OR made PostgreSQL scan it)."""
    if not user.is_authenticated:
        return Project.objects.none()
    if admin_organisations(user):
        return projects_visible_to(user)
    return Project.objects.filter(pk__in=_own_ids(user)).select_related("campaign", "unit", "leader")


def listed_parts(user) -> list[QuerySet[Project]]:
    """projects_listed_for(user) as disjoint parts that are each cheap to count: the
    subtrees an admin runs (an index range per unit; the OR would walk the whole table to
    count a district's share) and the user's own few projects outside them."""
    if not user.is_authenticated:
        return []
    own = Project.objects.filter(pk__in=_own_ids(user))
    orgs = admin_organisations(user)
    if not orgs:
        return [own]
    subtree = Q(pk__in=[])
    for org in orgs:
        subtree |= Q(path__startswith=org.path)
    unit_ids = list(Organisation.objects.filter(subtree).values_list("pk", flat=True))
    run = Q(unit_id__in=unit_ids) & ~Q(state__in=ProjectState.PRIVATE)
    return [Project.objects.filter(run), own.exclude(run)]


def _own_ids(user) -> QuerySet:
    """Ids of the projects a user sees other than as an admin: led, joined, advised, given
    an opinion on, and the extensions' (an expert's assignments), as one UNION."""
    giver_units = [m.organisation_id for m in memberships(user) if m.role in (Role.WORKSHOP, Role.TECH_DEPT)]
    branches = [
        TeamMember.objects.filter(user=user).order_by().values("project_id"),
        AdvisorAssignment.objects.filter(advisor=user).order_by().values("project_id"),
        *(
            [
                Project.objects.filter(unit_id__in=giver_units, state__in=ProjectState.RESULT_OR_LATER)
                .order_by()
                .values("pk")
            ]
            if giver_units
            else []
        ),
        *(Project.objects.filter(rule(user)).order_by().values("pk") for rule in _visibility_extensions),
    ]
    return Project.objects.filter(leader=user).order_by().values("pk").union(*branches)


def projects_of(user) -> QuerySet[Project]:
    """我的项目: projects the user leads, is a linked member of, or advises, across campaigns."""
    # One UNION subquery, not `leader = … OR id IN (…)`: the OR made PostgreSQL scan the table.
    mine = (
        Project.objects.filter(leader=user)
        .order_by()
        .values("pk")
        .union(
            TeamMember.objects.filter(user=user).order_by().values("project_id"),
            AdvisorAssignment.objects.filter(advisor=user).order_by().values("project_id"),
        )
    )
    return (
        Project.objects.filter(pk__in=mine)
        .select_related("campaign", "unit", "leader")
        .order_by("-campaign__starts_on", "-updated_at", "-id")
    )


def my_roles_in(user, projects) -> dict[int, str]:
    """project id → the user's role in it (rules.LEADER / MEMBER / ADVISOR), in one query."""
    ids = [p.pk for p in projects]
    roles = {
        pk: rules.ADVISOR
        for pk in AdvisorAssignment.objects.filter(advisor=user, project_id__in=ids).values_list(
            "project_id", flat=True
        )
    }
    roles.update({p.pk: rules.MEMBER for p in projects if p.leader_id != user.pk and p.pk not in roles})
    roles.update({p.pk: rules.LEADER for p in projects if p.leader_id == user.pk})
    return roles


def projects_for_unit_admin(user, *, campaign=None) -> QuerySet[Project]:
    """Projects a unit (or district) admin handles: submitted at least once, in the
    subtrees the user administers. Drafts stay private to their leader."""
    orgs = admin_organisations(user)
    if not orgs:
        return Project.objects.none()
    q = Q(pk__in=[])
    for org in orgs:
        q |= Q(path__startswith=org.path)
    # The subtree's unit ids as a list: the planner then knows how few units it is (a
    # join on `path LIKE …` looks like the whole table to it).
    unit_ids = list(Organisation.objects.filter(q).values_list("pk", flat=True))
    qs = (
        Project.objects.filter(unit_id__in=unit_ids)
        .exclude(state__in=ProjectState.PRIVATE)
        .select_related("campaign", "unit", "leader")
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


class ProjectShows:
    """What a project's pages show besides its row, each a reverse relation read by the
    project's key (`CompiledRelation`: compiled once per process for one project, a
    `Prefetch` for many). Opinions and result evidence come only once a project is 立项 (no
    transition leads back from there), so an earlier one's page does not ask for them."""

    # the team's accounts are shown as 已关联 or not: `user_id`, no join to the users
    members = CompiledRelation(Project, "members")
    attachments = CompiledRelation(Project, "attachments", lambda: Attachment.objects.select_related("stored"))
    opinions = CompiledRelation(Project, "opinions", lambda: Opinion.objects.select_related("stamp"))
    events = CompiledRelation(Project, "events", lambda: ProjectEvent.objects.select_related("actor"))
    evidence = CompiledRelation(
        Project,
        "stored_files",
        lambda: StoredFile.objects.filter(purpose=FilePurpose.RESULT_EVIDENCE).order_by("uploaded_at", "id"),
        to_attr="prefetched_evidence",
    )
    # the list of submissions links to each; the frozen form itself is read there
    versions = CompiledRelation(Project, "versions", lambda: ProjectVersion.objects.defer("data"))

    FORM = (members, attachments)
    PAGE = (members, attachments, opinions, events, evidence, versions)
    ONCE_STARTED = (opinions, evidence)

    @classmethod
    def page(cls, state: str | None = None) -> list[tuple[CompiledRelation, bool]]:
        """A page's relations, each with whether it is known to be empty (`state`: the
        project's, when known)."""
        started = state is None or state in ProjectState.ACCEPTED_OR_LATER
        return [(shown, not started and shown in cls.ONCE_STARTED) for shown in cls.PAGE]

    @classmethod
    def form(cls, state: str | None = None) -> list[tuple[CompiledRelation, bool]]:
        return [(shown, False) for shown in cls.FORM]

    @staticmethod
    def read_into(project: Project, shows: list[tuple[CompiledRelation, bool]]) -> Project:
        """Read each relation of `shows` (from `page` or `form`) and keep it on `project`."""
        for shown, empty in shows:
            shown.read_into(project, empty=empty)
        return project


def project_page_data(project: Project) -> Project:
    """The project read again with what a 申报表 page shows (`ProjectShows.page`, by its state),
    in a fixed number of queries."""
    project = Project.objects.select_related("campaign", "unit", "leader").get(pk=project.pk)
    return ProjectShows.read_into(project, ProjectShows.page(project.state))


def project_form_data(project: Project) -> Project:
    """The project read again with what the 申报表 form shows (`ProjectShows.form`)."""
    project = Project.objects.select_related("campaign", "unit", "leader").get(pk=project.pk)
    return ProjectShows.read_into(project, ProjectShows.form())


# The project a page shows, with its campaign and unit: compiled once per process (a third of
# a page's ORM work was building and compiling this read and its relations' reads).
_PROJECT_BY_KEY = Compiled(lambda pk: Project.objects.select_related("campaign", "unit").filter(pk=pk).order_by())


def visible_project(
    user, pk, *, shows: Callable[[str | None], list[tuple[CompiledRelation, bool]]] | None = None
) -> Project:
    """Project `pk` if `user` may see it (Http404 otherwise, as for a project that does not
    exist), with what the page `shows` (`ProjectShows.page` or `.form`, given the project's
    state) read once that is settled. The leader's own project — the first rule of
    `visibility_q` — is answered from the row itself, and `project.leader` is then `user`
    (not read again); anyone else is checked against the whole rule (`projects_visible_to`),
    and reads the leader when a page shows it."""
    from django.http import Http404

    try:
        project = _PROJECT_BY_KEY.first(pk=int(pk))
    except (TypeError, ValueError):
        project = None
    if project is None:
        raise Http404("没有找到该项目，或您无权查看")
    if project.leader_id == user.pk:
        # the leader is the signed-in user, already read: not joined again (16 columns a page)
        Project.leader.field.set_cached_value(project, user)
    elif not projects_visible_to(user).filter(pk=project.pk).exists():
        raise Http404("没有找到该项目，或您无权查看")
    if shows is not None:
        ProjectShows.read_into(project, shows(project.state))
    return project


# -------------------------------------------------------------------------------------
# The unit workflow's reads: a unit's projects, progress, opinions, forwarding, overviews.


def with_advisor_count(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Each project with `advisor_count`: a correlated count per row shown, not a GROUP BY
    over all the unit's projects."""
    return qs.annotate(
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


def unit_projects(unit: Organisation, campaign: Campaign) -> QuerySet[Project]:
    return with_advisor_count(
        Project.objects.filter(unit=unit, campaign=campaign)
        .exclude(state__in=ProjectState.PRIVATE)
        .select_related("leader", "unit", "campaign")
    ).order_by("-submitted_at", "-id")


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
        # the local day (Asia/Shanghai): .date() of a stored time is its UTC day, a day early
        # for whatever happened between 00:00 and 08:00
        since = timezone.localdate(accepted[p.pk] if p.pk in accepted else (p.submitted_at or p.created_at))
        rows.append((p, rules.progress(dates[p.pk], since=min(since, today), today=today)))
    return rows


def unit_todo_counts(units: list[Organisation], campaign: Campaign, *, today: date) -> dict[int, dict[str, int]]:
    """unit id → the unit admin's to-do counts: 待立项, 待审核意见 (the 团组织 step), 逾期未记录,
    待上报. A fixed number of queries whatever the number of units and projects; 逾期未记录
    (which checks each working project for a recent work record) comes from the cache while
    no project changed state, no work record was added and the day is the same."""
    counts = {u.pk: {"submitted": 0, "league": 0, "overdue": 0, "approved": 0} for u in units}
    key = {
        ProjectState.SUBMITTED: "submitted",
        ProjectState.RESULT_LEAGUE: "league",
        ProjectState.UNIT_APPROVED: "approved",
    }
    rows = (
        Project.objects.filter(unit__in=units, campaign=campaign, state__in=list(key))
        .values_list("unit_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, state, n in rows:
        counts[unit_id][key[state]] += n
    for unit_id, n in _cached_overdue_counts(units, campaign, today=today):
        counts[unit_id]["overdue"] += n
    return counts


def _cached_overdue_counts(units: list[Organisation], campaign: Campaign, *, today: date) -> list[tuple[int, int]]:
    """overdue_counts of the units' working projects, cached under what they depend on: every
    state change and new project (data_version), the newest work record (records are only
    ever added) and the day."""
    import hashlib

    from django.core.cache import cache
    from django.db.models import Max

    newest_record = WorkRecord.objects.aggregate(n=Max("id"))["n"]
    unit_key = hashlib.sha1(",".join(str(u.pk) for u in units).encode()).hexdigest()[:16]
    key = f"wuxiao:overdue:{campaign.pk}:{data_version()}:{newest_record}:{today.isoformat()}:{unit_key}"
    cached = cache.get(key)
    if cached is None:
        working = Project.objects.filter(
            unit__in=units, campaign=campaign, state__in=[ProjectState.ACCEPTED, ProjectState.RESULT_RETURNED]
        )
        cached = list(overdue_counts(working, today=today))
        cache.set(key, cached, timeout=600)
    return cached


def overdue_counts(projects: QuerySet[Project], *, today: date, overdue_days: int = rules.OVERDUE_DAYS):
    """(unit id, n) of the projects that rules.progress calls overdue, counted by the database
    (a unit with thousands of projects costs one query, not a Python loop): no work record in
    the last `overdue_days` days, and either some older record or work started (the latest
    acceptance, else submission, else creation) more than `overdue_days` days ago."""
    cutoff = today - timedelta(days=overdue_days)
    recent = WorkRecord.objects.filter(project=OuterRef("pk"), date__gte=cutoff)
    any_record = WorkRecord.objects.filter(project=OuterRef("pk"))
    accepted = (
        ProjectEvent.objects.filter(project=OuterRef("pk"), to_state=ProjectState.ACCEPTED)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    started_before = datetime.combine(cutoff, day_start.min, tzinfo=timezone.get_current_timezone())
    return (
        projects.annotate(started=Coalesce(Subquery(accepted), "submitted_at", "created_at"))
        .filter(~Exists(recent))
        .filter(Q(Exists(any_record)) | Q(started__lt=started_before))
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("id"))
    )


def opinion_states_for(user, unit: Organisation) -> list[str]:
    """The chain states whose opinion `user` gives in `unit`."""
    from wuxiao.people.permissions import can_manage_organisation

    roles = set(Membership.objects.filter(user=user, organisation=unit).values_list("role", flat=True))
    workshop, tech, league = ProjectState.OPINION_CHAIN
    states = []
    if Role.WORKSHOP in roles:
        states.append(workshop)
    if Role.TECH_DEPT in roles:
        states.append(tech)
    if can_manage_organisation(user, unit):
        states.append(league)
    return states


def forwarded_count(campaign: Campaign, unit: Organisation) -> int:
    """Projects of the unit forwarded to the committee, whatever happened to them since
    (review, awards): the quota counts them all."""
    return Project.objects.filter(campaign=campaign, unit=unit, state__in=ProjectState.FORWARDED_OR_LATER).count()


def forwardable(unit: Organisation, campaign: Campaign) -> QuerySet[Project]:
    return unit_projects(unit, campaign).filter(state=ProjectState.UNIT_APPROVED, level=ProjectLevel.KEY)


def unit_overview(units: list[Organisation], campaign: Campaign) -> list[dict]:
    """Per unit: counts by state, forwarded vs quota. At most three queries for any number
    of units."""
    counts = defaultdict(Counter, _state_counts([u.pk for u in units], campaign))
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
                "forwarded": sum(c[s] for s in ProjectState.FORWARDED_OR_LATER),
                "quota": part.quota if part else quota(0, campaign.quota_settings),
                "young_workers": part.young_workers if part else None,
                "reporter_name": part.reporter_name if part else "",
            }
        )
    return rows


def data_version() -> str:
    """The version of every project's state: the newest Project id and the newest
    ProjectEvent id (two index lookups). Every state change writes a ProjectEvent
    (transitions.transition) and every new project a Project row, so a cache key carrying
    this string is never read after a project was added or changed state."""
    from django.db.models import Max

    newest_project = Project.objects.aggregate(n=Max("id"))["n"]
    newest_event = ProjectEvent.objects.aggregate(n=Max("id"))["n"]
    return f"{newest_project}:{newest_event}"


def _state_counts(unit_ids: list[int], campaign: Campaign) -> dict[int, Counter]:
    """{unit id: Counter(state → projects)} outside drafts (ProjectState.PRIVATE): the counts
    the database keeps for the statistics (stats/models.py), one query over a row per unit
    and state however many projects there are, and never behind a change."""
    from wuxiao.stats.models import UnitStateCount

    counts: dict[int, Counter] = defaultdict(Counter)
    for unit_id, state, n in UnitStateCount.objects.filter(
        campaign=campaign, unit__in=unit_ids, projects__gt=0
    ).values_list("unit_id", "state", "projects"):
        counts[unit_id][state] = n
    return dict(counts)


def units_under(org: Organisation) -> QuerySet[Organisation]:
    """The active units of the subtree in tree order, for a paginator: a page reads its own
    rows (and one COUNT), not every unit of the city."""
    from wuxiao.people.models import UNIT_KINDS

    return (
        Organisation.objects.subtree(org)
        .filter(kind__in=UNIT_KINDS, is_active=True)
        .select_related("parent")
        .order_by("path")
    )


def overview_states() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in ProjectState.shown_to_units()]


def published_directions(campaign: Campaign, unit: Organisation) -> list:
    """The directions applicants of `unit` see when they apply (for the 新建项目 page, which
    every applicant opens: compiled once per process)."""
    return _PUBLISHED_DIRECTIONS.all(campaign=campaign.pk, unit=unit.pk)


_PUBLISHED_DIRECTIONS = Compiled(
    lambda campaign, unit: Direction.objects.filter(campaign_id=campaign, unit_id=unit, published=True).order_by(
        "order", "id"
    )
)
