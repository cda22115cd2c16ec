"""The filter definitions of the people lists (members, invitations), shared by the console
pages and the API. The scope comes from the queryset passed in (`memberships_visible_to`,
`invitations_visible_to`); a value that does not validate is ignored."""

import django_filters as df
from django import forms
from django.db.models import Q
from django.utils import timezone

from wuxiao.people.models import Invitation, Membership, Organisation, Role
from wuxiao.people.queries import organisations_visible_to


class OrganisationChoiceField(forms.ModelChoiceField):
    """Organisations indented by their depth in the tree."""

    def label_from_instance(self, obj):
        return f"{'　' * (obj.depth - 1)}{obj.name}"


class OrganisationFilter(df.ModelChoiceFilter):
    field_class = OrganisationChoiceField


class MemberFilter(df.FilterSet):
    organisation = OrganisationFilter(
        label="组织（含下级）", queryset=Organisation.objects.none(), empty_label="全部组织", method="filter_subtree"
    )
    role = df.ChoiceFilter(label="角色", choices=Role.choices, empty_label="全部角色")
    q = df.CharFilter(label="姓名", max_length=50, method="filter_name")

    class Meta:
        model = Membership
        fields = ()

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["organisation"].queryset = organisations_visible_to(user).order_by("path")

    def filter_subtree(self, qs, name, value):
        return qs.filter(organisation__path__startswith=value.path)

    def filter_name(self, qs, name, value):
        return qs.filter(Q(user__real_name__icontains=value) | Q(user__username__icontains=value))


class InvitationFilter(df.FilterSet):
    status = df.ChoiceFilter(
        label="状态",
        choices=[("pending", "待接受"), ("accepted", "已接受"), ("expired", "已过期"), ("revoked", "已撤销")],
        empty_label="全部状态",
        method="filter_status",
    )

    class Meta:
        model = Invitation
        fields = ()

    def filter_status(self, qs, name, value):
        now = timezone.now()
        return {
            "pending": qs.pending(),
            "accepted": qs.filter(accepted_at__isnull=False),
            "revoked": qs.filter(accepted_at__isnull=True, revoked_at__isnull=False),
            "expired": qs.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now),
        }[value]
