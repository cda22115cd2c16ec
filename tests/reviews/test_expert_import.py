"""Importing the expert pool from Excel: template, row-level problems in Chinese, preview
before writing, one transaction on confirm, re-import updates by mobile, conflict units by
name, content and size checks, committee only, audited."""

import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.console.helpers import xlsx
from tests.factories import UserFactory
from wuxiao.audit.models import AuditEntry
from wuxiao.people.models import Membership, Role, User
from wuxiao.reviews.imports import COLUMNS, EXAMPLE_MARK, import_experts, preview_experts, template_workbook
from wuxiao.reviews.models import ExpertProfile

pytestmark = pytest.mark.django_db

GOOD = [
    ("覃志明", "13877210001", "柳州职业技术学院", "高级工程师", "机械、电子", "示例化工有限公司团委", "", "是"),
    ("韦红", 13877210002, "柳州示例研究院", "", "化工", "", "weihong@example.com", ""),
]


def upload(rows, header=COLUMNS, name="experts.xlsx"):
    return xlsx(rows, header=header, name=name)


def experts():
    return {p.user.mobile: p for p in ExpertProfile.objects.select_related("user")}


def test_template_has_chinese_headers_and_an_example_row_that_is_skipped(alice_committee, unit_b):
    data = template_workbook()
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert rows[1][0].startswith(EXAMPLE_MARK)

    preview = preview_experts(file=SimpleUploadedFile("t.xlsx", data), by=alice_committee)
    assert preview.skipped == [2]
    assert not preview.ok
    assert "文件中没有专家数据" in str(preview.errors[0])


def test_the_template_has_no_formula_cells():
    from tests.documents.test_formula_safety import formula_cells

    assert formula_cells(template_workbook()) == []


def test_preview_writes_nothing_then_confirm_creates_experts(alice_committee, committee, unit_b):
    preview = preview_experts(file=upload(GOOD), by=alice_committee)
    assert preview.errors == []
    assert [(r.number, r.action) for r in preview.rows] == [(2, "新建"), (3, "新建")]
    assert ExpertProfile.objects.count() == 0 and not User.objects.filter(mobile="13877210001").exists()

    result = import_experts(cells=preview.cells, by=alice_committee, file_name="experts.xlsx")
    assert result.errors == []
    pool = experts()
    qin, wei = pool["13877210001"], pool["13877210002"]
    assert (qin.user.real_name, qin.employer, qin.title, qin.categories, qin.is_active) == (
        "覃志明",
        "柳州职业技术学院",
        "高级工程师",
        ["机械", "电子"],
        True,
    )
    assert list(qin.declared_organisations.all()) == [unit_b]
    assert not qin.user.has_usable_password()
    assert wei.user.email == "weihong@example.com" and wei.categories == ["化工"]
    assert Membership.objects.filter(user=qin.user, organisation=committee, role=Role.EXPERT).exists()
    entry = AuditEntry.objects.get(action="experts.import")
    assert entry.actor == alice_committee and entry.after["created"] == 2


def test_reimport_updates_by_mobile_and_never_duplicates(alice_committee, unit_b, dave_expert):
    dave_expert.mobile = "13877210003"
    dave_expert.save()
    ExpertProfile.objects.create(user=dave_expert, categories=["机械"], employer="旧单位")
    rows = [*GOOD, ("戴伟", "13877210003", "新单位", "教授", "机械、化工", "", "", "否")]
    first = preview_experts(file=upload(rows), by=alice_committee)
    assert [r.action for r in first.rows] == ["新建", "新建", "更新"]
    import_experts(cells=first.cells, by=alice_committee)
    dave = ExpertProfile.objects.get(user=dave_expert)
    assert (dave.employer, dave.title, dave.categories, dave.is_active) == ("新单位", "教授", ["机械", "化工"], False)

    again = preview_experts(file=upload(rows), by=alice_committee)
    assert [r.action for r in again.rows] == ["未变化"] * 3
    import_experts(cells=again.cells, by=alice_committee)
    assert ExpertProfile.objects.count() == 3
    assert User.objects.filter(mobile__in=["13877210001", "13877210002", "13877210003"]).count() == 3


