"""Importing units from an Excel sheet (.xlsx).

Every row is checked before anything is written; one bad row and nothing of the file is
imported. A unit that already exists under the same parent (same name) is updated, so
importing the same file twice changes headcounts instead of duplicating units.
"""

import io
import itertools
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from wuxiao.audit.services import record, snapshot
from wuxiao.campaigns.models import Campaign
from wuxiao.campaigns.services import set_headcount
from wuxiao.lib.ids import credit_code_check_char, validate_credit_code
from wuxiao.lib.phones import normalise_phone, validate_phone
from wuxiao.lib.spreadsheets import append_row
from wuxiao.people.models import Organisation, OrgKind
from wuxiao.people.permissions import can_import_units, can_manage_organisation

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

NAME, PARENT, KIND, CREDIT_CODE, CONTACT_NAME, CONTACT_PHONE, YOUNG_WORKERS = (
    "单位名称",
    "上级组织",
    "单位类型",
    "统一社会信用代码",
    "联系人",
    "联系电话",
    "35岁以下青工人数",
)
COLUMNS = (NAME, PARENT, KIND, CREDIT_CODE, CONTACT_NAME, CONTACT_PHONE, YOUNG_WORKERS)
OPTIONAL_COLUMNS = {CREDIT_CODE}
# The template's example row starts with this mark and is never imported (an office that
# fills in its own rows below it and uploads would otherwise create a fictional unit).
EXAMPLE_MARK = "【示例，不会导入】"

# What people type in the 单位类型 column → OrgKind. The short names are the template's;
# the model's own labels are accepted too.
KIND_NAMES = {
    "企业": OrgKind.ENTERPRISE,
    "机关事业单位": OrgKind.AGENCY,
    "两企三新": OrgKind.TWO_NEW,
    "高校": OrgKind.UNIVERSITY,
    **{
        OrgKind(kind).label: OrgKind(kind)
        for kind in (OrgKind.ENTERPRISE, OrgKind.AGENCY, OrgKind.TWO_NEW, OrgKind.UNIVERSITY)
    },
}
TEMPLATE_KINDS = ("企业", "机关事业单位", "两企三新", "高校")
TEMPLATE_FILENAME = "单位导入模板.xlsx"


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the file as a whole
    message: str

    def __str__(self):
        return f"第 {self.row} 行：{self.message}" if self.row else self.message


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # row numbers of the template's example

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    name: str
    parent: Organisation
    kind: str
    credit_code: str
    contact_name: str
    contact_phone: str
    young_workers: int
    existing: Organisation | None = None


class _Rollback(Exception):
    def __init__(self, error: RowError):
        self.error = error


class _DryRun(Exception):
    """Raised at the end of a preview so everything it wrote is rolled back."""


