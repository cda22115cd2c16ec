"""Reads for the documents, with everything a document prints fetched up front, so a
document's query count does not grow with its rows."""

from django.db.models import Count, F, Prefetch, Q, QuerySet

from wuxiao.campaigns.models import Campaign, Participation
from wuxiao.people.models import Organisation
from wuxiao.projects.filters import ProjectFilter
from wuxiao.projects.models import Attachment, Opinion, Project, ProjectLevel, TeamMember
from wuxiao.projects.queries import projects_visible_to
from wuxiao.projects.states import ProjectState


def with_form_data(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Projects with what the 申报表 and the 案例集 print."""
    return qs.select_related("campaign", "unit", "unit__parent", "leader", "created_by").prefetch_related(
        Prefetch("members", queryset=TeamMember.objects.order_by("order", "id")),
        Prefetch("opinions", queryset=Opinion.objects.select_related("stamp").order_by("created_at", "id")),
        Prefetch(
            "attachments", queryset=Attachment.objects.select_related("stored").order_by("stored__uploaded_at", "id")
        ),
    )


def form_project(project_id: int) -> Project:
    return with_form_data(Project.objects.all()).get(pk=project_id)


def forwarded() -> Q:
    """Projects a unit has forwarded to the committee, whatever stage they reached since.
    The state map names that group (`ProjectState.FORWARDED_OR_LATER`)."""
    return Q(state__in=ProjectState.FORWARDED_OR_LATER)


def summary_projects(*, user, campaign: Campaign, organisation: Organisation, project_ids=None) -> QuerySet[Project]:
    """Rows of a 汇总表. For a unit's own review, the projects passed in (of that unit); else
    the projects forwarded to the committee from the organisation's subtree. Always within
    what the user may see on the project pages (projects_visible_to): ids in the request
    never widen it (another person's draft, another unit's project)."""
    qs = projects_visible_to(user, campaign=campaign).filter(unit__path__startswith=organisation.path)
    if project_ids is not None:
        qs = qs.filter(pk__in=list(project_ids))
    else:
        qs = qs.filter(state__in=ProjectState.FORWARDED_OR_LATER)
    # Not-yet-forwarded projects (a unit's own review) after the forwarded ones, on every database.
    # Only the columns the sheet prints: a campaign-wide sheet has 10,000 rows, and whole
    # projects with their campaign, leader and texts took 180 MB and half the export's time.
    # The few units are read once (prefetch), not once per row.
    return (
        qs.select_related(None)
        .only(*SUMMARY_FIELDS)
        .prefetch_related(Prefetch("unit", queryset=Organisation.objects.only("name", "employer_name", "kind", "path")))
        .order_by("unit__path", F("forwarded_at").asc(nulls_last=True), "id")
    )


SUMMARY_FIELDS = (
    "name", "leader_name", "leader_phone", "economic_benefit", "category", "category_other", "self_grade", "unit_id",
)  # fmt: skip


def unit_summary_ids(*, campaign: Campaign, unit: Organisation) -> tuple[list[int], bool]:
    """What a unit's own 汇总表 lists, and whether it is a preview: exactly what it forwarded;
    before it forwarded anything, the key projects it may forward (a preview)."""
    mine = Project.objects.filter(campaign=campaign, unit=unit)
    ids = list(mine.filter(forwarded()).values_list("pk", flat=True))
    if ids:
        return ids, False
    candidates = mine.filter(state=ProjectState.UNIT_APPROVED, level=ProjectLevel.KEY)
    return list(candidates.values_list("pk", flat=True)), True


def unit_selection_is_forwarded(*, campaign: Campaign, unit: Organisation, project_ids) -> bool:
    """Whether every project a unit picked (?projects=) is already forwarded: else its sheet is a preview."""
    ids = set(project_ids)
    done = Project.objects.filter(forwarded(), campaign=campaign, unit=unit, pk__in=ids).count()
    return bool(ids) and done == len(ids)


def reporter_of(*, campaign: Campaign, organisation: Organisation) -> Participation | None:
    return Participation.objects.filter(campaign=campaign, organisation=organisation).first()


PROJECT_LIST_FILTERS = tuple(ProjectFilter.base_filters)


def filtered_projects(user, *, campaign: Campaign, filters: dict) -> QuerySet[Project]:
    """The project list a user is looking at, with the list page's filters (its GET
    parameters, `projects.filters.ProjectFilter`), in the campaign being exported."""
    base = projects_visible_to(user, campaign=campaign).select_related("unit__parent")
    filters = {k: v for k, v in filters.items() if k != "campaign"}
    return ProjectFilter(filters, base, user=user, categories=campaign.categories).qs.order_by("unit__path", "id")


def progress_rows(*, campaign: Campaign, organisations: list[Organisation]) -> QuerySet[Participation]:
    """One row per participating unit in the organisations' subtrees, with its counts in one
    query: registered (submitted and beyond), key projects, forwarded."""
    in_campaign = Q(organisation__projects__campaign=campaign)
    scope = Q(pk__in=[])
    for org in organisations:
        scope |= Q(organisation__path__startswith=org.path)
    return (
        Participation.objects.filter(scope, campaign=campaign)
        .select_related("organisation", "organisation__parent", "campaign")
        .annotate(
            registered=Count(
                "organisation__projects",
                filter=in_campaign & ~Q(organisation__projects__state__in=ProjectState.NOT_REGISTERED),
                distinct=True,
            ),
            key=Count(
                "organisation__projects", filter=in_campaign & Q(organisation__projects__level="key"), distinct=True
            ),
            forwarded=Count(
                "organisation__projects",
                filter=in_campaign & Q(organisation__projects__state__in=ProjectState.FORWARDED_OR_LATER),
                distinct=True,
            ),
        )
        .order_by("organisation__path")
    )
