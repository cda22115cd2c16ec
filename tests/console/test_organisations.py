import pytest
from django.urls import reverse

from tests.factories import OrgKind, Role, UserFactory, grant, make_org, participation
from wuxiao.audit.models import AuditEntry
from wuxiao.campaigns.models import Participation
from wuxiao.people.models import Organisation

pytestmark = pytest.mark.django_db

LIST = reverse("console:organisations")
CREATE = reverse("console:organisation_create")


def detail(org):
    return reverse("console:organisation_detail", args=[org.pk])


def edit(org):
    return reverse("console:organisation_edit", args=[org.pk])


def form_data(org, **changes):
    data = {
        "name": org.name,
        "kind": org.kind,
        "parent": org.parent_id or "",
        "credit_code": org.credit_code,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# ---------------------------------------------------------------- the tree


def test_committee_sees_the_whole_tree_with_masked_phones(client_for, alice_committee, unit_a, unit_b):
    response = client_for(alice_committee).get(LIST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "示例机械有限公司团委" in text and "示例化工有限公司团委" in text and "鱼峰区团委" in text
    assert "138****0001" in text
    assert "13877200001" not in text


def test_tree_is_in_path_order_children_under_parents(client_for, alice_committee, unit_a, unit_b):
    names = [org.name for org in client_for(alice_committee).get(LIST).context["page"]]
    assert names.index("城中区团委") < names.index("示例机械有限公司团委") < names.index("鱼峰区团委")
    assert names.index("鱼峰区团委") < names.index("示例化工有限公司团委")


def test_district_admin_sees_only_own_district(client_for, dan_district_admin, unit_a, unit_a2, unit_b):
    page = client_for(dan_district_admin).get(LIST).context["page"]
    assert [org.name for org in page] == ["城中区团委", "示例机械有限公司团委", "示例电子有限公司团委"]


def test_unit_admin_sees_only_own_unit(client_for, bob_unit_admin, unit_a2, unit_b):
    page = client_for(bob_unit_admin).get(LIST).context["page"]
    assert [org.name for org in page] == ["示例机械有限公司团委"]


def test_list_shows_current_headcount_and_quota(client_for, alice_committee, campaign, unit_a):
    participation(campaign, unit_a, young_workers=345)
    text = client_for(alice_committee).get(LIST).content.decode()
    assert '<td class="text-end">345</td>' in text
    assert '<td class="text-end">15</td>' in text


@pytest.mark.parametrize("who", ["carol_applicant", "mallory", "dave_expert"])
def test_non_admins_cannot_enter_the_console(client_for, request, who, unit_a):
    user = request.getfixturevalue(who)
    for url in (reverse("console:home"), LIST, detail(unit_a), CREATE):
        assert client_for(user).get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, campaign):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_org_list_query_count_does_not_grow(client_for, alice_committee, campaign, district, count_queries):
    client = client_for(alice_committee)
    for i in range(2):
        participation(campaign, make_org(f"少量单位{i}", OrgKind.ENTERPRISE, district), young_workers=100 + i)
    few = count_queries(lambda: client.get(LIST))
    for i in range(20):
        org = make_org(f"更多单位{i}", OrgKind.AGENCY, district)
        participation(campaign, org, young_workers=300)
        grant(UserFactory(), org, Role.APPLICANT)
    many = count_queries(lambda: client.get(LIST))
    assert many == few


# ---------------------------------------------------------------- detail


def test_detail_lists_members_with_masked_phones_and_participation(
    client_for, bob_unit_admin, carol_applicant, campaign, unit_a
):
    participation(campaign, unit_a, young_workers=230)
    response = client_for(bob_unit_admin).get(detail(unit_a))
    assert response.status_code == 200
    text = response.content.decode()
    assert "蔡柔" in text and "卜波" in text
    masked = f"{carol_applicant.mobile[:3]}****{carol_applicant.mobile[-4:]}"
    assert masked in text
    assert carol_applicant.mobile not in text
    rows = response.context["participations"]
    assert [(c.year, p.young_workers, p.quota) for c, p in rows] == [(2024, 230, 10)]
    assert response.context["headcount_form"] is None  # the unit's own admin does not set its quota


def test_detail_of_a_district_lists_children(client_for, dan_district_admin, unit_a, unit_a2):
    response = client_for(dan_district_admin).get(detail(dan_district_admin.memberships.get().organisation))
    assert [c.name for c in response.context["children"]] == ["示例机械有限公司团委", "示例电子有限公司团委"]


def test_other_units_admin_gets_404_for_unit_a(client_for, eve_other_unit_admin, unit_a):
    client = client_for(eve_other_unit_admin)
    assert client.get(detail(unit_a)).status_code == 404
    assert client.get(edit(unit_a)).status_code == 404


def test_district_admin_gets_404_in_the_other_district(client_for, dan_district_admin, other_district, unit_b):
    client = client_for(dan_district_admin)
    assert client.get(detail(other_district)).status_code == 404
    assert client.get(detail(unit_b)).status_code == 404


# ---------------------------------------------------------------- create


def test_committee_creates_a_district(client_for, alice_committee, committee):
    response = client_for(alice_committee).post(
        CREATE,
        {
            "name": "柳州高新区团工委",
            "kind": OrgKind.DISTRICT,
            "parent": committee.pk,
            "contact_name": "韦小敏",
            "contact_phone": "0772-2827000",
        },
    )
    org = Organisation.objects.get(name="柳州高新区团工委")
    assert response.status_code == 302 and response.url == detail(org)
    assert (org.kind, org.parent, org.path) == (OrgKind.DISTRICT, committee, f"{committee.path}{org.pk:06d}.")
    entry = AuditEntry.objects.get(action="organisation.create", target_id=str(org.pk))
    assert entry.actor == alice_committee
    assert entry.after["name"] == "柳州高新区团工委"


def test_district_admin_cannot_create_a_district(client_for, dan_district_admin, committee, district):
    client = client_for(dan_district_admin)
    for parent in (committee, district):
        response = client.post(
            CREATE,
            {
                "name": "冒名团工委",
                "kind": OrgKind.DISTRICT,
                "parent": parent.pk,
                "contact_name": "某",
                "contact_phone": "13877212345",
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["kind"]
    assert not Organisation.objects.filter(name="冒名团工委").exists()


def test_district_admin_creates_a_unit_under_own_district(client_for, dan_district_admin, district):
    response = client_for(dan_district_admin).post(
        CREATE,
        {
            "name": "柳州新能源有限公司团委",
            "kind": OrgKind.TWO_NEW,
            "parent": district.pk,
            "contact_name": "韦小敏",
            "contact_phone": "13877212345",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="柳州新能源有限公司团委")
    assert (org.kind, org.parent) == (OrgKind.TWO_NEW, district)


def test_district_admin_cannot_create_in_the_other_district(client_for, dan_district_admin, other_district):
    response = client_for(dan_district_admin).post(
        CREATE,
        {
            "name": "越界单位团委",
            "kind": OrgKind.ENTERPRISE,
            "parent": other_district.pk,
            "contact_name": "某",
            "contact_phone": "13877212345",
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Organisation.objects.filter(name="越界单位团委").exists()


def test_unit_admin_cannot_create_organisations(client_for, bob_unit_admin, district):
    response = client_for(bob_unit_admin).post(
        CREATE,
        {
            "name": "新单位",
            "kind": OrgKind.ENTERPRISE,
            "parent": district.pk,
        },
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="新单位").exists()


def test_create_refuses_duplicate_name_and_bad_credit_code(client_for, alice_committee, district, unit_a):
    response = client_for(alice_committee).post(
        CREATE,
        {
            "name": unit_a.name,
            "kind": OrgKind.ENTERPRISE,
            "parent": district.pk,
            "credit_code": "91450200MA5L7QWE10",
        },
    )
    errors = response.context["form"].errors
    assert errors["name"] == [f"“城中区团委”下已有名为“{unit_a.name}”的组织"]
    assert "统一社会信用代码“91450200MA5L7QWE10”无效" in errors["credit_code"][0]


# ---------------------------------------------------------------- edit and move


def test_edit_records_before_and_after(client_for, alice_committee, unit_a):
    response = client_for(alice_committee).post(
        edit(unit_a), form_data(unit_a, name="示例机械集团团委", contact_phone="0772-2827999")
    )
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert (unit_a.name, unit_a.contact_phone) == ("示例机械集团团委", "0772-2827999")
    entry = AuditEntry.objects.get(action="organisation.update", target_id=str(unit_a.pk))
    assert entry.actor == alice_committee
    assert entry.before == {"name": "示例机械有限公司团委", "contact_phone": "13877200001"}
    assert entry.after == {"name": "示例机械集团团委", "contact_phone": "0772-2827999"}


def test_committee_moves_a_unit_and_its_scope_follows(
    client_for, alice_committee, dan_district_admin, unit_a, other_district
):
    response = client_for(alice_committee).post(edit(unit_a), form_data(unit_a, parent=other_district.pk))
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.parent == other_district
    assert unit_a.path == f"{other_district.path}{unit_a.pk:06d}."
    entry = AuditEntry.objects.get(action="organisation.update", target_id=str(unit_a.pk))
    assert entry.after["parent"] == other_district.pk
    assert client_for(dan_district_admin).get(detail(unit_a)).status_code == 404


def test_district_admin_cannot_move_a_unit_out_of_the_district(
    client_for, dan_district_admin, unit_a, other_district, district
):
    response = client_for(dan_district_admin).post(edit(unit_a), form_data(unit_a, parent=other_district.pk))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    unit_a.refresh_from_db()
    assert unit_a.parent == district


def test_unit_admin_edits_contact_but_not_kind_or_parent(client_for, bob_unit_admin, unit_a, district, committee):
    response = client_for(bob_unit_admin).post(
        edit(unit_a), form_data(unit_a, contact_name="黄大军", kind=OrgKind.AGENCY, parent=committee.pk)
    )
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert (unit_a.contact_name, unit_a.kind, unit_a.parent) == ("黄大军", OrgKind.ENTERPRISE, district)


def test_district_admin_cannot_edit_in_the_other_district(client_for, dan_district_admin, unit_b):
    response = client_for(dan_district_admin).post(edit(unit_b), form_data(unit_b, name="被改名"))
    assert response.status_code == 404
    unit_b.refresh_from_db()
    assert unit_b.name == "示例化工有限公司团委"


# ---------------------------------------------------------------- deactivate


def set_active(org):
    return reverse("console:organisation_set_active", args=[org.pk])


def test_district_admin_deactivates_and_reactivates_a_unit(client_for, dan_district_admin, unit_a2):
    client = client_for(dan_district_admin)
    assert client.post(set_active(unit_a2), {"active": "0"}).status_code == 302
    unit_a2.refresh_from_db()
    assert unit_a2.is_active is False
    entry = AuditEntry.objects.get(action="organisation.deactivate")
    assert (entry.before, entry.after, entry.target_id) == ({"is_active": True}, {"is_active": False}, str(unit_a2.pk))
    client.post(set_active(unit_a2), {"active": "1"})
    unit_a2.refresh_from_db()
    assert unit_a2.is_active is True
    assert AuditEntry.objects.filter(action="organisation.activate", target_id=str(unit_a2.pk)).count() == 1


def test_deactivated_units_admin_loses_the_console(client_for, alice_committee, bob_unit_admin, unit_a):
    client_for(alice_committee).post(set_active(unit_a), {"active": "0"})
    assert client_for(bob_unit_admin).get(reverse("console:home")).status_code == 403


def test_unit_admin_cannot_deactivate_own_unit(client_for, bob_unit_admin, unit_a):
    assert client_for(bob_unit_admin).post(set_active(unit_a), {"active": "0"}).status_code == 403
    unit_a.refresh_from_db()
    assert unit_a.is_active is True


def test_body_with_active_units_is_not_deactivated(client_for, alice_committee, district, unit_a, unit_a2):
    response = client_for(alice_committee).post(set_active(district), {"active": "0"}, follow=True)
    assert "“城中区团委”下还有 2 个启用的下级组织，请先停用或移走它们" in response.content.decode()
    district.refresh_from_db()
    assert district.is_active is True


def test_other_units_admin_cannot_deactivate_unit_a(client_for, eve_other_unit_admin, unit_a):
    assert client_for(eve_other_unit_admin).post(set_active(unit_a), {"active": "0"}).status_code == 404
    unit_a.refresh_from_db()
    assert unit_a.is_active is True


# ---------------------------------------------------------------- headcount


def headcount(org):
    return reverse("console:organisation_headcount", args=[org.pk])


def test_district_admin_sets_headcount_and_quota_follows(client_for, dan_district_admin, campaign, unit_a):
    response = client_for(dan_district_admin).post(
        headcount(unit_a), {"campaign": campaign.pk, "young_workers": 250}, follow=True
    )
    assert "已保存：2024 年青工 250 人，上报名额 10 项" in response.content.decode()
    p = Participation.objects.get(campaign=campaign, organisation=unit_a)
    assert (p.young_workers, p.quota) == (250, 10)
    entry = AuditEntry.objects.get(action="participation.headcount")
    assert (entry.before, entry.after) == ({"young_workers": None}, {"young_workers": 250})


def test_unit_admin_cannot_set_own_headcount(client_for, bob_unit_admin, campaign, unit_a):
    response = client_for(bob_unit_admin).post(headcount(unit_a), {"campaign": campaign.pk, "young_workers": 9000})
    assert response.status_code == 403
    assert not Participation.objects.filter(organisation=unit_a).exists()


def test_other_units_admin_cannot_set_unit_a_headcount(client_for, eve_other_unit_admin, campaign, unit_a):
    response = client_for(eve_other_unit_admin).post(headcount(unit_a), {"campaign": campaign.pk, "young_workers": 1})
    assert response.status_code == 404
    assert not Participation.objects.filter(organisation=unit_a).exists()


def test_negative_headcount_is_refused(client_for, alice_committee, campaign, unit_a):
    response = client_for(alice_committee).post(
        headcount(unit_a), {"campaign": campaign.pk, "young_workers": -5}, follow=True
    )
    assert "确保该值大于或等于0" in response.content.decode()
    assert not Participation.objects.filter(organisation=unit_a).exists()


def test_district_admin_cannot_act_anywhere_in_the_other_district(
    client_for, dan_district_admin, campaign, other_district, unit_b
):
    client = client_for(dan_district_admin)
    assert client.post(set_active(unit_b), {"active": "0"}).status_code == 404
    assert client.post(headcount(unit_b), {"campaign": campaign.pk, "young_workers": 500}).status_code == 404
    assert client.post(edit(other_district), form_data(other_district, contact_name="邓丹")).status_code == 404
    response = client.get(CREATE, {"parent": other_district.pk})
    assert response.context["form"].initial["parent"] is None
    assert list(response.context["form"].fields["parent"].queryset) == [
        dan_district_admin.memberships.get().organisation
    ]
    unit_b.refresh_from_db()
    other_district.refresh_from_db()
    assert (unit_b.is_active, other_district.contact_name) == (True, "")
    assert not Participation.objects.filter(organisation=unit_b).exists()


def test_committee_edits_its_own_contact(client_for, alice_committee, committee):
    response = client_for(alice_committee).post(edit(committee), form_data(committee, contact_name="莫飘飘"))
    assert response.status_code == 302
    committee.refresh_from_db()
    assert (committee.contact_name, committee.parent, committee.kind) == ("莫飘飘", None, OrgKind.COMMITTEE)


def test_detail_query_count_does_not_grow_with_members(client_for, alice_committee, unit_a, count_queries):
    client = client_for(alice_committee)
    for _ in range(2):
        grant(UserFactory(), unit_a, Role.APPLICANT)
    few = count_queries(lambda: client.get(detail(unit_a)))
    for _ in range(20):
        grant(UserFactory(), unit_a, Role.ADVISOR)
    many = count_queries(lambda: client.get(detail(unit_a)))
    assert many == few


def test_import_and_create_buttons_only_for_committee_and_district_admins(
    client_for, alice_committee, dan_district_admin, bob_unit_admin
):
    for user, shown in ((alice_committee, True), (dan_district_admin, True), (bob_unit_admin, False)):
        text = client_for(user).get(LIST).content.decode()
        assert ("从 Excel 导入" in text, "新建组织" in text) == (shown, shown)


def test_create_page_ignores_a_malformed_parent(client_for, alice_committee):
    response = client_for(alice_committee).get(CREATE, {"parent": "x'1"})
    assert response.status_code == 200
    assert response.context["form"].initial["parent"] is None
