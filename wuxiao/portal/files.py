"""The one download of uploaded files (附件, 工作记录 files, 盖章): whoever may see the
project may download its files, nobody else; nothing is ever served from /media/."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from wuxiao.lib.http import get_visible_or_404
from wuxiao.projects.models import StoredFile
from wuxiao.projects.queries import projects_visible_to
from wuxiao.projects.uploads import download_response


@require_safe
@login_required
def download(request, pk: int):
    stored = get_visible_or_404(
        StoredFile.objects.filter(project__in=projects_visible_to(request.user).values("pk")), pk=pk
    )
    return download_response(stored)
