"""The kept counts (stats/models.py) held against the projects: what they should be, where they
differ, and a rebuild. The triggers keep them; this is how an operator proves it (`manage.py
stats_counts`) and repairs them after a restore from a dump taken without them."""

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum

from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState
from wuxiao.stats.models import UnitCategoryCount, UnitFormCount, UnitStateCount

# model → (the project column it counts by, what it sums besides `projects`)
KEPT = {
    UnitStateCount: ("state", {"members": Count("members")}),
    UnitCategoryCount: ("category", {"benefit": Sum("economic_benefit")}),
    UnitFormCount: ("achievement_form", {}),
}


def expected(model) -> dict[tuple, dict]:
    """(campaign id, unit id, key) → the sums, grouped from the counted projects."""
    column, sums = KEPT[model]
    rows = (
        Project.objects.exclude(state=ProjectState.DRAFT)
        .values("campaign_id", "unit_id", column)
        .annotate(projects=Count("id", distinct=True) if "members" in sums else Count("*"), **sums)
        .order_by()
    )
    return {
        (r["campaign_id"], r["unit_id"], r[column]): {name: r[name] or 0 for name in ["projects", *sums]} for r in rows
    }


def kept(model) -> dict[tuple, dict]:
    """The same, as the table holds it (rows whose every sum is 0 left out)."""
    names = ["projects", *KEPT[model][1]]
    rows = model.objects.values("campaign_id", "unit_id", model.key, *names)
    return {
        (r["campaign_id"], r["unit_id"], r[model.key]): {n: r[n] for n in names}
        for r in rows
        if any(r[n] for n in names)
    }


def differences() -> list[str]:
    """Every row that differs from its projects, as a line an operator can read."""
    lines = []
    for model in KEPT:
        want, have = expected(model), kept(model)
        for key in sorted(set(want) | set(have), key=str):
            a, b = want.get(key), have.get(key)
            if a is None or b is None or any(Decimal(a[n]) != Decimal(b[n]) for n in a):
                lines.append(
                    f"{model._meta.db_table} 活动 {key[0]} 单位 {key[1]} {key[2] or '（空）'}：应为 {a}，实为 {b}"
                )
    return lines


def rebuild() -> None:
    """Count every campaign again, with project writes held off until it commits."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE projects_project, projects_teammember IN SHARE MODE")
        for model in KEPT:
            model.objects.all().delete()
            model.objects.bulk_create(
                model(campaign_id=c, unit_id=u, **{model.key: k}, **sums) for (c, u, k), sums in expected(model).items()
            )
