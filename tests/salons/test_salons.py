"""青年创新沙龙: capacity under concurrency, the waiting list, cancellation, reminders once, the
attendance list, and the committee's pages refused to everyone else."""

import io
import re
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import UserFactory, grant
from wuxiao.notifications.models import Notification
from wuxiao.people.models import Role
from wuxiao.salons import services
from wuxiao.salons.models import Salon, Signup, SignupStatus


def announce(campaign, by, *, capacity=2, days=3):
    starts = timezone.now() + timedelta(days=days)
    return services.save_salon(
        by=by, campaign=campaign, topic="数控加工降本增效", starts_at=starts, place="青少年活动中心报告厅",
        speakers="潘立新（高级工程师）", description="", capacity=capacity, signup_deadline=starts - timedelta(hours=2),
    )  # fmt: skip


def people(n, unit):
    users = [UserFactory(username=f"young{i}", real_name=f"青年{i}") for i in range(n)]
    for u in users:
        grant(u, unit, Role.APPLICANT)
    return users


def statuses(salon):
    return list(salon.signups.order_by("id").values_list("user__username", "status"))


def test_capacity_then_waiting_list_then_promotion_in_order(campaign, alice_committee, unit_a):
    salon = announce(campaign, alice_committee, capacity=2)
    a, b, c, d = people(4, unit_a)
    for u in (a, b, c, d):
        services.sign_up(salon=salon, user=u)
    assert statuses(salon) == [
        ("young0", "confirmed"),
        ("young1", "confirmed"),
        ("young2", "waiting"),
        ("young3", "waiting"),
    ]
    services.cancel(signup=Signup.objects.get(salon=salon, user=a), by=a)
    assert dict(statuses(salon))["young2"] == "confirmed" and dict(statuses(salon))["young3"] == "waiting"
    assert Notification.objects.filter(recipient=c, kind="salons.promoted").count() == 1
    # Signing up again puts a person at the end of the waiting list.
    services.sign_up(salon=salon, user=a)
    services.cancel(signup=Signup.objects.get(salon=salon, user=b), by=b)
    assert dict(statuses(salon))["young3"] == "confirmed" and dict(statuses(salon))["young0"] == "waiting"


def test_sign_up_twice_is_one_sign_up_and_only_the_owner_cancels(campaign, alice_committee, unit_a, mallory):
    salon = announce(campaign, alice_committee)
    (a,) = people(1, unit_a)
    first = services.sign_up(salon=salon, user=a)
    assert services.sign_up(salon=salon, user=a).pk == first.pk
    with pytest.raises(PermissionDenied):
        services.cancel(signup=first, by=mallory)
    assert Signup.objects.get(pk=first.pk).status == SignupStatus.CONFIRMED


def test_no_sign_up_after_the_deadline_and_the_message_names_it(campaign, alice_committee, unit_a):
    salon = announce(campaign, alice_committee)
    Salon.objects.filter(pk=salon.pk).update(signup_deadline=timezone.now() - timedelta(minutes=1))
    salon.refresh_from_db()
    with pytest.raises(ValidationError, match=r"报名已于 .* 截止"):
        services.sign_up(salon=salon, user=people(1, unit_a)[0])


def test_capacity_cannot_drop_below_those_confirmed(campaign, alice_committee, unit_a):
    salon = announce(campaign, alice_committee, capacity=3)
    for u in people(3, unit_a):
        services.sign_up(salon=salon, user=u)
    fields = {f: getattr(salon, f) for f in services.SALON_FIELDS} | {"capacity": 2}
    with pytest.raises(ValidationError, match="已报名 3 人，名额 2 人"):
        services.save_salon(by=alice_committee, campaign=campaign, salon=salon, **fields)


def test_reminders_go_once_to_the_confirmed_the_day_before(campaign, alice_committee, unit_a):
    salon = announce(campaign, alice_committee, capacity=1, days=3)
    a, b = people(2, unit_a)
    services.sign_up(salon=salon, user=a)
    services.sign_up(salon=salon, user=b)
    assert services.send_reminders() == 0  # three days ahead: not yet
    assert services.send_reminders(now=salon.starts_at - timedelta(hours=20)) == 1
    assert services.send_reminders(now=salon.starts_at - timedelta(hours=19)) == 0
    assert Notification.objects.filter(kind="salons.reminder", recipient=a).count() == 1
    assert not Notification.objects.filter(kind="salons.reminder", recipient=b).exists()