def _text(value) -> str:
    """A cell as text: Excel stores digit-only codes and phone numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _headcount(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = _text(value)
    return int(text) if text.isdigit() else None


def _read_sheet(file, *, max_rows: int, max_bytes: int = MAX_BYTES) -> tuple[list[tuple], list[RowError]]:
    """The first sheet's rows, or why the file cannot be read. The name must end in .xlsx,
    the size is capped, and the content must be an Excel workbook that is safe to open
    (projects.uploads.detect_kind: checked by content, with the zip-bomb limits)."""
    from wuxiao.projects.uploads import detect_kind

    name = getattr(file, "name", "") or ""
    if name and not name.lower().endswith(".xlsx"):
        return [], [RowError(None, f"只能导入 Excel .xlsx 文件，“{name}”不是 .xlsx 文件（旧版 .xls 请另存为 .xlsx）")]
    size = getattr(file, "size", None)
    data = file.read() if size is None or size <= max_bytes else b""
    size = len(data) if size is None else size
    if size > max_bytes:
        limit = f"{max_bytes / 1024 / 1024:g} MB"
        return [], [RowError(None, f"文件大小 {size / 1024 / 1024:.1f} MB，超过 {limit} 上限，请分批导入")]
    if not size:
        return [], [RowError(None, "文件是空文件（0 字节），请使用导入模板填写后重新上传")]
    try:
        content = io.BytesIO(data)
        content.name = name
        kind = detect_kind(content)
    except ValidationError as exc:  # e.g. a zip bomb: refused before it is opened
        return [], [RowError(None, exc.messages[0])]
    if kind != "xlsx":
        return [], [RowError(None, "文件无法作为 Excel .xlsx 读取，请使用导入模板填写后重新上传")]
    # Streamed (read_only) and stopped one row past the limit: a 4.7 MB workbook of 200,000
    # rows passes the zip limits, and loading it whole took 37 s and 400 MB in the web process.
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        try:
            rows = list(itertools.islice(workbook.worksheets[0].iter_rows(values_only=True), max_rows + 2))
        finally:
            workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, IndexError):
        return [], [RowError(None, "文件无法作为 Excel .xlsx 读取，请使用导入模板填写后重新上传")]
    return rows, []


def _too_many_rows(raw_rows: list[tuple], max_rows: int) -> RowError | None:
    """_read_sheet reads at most one row past the limit, so more rows than that are not counted."""
    if len(raw_rows) - 1 > max_rows:
        return RowError(None, f"文件超过 {max_rows} 行（每次最多导入 {max_rows} 行），请分批导入")
    return None


def _columns(header: tuple, columns=COLUMNS, optional=OPTIONAL_COLUMNS) -> tuple[dict[str, int], list[RowError]]:
    names = [_text(cell) for cell in header]
    index = {name: i for i, name in enumerate(names) if name in columns}
    missing = [c for c in columns if c not in index and c not in optional]
    if missing:
        listed = "、".join(f"“{c}”" for c in missing)
        return index, [RowError(1, f"表头缺少列 {listed}；表头应为：{'、'.join(columns)}（请使用导入模板）")]
    return index, []


def read_table(
    file, *, columns: tuple[str, ...], optional=frozenset(), noun: str, max_rows: int = MAX_ROWS
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The data rows of an uploaded template as (row number, {column: cell}) with blank lines
    left out, or the problems of the file as a whole (kind, size, header, row count). The
    template's example rows are still in; the caller skips those whose first column starts
    with EXAMPLE_MARK."""
    raw_rows, errors = _read_sheet(file, max_rows=max_rows)
    if errors:
        return [], errors
    if not raw_rows or all(_text(v) == "" for v in raw_rows[0]):
        return [], [RowError(None, f"文件第一个工作表为空：第 1 行应为表头，从第 2 行起每行一个{noun}")]
    index, errors = _columns(raw_rows[0], columns, optional)
    if errors:
        return [], errors
    if too_many := _too_many_rows(raw_rows, max_rows):
        return [], [too_many]
    rows = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        values = {col: raw[i] if i < len(raw) else None for col, i in index.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        rows.append((number, values))
    return rows, []


def _parents_for(by) -> tuple[dict[str, list[Organisation]], set[str]]:
    """Bodies a unit may be imported under: by name, those `by` manages; and all names."""
    bodies = list(Organisation.objects.filter(kind__in=(OrgKind.COMMITTEE, OrgKind.DISTRICT), is_active=True))
    mine: dict[str, list[Organisation]] = {}
    for org in bodies:
        if can_manage_organisation(by, org):
            mine.setdefault(org.name, []).append(org)
    return mine, {org.name for org in bodies}


def _check_rows(
    raw_rows: list[tuple], index: dict[str, int], by, skipped: list[int]
) -> tuple[list[_Row], list[RowError]]:
    """Check every row; the template's example rows are left out and listed in `skipped`."""
    parents, all_parent_names = _parents_for(by)
    cells = []
    for number, raw in enumerate(raw_rows, start=2):
        values = {col: raw[i] if i < len(raw) else None for col, i in index.items()}
        if all(_text(v) == "" for v in values.values()):
            continue  # blank lines are skipped, not errors
        if _text(values[NAME]).startswith(EXAMPLE_MARK):
            skipped.append(number)
            continue
        cells.append((number, values))

    names = {_text(v[NAME]) for _, v in cells}
    codes = {_text(v[CREDIT_CODE]).upper() for _, v in cells if CREDIT_CODE in v} - {""}
    existing = {
        (org.parent_id, org.name): org
        for org in Organisation.objects.filter(name__in=names, parent__kind__in=(OrgKind.COMMITTEE, OrgKind.DISTRICT))
    }
    code_owners = {org.credit_code: org for org in Organisation.objects.filter(credit_code__in=codes)}

    rows, errors = [], []
    seen_units: dict[tuple[int, str], int] = {}
    seen_codes: dict[str, int] = {}
    for number, values in cells:
        row_errors = []

        def bad(message, number=number, row_errors=row_errors):
            row_errors.append(RowError(number, message))

        name = _text(values[NAME])
        if not name:
            bad("“单位名称”不能为空")
        elif len(name) > 100:
            bad(f"单位名称长度为 {len(name)} 个字，超过 100 字上限")

        parent = None
        parent_name = _text(values[PARENT])
        if not parent_name:
            bad("“上级组织”不能为空，应填写县区/系统团组织或组委会的名称")
        elif parent_name in parents:
            if len(parents[parent_name]) > 1:
                bad(f"上级组织“{parent_name}”有重名，无法确定，请联系组委会办公室")
            else:
                parent = parents[parent_name][0]
        elif parent_name in all_parent_names:
            bad(f"上级组织“{parent_name}”不在您管理的范围内，只能导入到您管理的组织之下")
        else:
            bad(f"上级组织“{parent_name}”不存在：应填写已有的县区/系统团组织或组委会的全称")

        kind_text = _text(values[KIND])
        kind = KIND_NAMES.get(kind_text)
        if kind is None:
            bad(f"单位类型“{kind_text}”无效，应为：{'、'.join(TEMPLATE_KINDS)}")

        credit_code = _text(values.get(CREDIT_CODE)).upper()
        if credit_code:
            try:
                validate_credit_code(credit_code)
            except ValidationError as exc:
                hint = ""
                if isinstance(values.get(CREDIT_CODE), (int, float)):
                    hint = "（该单元格为数字格式，Excel 只保留 15 位有效数字，请把该列设为文本格式后重新填写）"
                bad(exc.messages[0] + hint)
                credit_code = ""

        contact_name = _text(values[CONTACT_NAME])
        if not contact_name:
            bad("“联系人”不能为空")
        elif len(contact_name) > 50:
            bad(f"联系人长度为 {len(contact_name)} 个字，超过 50 字上限")

        contact_phone = normalise_phone(_text(values[CONTACT_PHONE]))
        if not contact_phone:
            bad("“联系电话”不能为空")
        else:
            try:
                validate_phone(contact_phone)
            except ValidationError:
                bad(
                    f"联系电话“{_text(values[CONTACT_PHONE])}”格式不正确："
                    "应为 11 位手机号码或带区号的固定电话，例如 0772-2827423"
                )

        young_workers = _headcount(values[YOUNG_WORKERS])
        if young_workers is None:
            bad(f"35岁以下青工人数“{_text(values[YOUNG_WORKERS])}”无效，应为不小于 0 的整数")

        found = None
        if name and parent is not None:
            key = (parent.pk, name)
            if key in seen_units:
                bad(f"与第 {seen_units[key]} 行重复：“{parent.name}”下已有同名单位“{name}”")
            seen_units.setdefault(key, number)
            found = existing.get(key)
            if found is not None and not found.is_unit:
                bad(f"“{name}”在“{parent.name}”下已存在，但它是{found.get_kind_display()}，不是基层单位")
            elif found is not None and not found.is_active:
                bad(f"单位“{name}”已停用，请先在组织架构中启用后再导入")
        if credit_code:
            owner = code_owners.get(credit_code)
            if credit_code in seen_codes:
                bad(f"统一社会信用代码“{credit_code}”与第 {seen_codes[credit_code]} 行重复")
            elif owner is not None and owner != found:
                bad(f"统一社会信用代码“{credit_code}”已被“{owner.name}”使用")
            seen_codes.setdefault(credit_code, number)

        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(
                _Row(number, name, parent, kind, credit_code, contact_name, contact_phone, young_workers, found)
            )
    return rows, errors


def _write_row(row: _Row, *, campaign: Campaign, by, result: ImportResult, headcounts: dict[int, int]) -> None:
    from wuxiao.people.services import create_organisation, update_organisation

    fields = {"kind": row.kind, "contact_name": row.contact_name, "contact_phone": row.contact_phone}
    if row.credit_code:
        fields["credit_code"] = row.credit_code
    org = row.existing
    if org is None:
        org = create_organisation(by=by, name=row.name, parent=row.parent, **fields)
        changed = True
        result.created.append(row.name)
    else:
        before = snapshot(org)
        changed = any(getattr(org, k) != v for k, v in fields.items())
        if changed:
            for k, v in fields.items():
                setattr(org, k, v)
            org.full_clean(exclude=["path"])
            update_organisation(by=by, org=org, before=before)
    if headcounts.get(org.pk) != row.young_workers:
        set_headcount(by=by, campaign=campaign, organisation=org, young_workers=row.young_workers)
        changed = True
    if row.existing is not None:
        (result.updated if changed else result.unchanged).append(row.name)


def import_units(*, campaign: Campaign, file, by, dry_run: bool = False) -> ImportResult:
    """Import the units of an uploaded .xlsx into `campaign`: create or update each unit and
    set its young-worker headcount. Returns every problem found (by row number) and writes
    nothing if there is one. With `dry_run` (the preview an office reads before it confirms)
    every row is checked and written as the import would, then rolled back: the result says
    what would be created, updated and left unchanged."""
    if not can_import_units(by):
        raise PermissionDenied("只有组委会办公室和县区/系统团组织管理员可以导入单位")
    raw_rows, errors = _read_sheet(file, max_rows=MAX_ROWS)
    if errors:
        return ImportResult(errors=errors)
    if not raw_rows or all(_text(v) == "" for v in raw_rows[0]):
        return ImportResult(errors=[RowError(None, "文件第一个工作表为空：第 1 行应为表头，从第 2 行起每行一个单位")])
    index, errors = _columns(raw_rows[0])
    if errors:
        return ImportResult(errors=errors)
    if too_many := _too_many_rows(raw_rows, MAX_ROWS):
        return ImportResult(errors=[too_many])
    skipped: list[int] = []
    rows, errors = _check_rows(raw_rows[1:], index, by, skipped)
    if errors:
        return ImportResult(errors=errors)
    if not rows:
        where = "从第 3 行起每行填写一个单位（模板的示例行不会导入）" if skipped else "从第 2 行起每行填写一个单位"
        return ImportResult(errors=[RowError(None, f"文件中没有单位数据：{where}")])

    result = ImportResult(skipped=skipped)
    headcounts = dict(
        campaign.participations.filter(organisation__in=[r.existing for r in rows if r.existing]).values_list(
            "organisation_id", "young_workers"
        )
    )
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        _write_row(row, campaign=campaign, by=by, result=result, headcounts=headcounts)
                except (ValidationError, IntegrityError) as exc:
                    reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else "与已有数据冲突，请重试"
                    raise _Rollback(RowError(row.number, reason)) from exc
            if dry_run:
                raise _DryRun
            record(
                by=by,
                action="units.import",
                target=campaign,
                after={
                    "file": getattr(file, "name", ""),
                    "rows": len(rows),
                    "created": len(result.created),
                    "updated": len(result.updated),
                    "unchanged": len(result.unchanged),
                    "skipped": len(result.skipped),
                },
            )
    except _Rollback as rollback:
        return ImportResult(errors=[rollback.error])
    except _DryRun:
        pass
    return result


def template_workbook() -> bytes:
    """The import template: the header row, one example row and a sheet of instructions."""
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    append_row(ws, COLUMNS)
    example_code = "91450200MA5L7QWE1"
    append_row(
        ws,
        [
            EXAMPLE_MARK + "柳州示例精工有限公司团委",
            "城中区团委",
            "企业",
            example_code + credit_code_check_char(example_code),
            "韦小敏",
            "0772-2827423",
            230,
        ],
    )
    for column, width in zip("ABCDEFG", (32, 22, 14, 24, 12, 16, 18), strict=True):
        ws.column_dimensions[column].width = width
    kinds = DataValidation(type="list", formula1=f'"{",".join(TEMPLATE_KINDS)}"', allow_blank=False)
    kinds.add("C2:C5000")
    ws.add_data_validation(kinds)
    ws.freeze_panes = "A2"
    for column in "DF":  # codes and phone numbers are text, so Excel keeps every digit
        ws.column_dimensions[column].number_format = "@"

    notes = wb.create_sheet("填写说明")
    for line in (
        ("列", "说明"),
        (NAME, "必填，单位团组织全称，不超过 100 字；同一上级组织下不能重名"),
        (PARENT, "必填，已有的县区/系统团组织或组委会的全称，例如：城中区团委"),
        (KIND, f"必填，{'、'.join(TEMPLATE_KINDS)} 之一"),
        (CREDIT_CODE, "选填，18 位；填写时校验末位校验码"),
        (CONTACT_NAME, "必填"),
        (CONTACT_PHONE, "必填，11 位手机号码或带区号的固定电话，例如 0772-2827423"),
        (YOUNG_WORKERS, "必填，不小于 0 的整数；用于计算上报名额（每满 100 人 5 项，最少 5 项）"),
        ("示例行", f"第 2 行是示例，单位名称以“{EXAMPLE_MARK}”开头，导入时跳过；请从第 3 行起填写（也可删除示例行）"),
        ("重复导入", "同一上级组织下已有的同名单位不会重复创建，而是更新其信息和青工人数"),
        ("出错时", "任何一行有误，整个文件都不导入；请按提示的行号修改后重新上传"),
    ):
        append_row(notes, line)
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
