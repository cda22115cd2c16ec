"""Writing user-typed text into spreadsheets without it ever becoming a formula.

A project named "=HYPERLINK(…)" or a leader called "+1+1" must print as that text: Excel,
WPS and LibreOffice run a cell (or a CSV field) that starts with = + - @ or a tab/CR as a
formula or DDE command (CSV/formula injection). Every xlsx and csv the platform writes goes
through `write_cell` / `text_cell` (streamed sheets) / `append_row` / `csv_row`, and tests/documents/test_formula_safety.py
renders every registered exporter with hostile names.
"""

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def keep_text(cell, value: Any):
    """openpyxl turns any string that starts with "=" into a formula; here such a cell is
    stored with the string type, so the spreadsheet shows the characters and never
    evaluates them."""
    cell.value = value
    if isinstance(value, str) and (cell.data_type == "f" or is_formula_like(value)):
        cell.data_type = "s"
    return cell


def write_cell(ws, row: int, column: int, value: Any):
    """ws.cell(row, column, value) that keeps text as text (`keep_text`)."""
    return keep_text(ws.cell(row=row, column=column), value)


def text_cell(ws, value: Any):
    """A cell for `ws.append` on a write-only (streamed) sheet, text kept as text."""
    from openpyxl.cell import WriteOnlyCell

    return keep_text(WriteOnlyCell(ws), value)


def append_row(ws, values) -> None:
    """ws.append(values), with the text cells of the new row kept as text."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if is_formula_like(cell.value) or (isinstance(cell.value, str) and cell.data_type == "f"):
            cell.data_type = "s"


def csv_value(value: Any) -> Any:
    """A CSV field carries no type: text that a spreadsheet would evaluate gets a leading
    apostrophe (the OWASP-recommended escape), which Excel and WPS hide when showing it."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values) -> list:
    return [csv_value(v) for v in values]
