"""Importing units from Excel: all rows checked first, nothing half-imported, re-import updates."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.console.helpers import credit_code, xlsx
from tests.factories import OrgKind, make_org, participation
from wuxiao.audit.models import AuditEntry
from wuxiao.campaigns.imports import COLUMNS, MAX_BYTES, import_units, template_workbook
from wuxiao.campaigns.models import Participation
from wuxiao.people.models import Organisation

pytestmark = pytest.mark.django_db

CODE_A = credit_code("91450200MA5L7QWE1")
CODE_B = credit_code("12450200MB1234567")

GOOD_ROWS = [
    ("柳州示例精工有限公司团委", "城中区团委", "企业", CODE_A, "韦小敏", "0772-2827423", 230),
    ("柳州市示例医院团委", "城中区团委", "机关事业单位", "", "覃小红", 13877212345, 99),
    ("柳州示例物流有限公司团支部", "鱼峰区团委", "两企三新", None, "蓝天", "0772—3112233", 1200),
]


def units():
    return Organisation.objects.filter(kind__in=[OrgKind.ENTERPRISE, OrgKind.AGENCY, OrgKind.TWO_NEW])


def test_good_file_creates_units_with_headcounts_and_quotas(campaign, alice_committee, district, other_district):
    result = import_units(campaign=campaign, file=xlsx(GOOD_ROWS), by=alice_committee)

    assert result.errors == []
    assert result.created == [row[0] for row in GOOD_ROWS]
    a, hospital, logistics = (Organisation.objects.get(name=row[0]) for row in GOOD_ROWS)
    assert (a.parent, a.kind, a.credit_code, a.contact_name, a.contact_phone) == (
        district,
        OrgKind.ENTERPRISE,
        CODE_A,
        "韦小敏",
        "0772-2827423",
    )
    assert (hospital.kind, hospital.credit_code, hospital.contact_phone) == (OrgKind.AGENCY, "", "13877212345")
    assert (logistics.parent, logistics.kind, logistics.contact_phone) == (
        other_district,
        OrgKind.TWO_NEW,
        "0772-3112233",
    )
    assert a.path == f"{district.path}{a.pk:06d}."
    quotas = {
        p.organisation.name: (p.young_workers, p.quota)
        for p in Participation.objects.filter(campaign=campaign).select_related("organisation", "campaign")
    }
    assert quotas == {GOOD_ROWS[0][0]: (230, 10), GOOD_ROWS[1][0]: (99, 5), GOOD_ROWS[2][0]: (1200, 60)}
    entry = AuditEntry.objects.get(action="units.import")
    assert entry.actor == alice_committee
    assert entry.after == {"file": "units.xlsx", "rows": 3, "created": 3, "updated": 0, "unchanged": 0, "skipped": 0}
    assert AuditEntry.objects.filter(action="organisation.create", actor=alice_committee).count() == 3
    assert AuditEntry.objects.filter(action="participation.headcount", actor=alice_committee).count() == 3


def test_a_dry_run_counts_what_the_import_would_do_and_writes_nothing(
    campaign, alice_committee, district, other_district
):
    import_units(campaign=campaign, file=xlsx(GOOD_ROWS[:1]), by=alice_committee)
    rows = [(GOOD_ROWS[0][0], *GOOD_ROWS[0][1:6], 500), *GOOD_ROWS[1:]]
    organisations, entries = Organisation.objects.count(), AuditEntry.objects.count()
    preview = import_units(campaign=campaign, file=xlsx(rows), by=alice_committee, dry_run=True)
    assert (preview.errors, preview.created, preview.updated, preview.unchanged) == (
        [],
        [GOOD_ROWS[1][0], GOOD_ROWS[2][0]],
        [GOOD_ROWS[0][0]],
        [],
    )
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == (organisations, entries)
    assert Participation.objects.get(organisation__name=GOOD_ROWS[0][0]).young_workers == 230
    # the same checks as the import: a bad row is reported, not counted
    bad = import_units(campaign=campaign, file=xlsx([(*GOOD_ROWS[1][:6], "很多")]), by=alice_committee, dry_run=True)
    assert [str(e) for e in bad.errors] == ["第 2 行：35岁以下青工人数“很多”无效，应为不小于 0 的整数"]


def test_reimport_of_the_same_file_changes_nothing(campaign, alice_committee, district, other_district):
    import_units(campaign=campaign, file=xlsx(GOOD_ROWS), by=alice_committee)
    before = units().count()

    result = import_units(campaign=campaign, file=xlsx(GOOD_ROWS), by=alice_committee)

    assert (result.errors, result.created, result.updated) == ([], [], [])
    assert result.unchanged == [row[0] for row in GOOD_ROWS]
    assert units().count() == before == 3
    assert AuditEntry.objects.filter(action="organisation.update").count() == 0


def test_reimport_with_new_headcounts_updates_instead_of_duplicating(
    campaign, alice_committee, district, other_district
):
    import_units(campaign=campaign, file=xlsx(GOOD_ROWS), by=alice_committee)
    next_year = [list(row) for row in GOOD_ROWS]
    next_year[0][6] = 480
    next_year[1][5] = "13877299999"

    result = import_units(campaign=campaign, file=xlsx(next_year), by=alice_committee)

    assert result.created == []
    assert result.updated == [GOOD_ROWS[0][0], GOOD_ROWS[1][0]]
    assert result.unchanged == [GOOD_ROWS[2][0]]
    assert units().count() == 3
    a = Participation.objects.get(organisation__name=GOOD_ROWS[0][0])
    assert (a.young_workers, a.quota) == (480, 20)
    assert Organisation.objects.get(name=GOOD_ROWS[1][0]).contact_phone == "13877299999"
    headcount = AuditEntry.objects.filter(action="participation.headcount").order_by("id").last()
    assert (headcount.before, headcount.after) == ({"young_workers": 230}, {"young_workers": 480})
    update = AuditEntry.objects.get(action="organisation.update")
    assert (update.before, update.after) == ({"contact_phone": "13877212345"}, {"contact_phone": "13877299999"})


def test_existing_unit_created_by_hand_is_updated(campaign, alice_committee, unit_a):
    participation(campaign, unit_a, young_workers=100)
    row = (unit_a.name, "城中区团委", "企业", "", "黄小军", "13877200001", 300)
    result = import_units(campaign=campaign, file=xlsx([row]), by=alice_committee)
    assert (result.created, result.updated) == ([], [unit_a.name])
    assert Organisation.objects.filter(name=unit_a.name).count() == 1
    assert Participation.objects.get(organisation=unit_a).young_workers == 300


def test_every_bad_row_is_reported_and_nothing_is_imported(campaign, alice_committee, district, unit_a):
    unit_a.credit_code = CODE_B
    unit_a.save()
    inactive = make_org("已停用单位团委", OrgKind.ENTERPRISE, district)
    inactive.is_active = False
    inactive.save()
    orgs_before, audit_before = Organisation.objects.count(), AuditEntry.objects.count()
    rows = [
        ("柳州好单位团委", "城中区团委", "企业", "", "韦小敏", "13877212345", 120),  # 2: good
        ("", "城中区团委", "企业", "", "韦小敏", "13877212345", 10),  # 3
        ("不存在上级的单位", "城南区团委", "企业", "", "韦小敏", "13877212345", 10),  # 4
        ("类型不对的单位", "城中区团委", "工厂", "", "韦小敏", "13877212345", 10),  # 5
        ("代码不对的单位", "城中区团委", "企业", "91450200MA5L7QWE10", "韦小敏", "13877212345", 10),  # 6
        ("电话不对的单位", "城中区团委", "企业", "", "韦小敏", "0772282", 10),  # 7
        ("人数为负的单位", "城中区团委", "企业", "", "韦小敏", "13877212345", -3),  # 8
        ("人数非数字的单位", "城中区团委", "企业", "", "韦小敏", "13877212345", "约两百"),  # 9
        ("柳州好单位团委", "城中区团委", "高校", "", "韦小敏", "13877212345", 5),  # 10: dup of 2
        ("代码被占用的单位", "城中区团委", "企业", CODE_B, "韦小敏", "13877212345", 10),  # 11
        ("没有联系人的单位", "城中区团委", "企业", "", "", "13877212345", 10),  # 12
        ("已停用单位团委", "城中区团委", "企业", "", "韦小敏", "13877212345", 10),  # 13
        (None, None, None, None, None, None, None),  # 14: blank, skipped
        ("人数为小数的单位", "城中区团委", "企业", "", "韦小敏", "13877212345", 10.5),  # 15
    ]

    result = import_units(campaign=campaign, file=xlsx(rows), by=alice_committee)

    assert [str(e) for e in result.errors] == [
        "第 3 行：“单位名称”不能为空",
        "第 4 行：上级组织“城南区团委”不存在：应填写已有的县区/系统团组织或组委会的全称",
        "第 5 行：单位类型“工厂”无效，应为：企业、机关事业单位、两企三新、高校",
        "第 6 行：统一社会信用代码“91450200MA5L7QWE10”无效："
        "应为 18 位数字或大写字母（不含 I、O、S、V、Z），且末位校验码正确",
        "第 7 行：联系电话“0772282”格式不正确：应为 11 位手机号码或带区号的固定电话，例如 0772-2827423",
        "第 8 行：35岁以下青工人数“-3”无效，应为不小于 0 的整数",
        "第 9 行：35岁以下青工人数“约两百”无效，应为不小于 0 的整数",
        "第 10 行：与第 2 行重复：“城中区团委”下已有同名单位“柳州好单位团委”",
        f"第 11 行：统一社会信用代码“{CODE_B}”已被“示例机械有限公司团委”使用",
        "第 12 行：“联系人”不能为空",
        "第 13 行：单位“已停用单位团委”已停用，请先在组织架构中启用后再导入",
        "第 15 行：35岁以下青工人数“10.5”无效，应为不小于 0 的整数",
    ]
    assert not result.ok
    assert (result.created, result.updated) == ([], [])
    assert Organisation.objects.count() == orgs_before
    assert not Organisation.objects.filter(name="柳州好单位团委").exists()
    assert Participation.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_duplicate_credit_codes_within_the_file(campaign, alice_committee, district):
    rows = [
        ("甲单位", "城中区团委", "企业", CODE_A, "韦", "13877212345", 1),
        ("乙单位", "城中区团委", "企业", CODE_A.lower(), "韦", "13877212345", 1),
    ]
    result = import_units(campaign=campaign, file=xlsx(rows), by=alice_committee)
    assert [str(e) for e in result.errors] == [f"第 3 行：统一社会信用代码“{CODE_A}”与第 2 行重复"]


def test_district_admin_imports_only_into_own_district(campaign, dan_district_admin, district, other_district):
    rows = [
        ("城中区新单位", "城中区团委", "企业", "", "韦", "13877212345", 150),
        ("鱼峰区新单位", "鱼峰区团委", "企业", "", "韦", "13877212345", 150),
        ("直属新单位", "柳州市青年岗位科技“五小”竞赛活动组委会办公室", "高校", "", "韦", "13877212345", 150),
    ]
    result = import_units(campaign=campaign, file=xlsx(rows), by=dan_district_admin)
    assert [str(e) for e in result.errors] == [
        "第 3 行：上级组织“鱼峰区团委”不在您管理的范围内，只能导入到您管理的组织之下",
        "第 4 行：上级组织“柳州市青年岗位科技“五小”竞赛活动组委会办公室”不在您管理的范围内，只能导入到您管理的组织之下",
    ]
    assert not Organisation.objects.filter(name="城中区新单位").exists()

    result = import_units(campaign=campaign, file=xlsx(rows[:1]), by=dan_district_admin)
    assert result.created == ["城中区新单位"]
    assert Organisation.objects.get(name="城中区新单位").parent == district


def test_unit_admin_may_not_import(campaign, bob_unit_admin):
    with pytest.raises(PermissionDenied):
        import_units(campaign=campaign, file=xlsx(GOOD_ROWS), by=bob_unit_admin)


def test_other_unit_admin_and_nobody_may_not_import(campaign, eve_other_unit_admin, mallory):
    for user in (eve_other_unit_admin, mallory):
        with pytest.raises(PermissionDenied):
            import_units(campaign=campaign, file=xlsx(GOOD_ROWS), by=user)


def test_columns_may_come_in_any_order_and_phones_as_numbers(campaign, alice_committee, district):
    header = list(reversed(COLUMNS))
    row = list(reversed(("数字电话单位", "城中区团委", "企业", CODE_A, "韦", 13877212345.0, 42.0)))
    result = import_units(campaign=campaign, file=xlsx([row], header=header), by=alice_committee)
    assert result.errors == []
    org = Organisation.objects.get(name="数字电话单位")
    assert (org.credit_code, org.contact_phone) == (CODE_A, "13877212345")
    assert Participation.objects.get(organisation=org).young_workers == 42


def test_credit_code_mangled_by_a_number_cell_gets_a_hint(campaign, alice_committee, district):
    digits_code = credit_code("12345678901234567")
    assert digits_code == "123456789012345678"
    row = ("数字代码单位", "城中区团委", "企业", int(digits_code), "韦", "13877212345", 42)
    result = import_units(campaign=campaign, file=xlsx([row]), by=alice_committee)
    assert len(result.errors) == 1
    message = str(result.errors[0])
    assert message.startswith("第 2 行：统一社会信用代码“")
    assert message.endswith("（该单元格为数字格式，Excel 只保留 15 位有效数字，请把该列设为文本格式后重新填写）")
    assert not Organisation.objects.filter(name="数字代码单位").exists()


def test_missing_columns_are_named(campaign, alice_committee):
    header = [c for c in COLUMNS if c not in ("单位类型", "联系电话")]
    result = import_units(campaign=campaign, file=xlsx([], header=header), by=alice_committee)
    assert [str(e) for e in result.errors] == [
        "第 1 行：表头缺少列 “单位类型”、“联系电话”；表头应为：单位名称、上级组织、单位类型、统一社会信用代码、联系人、"
        "联系电话、35岁以下青工人数（请使用导入模板）"
    ]


def test_optional_credit_code_column_may_be_left_out(campaign, alice_committee, district):
    header = [c for c in COLUMNS if c != "统一社会信用代码"]
    row = ("无代码列单位", "城中区团委", "企业", "韦", "13877212345", 5)
    result = import_units(campaign=campaign, file=xlsx([row], header=header), by=alice_committee)
    assert result.created == ["无代码列单位"]


def test_file_with_header_only_is_refused(campaign, alice_committee):
    result = import_units(campaign=campaign, file=xlsx([]), by=alice_committee)
    assert [str(e) for e in result.errors] == ["文件中没有单位数据：从第 2 行起每行填写一个单位"]


def test_non_xlsx_is_refused(campaign, alice_committee):
    old_excel = SimpleUploadedFile("units.xls", b"\xd0\xcf\x11\xe0 old excel")
    result = import_units(campaign=campaign, file=old_excel, by=alice_committee)
    assert [str(e) for e in result.errors] == [
        "只能导入 Excel .xlsx 文件，“units.xls”不是 .xlsx 文件（旧版 .xls 请另存为 .xlsx）"
    ]


def test_garbage_named_xlsx_is_refused(campaign, alice_committee):
    result = import_units(campaign=campaign, file=SimpleUploadedFile("units.xlsx", b"not a zip"), by=alice_committee)
    assert [str(e) for e in result.errors] == ["文件无法作为 Excel .xlsx 读取，请使用导入模板填写后重新上传"]


def test_file_over_5_mb_is_refused(campaign, alice_committee):
    big = SimpleUploadedFile("units.xlsx", b"0" * (MAX_BYTES + 1))
    result = import_units(campaign=campaign, file=big, by=alice_committee)
    assert [str(e) for e in result.errors] == ["文件大小 5.0 MB，超过 5 MB 上限，请分批导入"]


def test_the_template_s_example_row_never_becomes_a_unit(campaign, alice_committee, district):
    from openpyxl import load_workbook as load

    sheet = load_workbook(io.BytesIO(template_workbook())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == 2 and rows[1][0] == "【示例，不会导入】柳州示例精工有限公司团委"
    before = Organisation.objects.count()
    # uploaded as downloaded: nothing to import, and nothing is created
    result = import_units(
        campaign=campaign, file=SimpleUploadedFile("模板.xlsx", template_workbook()), by=alice_committee
    )
    assert [str(e) for e in result.errors] == [
        "文件中没有单位数据：从第 3 行起每行填写一个单位（模板的示例行不会导入）"
    ]
    # the office's own rows below the example: those are imported, the example is skipped
    wb = load(io.BytesIO(template_workbook()))
    wb.worksheets[0].append(("柳州市示例医院团委", "城中区团委", "机关事业单位", "", "覃小红", "13877212345", 99))
    out = io.BytesIO()
    wb.save(out)
    result = import_units(campaign=campaign, file=SimpleUploadedFile("单位.xlsx", out.getvalue()), by=alice_committee)
    assert (result.errors, result.created, result.skipped) == ([], ["柳州市示例医院团委"], [2])
    assert Organisation.objects.count() == before + 1
    assert not Organisation.objects.filter(name__contains="示例精工").exists()


@pytest.mark.parametrize("importer", ["units", "experts"])
def test_too_many_rows_are_refused_without_reading_the_whole_sheet(
    campaign, alice_committee, district, monkeypatch, importer
):
    """A 4.7 MB workbook of 200,000 rows passes the size and zip limits; loaded whole it took
    37 s and 400 MB of the web process. The sheet is streamed and read one row past the limit."""
    from wuxiao.campaigns import imports
    from wuxiao.reviews.imports import preview_experts

    monkeypatch.setattr(imports, "MAX_ROWS", 10)
    pulled = []
    real_load = imports.load_workbook

    def counting_load(*args, **kwargs):
        book = real_load(*args, **kwargs)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows

        def iter_rows(*a, **k):
            for row in rows(*a, **k):
                pulled.append(row)
                yield row

        sheet.iter_rows = iter_rows
        return book

    monkeypatch.setattr(imports, "load_workbook", counting_load)
    many = [["单位", "城中区团委", "企业", "", "韦", "13877200001", 1]] * 500
    limit = 10
    if importer == "units":
        errors = import_units(campaign=campaign, file=xlsx(many), by=alice_committee).errors
    else:
        from wuxiao.reviews.imports import COLUMNS as EXPERT_COLUMNS

        monkeypatch.setattr("wuxiao.reviews.imports.MAX_ROWS", 10)
        errors = preview_experts(file=xlsx(many, header=EXPERT_COLUMNS), by=alice_committee).errors
    assert [str(e) for e in errors] == [f"文件超过 {limit} 行（每次最多导入 {limit} 行），请分批导入"]
    assert len(pulled) == limit + 2  # the header, the limit, one more to know it is exceeded
