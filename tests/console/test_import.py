import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.console.helpers import xlsx
from wuxiao.campaigns.imports import COLUMNS, MAX_BYTES
from wuxiao.campaigns.models import Participation
from wuxiao.people.models import Organisation

pytestmark = pytest.mark.django_db

IMPORT = reverse("console:import_units")
TEMPLATE = reverse("console:import_template")
ROWS = [
    ("柳州示例精工有限公司团委", "城中区团委", "企业", "", "韦小敏", "0772-2827423", 230),
    ("柳州示例纺织有限公司团委", "城中区团委", "企业", "", "覃小红", "13877212345", 40),
]


def test_committee_previews_then_confirms_a_good_file(client_for, alice_committee, campaign, district, unit_a):
    from wuxiao.audit.models import AuditEntry

    client = client_for(alice_committee)
    rows = [*ROWS, (unit_a.name, "城中区团委", "企业", "", "卜波", "13877200001", 300)]
    before = Organisation.objects.count()
    response = client.post(IMPORT, {"campaign": campaign.pk, "file": xlsx(rows)})
    assert response.status_code == 200
    preview = response.content.decode().split('id="import-preview"')[1].split("</form>")[0]
    assert "尚未导入" in preview
    assert f"将新建 <strong>2</strong> 个单位：{ROWS[0][0]}、{ROWS[1][0]}" in preview
    assert f"将更新 <strong>1</strong> 个单位：{unit_a.name}" in preview
    # Nothing is written by the preview.
    assert Organisation.objects.count() == before and not AuditEntry.objects.filter(action="units.import").exists()
    assert not Participation.objects.filter(organisation=unit_a, campaign=campaign, young_workers=300).exists()
    token = response.context["preview"].token
    response = client.post(IMPORT, {"confirm": token})
    assert response.status_code == 200
    assert "导入完成：新建 2 个单位，更新 1 个，未变化 0 个" in response.content.decode()
    assert Organisation.objects.count() == before + 2
    assert Participation.objects.get(organisation__name=ROWS[0][0], campaign=campaign).quota == 10
    assert Participation.objects.get(organisation=unit_a, campaign=campaign).young_workers == 300
    # The preview is used once: a second confirm (a double click) imports nothing again.
    response = client.post(IMPORT, {"confirm": token}, follow=True)
    assert "导入预览已失效，请重新上传文件" in response.content.decode()
    assert AuditEntry.objects.filter(action="units.import").count() == 1


def test_a_confirm_without_its_preview_imports_nothing(client_for, alice_committee, dan_district_admin, campaign):
    client_for(alice_committee).post(IMPORT, {"campaign": campaign.pk, "file": xlsx(ROWS)})
    # another session (the district admin's) cannot confirm the committee's preview
    response = client_for(dan_district_admin).post(IMPORT, {"confirm": "guessed"}, follow=True)
    assert "导入预览已失效，请重新上传文件" in response.content.decode()
    assert not Organisation.objects.filter(name=ROWS[0][0]).exists()


def test_bad_rows_are_listed_by_number_and_nothing_is_imported(client_for, alice_committee, campaign, district):
    rows = [
        ROWS[0],
        ("坏代码单位", "城中区团委", "企业", "ABC", "韦", "13877212345", 5),
        ("坏人数单位", "城中区团委", "企业", "", "韦", "13877212345", "很多"),
    ]
    response = client_for(alice_committee).post(IMPORT, {"campaign": campaign.pk, "file": xlsx(rows)})
    assert response.status_code == 422
    text = response.content.decode()
    assert "文件有 2 处错误，未导入任何数据" in text
    assert "第 3 行：统一社会信用代码“ABC”无效" in text
    assert "第 4 行：35岁以下青工人数“很多”无效，应为不小于 0 的整数" in text
    assert not Organisation.objects.filter(name=ROWS[0][0]).exists()


def test_district_admin_import_into_other_district_is_reported(
    client_for, dan_district_admin, campaign, other_district
):
    rows = [("鱼峰区新单位", "鱼峰区团委", "企业", "", "韦", "13877212345", 5)]
    response = client_for(dan_district_admin).post(IMPORT, {"campaign": campaign.pk, "file": xlsx(rows)})
    assert response.status_code == 422
    assert "第 2 行：上级组织“鱼峰区团委”不在您管理的范围内" in response.content.decode()
    assert not Organisation.objects.filter(name="鱼峰区新单位").exists()


def test_old_excel_and_big_files_are_refused_by_the_form(client_for, alice_committee, campaign):
    client = client_for(alice_committee)
    response = client.post(IMPORT, {"campaign": campaign.pk, "file": SimpleUploadedFile("units.xls", b"x")})
    assert response.context["form"].errors["file"] == [
        "只能导入 Excel .xlsx 文件，“units.xls”不是 .xlsx 文件（旧版 .xls 请另存为 .xlsx）"
    ]
    big = SimpleUploadedFile("units.xlsx", b"0" * (MAX_BYTES + 1))
    response = client.post(IMPORT, {"campaign": campaign.pk, "file": big})
    assert response.context["form"].errors["file"] == ["文件大小 5.0 MB，超过 5 MB 上限，请分批导入"]


@pytest.mark.parametrize("who", ["bob_unit_admin", "eve_other_unit_admin", "carol_applicant", "mallory"])
def test_only_committee_and_district_admins_import(client_for, request, campaign, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"campaign": campaign.pk, "file": xlsx(ROWS)}).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert not Organisation.objects.filter(name=ROWS[0][0]).exists()


def test_template_download(client_for, dan_district_admin):
    response = client_for(dan_district_admin).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert rows[1][:3] == ("【示例，不会导入】柳州示例精工有限公司团委", "城中区团委", "企业")
