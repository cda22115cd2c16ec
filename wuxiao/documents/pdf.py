"""PDF rendering with WeasyPrint from a Django template (A4, CSS in documents/styles/).

Fonts come from fontconfig by family name: Noto Serif CJK SC (body, a 宋体 look), Noto Sans
CJK SC (titles, a 黑体 look) from Debian's fonts-noto-cjk; DejaVu Sans carries ☐ and ☑, which
Noto CJK lacks. WeasyPrint embeds the subsets it uses, so the PDF shows the same everywhere.
"""

import threading
from pathlib import Path

from django.template.loader import render_to_string

STYLES = Path(__file__).resolve().parent / "styles"
SCHEME = "wuxiao-image:"


class Images:
    """Pictures handed to WeasyPrint by short in-memory URLs instead of data: URIs (parsing a
    few hundred base64 photos out of the HTML took longer than laying the booklet out).
    Nothing else is fetched: the documents never load a URL that came from user input."""

    def __init__(self):
        self._images: dict[str, tuple[bytes, str]] = {}

    def url(self, image: tuple[bytes, str] | None) -> str:
        if not image:
            return ""
        key = f"{SCHEME}{len(self._images)}"
        self._images[key] = image
        return key

    def fetcher(self):
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        images = self._images

        class Fetcher(URLFetcher):
            def fetch(self, url, headers=None):
                if url in images:
                    data, mime = images[url]
                    return URLFetcherResponse(url, data, {"Content-Type": mime})
                if url.startswith("file:") and Path(url.removeprefix("file://")).resolve().is_relative_to(STYLES):
                    return super().fetch(url, headers)
                raise ValueError(f"refused to fetch {url[:80]}")

        return Fetcher()


_cache = threading.local()


def _prepared(stylesheet: str):
    """The font configuration and the parsed stylesheet, made once per thread: building them
    (fontconfig's font list, the CSS) was most of the time of a one-page document."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_cache, "fonts"):
        _cache.fonts, _cache.sheets = FontConfiguration(), {}
    if stylesheet not in _cache.sheets:
        _cache.sheets[stylesheet] = CSS(
            filename=str(STYLES / stylesheet), url_fetcher=Images().fetcher(), font_config=_cache.fonts
        )
    return _cache.fonts, _cache.sheets[stylesheet]


def html_to_document(html: str, stylesheet: str, images: Images | None = None):
    from weasyprint import HTML

    fonts, css = _prepared(stylesheet)
    fetcher = (images or Images()).fetcher()
    return HTML(string=html, base_url=str(STYLES), url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)


def render_document(template: str, context: dict, stylesheet: str, images: Images | None = None):
    return html_to_document(render_to_string(template, context), stylesheet, images)


def render_pdf(template: str, context: dict, stylesheet: str, images: Images | None = None) -> bytes:
    return render_document(template, context, stylesheet, images).write_pdf()
