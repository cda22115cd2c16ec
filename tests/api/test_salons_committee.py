"""The committee's side of 青年创新沙龙 through the API: announcing and editing a salon (the
console's SalonForm and salons.services.save_salon), and its notes and photos afterwards
(record_outcome, photos checked as on the page). Everyone else gets the console's words and
nothing changes."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.api.conftest import messages
from tests.factories import Role, UserFactory, grant
from wuxiao.people.permissions import COMMITTEE_ONLY
from wuxiao.salons.models import Salon, SalonPhoto, Signup, SignupStatus

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PNG += b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"


def salon_body(**extra):
    now = timezone.localtime()
    return {
        "topic": "数控加工中的降本增效小窍门",
        "starts_at": (now + timedelta(days=7)).isoformat(),
        "place": "柳州市青少年活动中心三楼报告厅",
        "speakers": "潘立新（高级工程师）",
        "capacity": 2,
        "signup_deadline": (now + timedelta(days=5)).isoformat(),
        **extra,
    }


@pytest.fixture
def salon(campaign, alice_committee):
    now = timezone.now()
    return Salon.objects.create(
        campaign=campaign,
        topic="焊接工艺的小改小革",
        starts_at=now + timedelta(days=7),
        place="柳州市青少年活动中心三楼报告厅",
        capacity=1,
        signup_deadline=now + timedelta(days=5),
        created_by=alice_committee,
    )


@pytest.fixture
def olga_other_district_admin(other_district):
    user = UserFactory(username="olga", real_name="欧佳")
    grant(user, other_district, Role.ADMIN)
    return user


def state():
    return sorted(Salon.objects.values_list("pk", "topic", "capacity", "notes")), SalonPhoto.objects.count()


def test_the_committee_announces_and_edits_a_salon(api_as, campaign, alice_committee):
    api = api_as(alice_committee)
    made = api.post("/salons", salon_body())
    assert made.status_code == 201, made.content
    salon = Salon.objects.get()
    assert (salon.campaign, salon.topic, salon.capacity, salon.created_by) == (
        campaign,
        "数控加工中的降本增效小窍门",
        2,
        alice_committee,
    )
    assert made.json()["id"] == salon.pk and made.json()["photos"] == []
    edited = api.put(f"/salons/{salon.pk}", salon_body(topic="数控加工降本增效", capacity=30))
    assert edited.status_code == 200, edited.content
    salon.refresh_from_db()
    assert (salon.topic, salon.capacity) == ("数控加工降本增效", 30)


def test_the_services_rules_and_messages(api_as, salon, carol_applicant, alice_committee):
    api = api_as(alice_committee)
    Signup.objects.create(salon=salon, user=carol_applicant, status=SignupStatus.CONFIRMED)
    Signup.objects.create(salon=salon, user=UserFactory(), status=SignupStatus.WAITING)
    before = state()
    late = salon_body()
    late["signup_deadline"] = (timezone.localtime() + timedelta(days=9)).isoformat()
    refused = api.post("/salons", late)
    assert refused.status_code == 422 and messages(refused)[0].startswith("报名截止时间（")
    year = api.post("/salons", salon_body(starts_at="2150-05-20T14:30:00+08:00"))
    assert year.status_code == 422 and year.json()["errors"][0]["field"] == "starts_at"  # the form's check
    assert state() == before
    more = api.put(f"/salons/{salon.pk}", salon_body(capacity=2))
    assert more.status_code == 200, more.content
    assert Signup.objects.filter(salon=salon, status=SignupStatus.CONFIRMED).count() == 2  # moved up
    fewer = api.put(f"/salons/{salon.pk}", salon_body(capacity=1))
    assert (fewer.status_code, messages(fewer)) == (422, ["名额不能少于已报名人数：已报名 2 人，名额 1 人"])


def test_the_outcome_with_photos(api_as, salon, alice_committee):
    api = api_as(alice_committee)
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    saved = api.client.post(
        f"/api/salons/{salon.pk}/outcome", {"notes": " 到场 40 人 ", "photos": [photo]}, **api.headers
    )
    assert saved.status_code == 200, saved.content
    salon.refresh_from_db()
    assert salon.notes == "到场 40 人"
    assert saved.json()["photos"] == ["现场.png"] and SalonPhoto.objects.filter(salon=salon).count() == 1


def test_a_photo_that_is_not_an_image_is_refused(api_as, salon, alice_committee):
    api = api_as(alice_committee)
    pdf = SimpleUploadedFile("照片.png", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    before = state()
    refused = api.client.post(f"/api/salons/{salon.pk}/outcome", {"notes": "纪要", "photos": [pdf]}, **api.headers)
    assert refused.status_code == 422
    assert "沙龙照片只接受 JPG 或 PNG" in messages(refused)[0] or "照片.png" in messages(refused)[0]
    assert state() == before


@pytest.mark.parametrize(
    "who", ["olga_other_district_admin", "dan_district_admin", "bob_unit_admin", "carol_applicant", "dave_expert"]
)
def test_everyone_else_is_refused_as_on_the_console(request, api_as, salon, who):
    api = api_as(request.getfixturevalue(who))
    before = state()
    for response in (
        api.post("/salons", salon_body()),
        api.put(f"/salons/{salon.pk}", salon_body()),
        api.client.post(f"/api/salons/{salon.pk}/outcome", {"notes": "纪要"}, **api.headers),
    ):
        assert (response.status_code, messages(response)) == (403, [COMMITTEE_ONLY])
    assert state() == before


def test_a_read_only_token_may_not(api_as, salon, alice_committee):
    api = api_as(alice_committee, scope="read")
    before = state()
    assert api.post("/salons", salon_body()).status_code == 403
    assert api.put(f"/salons/{salon.pk}", salon_body()).status_code == 403
    assert api.client.post(f"/api/salons/{salon.pk}/outcome", {"notes": "纪要"}, **api.headers).status_code == 403
    assert state() == before
