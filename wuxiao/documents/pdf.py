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
_deferring = threading.local()


def _font_file_read_on_demand():
    """WeasyPrint 70 copies each font's whole file into a Python bytes object as soon as the
    font is used (`Font.__init__`: `file_content = get_hb_object_data(face)`), though with
    HarfBuzz subsetting it embeds only the subset it makes from the face itself. Noto CJK
    ships as 19–27 MB collections (.ttc) and HanaMin as 23 and 31 MB files: a 申报表 using
    four of them held about 90 MB of copies, and reading them made every page of the mapped
    files resident (the process peaked at 282 MB). Here the copy is made only when something
    asks for `file_content` before the subset replaces it (a failed subset, a variable or a
    colour font): never for our fonts. Applied once; checked by
    tests/documents/test_application_form.py (the heap a form takes)."""
    from weasyprint.pdf import fonts, stream
    from weasyprint.text.fonts import get_hb_object_data

    if getattr(stream.Font, "reads_file_on_demand", False):
        return

    def face_data(hb_object, ot_color=None, glyph=None):
        if ot_color is None and getattr(_deferring, "on", False):
            return None
        return get_hb_object_data(hb_object, ot_color, glyph)

    class Font(fonts.Font):
        reads_file_on_demand = True

        def __init__(self, *args, **kwargs):
            _deferring.on = True
            try:
                super().__init__(*args, **kwargs)
            finally:
                _deferring.on = False

        @property
        def file_content(self):
            if self._file_content is None:
                self._file_content = get_hb_object_data(self.hb_face)
            return self._file_content

        @file_content.setter
        def file_content(self, value):
            self._file_content = value

    fonts.get_hb_object_data = face_data
    stream.Font = Font


def _prepared(stylesheet: str):
    """The font configuration and the parsed stylesheet, made once per thread: building them
    (fontconfig's font list, the CSS) was most of the time of a one-page document."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_cache, "fonts"):
        _font_file_read_on_demand()
        _cache.fonts, _cache.sheets = FontConfiguration(), {}
    if stylesheet not in _cache.sheets:
        _cache.sheets[stylesheet] = CSS(
            filename=str(STYLES / stylesheet), url_fetcher=Images().fetcher(), font_config=_cache.fonts
        )
    return _cache.fonts, _cache.sheets[stylesheet]


def release_memory() -> None:
    """Give the memory of a finished document back to the system. Python frees a laid-out
    part of the 案例集 and its photos, but glibc's malloc keeps the freed pages for reuse, so
    the worker's resident size only ever grew (by about 25 MB per part, up to the largest);
    malloc_trim returns them. A no-op where the C library is not glibc."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def html_to_document(html: str, stylesheet: str, images: Images | None = None):
    from weasyprint import HTML

    fonts, css = _prepared(stylesheet)
    fetcher = (images or Images()).fetcher()
    return HTML(string=html, base_url=str(STYLES), url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)


def render_document(template: str, context: dict, stylesheet: str, images: Images | None = None):
    return html_to_document(render_to_string(template, context), stylesheet, images)


def render_pdf(template: str, context: dict, stylesheet: str, images: Images | None = None) -> bytes:
    return render_document(template, context, stylesheet, images).write_pdf()
