"""Reused reads about people and organisations, scoped to the user who asks."""

from django.db.models import Q

from wuxiao.people.models import Membership, Organisation, User
from wuxiao.people.permissions import admin_organisations


def _subtrees_q(orgs, field="path"):
    q = Q(pk__in=[])
    for org in orgs:
        q |= Q(**{f"{field}__startswith": org.path})
    return q


def organisations_visible_to(user):
    """Organisations in the subtrees the user administers, parents joined in."""
    orgs = admin_organisations(user)
    if not orgs:
        return Organisation.objects.none()
    return Organisation.objects.filter(_subtrees_q(orgs)).select_related("parent")


def people_visible_to(user):
    """People holding any role in an organisation the user administers."""
    orgs = admin_organisations(user)
    if not orgs:
        return User.objects.none()
    member_ids = Membership.objects.filter(_subtrees_q(orgs, "organisation__path")).values("user_id")
    return User.objects.filter(pk__in=member_ids)


def memberships_visible_to(user):
    orgs = admin_organisations(user)
    if not orgs:
        return Membership.objects.none()
    return Membership.objects.filter(_subtrees_q(orgs, "organisation__path")).select_related("user", "organisation")


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__path", "role")


def invitations_visible_to(user):
    """Invitations into the subtrees the user administers, with what the list shows."""
    from wuxiao.people.models import Invitation

    orgs = admin_organisations(user)
    if not orgs:
        return Invitation.objects.none()
    return Invitation.objects.filter(_subtrees_q(orgs, "organisation__path")).select_related(
        "organisation", "invited_by", "accepted_by"
    )


def api_tokens_of(user):
    """The user's own API tokens, newest first (revoked ones kept for the record)."""
    from django.db.models import F

    from wuxiao.people.models import ApiToken

    return ApiToken.objects.filter(user=user).order_by(F("revoked_at").asc(nulls_first=True), "-created_at", "-id")
