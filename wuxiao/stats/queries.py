"""The aggregate reads behind the dashboards, the data screen and the campaign report.

A scope's counts (a `Cube`: by state, category, achievement form and child organisation, with
the economic benefit and the team members) come from the counts the database keeps up to date
(stats/models.py): three small GROUP BYs over rows per unit, whose number does not grow with the
projects, and never stale. A scope limited to a submission date range cannot be read from
them; it groups its projects (`cube`), cached (`counted`) under a key carrying
projects.queries.data_version() — the newest Project and ProjectEvent ids, so a new project or
any state change is counted on the next view — and the newest edit of a counted project its
leader may still edit (sent back or withdrawn: the only non-drafts whose category, form, benefit
or team change without a state change), and the scope's tree. The other reads are one query
each: headcounts, the recent forwarded projects, review progress and award counts. Python only
loops over grouped rows, never over projects.

No read joins the organisation table: the scope's units are one small query, and each unit is
mapped to the child of the scope organisation it lies under by its materialised path — a path
is a run of 7-character segments ("000001.000004."), so the child is the first len(path) + 7
characters of it. (Joining the organisation table and grouping by a substring of its path made
the committee dashboard several times slower with 100,000 projects.) A unit moved to another
district is therefore folded under its new parent at once.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Substr

from wuxiao.awards import queries as aq
from wuxiao.awards.models import Award, AwardLevel, AwardSheet, ResultStatus
from wuxiao.campaigns.models import Campaign, Participation
from wuxiao.people.models import Organisation
from wuxiao.projects.models import Project, TeamMember
from wuxiao.projects.queries import data_version
from wuxiao.projects.states import ProjectState
from wuxiao.reviews.models import Assignment, AssignmentStatus, ReviewRound
from wuxiao.stats.models import UnitCategoryCount, UnitFormCount, UnitStateCount

SEGMENT = 7  # one "000123." path segment

S = ProjectState
# The stage a project's state puts it in, in the order the notice runs them.
STAGE_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("立项审核中", (S.SUBMITTED, S.RETURNED, S.WITHDRAWN)),
    ("未予立项", (S.REFUSED,)),
    ("攻关中", (S.ACCEPTED,)),
    ("成果审核中", (S.RESULT_WORKSHOP, S.RESULT_TECH, S.RESULT_LEAGUE, S.RESULT_RETURNED)),
    ("单位评审通过（待上报）", (S.UNIT_APPROVED,)),
    ("已上报组委会", (S.FORWARDED,)),
]
COUNTED_STATES = [s for s in ProjectState if s != ProjectState.DRAFT]


@dataclass(frozen=True)
class Scope:
    """What a dashboard counts: the non-draft projects of one campaign under one
    organisation, optionally submitted within a date range."""

    org: Organisation
    campaign: Campaign
    date_from: date | None = None
    date_to: date | None = None

    @property
    def child_length(self) -> int:
        return len(self.org.path) + SEGMENT

    def unit_children(self) -> dict[int, str]:
        """Every organisation in the subtree (id → the path prefix of the child it is under)."""
        rows = Organisation.objects.filter(path__startswith=self.org.path).values_list("pk", "path")
        return {pk: path[: self.child_length] for pk, path in rows}

    def project_q(self, prefix: str = "") -> Q:
        """The scope as a filter on projects, or on a model that points at one (`project__`)."""
        q = Q(**{f"{prefix}campaign": self.campaign}) & ~Q(**{f"{prefix}state": ProjectState.DRAFT})
        if not self.org.is_committee:  # the committee's subtree is every organisation
            q &= Q(**{f"{prefix}unit__in": Organisation.objects.filter(path__startswith=self.org.path).values("pk")})
        if self.date_from:
            q &= Q(**{f"{prefix}submitted_at__date__gte": self.date_from})
        if self.date_to:
            q &= Q(**{f"{prefix}submitted_at__date__lte": self.date_to})
        return q

    def projects(self) -> QuerySet[Project]:
        return Project.objects.filter(self.project_q())

    @property
    def key(self) -> str:
        return f"{self.org.pk}:{self.campaign.pk}:{self.date_from or ''}:{self.date_to or ''}"


@dataclass
class Cube:
    """The grouped rows of one scope, folded into the sums every chart needs."""

    by_state: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_category: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    benefit_by_category: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_form: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_child: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    forwarded_by_child: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    units: set = field(default_factory=set)
    total: int = 0
    benefit: Decimal = Decimal("0")

    @property
    def forwarded(self) -> int:
        return self.by_state.get(ProjectState.FORWARDED, 0)

    def add_state(self, unit_id: int, child: str, state: str, n: int) -> None:
        if not n:
            return
        self.units.add(unit_id)
        self.total += n
        self.by_state[state] += n
        self.by_child[child] += n
        if state == ProjectState.FORWARDED:
            self.forwarded_by_child[child] += n

    def add_category(self, category: str, n: int, benefit: Decimal | None) -> None:
        benefit = benefit or Decimal("0")
        self.benefit += benefit
        self.by_category[category or "未填写"] += n
        self.benefit_by_category[category or "未填写"] += benefit

    def add_form(self, form: str, n: int) -> None:
        self.by_form[form or "未填写"] += n


def cube(scope: Scope, unit_children: dict[int, str] | None = None) -> Cube:
    """One GROUP BY query over the scope's projects."""
    unit_children = scope.unit_children() if unit_children is None else unit_children
    rows = (
        scope.projects()
        .values_list("unit_id", "state", "category", "achievement_form")
        # COUNT(*), not COUNT(id): the cube is then read from project_stats_cube_idx alone.
        .annotate(n=Count("*"), benefit=Sum("economic_benefit"))
        .order_by()
    )
    c = Cube()
    for unit_id, state, category, form, n, benefit in rows:
        c.add_state(unit_id, unit_children.get(unit_id, ""), state, n)
        c.add_category(category, n, benefit)
        c.add_form(form, n)
    return c


