"""Pure rules of 评审认定: conflicts of interest from the organisation tree, the assignment
optimisation, weighted totals, normalisation, the lot for a 答辩 order and 查重 similarity.

Everything here takes plain values (paths, ids, Decimals) and returns plain values; the
services read the database and pass them in."""

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# ---------------------------------------------------------------------------------------
# Conflicts of interest


def _ancestors(path: str) -> list[str]:
    """'0001.0007.0042.' → ['0001.', '0001.0007.', '0001.0007.0042.']"""
    parts = [p for p in path.split(".") if p]
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def conflict_reason(
    *,
    expert_paths: Iterable[str],
    unit_path: str,
    declared_paths: Iterable[str] = (),
    declared_people: Iterable[int] = (),
    project_people: Iterable[int] = (),
    root_path: str = "",
) -> str:
    """Why an expert may not review a project, or "" when they may.

    An expert conflicts with a project when one of the expert's organisations is the project's
    unit or lies on its path in the tree (an ancestor, or a descendant of the unit), or when
    the expert declared a conflict with the unit (or a body above it) or with a person of the
    team. The tree's root (the organising committee) is everybody's ancestor: counting it
    would exclude the committee's own experts from every project, so it is left out."""
    ancestors = set(_ancestors(unit_path))
    for path in expert_paths:
        if not path or path == root_path:
            continue
        if path == unit_path:
            return "专家所在组织即项目申报单位"
        if path in ancestors:
            return "专家所在组织是项目申报单位的上级组织"
        if path.startswith(unit_path):
            return "专家所在组织是项目申报单位的下级组织"
    for path in declared_paths:
        if path and unit_path.startswith(path):
            return "专家已声明与该单位存在利益冲突"
    if set(declared_people) & set(project_people):
        return "专家已声明与项目团队成员存在利益冲突"
    return ""


def experts_in_conflict_with_unit(
    unit_path: str, experts: Mapping[int, tuple[Sequence[str], Sequence[str]]], *, root_path: str = ""
) -> set[int]:
    """The experts (id → (own organisation paths, declared unit paths)) that conflict_reason
    would refuse for any project of this unit, by the tree or a declared unit; the same
    rule without building a reason, for the assignment's many pairs."""
    ancestors = set(_ancestors(unit_path))
    found = set()
    for expert, (paths, declared) in experts.items():
        if any(p != root_path and (p in ancestors or p.startswith(unit_path)) for p in paths if p) or any(
            d and unit_path.startswith(d) for d in declared
        ):
            found.add(expert)
    return found


# ---------------------------------------------------------------------------------------
# Assignment: a min-cost flow (OR-Tools), not a greedy loop


class AssignmentInfeasible(ValueError):
    pass


@dataclass(frozen=True)
class ExpertSlot:
    id: int
    categories: frozenset[str]
    load: int = 0  # assignments the expert already holds in the round


@dataclass(frozen=True)
class ProjectSlot:
    id: int
    category: str
    need: int  # experts still to find for the project


@dataclass
class AssignmentResult:
    pairs: list[tuple[int, int]]  # (project id, expert id)
    loads: dict[int, int] = field(default_factory=dict)  # expert id → load after assignment
    category_fit: int = 0  # pairs whose category matches the expert's expertise

    @property
    def count(self) -> int:
        return len(self.pairs)


# Costs: reaching an even load beats category fit, which beats the seeded tie-break.
_TIE = 4
_MISFIT = 100
_OVER_EVEN = 10_000


