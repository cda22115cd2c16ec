"""The one filter definition of each project list, shared by the page, its export and the
API. A value that does not validate (an unknown state, a unit the user cannot see) is
ignored, as if the filter were not set: the scope always comes from the queryset passed in
(`projects_for_unit_admin`, `projects_visible_to`), never from the filter."""

import django_filters as df
from django.db.models import Q, QuerySet

from wuxiao.campaigns.models import Campaign
from wuxiao.people.models import UNIT_KINDS, Organisation, OrgKind
from wuxiao.people.queries import organisations_visible_to
from wuxiao.projects.models import Project, ProjectLevel
from wuxiao.projects.states import ProjectState

NO_LEVEL = "none"


class ProjectFilter(df.FilterSet):
    """The unit admin's project list (项目申报 · 立项管理) and its Excel export:
    ?campaign=&unit=&district=&state=&level=&category=&q=&forwarded=."""

    campaign = df.ModelChoiceFilter(
        label="竞赛活动", queryset=Campaign.objects.order_by("-starts_on"), empty_label="全部届次"
    )
    unit = df.ModelChoiceFilter(label="单位", queryset=Organisation.objects.none(), empty_label="全部单位")
    district = df.ModelChoiceFilter(
        label="县区/系统",
        queryset=Organisation.objects.none(),
        empty_label="全部县区/系统",
        method="filter_district",
    )
    state = df.ChoiceFilter(label="状态", choices=(), empty_label="全部状态")
    level = df.ChoiceFilter(
        label="分类",
        choices=[*ProjectLevel.choices, (NO_LEVEL, "未分类")],
        empty_label="全部分类",
        method="filter_level",
    )
    category = df.ChoiceFilter(label="类别", choices=(), empty_label="全部类别")
    q = df.CharFilter(label="项目名称", field_name="name", lookup_expr="icontains", max_length=100)
    forwarded = df.ChoiceFilter(
        label="上报", choices=[("1", "已上报组委会"), ("0", "未上报")], empty_label="全部", method="filter_forwarded"
    )

    class Meta:
        model = Project
        fields = ()

    def __init__(self, data=None, queryset=None, *, user, categories=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        # The choices show names only: no parent joined (a city's ~350 units were 700 objects).
        visible = organisations_visible_to(user).filter(is_active=True).select_related(None).order_by("path")
        self.filters["unit"].queryset = visible.filter(kind__in=UNIT_KINDS)
        self.filters["district"].queryset = visible.filter(kind=OrgKind.DISTRICT)
        self.filters["state"].extra["choices"] = [(s.value, s.label) for s in ProjectState.shown_to_units()]
        self.filters["category"].extra["choices"] = [(c, c) for c in categories]

    def filter_district(self, qs: QuerySet[Project], name, value) -> QuerySet[Project]:
        # The district's unit ids as a list, not a join on the path: the list indexes carry
        # unit_id, so a page stays an index walk in the list's order.
        return qs.filter(unit_id__in=list(Organisation.objects.subtree(value).values_list("pk", flat=True)))

    def filter_level(self, qs: QuerySet[Project], name, value) -> QuerySet[Project]:
        return qs.filter(level="" if value == NO_LEVEL else value)

    def filter_forwarded(self, qs: QuerySet[Project], name, value) -> QuerySet[Project]:
        forwarded = Q(state__in=ProjectState.FORWARDED_OR_LATER)
        return qs.filter(forwarded if value == "1" else ~forwarded)

    @property
    def query_string(self) -> str:
        """The filters as set, URL-encoded, for pagination links and the export link."""
        from urllib.parse import urlencode

        if not self.is_bound:
            return ""
        self.form.is_valid()  # cleaned_data keeps the fields that validated
        data = self.form.cleaned_data
        pairs = [(k, self.data.get(k)) for k in self.filters if data.get(k) not in (None, "")]
        return urlencode(pairs)