def kept(scope: Scope, unit_children: dict[int, str]) -> tuple[Cube, dict[str, int]]:
    """The scope's cube and team members by child from the kept counts (three queries)."""
    assert scope.date_from is None and scope.date_to is None, "the kept counts have no dates"
    rows = Q(campaign=scope.campaign, projects__gt=0)
    if not scope.org.is_committee:
        rows &= Q(unit__in=Organisation.objects.filter(path__startswith=scope.org.path).values("pk"))
    c, members = Cube(), defaultdict(int)
    for unit_id, state, n, m in UnitStateCount.objects.filter(rows).values_list(
        "unit_id", "state", "projects", "members"
    ):
        child = unit_children.get(unit_id, "")
        c.add_state(unit_id, child, state, n)
        members[child] += m
    for category, n, benefit in (
        UnitCategoryCount.objects.filter(rows)
        .values_list("category")
        .annotate(Sum("projects"), Sum("benefit"))
        .order_by()
    ):
        c.add_category(category, n, benefit)
    for form, n in UnitFormCount.objects.filter(rows).values_list("form").annotate(Sum("projects")).order_by():
        c.add_form(form, n)
    return c, dict(members)


# Counted (not drafts) and still editable by the leader: edits here change no state.
EDITABLE_COUNTED = [s for s in ProjectState.EDITABLE if s in COUNTED_STATES]


def counts_version(campaign: Campaign) -> str:
    """What the cached counts of a campaign depend on: data_version() and the newest edit of
    a sent-back or withdrawn project (one probe of project_editable_updated_idx)."""
    edited = (
        Project.objects.filter(campaign=campaign, state__in=EDITABLE_COUNTED)
        .order_by()
        .aggregate(t=Max("updated_at"))["t"]
    )
    return f"{data_version()}:{edited.timestamp() if edited else ''}"


def _tree(unit_children: dict[int, str]) -> str:
    """A short hash of the subtree's shape: a unit moved, added or removed changes it."""
    return hashlib.sha1(repr(sorted(unit_children.items())).encode()).hexdigest()[:16]


def counted(scope: Scope, unit_children: dict[int, str], *, members: bool = True) -> tuple[Cube, dict[str, int]]:
    """The scope's cube and team members by child: from the kept counts, or for a date range
    grouped from its projects (members unless members=False) and cached while nothing counted
    changed."""
    if scope.date_from is None and scope.date_to is None:
        return kept(scope, unit_children)
    key = f"wuxiao:stats:{scope.key}:{int(members)}:{counts_version(scope.campaign)}:{_tree(unit_children)}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    result = (cube(scope, unit_children), team_members_by_child(scope, unit_children) if members else {})
    cache.set(key, result, timeout=600)
    return result


def children(scope: Scope) -> list[Organisation]:
    """The organisations one level below the scope (districts for the committee, units or
    sub-bodies for a district); none for a unit."""
    return list(Organisation.objects.filter(parent=scope.org, is_active=True).order_by("path"))


