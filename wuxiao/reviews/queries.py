"""Reused reads of 评审认定, each in a fixed number of queries.

Experts see projects only through `projects_assigned_to` / `assignments_of`: exactly the
projects assigned to them. projects.queries does not import this app (a data app never
imports one built on it), so the portal's expert views start from these queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from wuxiao.campaigns.models import Campaign
from wuxiao.people.models import Membership, Organisation, OrgKind, Role
from wuxiao.projects.models import Attachment, Project, TeamMember
from wuxiao.projects.states import ProjectState
from wuxiao.reviews import rules
from wuxiao.reviews.models import Assignment, AssignmentStatus, ExpertProfile, Review, ReviewRound, Score


def expert_pool() -> list[ExpertProfile]:
    """专家库: profiles of people holding the expert role, with their organisations."""
    experts = Membership.objects.filter(role=Role.EXPERT).values("user_id")
    return list(
        ExpertProfile.objects.filter(user_id__in=experts)
        .select_related("user")
        .prefetch_related("declared_organisations", "declared_people")
        .order_by("user__real_name", "user_id")
    )


def experts_without_profile() -> QuerySet:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__role=Role.EXPERT, expert_profile__isnull=True)
        .distinct()
        .order_by("real_name")
    )


def round_candidates(round: ReviewRound) -> QuerySet[Project]:
    """The projects a round reviews: the campaign's projects forwarded to the committee, or,
    for a later round, the first `advance_count` of the previous round's ranking."""
    qs = Project.objects.filter(campaign_id=round.campaign_id, state__in=ProjectState.FORWARDED_OR_LATER)
    if round.previous_id is not None:
        ranked = ranking(round.previous)
        qs = qs.filter(pk__in=[r.project.pk for r in ranked[: round.advance_count or 0]])
    return qs.select_related("unit").order_by("pk")


def rounds_of(campaign: Campaign) -> QuerySet[ReviewRound]:
    return campaign.review_rounds.annotate(
        n_assignments=Count("assignments", filter=Q(assignments__status=AssignmentStatus.ACTIVE)),
        n_submitted=Count(
            "assignments",
            filter=Q(assignments__status=AssignmentStatus.ACTIVE, assignments__review__submitted_at__isnull=False),
        ),
    ).order_by("number")


def loads(round: ReviewRound) -> dict[int, int]:
    rows = (
        Assignment.objects.filter(round=round, status=AssignmentStatus.ACTIVE)
        .values("expert_id")
        .annotate(n=Count("*"))
        .values_list("expert_id", "n")
    )
    return dict(rows)


def active_counts(round: ReviewRound) -> dict[int, int]:
    rows = (
        Assignment.objects.filter(round=round, status=AssignmentStatus.ACTIVE)
        .values("project_id")
        .annotate(n=Count("*"))
        .values_list("project_id", "n")
    )
    return dict(rows)


@dataclass
class ConflictFacts:
    root_path: str
    unit_paths: dict[int, str]  # project → its unit's path
    project_people: dict[int, set[int]]  # project → leader and linked team members
    expert_paths: dict[int, list[str]]  # expert → paths of the organisations they belong to
    declared_paths: dict[int, list[str]]
    declared_people: dict[int, set[int]]

    def reason(self, project: Project, expert_id: int) -> str:
        return rules.conflict_reason(
            expert_paths=self.expert_paths.get(expert_id, []),
            unit_path=self.unit_paths[project.pk],
            declared_paths=self.declared_paths.get(expert_id, []),
            declared_people=self.declared_people.get(expert_id, set()),
            project_people=self.project_people.get(project.pk, set()),
            root_path=self.root_path,
        )

    def forbidden_pairs(self, projects: list[Project], expert_ids: list[int]) -> set[tuple[int, int]]:
        """Every (project, expert) pair with a conflict. The tree and declared units are
        checked once per distinct unit, not per project: 5,000 projects come from a few
        hundred units."""
        by_unit: dict[str, list[int]] = defaultdict(list)
        for p in projects:
            by_unit[self.unit_paths[p.pk]].append(p.pk)
        experts = {e: (self.expert_paths.get(e, []), self.declared_paths.get(e, [])) for e in expert_ids}
        pairs = set()
        for unit_path, project_ids in by_unit.items():
            for e in rules.experts_in_conflict_with_unit(unit_path, experts, root_path=self.root_path):
                pairs.update((pid, e) for pid in project_ids)
        for e in expert_ids:
            people = self.declared_people.get(e)
            if people:
                pairs.update((p.pk, e) for p in projects if self.project_people.get(p.pk, set()) & people)
        return pairs


