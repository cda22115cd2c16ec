"""How audience apps hand an exporter's output to the browser: check, render, stream."""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from wuxiao.documents.registry import Rendered, get_exporter
from wuxiao.lib.http import require


def stream(rendered: Rendered) -> HttpResponse:
    if isinstance(rendered.content, bytes):
        response = HttpResponse(rendered.content, content_type=rendered.content_type)
    else:  # a large document as a file: sent in chunks, closed when sent
        response = FileResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(True, rendered.filename)
    response["Cache-Control"] = "private, no-store"
    return response


def export(request, identifier: str, obj, params=None) -> HttpResponse:
    """403 (with the document's name) when the user may see the object but not export it."""
    exporter = get_exporter(identifier)
    require(exporter.may_export(request.user, obj), f"无权导出“{exporter.label}”")
    return stream(exporter.render(obj, user=request.user, params=params or {}))