def team_members_by_child(scope: Scope, unit_children: dict[int, str]) -> dict[str, int]:
    rows = (
        TeamMember.objects.filter(scope.project_q("project__"))
        .values_list("project__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[str, int] = defaultdict(int)
    for unit_id, n in rows:
        result[unit_children.get(unit_id, "")] += n
    return dict(result)


def young_workers_by_child(scope: Scope) -> dict[str, int]:
    """The campaign's headcounts (Participation) summed per child organisation."""
    rows = (
        Participation.objects.filter(campaign=scope.campaign, organisation__path__startswith=scope.org.path)
        .annotate(child=Substr("organisation__path", 1, scope.child_length))
        .values_list("child")
        .annotate(n=Sum("young_workers"))
        .order_by()
    )
    return {child: n or 0 for child, n in rows}


def recent_forwarded(scope: Scope, unit_children: dict[int, str], limit: int = 8) -> list[Project]:
    """The latest forwarded projects. Which they are changes only with a state change (the
    forwarding sets forwarded_at in the same transaction), so their ids are cached under
    data_version(); the rows themselves are read by id, so names are never stale."""
    key = f"wuxiao:stats:recent:{scope.key}:{limit}:{data_version()}:{_tree(unit_children)}"
    ids = cache.get(key)
    if ids is None:
        ids = list(
            scope.projects()
            .filter(state=ProjectState.FORWARDED)
            .order_by("-forwarded_at", "-id")
            .values_list("pk", flat=True)[:limit]
        )
        cache.set(key, ids, timeout=600)
    rows = Project.objects.select_related("unit").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


# --- 评审 and 奖项 ---------------------------------------------------------------------


@dataclass(frozen=True)
class RoundProgress:
    """One review round over the scope's projects: active assignments and those scored
    (review submitted), the projects reviewed and those whose every assignment is scored."""

    name: str
    assigned: int
    scored: int
    projects: int
    complete: int


def review_progress(scope: Scope) -> list[RoundProgress]:
    """Every round of the campaign, in order (two queries; declined assignments left out)."""
    rounds = list(ReviewRound.objects.filter(campaign=scope.campaign).order_by("number").values_list("pk", "name"))
    if not rounds:
        return []
    unscored = Q(review__isnull=True) | Q(review__submitted_at__isnull=True)
    rows = {
        r["round_id"]: r
        for r in Assignment.objects.filter(
            scope.project_q("project__"), round__campaign=scope.campaign, status=AssignmentStatus.ACTIVE
        )
        .values("round_id")
        .annotate(
            assigned=Count("*"),
            unscored=Count("pk", filter=unscored),
            projects=Count("project_id", distinct=True),
            pending=Count("project_id", distinct=True, filter=unscored),
        )
        .order_by()
    }
    result = []
    for pk, name in rounds:
        r = rows.get(pk, {"assigned": 0, "unscored": 0, "projects": 0, "pending": 0})
        result.append(
            RoundProgress(
                name=name,
                assigned=r["assigned"],
                scored=r["assigned"] - r["unscored"],
                projects=r["projects"],
                complete=r["projects"] - r["pending"],
            )
        )
    return result


PRIZES = [level for level in AwardLevel if level != AwardLevel.NONE]


@dataclass
class AwardCounts:
    """The prizes of the scope's projects by level, and by level per child organisation."""

    status: str | None  # the sheet's ResultStatus; None before the committee starts one
    by_level: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_child: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    @property
    def is_published(self) -> bool:
        return self.status == ResultStatus.PUBLISHED


def award_counts(scope: Scope, unit_children: dict[int, str]) -> AwardCounts:
    """Two queries: the sheet's status, and the prizes grouped by unit and level."""
    status = AwardSheet.objects.filter(campaign=scope.campaign).values_list("status", flat=True).first()
    result = AwardCounts(status=status)
    if status is None:
        return result
    rows = (
        Award.objects.filter(scope.project_q("project__"), sheet__campaign=scope.campaign)
        .exclude(level=AwardLevel.NONE)
        .values_list("project__unit_id", "level")
        .annotate(n=Count("*"))
        .order_by()
    )
    for unit_id, level, n in rows:
        result.by_level[level] += n
        result.by_child[unit_children.get(unit_id, "")][level] += n
    return result


def published_prizes(scope: Scope) -> list[Award]:
    """获奖名单 of the scope's subtree, once the committee published it (else empty): the
    awards module's list (level order, then rank), kept to the scope's units."""
    sheet = aq.sheet_of(scope.campaign)
    if sheet is None or not sheet.is_published:
        return []
    prizes = aq.prizes_for_list(sheet)
    if scope.org.is_committee:
        return prizes
    units = set(Organisation.objects.filter(path__startswith=scope.org.path).values_list("pk", flat=True))
    return [a for a in prizes if a.project.unit_id in units]
