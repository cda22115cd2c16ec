"""Reads of award results: the committee's table, what a project page shows, the public check of a
certificate, the 青年岗位能手 list and the 优秀组织奖 metrics. Aggregates run in the database."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from wuxiao.awards import rules
from wuxiao.awards.models import Award, AwardLevel, AwardSheet, OrganisationAward, PatentCase, ResultStatus
from wuxiao.campaigns.models import Participation, StageKind
from wuxiao.campaigns.rules import quota
from wuxiao.people.models import UNIT_KINDS, Organisation, OrgKind
from wuxiao.projects.models import Project, ProjectLevel, TeamMember, WorkRecord
from wuxiao.projects.rules import OVERDUE_DAYS
from wuxiao.projects.states import ProjectState


def sheet_of(campaign) -> AwardSheet | None:
    return AwardSheet.objects.filter(campaign=campaign).select_related("campaign").first()


def award_rows(sheet: AwardSheet) -> QuerySet[Award]:
    """The committee's table: every forwarded project with its rank, score, proposal and level."""
    return sheet.awards.select_related("project", "project__unit").order_by("rank", "id")


def level_counts(sheet: AwardSheet) -> dict[str, int]:
    counts = Counter(dict(sheet.awards.values_list("level").annotate(n=Count("id")).values_list("level", "n")))
    return {level: counts.get(level, 0) for level in AwardLevel.values}


def published_award(project) -> Award | None:
    """The award a project page may show: only once the results are published."""
    return (
        Award.objects.filter(project=project, sheet__status=ResultStatus.PUBLISHED)
        .exclude(level=AwardLevel.NONE)
        .select_related("sheet", "sheet__campaign")
        .first()
    )


def published_levels(project_ids) -> dict[int, str]:
    """Project id → its published award level (AwardLevel.NONE included), in one query for lists."""
    return dict(
        Award.objects.filter(project_id__in=project_ids, sheet__status=ResultStatus.PUBLISHED).values_list(
            "project_id", "level"
        )
    )


def published_award_labels(project_ids) -> dict[int, str]:
    """获奖情况 of each project that won a prize in published results ("一等奖"), by project id;
    projects without one are left out."""
    levels = published_levels([getattr(p, "pk", p) for p in project_ids])
    return {pid: AwardLevel(level).label for pid, level in levels.items() if level != AwardLevel.NONE}


def published_prizes(campaign) -> QuerySet[Award]:
    return (
        Award.objects.filter(sheet__campaign=campaign, sheet__status=ResultStatus.PUBLISHED)
        .exclude(level=AwardLevel.NONE)
        .select_related("project", "project__unit")
        .prefetch_related("project__members")
        .order_by("rank", "id")
    )


def prizes_for_list(sheet: AwardSheet) -> QuerySet[Award]:
    """获奖名单: the prizes in level order (特等奖 first), then by rank."""
    order = {level: i for i, level in enumerate(AwardLevel.values)}
    awards = list(
        sheet.awards.exclude(level=AwardLevel.NONE)
        .select_related("project", "project__unit", "project__campaign")
        .prefetch_related("project__members")
    )
    return sorted(awards, key=lambda a: (order[a.level], a.rank, a.pk))


@dataclass(frozen=True)
class TalentRow:
    """青年岗位能手 priority list: the leader of a 特等奖 or 一等奖 project."""

    name: str
    gender: str
    age: int | None
    unit: str
    project: str
    level: str


def talent_list(sheet: AwardSheet) -> list[TalentRow]:
    rows = []
    for award in prizes_for_list(sheet):
        if award.level not in (AwardLevel.SPECIAL, AwardLevel.FIRST):
            continue
        p = award.project
        rows.append(
            TalentRow(
                name=p.leader_name,
                gender=p.get_leader_gender_display(),
                age=p.leader_age,
                unit=p.unit.employer,
                project=p.name,
                level=award.get_level_display(),
            )
        )
    return rows


def patent_cases(campaign) -> QuerySet[PatentCase]:
    return (
        PatentCase.objects.filter(project__campaign=campaign)
        .select_related("project", "project__unit", "project__award")
        .prefetch_related("events")
        .order_by("project__unit__path", "project_id")
    )


# --- 优秀组织奖 -------------------------------------------------------------------------


@dataclass
class OrganisationMetrics:
    organisation: Organisation
    young_workers: int = 0
    participants: int = 0
    registered: int = 0
    key_projects: int = 0
    forwarded: int = 0
    quota: int = 0
    late_forwarded: int = 0
    overdue_records: int = 0
    awards: dict = None
    chosen: bool = False

    @property
    def participation(self) -> Decimal | None:
        """Applicants (leaders and team members named on registered projects) per 100 young workers."""
        if not self.young_workers:
            return None
        return (Decimal(self.participants) * 100 / self.young_workers).quantize(Decimal("0.1"))

    @property
    def award_total(self) -> int:
        return sum(self.awards.values()) if self.awards else 0


def _metrics_version(campaign, today) -> str:
    """What the per-unit project figures of 优秀组织奖 depend on, as index probes: any new or
    edited project (updated_at, also set by a level change or forwarding), any state change,
    team member, work record or level change; and the day (逾期 counts from today).

    The newest ids, not the tables' row counts (a COUNT read all 400,000 team members on each
    view): a team member is only edited or removed through projects.services, which moves
    the project's updated_at, and a work record is never deleted but with its project."""
    from django.db.models import Max

    from wuxiao.projects.models import LevelChange
    from wuxiao.projects.queries import data_version

    edited = Project.objects.order_by().aggregate(t=Max("updated_at"))["t"]
    parts = [
        data_version(),
        edited.timestamp() if edited else "",
        TeamMember.objects.aggregate(n=Max("id"))["n"],
        WorkRecord.objects.aggregate(n=Max("id"))["n"],
        LevelChange.objects.aggregate(n=Max("id"))["n"],
        campaign.pk,
        today.isoformat(),
    ]
    return ":".join(map(str, parts))


