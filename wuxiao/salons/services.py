"""Salons: the committee announces and records them; signed-in young people sign up and cancel.
Capacity is held under a row lock on the salon, so simultaneous sign-ups never exceed it; the
first person on the waiting list moves up when a place frees."""

import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wuxiao.audit.services import record
from wuxiao.lib.public_cache import bump
from wuxiao.notifications.services import deliver
from wuxiao.people.permissions import is_committee_admin
from wuxiao.projects.uploads import check_upload
from wuxiao.salons.models import Salon, SalonPhoto, Signup, SignupStatus

SALON_FIELDS = ("topic", "starts_at", "place", "speakers", "description", "capacity", "signup_deadline")


def _require_committee(by) -> None:
    if not is_committee_admin(by):
        raise PermissionDenied("只有组委会办公室可以组织青年创新沙龙")


@transaction.atomic
def save_salon(*, by, campaign, salon: Salon | None = None, **fields) -> Salon:
    _require_committee(by)
    if fields["signup_deadline"] > fields["starts_at"]:
        raise ValidationError(
            f"报名截止时间（{timezone.localtime(fields['signup_deadline']):%Y-%m-%d %H:%M}）不能晚于开始时间"
            f"（{timezone.localtime(fields['starts_at']):%Y-%m-%d %H:%M}）"
        )
    if salon is not None:
        salon = Salon.objects.select_for_update().get(pk=salon.pk)
        confirmed = salon.signups.filter(status=SignupStatus.CONFIRMED).count()
        if fields["capacity"] < confirmed:
            raise ValidationError(f"名额不能少于已报名人数：已报名 {confirmed} 人，名额 {fields['capacity']} 人")
    else:
        salon = Salon(campaign=campaign, created_by=by)
    for name in SALON_FIELDS:
        setattr(salon, name, fields[name])
    salon.save()
    _fill_from_waiting(salon)
    record(by=by, action="salons.save", target=salon, after={"主题": salon.topic, "名额": salon.capacity})
    transaction.on_commit(bump)
    return salon


@transaction.atomic
def sign_up(*, salon: Salon, user) -> Signup:
    if not user.is_authenticated:
        raise PermissionDenied("请先登录再报名")
    salon = Salon.objects.select_for_update().get(pk=salon.pk)  # serialises sign-ups of one salon
    if timezone.now() > salon.signup_deadline:
        raise ValidationError(f"报名已于 {timezone.localtime(salon.signup_deadline):%Y-%m-%d %H:%M} 截止")
    signup = Signup.objects.filter(salon=salon, user=user).first()
    if signup is not None and signup.status != SignupStatus.CANCELLED:
        return signup
    confirmed = salon.signups.filter(status=SignupStatus.CONFIRMED).count()
    status = SignupStatus.CONFIRMED if confirmed < salon.capacity else SignupStatus.WAITING
    if signup is None:
        signup = Signup.objects.create(salon=salon, user=user, status=status)
    else:
        signup.status = status
        signup.save()  # updated_at moves: back at the end of the waiting list
    return signup


@transaction.atomic
def cancel(*, signup: Signup, by) -> Signup:
    if signup.user_id != by.pk:
        raise PermissionDenied("只能取消自己的报名")
    salon = Salon.objects.select_for_update().get(pk=signup.salon_id)
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.status == SignupStatus.CANCELLED:
        return signup
    if timezone.now() > salon.starts_at:
        raise ValidationError("沙龙已经开始，不能取消报名")
    signup.status = SignupStatus.CANCELLED
    signup.save()
    _fill_from_waiting(salon)
    return signup


def _fill_from_waiting(salon: Salon) -> None:
    """Move people up from the waiting list, in the order they joined it, while places are free."""
    free = salon.capacity - salon.signups.filter(status=SignupStatus.CONFIRMED).count()
    if free <= 0:
        return
    promoted = list(salon.signups.filter(status=SignupStatus.WAITING).order_by("updated_at", "id")[:free])
    for signup in promoted:
        signup.status = SignupStatus.CONFIRMED
        signup.save()
    if promoted:
        deliver(
            recipients=[s.user for s in promoted],
            kind="salons.promoted",
            title=f"候补成功：{salon.topic}",
            body=f"您已从候补转为正式报名：{salon.topic}，{timezone.localtime(salon.starts_at):%Y-%m-%d %H:%M}，{salon.place}。",
            url=reverse("showcase:salon", args=[salon.pk]),
        )


def send_reminders(*, now=None) -> int:
    """The day before: everyone confirmed for a salon starting within 24 hours is reminded, once."""
    now = now or timezone.now()
    sent = 0
    for salon in Salon.objects.filter(starts_at__gt=now, starts_at__lte=now + timedelta(hours=24), reminded_at=None):
        with transaction.atomic():
            locked = Salon.objects.select_for_update().get(pk=salon.pk)
            if locked.reminded_at is not None:
                continue
            people = [s.user for s in locked.signups.filter(status=SignupStatus.CONFIRMED).select_related("user")]
            deliver(
                recipients=people,
                kind="salons.reminder",
                title=f"明天参加：{locked.topic}",
                body=f"提醒：青年创新沙龙“{locked.topic}”将于 {timezone.localtime(locked.starts_at):%Y-%m-%d %H:%M} 在{locked.place}举行。",
                url=reverse("showcase:salon", args=[locked.pk]),
            )
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            sent += len(people)
    return sent


@transaction.atomic
def record_outcome(*, salon: Salon, by, notes: str, photos=()) -> Salon:
    """After the salon: its notes and photos (each checked by content; images only)."""
    _require_committee(by)
    checked = []
    for photo in photos:
        upload = check_upload(photo)
        if not upload.content_type.startswith("image/"):
            raise ValidationError(f"“{upload.display_name}”不是图片：沙龙照片只接受 JPG 或 PNG")
        checked.append((photo, upload))
    salon.notes = notes.strip()
    salon.save(update_fields=["notes"])
    for photo, upload in checked:
        # Stored under a generated name with the extension of what the content is (never the
        # uploaded name: "x.html" holding a PNG stays a .png), which the download serves by.
        item = SalonPhoto(salon=salon, caption=upload.display_name, uploaded_by=by)
        photo.seek(0)
        item.file.save(f"{uuid.uuid4().hex}.{upload.extension}", photo, save=False)
        item.save()
    record(by=by, action="salons.outcome", target=salon, after={"照片": len(checked)})
    transaction.on_commit(bump)
    return salon