def assign(
    *,
    projects: Sequence[ProjectSlot],
    experts: Sequence[ExpertSlot],
    forbidden: set[tuple[int, int]],
    max_per_expert: int,
    seed: int,
) -> AssignmentResult:
    """Give each project `need` distinct experts, never a forbidden (project, expert) pair,
    no expert above `max_per_expert` (counting the load they hold), loads as even as the
    conflicts allow, and as many category matches as possible.

    Solved as a min-cost flow: source → project (capacity need) → expert (capacity 1, cost
    0 on a category match, else _MISFIT, plus a seeded tie-break) → sink through one arc per
    unit of load. The first arcs of each expert, up to the even share, cost 0 and the later
    ones _OVER_EVEN each, so the flow fills every expert to the even share before anyone
    goes beyond it. Same input and seed → same result."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    total = sum(p.need for p in projects)
    if total == 0:
        return AssignmentResult(pairs=[], loads={e.id: e.load for e in experts})
    if not experts:
        raise AssignmentInfeasible(f"需要分配 {total} 个评审任务，但专家库中没有可分配的专家")
    n_p, n_e = len(projects), len(experts)
    source, sink = n_p + n_e, n_p + n_e + 1
    held = sum(e.load for e in experts)
    even = -(-(total + held) // n_e)  # ceil of the average load

    # project → expert arcs, built as whole matrices (5,000 × 300 is 1.5 million arcs)
    categories = sorted({p.category for p in projects} | {c for e in experts for c in e.categories})
    cat_index = {c: i for i, c in enumerate(categories)}
    knows = np.zeros((len(categories), n_e), dtype=bool)
    for j, e in enumerate(experts):
        for c in e.categories:
            knows[cat_index[c], j] = True
    fits = knows[[cat_index[p.category] for p in projects], :]
    allowed = np.ones((n_p, n_e), dtype=bool)
    allowed[[p.need <= 0 for p in projects], :] = False
    p_pos = {p.id: i for i, p in enumerate(projects)}
    e_pos = {e.id: j for j, e in enumerate(experts)}
    for pid, eid in forbidden:
        if pid in p_pos and eid in e_pos:
            allowed[p_pos[pid], e_pos[eid]] = False
    jitter = np.random.default_rng(seed).integers(0, _TIE, size=(n_p, n_e), dtype=np.int64)
    cost_matrix = np.where(fits, 0, _MISFIT).astype(np.int64) + jitter
    pi, ej = np.nonzero(allowed)

    tails = [np.full(n_p, source), pi]
    heads = [np.arange(n_p), n_p + ej]
    caps = [np.array([max(p.need, 0) for p in projects]), np.ones(len(pi))]
    costs = [np.zeros(n_p), cost_matrix[pi, ej]]
    load_tails, load_caps, load_costs = [], [], []
    for j, e in enumerate(experts):
        for unit in range(e.load + 1, max_per_expert + 1):
            load_tails.append(n_p + j)
            load_caps.append(1)
            load_costs.append(0 if unit <= even else _OVER_EVEN * (unit - even))
    tails.append(np.array(load_tails, dtype=np.int64))
    heads.append(np.full(len(load_tails), sink))
    caps.append(np.array(load_caps, dtype=np.int64))
    costs.append(np.array(load_costs, dtype=np.int64))

    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    supplies = np.zeros(n_p + n_e + 2, dtype=np.int64)
    supplies[source], supplies[sink] = total, -total
    solver.set_nodes_supplies(np.arange(n_p + n_e + 2), supplies)
    # With the supplies fixed, solve() finds the cheapest flow of exactly `total` units or
    # reports it infeasible; the slower max-flow variant only runs to say how far it got.
    if solver.solve() != solver.OPTIMAL:
        solver.solve_max_flow_with_min_cost()
        found = solver.maximum_flow()
        raise AssignmentInfeasible(
            f"需要分配 {total} 个评审任务，在回避规则和每位专家最多 {max_per_expert} 个项目的限制下"
            f"只能分配 {found} 个：请增加专家或提高每位专家的上限"
        )
    first_pair = n_p
    flows = solver.flows(arcs[first_pair : first_pair + len(pi)])
    used = np.nonzero(flows)[0]
    pairs = [(projects[pi[k]].id, experts[ej[k]].id) for k in used]
    loads = {e.id: e.load for e in experts}
    for _, eid in pairs:
        loads[eid] += 1
    fit = int(fits[pi[used], ej[used]].sum())
    pairs.sort()
    return AssignmentResult(pairs=pairs, loads=loads, category_fit=fit)


# ---------------------------------------------------------------------------------------
# Scores: weighted totals, spread, normalisation (exact decimals)


@dataclass(frozen=True)
class Criterion:
    id: int
    weight: Decimal
    max_score: Decimal


def weighted_total(criteria: Sequence[Criterion], values: Mapping[int, Decimal]) -> Decimal:
    """A review's total on 0–100: each criterion's share of its maximum, weighted."""
    weight_sum = sum((c.weight for c in criteria), Decimal(0))
    if not criteria or weight_sum <= 0:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 28
        total = sum((c.weight * values[c.id] / c.max_score for c in criteria), Decimal(0)) * HUNDRED / weight_sum
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def stdev(values: Sequence[Decimal]) -> Decimal:
    """Population standard deviation, exact to the context's precision."""
    if len(values) < 2:
        return Decimal(0)
    m = mean(values)
    return (sum(((v - m) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


@dataclass(frozen=True)
class Ranked:
    project_id: int
    raw: Decimal  # mean of the experts' totals
    normalised: Decimal  # mean of the experts' z-scores, back on the 0–100 scale
    spread: Decimal  # highest minus lowest total
    count: int


@dataclass(frozen=True)
class Bias:
    expert_id: int
    mean: Decimal  # the expert's mean total
    offset: Decimal  # that mean minus the mean of all totals: > 0 lenient, < 0 harsh
    count: int


def normalise(totals: Iterable[tuple[int, int, Decimal]]) -> tuple[list[Ranked], list[Bias]]:
    """(project, expert, total) triples → per-project raw and normalised scores, and each
    expert's bias.

    Each expert's totals become z-scores against that expert's own mean and spread (an
    expert with one review, or who gave every project the same total, contributes 0: no
    evidence of where the project stands in their range). A project's mean z-score is put
    back on the scale of all totals (overall mean + z × overall spread), clamped to 0–100,
    so harsh and lenient experts who scored different subsets weigh the same."""
    rows = list(totals)
    if not rows:
        return [], []
    with localcontext() as ctx:
        ctx.prec = 28
        by_expert: dict[int, list[Decimal]] = defaultdict(list)
        for _, e, t in rows:
            by_expert[e].append(t)
        stats = {e: (mean(v), stdev(v)) for e, v in by_expert.items()}
        all_totals = [t for _, _, t in rows]
        overall_mean, overall_sd = mean(all_totals), stdev(all_totals)
        by_project: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
        for p, e, t in rows:
            m, sd = stats[e]
            z = (t - m) / sd if sd > 0 else Decimal(0)
            by_project[p].append((t, z))
        ranked = []
        for p, pairs in by_project.items():
            raw = mean([t for t, _ in pairs])
            norm = overall_mean + mean([z for _, z in pairs]) * overall_sd
            norm = min(max(norm, Decimal(0)), HUNDRED)
            spread = max(t for t, _ in pairs) - min(t for t, _ in pairs)
            ranked.append(
                Ranked(
                    project_id=p,
                    raw=raw.quantize(CENT, rounding=ROUND_HALF_UP),
                    normalised=norm.quantize(CENT, rounding=ROUND_HALF_UP),
                    spread=spread.quantize(CENT, rounding=ROUND_HALF_UP),
                    count=len(pairs),
                )
            )
        biases = [
            Bias(
                expert_id=e,
                mean=m.quantize(CENT, rounding=ROUND_HALF_UP),
                offset=(m - overall_mean).quantize(CENT, rounding=ROUND_HALF_UP),
                count=len(by_expert[e]),
            )
            for e, (m, _) in stats.items()
        ]
    return ranked, biases


def order_ranking(ranked: Sequence[Ranked], *, by: str) -> list[Ranked]:
    """Highest first by the chosen score ("raw" or "normalised"); ties by the other, then id."""
    other = "raw" if by == "normalised" else "normalised"
    return sorted(ranked, key=lambda r: (-getattr(r, by), -getattr(r, other), r.project_id))


DISAGREEMENT = Decimal(20)  # points on 0–100 between the highest and lowest expert total


def is_disputed(spread: Decimal, threshold: Decimal = DISAGREEMENT) -> bool:
    return spread >= threshold


# ---------------------------------------------------------------------------------------
# 公开抽签: an order anyone can re-draw from the recorded seed


def draw_order(seed: str, ids: Iterable[int]) -> list[int]:
    """The ids in the order drawn by lot: sorted first (so the database's order does not
    matter), then shuffled by a generator seeded from the SHA-256 of the public seed."""
    ordered = sorted(set(ids))
    digest = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big")
    random.Random(digest).shuffle(ordered)
    return ordered


# ---------------------------------------------------------------------------------------
# 查重: character n-gram similarity (TF-IDF over 2–3 character grams, cosine)


@dataclass(frozen=True)
class Similar:
    a: int
    b: int
    score: Decimal


def similar_pairs(
    texts: Mapping[int, str],
    *,
    threshold: Decimal = Decimal("0.5"),
    may_pair=None,
) -> list[Similar]:
    """Pairs of texts whose TF-IDF cosine over character 2–3 grams reaches `threshold`.
    Chinese has no spaces, so words are not the unit: character n-grams are, as in pg_trgm.
    `may_pair(a, b)` filters pairs (e.g. only across units)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = sorted(i for i, t in texts.items() if t and t.strip())
    if len(ids) < 2:
        return []
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
    matrix = vectoriser.fit_transform([texts[i] for i in ids])
    sims = (matrix @ matrix.T).tocoo()
    found = []
    limit = float(threshold)
    for r, c, v in zip(sims.row, sims.col, sims.data, strict=True):
        if r < c and v >= limit - 1e-9:
            a, b = ids[r], ids[c]
            if may_pair is None or may_pair(a, b):
                found.append(Similar(a=a, b=b, score=Decimal(str(round(float(v), 4)))))
    found.sort(key=lambda s: (-s.score, s.a, s.b))
    return found
