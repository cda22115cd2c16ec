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


def libreoffice_pdf(xlsx_bytes: bytes, workdir) -> bytes | None:
    """The sheet as LibreOffice prints it, or None when LibreOffice is not installed."""
    import shutil
    import subprocess
    from pathlib import Path

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        return None
    source = Path(workdir) / "sheet.xlsx"
    source.write_bytes(xlsx_bytes)
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(workdir), str(source)], check=True, timeout=120
    )
    return (Path(workdir) / "sheet.pdf").read_bytes()


def sheet_preview_pdf(xlsx_bytes: bytes, sheet: str) -> bytes:
    """Without LibreOffice: the sheet read back with openpyxl and drawn as HTML on the page the
    workbook asks for (A4 landscape), honouring merged cells, column widths, borders, fonts
    and alignment. It shows what the file says, not how Excel paginates it."""
    from html import escape

    from openpyxl.utils import get_column_letter
    from weasyprint import HTML

    ws = xlsx(xlsx_bytes)[sheet]
    spans, hidden = {}, set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        hidden |= {(r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
        hidden.discard((rng.min_row, rng.min_col))
    cols = ws.max_column
    widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, cols + 1)]
    total = sum(widths)
    html = ["<table><colgroup>", *(f'<col style="width:{w / total * 100:.2f}%">' for w in widths), "</colgroup>"]
    for r in range(1, ws.max_row + 1):
        html.append("<tr>")
        for c in range(1, cols + 1):
            if (r, c) in hidden:
                continue
            cell = ws.cell(row=r, column=c)
            rowspan, colspan = spans.get((r, c), (1, 1))
            b = cell.border
            style = [
                f"border-{side}:{'0.6pt solid #000' if getattr(b, side).style else 'none'}"
                for side in ("left", "top", "bottom")
            ]
            right = ws.cell(row=r, column=c + colspan - 1).border.right.style or b.right.style
            style.append(f"border-right:{'0.6pt solid #000' if right else 'none'}")
            style.append(
                f"text-align:{cell.alignment.horizontal or ('right' if isinstance(cell.value, (int, float)) else 'left')}"
            )
            style.append(f"font-size:{(cell.font.sz or 11) * 0.8:.1f}pt")
            if cell.font.b:
                style.append("font-weight:bold")
            value = cell.value
            if isinstance(value, (int, float)) and cell.number_format == "0.00":
                value = f"{value:.2f}"
            text = escape("" if value is None else str(value)).replace("\n", "<br>")
            html.append(f'<td rowspan="{rowspan}" colspan="{colspan}" style="{";".join(style)}">{text}</td>')
        html.append("</tr>")
    html.append("</table>")
    css = (
        "@page{size:A4 landscape;margin:1.3cm 1.3cm 1.5cm;@bottom-center{content:'第 ' counter(page) ' 页';font-size:8pt}}"
        "body{font-family:'Noto Serif CJK SC','DejaVu Sans'}table{border-collapse:collapse;width:100%;table-layout:fixed}"
        "td{padding:3pt 4pt;vertical-align:middle;height:16pt}"
    )
    return HTML(string=f"<html><head><style>{css}</style></head><body>{''.join(html)}</body></html>").write_pdf()


def drawn_images(page) -> int:
    """Images a page draws (WeasyPrint shares one resource dictionary between pages, so the
    page's /XObject list is not the answer)."""
    return len(re.findall(rb"/\w+ Do\b", page.get_contents().get_data()))
