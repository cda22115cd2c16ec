"""Reused reads of projects, scoped to the user who asks. Views never filter projects by
hand: they start from `projects_visible_to`, which later capabilities extend (advisors,
opinion givers, experts by assignment, the public for published results)."""

from django.db.models import Q, QuerySet

from wuxiao.people.models import Membership, Role
from wuxiao.people.permissions import admin_organisations
from wuxiao.projects.models import AdvisorAssignment, Project, TeamMember
from wuxiao.projects.states import OPINION_VISIBLE_STATES, ProjectState


def visibility_q(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(leader=user) | Q(pk__in=TeamMember.objects.filter(user=user).values("project_id"))
    # Admins see their subtree's projects once submitted: a draft stays private to its team.
    for org in admin_organisations(user):
        q |= Q(unit__path__startswith=org.path) & ~Q(state=ProjectState.DRAFT)
    # Technical advisors see the projects they guide; the unit's opinion givers (车间, 技术部门)
    # see its projects once a result is in the chain.
    q |= Q(pk__in=AdvisorAssignment.objects.filter(advisor=user).values("project_id"))
    giver_units = Membership.objects.filter(user=user, role__in=[Role.WORKSHOP, Role.TECH_DEPT]).values(
        "organisation_id"
    )
    q |= Q(unit_id__in=giver_units, state__in=OPINION_VISIBLE_STATES)
    return q


def projects_visible_to(user, *, campaign=None) -> QuerySet[Project]:
    qs = Project.objects.filter(visibility_q(user)).select_related("campaign", "unit", "leader")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def projects_led_by(user) -> QuerySet[Project]:
    return (
        Project.objects.filter(leader=user)
        .select_related("campaign", "unit")
        .order_by("-campaign__starts_on", "-updated_at")
    )


def projects_of(user) -> QuerySet[Project]:
    """我的项目: projects the user leads or is a linked member of, across campaigns."""
    # One UNION subquery, not `leader = … OR id IN (…)`: the OR made PostgreSQL scan the table.
    mine = (
        Project.objects.filter(leader=user)
        .order_by()
        .values("pk")
        .union(TeamMember.objects.filter(user=user).order_by().values("project_id"))
    )
    return (
        Project.objects.filter(pk__in=mine)
        .select_related("campaign", "unit", "leader")
        .order_by("-campaign__starts_on", "-updated_at", "-id")
    )


def projects_for_unit_admin(user, *, campaign=None) -> QuerySet[Project]:
    """Projects a unit (or district) admin handles: submitted at least once, in the
    subtrees the user administers. Drafts stay private to their leader."""
    from wuxiao.projects.states import ProjectState

    orgs = admin_organisations(user)
    if not orgs:
        return Project.objects.none()
    q = Q(pk__in=[])
    for org in orgs:
        q |= Q(unit__path__startswith=org.path)
    qs = Project.objects.filter(q).exclude(state=ProjectState.DRAFT).select_related("campaign", "unit", "leader")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def project_page_data(project: Project) -> Project:
    """Attach the related rows a 申报表 page shows, in a fixed number of queries."""
    from django.db.models import Prefetch

    from wuxiao.projects.models import ProjectEvent

    return (
        Project.objects.filter(pk=project.pk)
        .select_related("campaign", "unit", "leader")
        .prefetch_related(
            Prefetch("members", queryset=TeamMember.objects.select_related("user")),
            "attachments",
            Prefetch("events", queryset=ProjectEvent.objects.select_related("actor")),
            "versions",
        )
        .get()
    )
