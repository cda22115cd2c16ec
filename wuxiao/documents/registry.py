"""The exporter registry (STYLE.md habit 7).

An exporter is a small class: an `identifier` ("project_form.docx"), a `label`, the kind of
object it exports, a permission check `may_export(user, obj)` and
`render(obj, *, user, params, progress) -> Rendered(filename, content_type, content)`.
Views only fetch the object (404 when the user may not see it), ask `may_export` (403) and
stream what `render` returns; a background job calls the very same `render`.

Later capabilities (results list, 青年岗位能手 list, 优秀组织奖 list) add theirs with
`@register` in their own module.
"""

from collections.abc import Callable
from typing import Any, BinaryIO, NamedTuple

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"

Progress = Callable[[int], None]


class Rendered(NamedTuple):
    filename: str
    content_type: str
    # The document's bytes; or, for one too large to hold in a worker's memory (the 案例集
    # PDF), an open binary file, whose reader closes it (the file goes with it).
    content: bytes | BinaryIO


def no_progress(percent: int) -> None:
    """The progress callback of a synchronous download: nobody is watching."""


class Exporter:
    identifier: str = ""
    label: str = ""
    content_type: str = ""
    # Slow exporters are offered as background jobs (ExportJob) instead of a direct download.
    background: bool = False

    def may_export(self, user, obj) -> bool:
        raise NotImplementedError

    def load(self, params: dict[str, Any]):
        """The object a background job exports, from its stored params."""
        raise NotImplementedError

    def render(self, obj, *, user, params: dict[str, Any] | None = None, progress: Progress = no_progress) -> Rendered:
        raise NotImplementedError


EXPORTERS: dict[str, Exporter] = {}


def register(cls: type[Exporter]) -> type[Exporter]:
    if not cls.identifier or cls.identifier in EXPORTERS:
        raise ValueError(f"exporter identifier {cls.identifier!r} is empty or already registered")
    EXPORTERS[cls.identifier] = cls()
    return cls


def get_exporter(identifier: str) -> Exporter:
    """The registered exporter; KeyError for an unknown identifier (views answer 404)."""
    return EXPORTERS[identifier]
