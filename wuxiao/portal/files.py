"""The one download of uploaded files (附件, 工作记录 files, 盖章): whoever may see the
project may download its files, nobody else; nothing is ever served from /media/."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from wuxiao.lib.http import get_visible_or_404
from wuxiao.projects.models import StoredFile
from wuxiao.projects.queries import projects_visible_to
from wuxiao.projects.uploads import safe_display_name


@require_safe
@login_required
def download(request, pk: int):
    stored = get_visible_or_404(
        StoredFile.objects.filter(project__in=projects_visible_to(request.user).values("pk")), pk=pk
    )
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件不存在") from exc
    extension = stored.file.name.rsplit(".", 1)[-1] if "." in stored.file.name else "bin"
    # Django writes a non-ASCII name as RFC 5987 `filename*=utf-8''…`, with an ASCII fallback.
    response = FileResponse(handle, as_attachment=True, filename=safe_display_name(stored.name, extension))
    response["Content-Type"] = stored.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
