"""PDF rendering with WeasyPrint from a Django template (A4, CSS in documents/styles/).

Fonts come from fontconfig by family name: Noto Serif CJK SC (body, a 宋体 look), Noto Sans
CJK SC (titles, a 黑体 look) from Debian's fonts-noto-cjk; DejaVu Sans carries ☐ and ☑, which
Noto CJK lacks. WeasyPrint embeds the subsets it uses, so the PDF shows the same everywhere.
"""

import base64
from pathlib import Path

from django.template.loader import render_to_string

STYLES = Path(__file__).resolve().parent / "styles"


def data_uri(image: tuple[bytes, str] | None) -> str:
    if not image:
        return ""
    data, mime = image
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def html_to_document(html: str, stylesheet: str):
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(STYLES)).render(stylesheets=[CSS(filename=str(STYLES / stylesheet))])


def render_pdf(template: str, context: dict, stylesheet: str) -> bytes:
    return html_to_document(render_to_string(template, context), stylesheet).write_pdf()
