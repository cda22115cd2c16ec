"""One JSON payload per chart. The console's ECharts layer, the tables beside the charts,
the Excel download and the report's images all read these dicts and nothing else:

    {"id": "category", "title": "按项目类别", "type": "bar", "unit": "项", "label": "项目类别",
     "labels": ["机械", …], "series": [{"name": "项目数", "data": [3, …]}]}

`type` is "bar", "hbar" or "pie"; `table_only` series show in the table, not in the chart.
"""

from decimal import Decimal
from functools import cached_property

from django.utils import timezone

from wuxiao.campaigns.models import Campaign
from wuxiao.stats import queries as q
from wuxiao.stats.queries import Cube, Scope


def _money(value: Decimal) -> float:
    return float(round(value, 2))


def _ordered(known: list[str], present) -> list[str]:
    """The campaign's vocabulary in its order, then anything else the data holds."""
    return list(known) + sorted(k for k in present if k not in known)


def chart(id, title, labels, series, *, type="bar", unit="项", label="", table_only=()):
    return {
        "id": id,
        "title": title,
        "type": type,
        "unit": unit,
        "label": label,
        "labels": list(labels),
        "series": [{"name": n, "data": list(d)} for n, d in series]
        + [{"name": n, "data": list(d), "table_only": True} for n, d in table_only],
    }


def _year(campaign: Campaign) -> str:
    return f"{campaign.year}年"


def _series(name, cube: Cube, compare: tuple[Campaign, Campaign, Cube] | None, pick):
    """One series for the scope's cube, and one per campaign when two are compared."""
    if compare is None:
        return [(name, pick(cube))]
    campaign, other_campaign, other = compare
    return [(_year(campaign), pick(cube)), (_year(other_campaign), pick(other))]