def test_every_row_problem_is_named_by_row_and_rule(alice_committee, unit_b):
    rows = [
        GOOD[0],
        ("", "1387720", "", "", "", "", "", ""),
        ("李四", "13877210001", "某单位", "", "机械、航天", "不存在的公司团委", "not-an-email", "也许"),
        ("王五", "23877210009", "某单位", "", "机械", "", "", ""),
    ]
    preview = preview_experts(file=upload(rows), by=alice_committee)
    messages = [str(e) for e in preview.errors]
    assert "第 3 行：手机号 1387720 不是 11 位" in messages
    assert "第 3 行：“姓名”不能为空" in messages
    assert "第 3 行：“工作单位”不能为空" in messages
    assert any(m.startswith("第 3 行：“擅长类别”不能为空") for m in messages)
    assert "第 4 行：手机号 13877210001 与第 2 行重复" in messages
    assert any(m.startswith("第 4 行：擅长类别“航天”无效") for m in messages)
    assert "第 4 行：回避单位“不存在的公司团委”不存在：应填写平台中已有单位的全称" in messages
    assert any(m.startswith("第 4 行：电子邮箱“not-an-email”格式不正确") for m in messages)
    assert any(m.startswith("第 4 行：可参加评审“也许”无效") for m in messages)
    assert any(m.startswith("第 5 行：手机号 23877210009 格式不正确") for m in messages)
    assert not preview.ok
    # Confirming the same cells anyway writes nothing.
    assert import_experts(cells=preview.cells, by=alice_committee).errors
    assert ExpertProfile.objects.count() == 0 and not AuditEntry.objects.filter(action="experts.import").exists()


def test_a_mobile_of_someone_else_with_another_name_is_refused(alice_committee, unit_b):
    UserFactory(real_name="张三", mobile="13877210001")
    preview = preview_experts(file=upload(GOOD), by=alice_committee)
    assert [str(e) for e in preview.errors] == [
        "第 2 行：手机号 13877210001 已属于平台用户“张三”，与本行姓名“覃志明”不一致，请核对"
    ]


def test_missing_header_and_wrong_kind_and_size_and_zip_bomb(alice_committee, settings):
    missing = preview_experts(file=upload([GOOD[0]], header=("姓名", "工作单位")), by=alice_committee)
    assert "表头缺少列" in str(missing.errors[0]) and "“手机号”" in str(missing.errors[0])

    fake = SimpleUploadedFile("experts.xlsx", b"%PDF-1.4 not a workbook" * 10)
    assert "文件无法作为 Excel .xlsx 读取" in str(preview_experts(file=fake, by=alice_committee).errors[0])

    xls = SimpleUploadedFile("experts.xls", b"whatever")
    assert "只能导入 Excel .xlsx 文件" in str(preview_experts(file=xls, by=alice_committee).errors[0])

    big = SimpleUploadedFile("experts.xlsx", b"0" * (5 * 1024 * 1024 + 1))
    assert "超过 5 MB 上限" in str(preview_experts(file=big, by=alice_committee).errors[0])

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types>spreadsheetml.sheet</Types>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/bomb.xml", b"\0" * (50 * 1024 * 1024))
    bomb = SimpleUploadedFile("experts.xlsx", out.getvalue())
    refused = str(preview_experts(file=bomb, by=alice_committee).errors[0])
    assert "疑似压缩炸弹" in refused and "experts.xlsx" in refused
    assert ExpertProfile.objects.count() == 0


