"""Reads of salons: the public list, one salon with its counts, a person's own sign-up, the
attendance list."""

from django.db.models import Count, Q, QuerySet

from wuxiao.salons.models import Salon, Signup, SignupStatus


def salons_with_counts() -> QuerySet[Salon]:
    return Salon.objects.annotate(
        confirmed=Count("signups", filter=Q(signups__status=SignupStatus.CONFIRMED)),
        waiting=Count("signups", filter=Q(signups__status=SignupStatus.WAITING)),
    ).select_related("campaign")


def signup_of(salon: Salon, user) -> Signup | None:
    if not user.is_authenticated:
        return None
    return Signup.objects.filter(salon=salon, user=user).first()


def attendance(salon: Salon) -> QuerySet[Signup]:
    return (
        salon.signups.exclude(status=SignupStatus.CANCELLED)
        .select_related("user")
        .prefetch_related("user__memberships__organisation")
        .order_by("status", "updated_at", "id")
    )
