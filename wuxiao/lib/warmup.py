"""Make a process ready to serve before it serves: the gunicorn master calls `warm()` once
(gunicorn.conf.py, `preload_app`), and every worker it forks starts warm.

Without it each new worker paid for its first requests: importing every view through the
URLconf, compiling each template on first use (112 of them, a cached loader keeps them), the
form widgets' Jinja2 templates, and — on the first 申报表 PDF — importing WeasyPrint (0.65 s)
and building its font configuration. Workers restart every 2,000 requests (`max_requests`),
so that was paid again and again during a rush. What is built here before the fork is shared
by the workers' memory (copy-on-write) and frozen out of the garbage collector's scans.
"""

import gc
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

# The collector's first generation is collected every 700 allocations by default: rendering a
# 申报表 page allocates a few hundred thousand objects, so it ran ~15 times a request, ~10 % of
# the flow's CPU. Nothing a request builds lives long; the later generations stay as they are.
GC_THRESHOLD = (50_000, 20, 100)


def warm() -> None:
    """Import, compile and cache what every request needs; touch no database."""
    from django.db import connections

    _urls()
    _templates()
    _widgets()
    _documents()
    connections.close_all()  # a worker must open its own connection, never share the master's
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def _urls() -> None:
    from django.urls import get_resolver

    resolver = get_resolver()
    len(resolver.url_patterns)  # imports every view module
    # The reverse lookups, built once per process on the first reverse() into each namespace.
    len(resolver.reverse_dict)
    for _prefix, namespace in resolver.namespace_dict.values():
        len(namespace.reverse_dict)


def _templates() -> None:
    from django.template import engines
    from django.template.loader import get_template

    ours = Path(__file__).resolve().parent.parent  # the wuxiao package: not other apps' (admin, filters)
    for engine in engines.all():
        for directory in engine.template_dirs:
            if not Path(directory).resolve().is_relative_to(ours):
                continue
            for path in Path(directory).rglob("*.html"):
                name = path.relative_to(directory).as_posix()
                try:
                    get_template(name)
                except Exception:  # a broken template fails where it is used, as before
                    logger.exception("warm-up could not compile the template %s", name)


def _widgets() -> None:
    from django.forms.renderers import get_default_renderer

    renderer = get_default_renderer()
    engine = getattr(renderer, "widget_engine", None)
    if engine is None:
        return
    for name in engine.env.list_templates(extensions=["html"]):
        engine.get_template(name)


def _documents() -> None:
    """WeasyPrint's import, its font configuration and the documents' stylesheets, then one
    tiny page per stylesheet so the CJK faces are opened once, in the master."""
    from wuxiao.documents import pdf

    for stylesheet in sorted(path.name for path in pdf.STYLES.glob("*.css")):
        pdf.html_to_document("<p>五小 申报表 ☐ ☑ 2024</p>", stylesheet).write_pdf()
    pdf.release_memory()
