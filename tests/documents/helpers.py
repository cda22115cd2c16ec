"""Reading generated documents back."""

import io
import re

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader


def docx(content: bytes):
    return Document(io.BytesIO(content))


def xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def pdf(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf(content).pages)


def row_texts(table, r: int) -> list[str]:
    """Texts of a row's cells, one per merged cell."""
    seen, texts = set(), []
    for cell in table.rows[r].cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        texts.append(cell.text)
    return texts


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """BaseFont name → whether its font program is embedded, over all pages."""
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def uncovered_characters(text: str) -> set[str]:
    """Characters of the text that none of the PDF's fonts (Noto Serif/Sans CJK SC, DejaVu
    Sans) can draw: each would print as a box."""
    from fontTools.ttLib import TTCollection, TTFont

    cmaps = []
    for path in (
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ):
        for font in TTCollection(path).fonts:
            if "SC" in font["name"].getDebugName(1):
                cmaps.append(font.getBestCmap())
    cmaps.append(TTFont("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").getBestCmap())
    return {ch for ch in set(text) if not ch.isspace() and not any(ord(ch) in cmap for cmap in cmaps)}


def squash(text: str) -> str:
    """Text without any whitespace (full-width spaces included)."""
    return re.sub(r"\s+", "", text)