def conflict_facts(*, projects: list[Project], experts: list) -> ConflictFacts:
    """Everything conflict_reason needs for these projects and experts, in five queries."""
    project_ids = [p.pk for p in projects]
    expert_ids = [e.pk for e in experts]
    root = Organisation.objects.filter(kind=OrgKind.COMMITTEE, parent=None).values_list("path", flat=True).first()
    unit_paths = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "unit__path"))
    people: dict[int, set[int]] = defaultdict(set)
    for pk, leader in Project.objects.filter(pk__in=project_ids).values_list("pk", "leader_id"):
        people[pk].add(leader)
    for pk, user in TeamMember.objects.filter(project_id__in=project_ids, user__isnull=False).values_list(
        "project_id", "user_id"
    ):
        people[pk].add(user)
    expert_paths: dict[int, list[str]] = defaultdict(list)
    for user, path in Membership.objects.filter(user_id__in=expert_ids).values_list("user_id", "organisation__path"):
        expert_paths[user].append(path)
    declared_paths: dict[int, list[str]] = defaultdict(list)
    through = ExpertProfile.declared_organisations.through
    for user, path in through.objects.filter(expertprofile__user_id__in=expert_ids).values_list(
        "expertprofile__user_id", "organisation__path"
    ):
        declared_paths[user].append(path)
    declared_people: dict[int, set[int]] = defaultdict(set)
    through = ExpertProfile.declared_people.through
    for user, person in through.objects.filter(expertprofile__user_id__in=expert_ids).values_list(
        "expertprofile__user_id", "user_id"
    ):
        declared_people[user].add(person)
    return ConflictFacts(root or "", unit_paths, people, expert_paths, declared_paths, declared_people)


# --- The expert's side --------------------------------------------------------------------


