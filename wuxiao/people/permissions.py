"""Who may do what, as predicates over users and organisations.

Views, the API and services all ask these; nothing about permissions lives in a view.
"""

from wuxiao.lib.compiled import Compiled
from wuxiao.people.models import Membership, Organisation, OrgKind, Role

# a handful of rows: sorted in Python, which spares the query an ORDER BY over the join;
# compiled once per process (every request asks)
_MEMBERSHIPS = Compiled(lambda user: Membership.objects.filter(user_id=user).select_related("organisation").order_by())


def memberships(user) -> list[Membership]:
    """Every role the user holds, with its organisation (active or not), in organisation
    order: read once per request and kept on the user object, which is read anew for each
    request. The navigation, visibility and the applicant's units all ask for them."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_memberships_cache"):
        rows = _MEMBERSHIPS.all(user=user.pk)
        user._memberships_cache = sorted(rows, key=lambda m: (m.organisation.path, m.pk))
    return user._memberships_cache


def forget_memberships(user) -> None:
    """After a change to the user's roles within the same request (joining by invitation)."""
    forget(user, "_memberships_cache")
    forget(user, ADMINISTERS)


def forget(user, name: str) -> None:
    """Drop what was read of the user for this request. Through delattr, not the instance's
    __dict__: request.user is a lazy proxy whose own __dict__ is not the user's."""
    try:
        delattr(user, name)
    except AttributeError:
        pass


def admin_organisations(user) -> list[Organisation]:
    """Active organisations the user administers."""
    return [m.organisation for m in memberships(user) if m.role == Role.ADMIN and m.organisation.is_active]


# What the console's committee pages and the API's committee operations answer anyone else.
COMMITTEE_ONLY = "仅组委会办公室可进行此操作"


def is_committee_admin(user) -> bool:
    return any(org.kind == OrgKind.COMMITTEE for org in admin_organisations(user))


def is_org_admin(user) -> bool:
    return bool(admin_organisations(user))


# Whether the user administers an active organisation, as a column of the user's own query
# (people.backends.USER_ANNOTATIONS): the navigation shows 管理后台 by it on every page, and
# most pages need no other role of the user's. The same rule as `is_org_admin` (a test
# compares them). Raw SQL because it is compiled on every request: Exists() over the ORM
# compiles in 0.6 ms more (both annotations measured together).
ADMINISTERS = "administers_an_organisation"


def administers_expression():
    from django.db import connection
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    quote = connection.ops.quote_name
    membership, organisation = quote(Membership._meta.db_table), quote(Organisation._meta.db_table)
    user = quote(Membership.user.field.related_model._meta.db_table)
    return RawSQL(
        f"EXISTS(SELECT 1 FROM {membership} INNER JOIN {organisation}"
        f" ON {membership}.{quote('organisation_id')} = {organisation}.{quote('id')}"
        f" WHERE {membership}.{quote('user_id')} = {user}.{quote('id')}"
        f" AND {membership}.{quote('role')} = %s AND {organisation}.{quote('is_active')})",
        (Role.ADMIN,),
        output_field=BooleanField(),
    )


def can_manage_organisation(user, org: Organisation) -> bool:
    """An admin manages their own organisation and everything below it."""
    return any(org.is_within(admin_org) for admin_org in admin_organisations(user))


def can_invite(user, org: Organisation, role: str) -> bool:
    """The committee invites admins anywhere; an organisation's admin invites into its
    subtree, but only the committee creates admins of districts."""
    if not can_manage_organisation(user, org):
        return False
    if role == Role.ADMIN and org.kind in (OrgKind.COMMITTEE, OrgKind.DISTRICT):
        return is_committee_admin(user)
    if role in (Role.EXPERT, Role.PANEL):
        return is_committee_admin(user)
    return True


def can_revoke_role(user, membership: Membership) -> bool:
    """An admin takes roles away in their subtree, but never their own admin role (the
    level above does that, so nobody locks an organisation out by mistake)."""
    if membership.user_id == user.pk and membership.role == Role.ADMIN:
        return False
    return can_manage_organisation(user, membership.organisation)


def can_restructure_organisation(user, org: Organisation) -> bool:
    """An organisation's kind, place in the tree and active state belong to the level above
    it: the admin of the parent (or higher) changes them, never the organisation's own admin."""
    return org.parent_id is not None and can_manage_organisation(user, org.parent)


def can_create_organisation(user, *, parent: Organisation | None, kind: str) -> bool:
    """Districts are created by the committee only; units by the admin of the body above."""
    if parent is None or kind == OrgKind.COMMITTEE or not parent.is_active:
        return False
    if kind == OrgKind.DISTRICT and parent.kind != OrgKind.COMMITTEE:
        return False
    return can_manage_organisation(user, parent)


def can_set_headcount(user, org: Organisation) -> bool:
    """A unit's young-worker headcount decides its quota, so the level above sets it."""
    return org.is_unit and can_restructure_organisation(user, org)


def can_extend_stage(user, org: Organisation) -> bool:
    """Only the committee office keeps a stage open longer, for an active organisation
    below it (the extension covers that organisation's subtree)."""
    return is_committee_admin(user) and org.is_active and org.kind != OrgKind.COMMITTEE


def can_import_units(user) -> bool:
    """Committee and district/system admins import the units below them."""
    return any(org.kind in (OrgKind.COMMITTEE, OrgKind.DISTRICT) for org in admin_organisations(user))


def can_read_audit_log(user) -> bool:
    """The committee reads the whole log; a district/system admin the log of its subtree."""
    return any(org.kind in (OrgKind.COMMITTEE, OrgKind.DISTRICT) for org in admin_organisations(user))


def is_expert(user) -> bool:
    """A member of the expert pool (评审专家): may read and score the projects assigned to them."""
    return user.is_authenticated and Membership.objects.filter(user=user, role=Role.EXPERT).exists()