class Dashboard:
    """Everything a dashboard shows for one scope, built from a fixed number of queries."""

    def __init__(self, scope: Scope, *, compare: Campaign | None = None, unpublished_awards: bool = False):
        """unpublished_awards: the viewer is the committee, who sees award numbers before the
        results are published; everyone else sees them once published."""
        self.scope = scope
        self.unpublished_awards = unpublished_awards
        self.unit_children = unit_children = scope.unit_children()
        self.cube, self.team_members = q.counted(scope, unit_children)
        self.children = q.children(scope) if not scope.org.is_unit else []
        self.compare = None
        if compare is not None and compare.pk != scope.campaign.pk:
            other, _ = q.counted(Scope(org=scope.org, campaign=compare), unit_children, members=False)
            self.compare = (scope.campaign, compare, other)
        self.young_workers = q.young_workers_by_child(scope)
        self.units = len(self.cube.units)

    @cached_property
    def review(self) -> list[q.RoundProgress]:
        return q.review_progress(self.scope)

    @cached_property
    def awards(self) -> q.AwardCounts | None:
        """The award numbers this viewer may see, or None."""
        counts = q.award_counts(self.scope, self.unit_children)
        if counts.status is None or not (counts.is_published or self.unpublished_awards):
            return None
        return counts

    # ---- key numbers

    def numbers(self) -> list[dict]:
        c = self.cube
        rows = [
            ("项目总数", c.total, "项"),
            ("参与人数", c.total + sum(self.team_members.values()), "人"),
            ("参与单位", self.units, "个"),
            ("已上报组委会", c.forwarded, "项"),
            ("经济效益合计", _money(c.benefit), "万元"),
        ]
        other = self.compare[2] if self.compare else None
        others = {
            "项目总数": other.total if other else None,
            "已上报组委会": other.forwarded if other else None,
            "经济效益合计": _money(other.benefit) if other else None,
        }
        return [{"label": lab, "value": v, "unit": u, "compare": others.get(lab)} for lab, v, u in rows]

    # ---- charts

    def charts(self, quota_rows: list[dict] | None = None) -> list[dict]:
        campaign = self.scope.campaign
        c, cmp = self.cube, self.compare
        categories = _ordered(campaign.categories, set(c.by_category) | set(cmp[2].by_category if cmp else ()))
        forms = _ordered(campaign.achievement_forms, set(c.by_form) | set(cmp[2].by_form if cmp else ()))
        result = [
            self.stage_chart(),
            chart(
                "state",
                "按状态",
                [s.label for s in q.COUNTED_STATES],
                _series("项目数", c, cmp, lambda k: [k.by_state.get(s, 0) for s in q.COUNTED_STATES]),
                type="hbar",
                label="状态",
            ),
            chart(
                "category",
                "按项目类别",
                categories,
                _series("项目数", c, cmp, lambda k: [k.by_category.get(x, 0) for x in categories]),
                label="项目类别",
            ),
            chart(
                "form",
                "按成果形式",
                forms,
                _series("项目数", c, cmp, lambda k: [k.by_form.get(x, 0) for x in forms]),
                type="pie" if cmp is None else "bar",
                label="成果形式",
            ),
            chart(
                "benefit",
                "经济效益（按项目类别）",
                categories,
                _series(
                    "经济效益",
                    c,
                    cmp,
                    lambda k: [_money(k.benefit_by_category.get(x, Decimal("0"))) for x in categories],
                ),
                unit="万元",
                label="项目类别",
            ),
        ]
        if self.children:
            result += self._children_charts()
        result += self._review_charts() + self._award_charts()
        if quota_rows:
            result.append(
                chart(
                    "quota",
                    "各单位已上报与可报名额",
                    [r["unit"].name for r in quota_rows],
                    [("已上报", [r["forwarded"] for r in quota_rows]), ("可报名额", [r["quota"] for r in quota_rows])],
                    type="hbar",
                    label="单位",
                )
            )
        return result

    def stage_chart(self) -> dict:
        c, cmp = self.cube, self.compare
        return chart(
            "stage",
            "按阶段",
            [name for name, _ in q.STAGE_GROUPS],
            _series(
                "项目数",
                c,
                cmp,
                lambda k: [sum(k.by_state.get(s, 0) for s in states) for _, states in q.STAGE_GROUPS],
            ),
            type="pie" if cmp is None else "bar",
            label="阶段",
        )

    def _children_charts(self) -> list[dict]:
        c, cmp = self.cube, self.compare
        names = [o.name for o in self.children]
        paths = [o.path for o in self.children]
        level = "县区/系统" if self.scope.org.is_committee else "单位"
        by_child = [("项目数", [c.by_child.get(p, 0) for p in paths])]
        if cmp:
            by_child = [(_year(cmp[0]), by_child[0][1]), (_year(cmp[1]), [cmp[2].by_child.get(p, 0) for p in paths])]
        by_child.append(("已上报", [c.forwarded_by_child.get(p, 0) for p in paths]))
        people = [c.by_child.get(p, 0) + self.team_members.get(p, 0) for p in paths]
        workers = [self.young_workers.get(p, 0) for p in paths]
        rate = [round(n * 100 / w, 1) if w else 0 for n, w in zip(people, workers, strict=True)]
        return [
            chart("children", f"按{level}", names, by_child, type="hbar", label=level),
            chart(
                "participation",
                f"每百名青工参与人数（按{level}）",
                names,
                [("每百名青工参与人数", rate)],
                type="hbar",
                unit="人",
                label=level,
                table_only=[("参与人数", people), ("35岁以下青工人数", workers)],
            ),
        ]

    def _review_charts(self) -> list[dict]:
        rounds = self.review
        if not rounds:
            return []
        names = [r.name for r in rounds]
        return [
            chart(
                "review",
                "评审进度（评分任务）",
                names,
                [("评审任务", [r.assigned for r in rounds]), ("已评分", [r.scored for r in rounds])],
                unit="份",
                label="评审轮次",
                table_only=[("未评分", [r.assigned - r.scored for r in rounds])],
            ),
            chart(
                "review_projects",
                "评审进度（项目）",
                names,
                [("参评项目", [r.projects for r in rounds]), ("评分已完成", [r.complete for r in rounds])],
                label="评审轮次",
            ),
        ]

    def _award_charts(self) -> list[dict]:
        awards = self.awards
        if awards is None:
            return []
        note = "" if awards.is_published else "（未发布）"
        levels = [level.label for level in q.PRIZES]
        result = [
            chart(
                "award_level",
                f"获奖数（按奖项等级）{note}",
                levels,
                [("获奖项目数", [awards.by_level.get(level, 0) for level in q.PRIZES])],
                label="奖项等级",
            )
        ]
        if self.children:
            level = "县区/系统" if self.scope.org.is_committee else "单位"
            paths = [o.path for o in self.children]
            result.append(
                chart(
                    "award_children",
                    f"获奖数（按{level}）{note}",
                    [o.name for o in self.children],
                    [(lv.label, [awards.by_child.get(p, {}).get(lv, 0) for p in paths]) for lv in q.PRIZES],
                    type="hbar",
                    label=level,
                    table_only=[("合计", [sum(awards.by_child.get(p, {}).values()) for p in paths])],
                )
            )
        return result


def screen_payload(scope: Scope) -> dict:
    """The 数据大屏: key numbers, a tile per district (or unit), top categories and the
    latest forwarded projects; the page fetches this every 30 seconds."""
    board = Dashboard(scope)
    c = board.cube
    top = sorted(c.by_category.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    return {
        "title": scope.campaign.title,
        "scope": scope.org.name,
        "numbers": board.numbers(),
        "tiles": [
            {"name": o.name, "total": c.by_child.get(o.path, 0), "forwarded": c.forwarded_by_child.get(o.path, 0)}
            for o in board.children
        ],
        "categories": chart("top_categories", "项目类别前八", [k for k, _ in top], [("项目数", [n for _, n in top])]),
        "stages": board.stage_chart(),
        "recent": [
            {
                "name": p.name,
                "unit": p.unit.name,
                "forwarded_at": timezone.localtime(p.forwarded_at).strftime("%m-%d %H:%M") if p.forwarded_at else "",
            }
            for p in q.recent_forwarded(scope, board.unit_children)
        ],
        "updated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
    }


def table(payload: dict) -> dict:
    """The table beside a chart: one row per label, one column per series."""
    head = [payload["label"] or "项目"] + [f"{s['name']}（{payload['unit']}）" for s in payload["series"]]
    rows = [[lab] + [s["data"][i] for s in payload["series"]] for i, lab in enumerate(payload["labels"])]
    return {"head": head, "rows": rows}