def assignments_of(user) -> QuerySet[Assignment]:
    """The expert's active assignments with round, project and their own review."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(expert=user, status=AssignmentStatus.ACTIVE)
        .select_related("round", "round__campaign", "project", "project__unit", "project__leader", "review")
        .order_by("-round__campaign__starts_on", "round__number", "project_id")
    )


def projects_assigned_to(user, *, round: ReviewRound | None = None) -> QuerySet[Project]:
    """Exactly the projects assigned to the expert (and not declined)."""
    mine = assignments_of(user)
    if round is not None:
        mine = mine.filter(round=round)
    return Project.objects.filter(pk__in=mine.values("project_id"))


def review_page_data(assignment: Assignment) -> Project:
    return (
        Project.objects.filter(pk=assignment.project_id)
        .select_related("campaign", "unit", "leader")
        .prefetch_related(
            Prefetch("members", queryset=TeamMember.objects.order_by("order", "id")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("stored").order_by("id")),
        )
        .get()
    )


def scores_of(review: Review | None) -> dict[int, Score]:
    if review is None:
        return {}
    return {s.criterion_id: s for s in review.scores.all()}


# --- The committee's side -------------------------------------------------------------


@dataclass
class ExpertProgress:
    expert: object
    assigned: int
    drafts: int
    submitted: int

    @property
    def behind(self) -> int:
        return self.assigned - self.submitted


def progress(round: ReviewRound) -> list[ExpertProgress]:
    """Per expert: assigned, drafts, submitted (two queries)."""
    from django.contrib.auth import get_user_model

    rows = (
        Assignment.objects.filter(round=round, status=AssignmentStatus.ACTIVE)
        .values("expert_id")
        .annotate(
            assigned=Count("*"),
            submitted=Count("pk", filter=Q(review__submitted_at__isnull=False)),
            started=Count("review"),
        )
    )
    rows = list(rows)
    users = get_user_model().objects.in_bulk([r["expert_id"] for r in rows])
    result = [
        ExpertProgress(
            expert=users[r["expert_id"]],
            assigned=r["assigned"],
            drafts=r["started"] - r["submitted"],
            submitted=r["submitted"],
        )
        for r in rows
    ]
    return sorted(result, key=lambda p: (-p.behind, p.expert.display_name))


def experts_behind(round: ReviewRound) -> list[tuple[object, int]]:
    return [(p.expert, p.behind) for p in progress(round) if p.behind > 0]


def assignments_by_project(round: ReviewRound) -> dict[int, list[Assignment]]:
    out: dict[int, list[Assignment]] = defaultdict(list)
    for a in Assignment.objects.filter(round=round).select_related("expert", "review").order_by("project_id", "id"):
        out[a.project_id].append(a)
    return out


@dataclass
class RankingRow:
    position: int
    project: Project
    raw: object
    normalised: object
    spread: object
    count: int
    disputed: bool


def ranking(round: ReviewRound) -> list[RankingRow]:
    """Submitted reviews of the round → ranked rows by the round's method (three queries)."""
    triples = list(
        Review.objects.filter(
            assignment__round=round,
            assignment__status=AssignmentStatus.ACTIVE,
            submitted_at__isnull=False,
            total__isnull=False,
        ).values_list("assignment__project_id", "assignment__expert_id", "total")
    )
    ranked, _ = rules.normalise(triples)
    ordered = rules.order_ranking(ranked, by=round.ranking)
    projects = Project.objects.select_related("unit").in_bulk([r.project_id for r in ordered])
    return [
        RankingRow(
            position=i + 1,
            project=projects[r.project_id],
            raw=r.raw,
            normalised=r.normalised,
            spread=r.spread,
            count=r.count,
            disputed=rules.is_disputed(r.spread),
        )
        for i, r in enumerate(ordered)
    ]


def biases(round: ReviewRound) -> list[tuple[object, rules.Bias]]:
    from django.contrib.auth import get_user_model

    triples = Review.objects.filter(
        assignment__round=round,
        assignment__status=AssignmentStatus.ACTIVE,
        submitted_at__isnull=False,
        total__isnull=False,
    ).values_list("assignment__project_id", "assignment__expert_id", "total")
    _, found = rules.normalise(list(triples))
    users = get_user_model().objects.in_bulk([b.expert_id for b in found])
    return sorted(((users[b.expert_id], b) for b in found), key=lambda pair: pair[1].offset)


def review_counts(campaign: Campaign) -> Counter:
    """For dashboards: assignments and submitted reviews of the campaign's rounds."""
    rows = Assignment.objects.filter(round__campaign=campaign, status=AssignmentStatus.ACTIVE).aggregate(
        assigned=Count("*"), submitted=Count("pk", filter=Q(review__submitted_at__isnull=False))
    )
    return Counter(rows)


# --- 查重 -------------------------------------------------------------------------------


def duplicate_candidates(campaign: Campaign) -> QuerySet[Project]:
    return Project.objects.filter(campaign=campaign, state__in=ProjectState.FORWARDED_OR_LATER).select_related("unit")


def earlier_projects(campaign: Campaign) -> QuerySet[Project]:
    return (
        Project.objects.filter(campaign__starts_on__lt=campaign.starts_on)
        .exclude(state__in=ProjectState.PRIVATE)
        .select_related("unit", "campaign")
    )


def duplicate_text(project: Project) -> str:
    return f"{project.name}。{project.reason[:300]}{project.content[:300]}"
