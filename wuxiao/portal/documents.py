"""The applicant's own 申报表: Word or PDF, for projects they lead or are on the team of."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404

from wuxiao.documents.downloads import export
from wuxiao.documents.queries import form_project
from wuxiao.lib.http import get_visible_or_404
from wuxiao.projects.models import Project, TeamMember


def own_projects(user):
    """The projects whose 申报表 a user may download: those they lead or are on the team of."""
    return Project.objects.filter(Q(leader=user) | Q(pk__in=TeamMember.objects.filter(user=user).values("project_id")))


def is_own(user, project) -> bool:
    """`own_projects` for one project already read with its members (no query)."""
    return project.leader_id == user.pk or any(m.user_id == user.pk for m in project.members.all())


@login_required
def project_form(request, pk: int, fmt: str):
    if fmt not in ("docx", "pdf"):
        raise Http404
    project = get_visible_or_404(own_projects(request.user), pk=pk)
    return export(request, f"project_form.{fmt}", form_project(project.pk))


@login_required
def certificate(request, pk: int):
    """The leader's and the team members' 获奖证书, once the results are published."""
    from wuxiao.awards.queries import published_award

    project = get_visible_or_404(own_projects(request.user), pk=pk)
    award = published_award(project)
    if award is None:
        raise Http404("该项目没有已发布的奖项")
    return export(request, "certificate.pdf", award)
