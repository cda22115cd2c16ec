"""openpyxl helpers for print-ready sheets: A4, repeated header rows, thin borders, 宋体."""

import io
import math
from copy import copy

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

from wuxiao.lib.spreadsheets import text_cell, write_cell

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY = Font(name="宋体", size=11)
BOLD = Font(name="宋体", size=11, bold=True)
TITLE = Font(name="黑体", size=18, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
PLAIN = Alignment()
NO_BORDER = Border()


def set_widths(ws, widths):
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


# Row heights. openpyxl stores none, and neither Excel nor LibreOffice grows a row for wrapped
# text on opening, so two-line cells overprint their neighbours. We estimate: a column of width
# w holds about w Latin digits of 11 pt 宋体 or w/2 Chinese characters; a line is 15 pt tall.
LINE_PT = 15.0
PADDING_PT = 5.0


def text_width(text: str) -> float:
    """Width of one line of text in Excel's column-width units (Chinese characters count 2).
    Counted from the UTF-8 length (Chinese characters and full-width punctuation take 3 bytes,
    Latin 1): per character look-ups cost seconds on a 10,000-row sheet."""
    chars = len(text)
    wide = (len(text.encode()) - chars) / 2
    return wide * 2.0 + (chars - wide) * 1.1


def lines_in(value, width: float) -> int:
    if value is None or value == "":
        return 1
    if isinstance(value, float | int):
        return 1
    usable = max(width - 1.5, 1.0)  # cell padding
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(value).split("\n"))


def row_height_for(values, widths, *, size=11, minimum=20.0) -> float:
    """The height (points) a row needs so its wrapped texts show whole."""
    lines = max((lines_in(v, w) for v, w in zip(values, widths, strict=False)), default=1)
    return max(minimum, round(lines * LINE_PT * size / 11 + PADDING_PT, 1))


def print_setup(ws, *, title_rows: str, landscape=True):
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    # The footer sits 0.3" from the paper's edge; the bottom margin leaves it room for a
    # whole line (at 0.6" LibreOffice cut the page number in half).
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.9
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 10


def header_row(ws, row: int, labels, *, height=30):
    for col, label in enumerate(labels, start=1):
        cell = write_cell(ws, row, col, label)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BORDER
    ws.row_dimensions[row].height = height


def box(ws, row: int, first: int, last: int):
    """Borders on every cell of a row segment (merged cells need them on each cell)."""
    for col in range(first, last + 1):
        ws.cell(row=row, column=col).border = BORDER


def streamed_sheet(wb, title: str):
    """A sheet of a write-only workbook (`Workbook(write_only=True)`): each appended row goes
    to the file at once, so a 10,000-row sheet never sits in memory as cell objects. Its rows
    are lists of ready cells (`CellStyles.cell`) or None. openpyxl's own append tries every
    value as a plain value first and takes a cell only from the ValueError that raises
    (formatting the cell's repr for the message): a third of the sheet's time, so our cells
    are placed directly."""
    ws = wb.create_sheet(title)
    ws._values_to_row = _placed_cells
    return ws


class RowHeights:
    """Heights of a streamed sheet's rows, set before each row is appended: one RowDimension
    per distinct height, shared by the rows that have it (openpyxl writes a row's dimension
    without its index), not a new object for every row (a fifth of a 10,000-row loop)."""

    def __init__(self, ws):
        self._ws, self._dimensions = ws, {}

    def set(self, row: int, height: float) -> None:
        dimension = self._dimensions.get(height)
        if dimension is None:
            dimension = self._dimensions[height] = RowDimension(self._ws, height=height)
        self._ws.row_dimensions[row] = dimension


def _placed_cells(cells, row: int):
    for column, cell in enumerate(cells, start=1):
        if cell is not None:
            cell.row, cell.column = row, column
            yield cell


def to_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class CellStyles:
    """Styles applied by copying a prepared style's indices. Assigning font, border and
    alignment objects to every cell makes openpyxl hash them each time: 10,000 rows took 17 s
    that way, against about 2 s like this. The styles are registered in the workbook through
    a cell that is never placed on a sheet, so this works on streamed (write-only) sheets too."""

    def __init__(self, wb):
        self._owner = wb.worksheets[0]
        self._styles = {}

    def add(self, name, *, font=BODY, alignment=CENTER, border=BORDER, number_format="General"):
        cell = WriteOnlyCell(self._owner)
        cell.font, cell.alignment, cell.border, cell.number_format = font, alignment, border, number_format
        self._styles[name] = cell._style

    def apply(self, cell, name):
        cell._style = copy(self._styles[name])
        return cell

    def cell(self, ws, value, name):
        """A styled cell for `ws.append` on a write-only sheet, text kept as text."""
        return self.apply(text_cell(ws, value), name)
