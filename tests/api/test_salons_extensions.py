"""青年创新沙龙 sign-up and cancelling, and the committee's stage extensions, through the API:
the services' rules and messages; who may not is refused and nothing changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import messages
from tests.factories import UserFactory
from wuxiao.campaigns.models import StageExtension
from wuxiao.campaigns.services import stage_window
from wuxiao.salons.models import Salon, Signup

pytestmark = pytest.mark.django_db


@pytest.fixture
def salon(campaign, alice_committee):
    now = timezone.now()
    return Salon.objects.create(
        campaign=campaign,
        topic="数控加工中的降本增效小窍门",
        starts_at=now + timedelta(days=7),
        place="柳州市青少年活动中心三楼报告厅",
        capacity=1,
        signup_deadline=now + timedelta(days=5),
        created_by=alice_committee,
    )


def test_sign_up_wait_and_move_up(api_as, salon, carol_applicant):
    carol, other = api_as(carol_applicant), api_as(UserFactory(real_name="韦同事"))
    assert api_as(carol_applicant).get("/salons").json()["items"][0]["topic"] == salon.topic
    first = carol.post(f"/salons/{salon.pk}/signup")
    assert (first.status_code, first.json()["status"], first.json()["status_label"]) == (200, "confirmed", "已报名")
    second = other.post(f"/salons/{salon.pk}/signup")
    assert second.json()["status"] == "waiting"
    cancelled = carol.delete(f"/salons/{salon.pk}/signup")
    assert cancelled.json()["status"] == "cancelled"
    assert list(Signup.objects.order_by("id").values_list("status", flat=True)) == ["cancelled", "confirmed"]


def test_sign_up_after_the_deadline_is_refused(api_as, salon, carol_applicant, mallory):
    Salon.objects.filter(pk=salon.pk).update(signup_deadline=timezone.now() - timedelta(hours=1))
    late = api_as(carol_applicant).post(f"/salons/{salon.pk}/signup")
    assert late.status_code == 422 and messages(late)[0].startswith("报名已于 ")
    assert api_as(mallory).delete(f"/salons/{salon.pk}/signup").status_code == 404  # no sign-up of theirs
    assert api_as(carol_applicant, scope="read").post(f"/salons/{salon.pk}/signup").status_code == 403
    assert not Signup.objects.exists()


def test_committee_extends_a_stage_for_a_unit(api_as, campaign, unit_a, alice_committee):
    api = api_as(alice_committee)
    stage = campaign.stages.get(kind="collection")
    path = f"/campaigns/{campaign.pk}/stage-extensions"
    body = {"stage": "collection", "organisation": unit_a.pk, "until": stage.ends_on, "reason": "生产检修"}
    same_day = api.post(path, body)
    assert messages(same_day) == [f"延长日期 {stage.ends_on} 必须晚于该阶段原定结束日期 {stage.ends_on}"]
    no_reason = api.post(path, {**body, "until": stage.ends_on + timedelta(days=7), "reason": " "})
    assert messages(no_reason) == ["延长阶段必须填写原因"]
    made = api.post(path, {**body, "until": stage.ends_on + timedelta(days=7)})
    assert made.status_code == 201
    assert (made.json()["stage_label"], made.json()["organisation"]) == ("成果收集", unit_a.name)
    assert stage_window(campaign, "collection", unit_a)[1] == stage.ends_on + timedelta(days=7)
    assert [e["id"] for e in api.get(path).json()] == [made.json()["id"]]


@pytest.mark.parametrize("who", ["bob_unit_admin", "dan_district_admin", "carol_applicant", "dave_expert", "mallory"])
def test_only_the_committee_extends(request, api_as, campaign, unit_a, who):
    api = api_as(request.getfixturevalue(who))
    path = f"/campaigns/{campaign.pk}/stage-extensions"
    body = {"stage": "collection", "organisation": unit_a.pk, "until": "2099-01-01", "reason": "检修"}
    for response in (api.get(path), api.post(path, body)):
        assert (response.status_code, messages(response)) == (403, ["仅组委会办公室可进行此操作"])
    assert not StageExtension.objects.exists()
