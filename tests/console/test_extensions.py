from datetime import date

import pytest
from django.urls import reverse

from tests.factories import OrgKind, Role, UserFactory, grant, make_org
from wuxiao.audit.models import AuditEntry
from wuxiao.campaigns.models import StageExtension
from wuxiao.campaigns.services import extend_stage, is_stage_open

pytestmark = pytest.mark.django_db

PAGE = reverse("console:extensions")


def test_committee_extends_a_stage_for_one_unit(client_for, alice_committee, campaign, unit_a, unit_a2):
    stage = campaign.stages.get(kind="registration")  # 2024-06-01 … 2024-06-30
    response = client_for(alice_committee).post(
        PAGE,
        {
            "stage": stage.pk,
            "organisation": unit_a.pk,
            "until": "2024-07-07",
            "reason": "生产检修，申请延长一周",
        },
        follow=True,
    )
    assert "已将“示例机械有限公司团委”的攻关项目立项阶段延长至 2024-07-07" in response.content.decode()
    ext = StageExtension.objects.get()
    assert (ext.stage, ext.organisation, ext.until, ext.granted_by) == (
        stage,
        unit_a,
        date(2024, 7, 7),
        alice_committee,
    )
    assert is_stage_open(campaign, "registration", unit_a, day=date(2024, 7, 5))
    assert not is_stage_open(campaign, "registration", unit_a2, day=date(2024, 7, 5))
    assert AuditEntry.objects.get(action="stage.extend").after["reason"] == "生产检修，申请延长一周"
    assert [e.organisation.name for e in response.context["page"]] == ["示例机械有限公司团委"]


def test_extension_must_end_after_the_stage_and_have_a_reason(client_for, alice_committee, campaign, unit_a):
    stage = campaign.stages.get(kind="registration")
    client = client_for(alice_committee)
    response = client.post(
        PAGE, {"stage": stage.pk, "organisation": unit_a.pk, "until": "2024-06-20", "reason": "提前"}
    )
    assert response.context["form"].non_field_errors() == ["延长日期 2024-06-20 必须晚于该阶段原定结束日期 2024-06-30"]
    response = client.post(PAGE, {"stage": stage.pk, "organisation": unit_a.pk, "until": "2024-07-20", "reason": ""})
    assert response.context["form"].errors["reason"]
    assert not StageExtension.objects.exists()


@pytest.mark.parametrize(
    "who", ["dan_district_admin", "bob_unit_admin", "eve_other_unit_admin", "carol_applicant", "mallory"]
)
def test_only_the_committee_extends_stages(client_for, request, campaign, unit_a, who):
    stage = campaign.stages.get(kind="registration")
    client = client_for(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    response = client.post(
        PAGE, {"stage": stage.pk, "organisation": unit_a.pk, "until": "2024-07-07", "reason": "自己延期"}
    )
    assert response.status_code == 403
    assert not StageExtension.objects.exists()


def test_extension_list_query_count_does_not_grow(
    client_for, alice_committee, committee, campaign, district, count_queries
):
    stage = campaign.stages.get(kind="collection")
    client = client_for(alice_committee)

    def add(n):
        for _ in range(n):
            org = make_org(f"延期单位{StageExtension.objects.count()}", OrgKind.ENTERPRISE, district)
            granter = UserFactory()  # a different committee admin each time: granted_by per row
            grant(granter, committee, Role.ADMIN)
            extend_stage(by=granter, stage=stage, organisation=org, until=date(2025, 3, 10), reason="检修")

    add(2)
    few = count_queries(lambda: client.get(PAGE))
    add(20)
    many = count_queries(lambda: client.get(PAGE))
    assert many == few


def test_a_foreign_next_is_ignored(client_for, alice_committee, campaign, unit_a):
    stage = campaign.stages.get(kind="registration")
    response = client_for(alice_committee).post(
        PAGE,
        {
            "stage": stage.pk,
            "organisation": unit_a.pk,
            "until": "2024-07-07",
            "reason": "检修",
            "next": "https://evil.example/",
        },
    )
    assert response.url == PAGE
    assert StageExtension.objects.get().organisation == unit_a
