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


def body(content) -> bytes:
    """A rendered document's bytes; a large one (the 案例集 PDF) comes as an open file."""
    if isinstance(content, bytes):
        return content
    with content:
        return content.read()


def pdf(content) -> PdfReader:
    return PdfReader(io.BytesIO(body(content)))


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
    Sans, HanaMinA/B for CJK Extension A and B) can draw: each would print as a box."""
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
    for name in ("HanaMinA", "HanaMinB"):
        cmaps.append(TTFont(f"/usr/share/fonts/truetype/hanazono/{name}.ttf").getBestCmap())
    return {ch for ch in set(text) if not ch.isspace() and not any(ord(ch) in cmap for cmap in cmaps)}


def squash(text: str) -> str:
    """Text without any whitespace (full-width spaces included)."""
    return re.sub(r"\s+", "", text)


def office() -> str | None:
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def office_pdfs(files: dict[str, bytes], workdir) -> dict[str, bytes]:
    """Each file (name with extension → content) as LibreOffice prints it, in one headless run
    with its own profile (several test runs may share the machine)."""
    import subprocess
    from pathlib import Path

    workdir = Path(workdir)
    profile = workdir / "lo-profile"
    sources = []
    for name, content in files.items():
        (workdir / name).write_bytes(content)
        sources.append(str(workdir / name))
    subprocess.run(
        [office(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(workdir), *sources],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    return {name: (workdir / f"{name.rsplit('.', 1)[0]}.pdf").read_bytes() for name in files}


def libreoffice_pdf(xlsx_bytes: bytes, workdir) -> bytes | None:
    """The sheet as LibreOffice prints it, or None when LibreOffice is not installed."""
    if not office():
        return None
    return office_pdfs({"sheet.xlsx": xlsx_bytes}, workdir)["sheet.xlsx"]


def word_boxes(pdf_bytes: bytes, workdir) -> list[tuple[int, float, float, float, float, str]]:
    """(page, x0, y0, x1, y1, word) of every word poppler finds in the PDF."""
    import subprocess
    from html import unescape
    from pathlib import Path

    source = Path(workdir) / "boxes.pdf"
    source.write_bytes(pdf_bytes)
    out = subprocess.run(["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True, text=True).stdout
    boxes, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            boxes.append((page, *map(float, m.groups()[:4]), unescape(m.group(5))))
    return boxes


def overprinted(boxes, *, tolerance=0.25) -> list[tuple[str, str]]:
    """Pairs of words on one page whose boxes overlap by more than `tolerance` of the smaller
    box: text printed over other text."""
    pairs = []
    by_page: dict[int, list] = {}
    for box in boxes:
        by_page.setdefault(box[0], []).append(box)
    for words in by_page.values():
        words.sort(key=lambda b: b[2])
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if b[2] >= a[4]:
                    break
                w = min(a[3], b[3]) - max(a[1], b[1])
                h = min(a[4], b[4]) - max(a[2], b[2])
                if w <= 0 or h <= 0:
                    continue
                smaller = min((a[3] - a[1]) * (a[4] - a[2]), (b[3] - b[1]) * (b[4] - b[2])) or 1
                if w * h / smaller > tolerance:
                    pairs.append((a[5], b[5]))
    return pairs


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