def test_attendance_list_downloads_for_the_committee_only(
    client_for, campaign, alice_committee, bob_unit_admin, unit_a
):
    salon = announce(campaign, alice_committee, capacity=1)
    for u in people(2, unit_a):
        services.sign_up(salon=salon, user=u)
    response = client_for(alice_committee).get(reverse("console:salon_attendance", args=[salon.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r][:4] for r in ws.iter_rows(min_row=3)]
    assert rows == [[1, "青年0", "示例机械有限公司团委", "已报名"], [2, "青年1", "示例机械有限公司团委", "候补"]]
    assert client_for(bob_unit_admin).get(reverse("console:salon_attendance", args=[salon.pk])).status_code == 403


@pytest.mark.parametrize("who", ["bob_unit_admin", "dan_district_admin", "carol_applicant", "mallory"])
def test_committee_salon_pages_refuse_everyone_else(request, client_for, campaign, alice_committee, who):
    salon = announce(campaign, alice_committee)
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(reverse("console:salons")).status_code == 403
    assert client.get(reverse("console:salon_detail", args=[salon.pk])).status_code == 403
    assert client.post(reverse("console:salon_outcome", args=[salon.pk]), {"notes": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.record_outcome(salon=salon, by=user, notes="篡改")
    salon.refresh_from_db()
    assert salon.notes == ""


def test_public_page_and_sign_up_by_clicking(client, client_for, campaign, alice_committee, carol_applicant):
    salon = announce(campaign, alice_committee, capacity=1)
    page = client.get(reverse("showcase:salons")).content.decode()
    assert "数控加工降本增效" in page
    detail = client.get(reverse("showcase:salon", args=[salon.pk])).content.decode()
    assert "登录后报名" in detail
    signed_in = client_for(carol_applicant)
    response = signed_in.post(reverse("portal:salon_signup", args=[salon.pk]))
    assert response.status_code == 302
    assert (
        "您的报名状态：<strong>已报名</strong>"
        in signed_in.get(reverse("showcase:salon", args=[salon.pk])).content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_never_exceed_capacity(on_postgres, campaign, alice_committee, unit_a):
    salon = announce(campaign, alice_committee, capacity=5)
    users = people(16, unit_a)
    barrier = threading.Barrier(len(users))
    errors = []

    def go(user):
        try:
            barrier.wait()
            services.sign_up(salon=Salon.objects.get(pk=salon.pk), user=user)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    counts = {s: salon.signups.filter(status=s).count() for s in SignupStatus.values}
    assert counts == {"confirmed": 5, "waiting": 11, "cancelled": 0}


def test_photos_are_stored_by_content_and_served_as_what_they_are(client, client_for, campaign, alice_committee):
    """A photo is stored under a generated name with the extension of its content (never the
    uploaded name: a PNG called x.html, a JPEG called .JPG with a right-to-left override),
    served with that content's type; a lost file answers 404, not 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.projects.files import jpg_bytes, png_bytes
    from wuxiao.salons.models import SalonPhoto

    salon = announce(campaign, alice_committee)
    photos = [
        SimpleUploadedFile("x.html", png_bytes(), content_type="text/html"),
        SimpleUploadedFile("\u202egpj.exe.JPG", jpg_bytes(), content_type="image/jpeg"),
    ]
    response = client_for(alice_committee).post(
        reverse("console:salon_outcome", args=[salon.pk]), {"notes": "交流了降本经验", "photos": photos}
    )
    assert response.status_code == 302
    stored = list(SalonPhoto.objects.filter(salon=salon).order_by("id"))
    assert [p.file.name.rsplit(".", 1)[-1] for p in stored] == ["png", "jpg"]
    assert all(re.fullmatch(r"salons/\d{4}/[0-9a-f]{32}\.(png|jpg)", p.file.name) for p in stored)
    assert [p.caption for p in stored] == ["x.html", "gpj.exe.JPG"]
    served = [client.get(reverse("showcase:salon_photo", args=[p.pk])) for p in stored]
    assert [(r.status_code, r["Content-Type"]) for r in served] == [(200, "image/png"), (200, "image/jpeg")]
    stored[0].file.storage.delete(stored[0].file.name)
    assert client.get(reverse("showcase:salon_photo", args=[stored[0].pk])).status_code == 404


def test_a_lost_public_image_answers_404(client, monkeypatch):
    from types import SimpleNamespace

    from wuxiao.publication import queries as pq

    def lost(mode):
        raise FileNotFoundError("gone")

    monkeypatch.setattr(
        pq, "public_image", lambda pk: SimpleNamespace(file=SimpleNamespace(open=lost), content_type="image/png")
    )
    assert client.get(reverse("showcase:image", args=[1])).status_code == 404


def test_a_salon_dated_year_one_is_refused_on_the_page_not_a_server_error(client_for, campaign, alice_committee):
    fields = {"topic": "降本", "place": "报告厅", "capacity": 5, "speakers": "", "description": ""}
    response = client_for(alice_committee).post(
        reverse("console:salons"), {**fields, "starts_at": "0001-01-01T00:00", "signup_deadline": "0001-01-01T00:00"}
    )
    assert response.status_code == 200
    assert "开始时间 0001-01-01 不在 2000–2099 年之间" in response.content.decode()
    assert not Salon.objects.exists()