def _project_metrics(campaign, units, registered, *, today):
    """Registered / key / forwarded / leaders, members, late forwarding and overdue key
    projects by unit: grouped queries over the whole campaign, cached (the page is read often
    while the committee decides; these figures change only when the projects do)."""
    import hashlib

    from django.core.cache import cache

    unit_key = hashlib.sha1(",".join(str(u.pk) for u in units).encode()).hexdigest()[:16]
    key = f"wuxiao:org-metrics:{_metrics_version(campaign, today)}:{unit_key}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    per_unit = {
        row["unit"]: row
        for row in registered.values("unit").annotate(
            registered=Count("id"),
            key=Count("id", filter=Q(level=ProjectLevel.KEY, state__in=ProjectState.ACCEPTED_OR_LATER)),
            forwarded=Count("id", filter=Q(state__in=ProjectState.FORWARDED_OR_LATER)),
            leaders=Count("leader", distinct=True),
        )
    }
    members = dict(
        TeamMember.objects.filter(project__in=registered)
        .values("project__unit")
        .annotate(n=Count("id"))
        .values_list("project__unit", "n")
    )
    late = {}
    collection = campaign.stages.filter(kind=StageKind.COLLECTION).first()
    if collection is not None:
        late = dict(
            registered.filter(state__in=ProjectState.FORWARDED_OR_LATER, forwarded_at__date__gt=collection.ends_on)
            .values("unit")
            .annotate(n=Count("id"))
            .values_list("unit", "n")
        )
    recent = WorkRecord.objects.filter(project=OuterRef("pk"), date__gte=today - timedelta(days=OVERDUE_DAYS))
    overdue = dict(
        registered.filter(state__in=ProjectState.WORKING, level=ProjectLevel.KEY)
        .exclude(Exists(recent))
        .values("unit")
        .annotate(n=Count("id"))
        .values_list("unit", "n")
    )
    result = (per_unit, members, late, overdue)
    cache.set(key, result, timeout=600)
    return result


def organisation_metrics(campaign, organisations: list[Organisation], *, today) -> list[OrganisationMetrics]:
    """One row per organisation (a unit, or a district/system committee over its subtree): what the
    notice rewards with 优秀组织奖. A fixed number of grouped queries for a page of organisations."""
    if not organisations:
        return []
    units = list(
        Organisation.objects.filter(kind__in=UNIT_KINDS).filter(
            Q(*[Q(path__startswith=o.path) for o in organisations], _connector=Q.OR)
        )
    )
    registered = Project.objects.filter(campaign=campaign, unit__in=units).exclude(
        state__in=ProjectState.NOT_REGISTERED
    )
    per_unit, members, late, overdue = _project_metrics(campaign, units, registered, today=today)
    won: dict[int, Counter] = {}
    for unit_id, level, n in (
        Award.objects.filter(sheet__campaign=campaign, sheet__status=ResultStatus.PUBLISHED, project__unit__in=units)
        .exclude(level=AwardLevel.NONE)
        .values_list("project__unit", "level")
        .annotate(n=Count("id"))
    ):
        won.setdefault(unit_id, Counter())[level] += n
    headcount = dict(
        Participation.objects.filter(campaign=campaign, organisation__in=units).values_list(
            "organisation_id", "young_workers"
        )
    )
    chosen = set(OrganisationAward.objects.filter(campaign=campaign).values_list("organisation_id", flat=True))
    settings = campaign.quota_settings
    rows = []
    for org in organisations:
        m = OrganisationMetrics(organisation=org, awards=Counter(), chosen=org.pk in chosen)
        for unit in units:
            if not unit.path.startswith(org.path):
                continue
            stats = per_unit.get(unit.pk, {})
            m.young_workers += headcount.get(unit.pk, 0)
            m.quota += quota(headcount.get(unit.pk, 0), settings)
            m.participants += stats.get("leaders", 0) + members.get(unit.pk, 0)
            m.registered += stats.get("registered", 0)
            m.key_projects += stats.get("key", 0)
            m.forwarded += stats.get("forwarded", 0)
            m.late_forwarded += late.get(unit.pk, 0)
            m.overdue_records += overdue.get(unit.pk, 0)
            m.awards.update(won.get(unit.pk, {}))
        rows.append(m)
    return rows


def organisations_for_award(kind: str) -> QuerySet[Organisation]:
    """The candidates of 优秀组织奖: units, or district/system committees."""
    if kind == "district":
        return Organisation.objects.filter(kind=OrgKind.DISTRICT, is_active=True).order_by("path")
    return Organisation.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("path")


def organisation_winners(campaign) -> QuerySet[OrganisationAward]:
    return OrganisationAward.objects.filter(campaign=campaign).select_related("organisation")


# --- The ranking a proposal starts from ------------------------------------------------------

CENT = Decimal("0.01")


def _score(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def review_ranking(round) -> tuple[list[rules.Ranked], dict[int, object]]:
    """A review round's ranking by the method the committee chose for it, and each row by project."""
    from wuxiao.reviews import queries as rq  # awards sit above reviews: no cycle

    rows = rq.ranking(round)
    use_normalised = round.ranking == "normalised"
    ranked = [rules.Ranked(r.project.pk, _score(r.normalised if use_normalised else r.raw)) for r in rows]
    return ranked, {r.project.pk: r for r in rows}


def proposal_basis(round) -> str:
    """What a proposal says it was built from, e.g. "初评 · 标准化得分"."""
    return f"{round.name} · {round.get_ranking_display()}"