@pytest.mark.parametrize("who", ["bob_unit_admin", "dan_district_admin", "dave_expert", "carol_applicant"])
def test_services_refuse_everyone_but_the_committee(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        preview_experts(file=upload(GOOD), by=user)
    with pytest.raises(PermissionDenied):
        import_experts(cells=[(2, dict(zip(COLUMNS, GOOD[0], strict=True)))], by=user)


@pytest.mark.parametrize("who", ["bob_unit_admin", "dan_district_admin", "dave_expert", None])
def test_pages_refuse_everyone_but_the_committee(request, client, client_for, unit_b, who):
    if who:
        client = client_for(request.getfixturevalue(who))
    for method, url in [
        ("get", reverse("console:review_experts_import")),
        ("get", reverse("console:review_experts_template")),
        ("post", reverse("console:review_experts_import")),
    ]:
        data = {"file": upload(GOOD)} if method == "post" else None
        response = getattr(client, method)(url, data)
        if who is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        else:
            assert response.status_code == 403, (who, url)
    assert ExpertProfile.objects.count() == 0


def test_the_pages_preview_then_confirm(client_for, alice_committee, unit_b):
    client = client_for(alice_committee)
    pool = client.get(reverse("console:review_experts")).content.decode()
    assert reverse("console:review_experts_import") in pool
    page = client.get(reverse("console:review_experts_import")).content.decode()
    assert reverse("console:review_experts_template") in page
    template = client.get(reverse("console:review_experts_template"))
    assert template.status_code == 200 and "专家库导入模板" in unquote(template["Content-Disposition"])

    bad = client.post(
        reverse("console:review_experts_import"), {"file": upload([("张三", "1387720", "某单位", "", "机械")])}
    )
    assert bad.status_code == 422
    assert "第 2 行：手机号 1387720 不是 11 位" in bad.content.decode()

    shown = client.post(reverse("console:review_experts_import"), {"file": upload(GOOD)})
    html = shown.content.decode()
    assert shown.status_code == 200 and "将新建 2 位" in html and "覃志明" in html
    assert ExpertProfile.objects.count() == 0
    token = client.session["console_expert_import"]["token"]

    assert client.post(reverse("console:review_experts_import"), {"confirm": "forged"}).status_code == 302
    assert ExpertProfile.objects.count() == 0
    done = client.post(reverse("console:review_experts_import"), {"confirm": token})
    assert done.status_code == 302 and done["Location"] == reverse("console:review_experts")
    assert ExpertProfile.objects.count() == 2
    assert "覃志明" in client.get(reverse("console:review_experts")).content.decode()
    # The same preview cannot be confirmed twice.
    assert client.post(reverse("console:review_experts_import"), {"confirm": token}).status_code == 302
    assert AuditEntry.objects.filter(action="experts.import").count() == 1


def imported(alice_committee, unit_b):
    preview = preview_experts(file=upload(GOOD), by=alice_committee)
    import_experts(cells=preview.cells, by=alice_committee)
    return User.objects.get(mobile="13877210001")


def test_an_imported_expert_sets_a_password_with_the_one_time_link_and_signs_in(
    client, client_for, alice_committee, unit_b
):
    expert = imported(alice_committee, unit_b)
    pool = client_for(alice_committee)
    page = pool.get(reverse("console:review_experts")).content.decode()
    activation = reverse("console:review_expert_activation", args=[expert.pk])
    assert activation in page
    shown = pool.post(activation, follow=True).content.decode()
    link = re.search(r"http://testserver(/me/experts/activate/[^/]+/[^/]+/)", shown).group(1)
    assert "只显示这一次" in shown
    assert AuditEntry.objects.filter(action="experts.activation_link", target_id=str(expert.pk)).exists()

    client.logout()
    form = client.get(link)
    assert form.status_code == 200 and "设置登录密码" in form.content.decode()
    weak = client.post(link, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and not User.objects.get(pk=expert.pk).has_usable_password()
    done = client.post(link, {"new_password1": "Liuzhou#2025x", "new_password2": "Liuzhou#2025x"})
    assert done.status_code == 302 and done["Location"] == reverse("portal:reviews")
    expert.refresh_from_db()
    assert expert.has_usable_password() and expert.check_password("Liuzhou#2025x")
    assert client.get(reverse("portal:reviews")).status_code == 200  # signed in
    # The link works once; a forged one never.
    client.logout()
    assert "链接无效、已使用或已过期" in client.get(link).content.decode()
    assert client.get(reverse("portal:expert_activate", args=["MQ", "forged-token"])).status_code == 400
    # Once a password is set, no new link is made.
    again = client_for(alice_committee).post(activation, follow=True).content.decode()
    assert "已设置密码，可直接用手机号登录" in again


@pytest.mark.parametrize("who", ["bob_unit_admin", "dan_district_admin", "dave_expert", None])
def test_only_the_committee_makes_activation_links(request, client, client_for, alice_committee, unit_b, who):
    expert = imported(alice_committee, unit_b)
    if who:
        client = client_for(request.getfixturevalue(who))
    response = client.post(reverse("console:review_expert_activation", args=[expert.pk]))
    assert response.status_code == (403 if who else 302)
    assert not AuditEntry.objects.filter(action="experts.activation_link").exists()
    with pytest.raises(PermissionDenied):
        from wuxiao.reviews.imports import activation_link

        activation_link(by=request.getfixturevalue(who or "carol_applicant"), expert=expert)


def test_imported_experts_are_assigned_and_their_declared_conflicts_hold(alice_committee, forwarded, unit_b):
    from datetime import timedelta

    from django.utils import timezone

    from wuxiao.reviews import services
    from wuxiao.reviews.models import Assignment

    rows = [
        ("覃志明", "13877210001", "柳州职业技术学院", "", "机械、电子、化工", "示例化工有限公司团委", "", ""),
        ("韦红", "13877210002", "柳州示例研究院", "", "机械、电子、化工", "", "", ""),
        ("蓝天", "13877210004", "柳州示例研究院", "", "机械、电子、化工", "", "", ""),
    ]
    import_experts(cells=preview_experts(file=upload(rows), by=alice_committee).cells, by=alice_committee)
    today = timezone.localdate()
    round = services.create_round(
        by=alice_committee,
        campaign=forwarded[0].campaign,
        name="初评",
        opens_on=today,
        closes_on=today + timedelta(days=5),
        experts_per_project=2,
        max_per_expert=4,
    )
    services.assign_round(by=alice_committee, round=round)
    pairs = set(Assignment.objects.filter(round=round).values_list("project__unit", "expert__mobile"))
    assert len(Assignment.objects.filter(round=round)) == 2 * len(forwarded)
    assert (unit_b.pk, "13877210001") not in pairs
    assert {m for _, m in pairs} == {"13877210001", "13877210002", "13877210004"}
