"""Helpers for console and import tests: .xlsx files built in memory, valid credit codes."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from wuxiao.campaigns.imports import COLUMNS
from wuxiao.lib.ids import credit_code_check_char


def credit_code(first17: str) -> str:
    """A valid 统一社会信用代码 from its first 17 characters."""
    return first17 + credit_code_check_char(first17)


def xlsx(rows, header=COLUMNS, name="units.xlsx") -> SimpleUploadedFile:
    """An uploaded .xlsx built in memory: a header row, then `rows`."""
    wb = Workbook()
    ws = wb.active
    if header is not None:
        ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(
        name, out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
