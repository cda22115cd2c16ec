"""Pure rules of 评审认定: conflicts over random trees, the assignment optimisation, exact
score maths, normalisation against a simulated truth, the lot and 查重 similarity."""

import random
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wuxiao.reviews import rules
from wuxiao.reviews.rules import AssignmentInfeasible, ExpertSlot, ProjectSlot

# --- conflicts --------------------------------------------------------------------------

ROOT = "0001."


def test_same_unit_ancestor_and_descendant_conflict():
    unit = "0001.0002.0003."
    assert rules.conflict_reason(expert_paths=[unit], unit_path=unit, root_path=ROOT) == "专家所在组织即项目申报单位"
    assert rules.conflict_reason(expert_paths=["0001.0002."], unit_path=unit, root_path=ROOT) == (
        "专家所在组织是项目申报单位的上级组织"
    )
    assert rules.conflict_reason(expert_paths=["0001.0002.0003.0009."], unit_path=unit, root_path=ROOT) == (
        "专家所在组织是项目申报单位的下级组织"
    )
    # a sibling district, or a unit whose path merely shares a prefix of digits, is free
    assert rules.conflict_reason(expert_paths=["0001.0004."], unit_path=unit, root_path=ROOT) == ""
    assert rules.conflict_reason(expert_paths=["0001.0002.0030."], unit_path=unit, root_path=ROOT) == ""
    # the committee (root) is everybody's ancestor and so is not a conflict by itself
    assert rules.conflict_reason(expert_paths=[ROOT], unit_path=unit, root_path=ROOT) == ""


def test_declared_conflicts():
    unit = "0001.0002.0003."
    assert rules.conflict_reason(expert_paths=[], unit_path=unit, declared_paths=["0001.0002."]) == (
        "专家已声明与该单位存在利益冲突"
    )
    assert rules.conflict_reason(expert_paths=[], unit_path=unit, declared_people=[7], project_people=[3, 7]) == (
        "专家已声明与项目团队成员存在利益冲突"
    )
    assert rules.conflict_reason(expert_paths=[], unit_path=unit, declared_people=[8], project_people=[3, 7]) == ""


@st.composite
def trees(draw):
    """A random organisation tree as materialised paths: node i's parent is an earlier node."""
    n = draw(st.integers(min_value=2, max_value=30))
    paths = [ROOT]
    for i in range(1, n):
        parent = paths[draw(st.integers(min_value=0, max_value=i - 1))]
        paths.append(f"{parent}{i:04d}.")
    return paths


@settings(max_examples=200, deadline=None)
@given(trees(), st.data())
def test_conflict_iff_on_the_path(paths, data):
    """Over random trees: a conflict exactly when one node is the other's ancestor (or the
    same), the root excepted; and the relation is symmetric."""
    unit = data.draw(st.sampled_from(paths[1:]))
    expert = data.draw(st.sampled_from(paths))
    on_path = expert != ROOT and (unit.startswith(expert) or expert.startswith(unit))
    assert bool(rules.conflict_reason(expert_paths=[expert], unit_path=unit, root_path=ROOT)) == on_path
    if expert != ROOT:
        assert bool(rules.conflict_reason(expert_paths=[unit], unit_path=expert, root_path=ROOT)) == on_path


# --- assignment -------------------------------------------------------------------------

CATS = ["机械", "化工", "电子", "通信"]


def _instance(seed, n_projects=40, n_experts=12, forbid=0.1):
    r = random.Random(seed)
    projects = [ProjectSlot(id=i, category=r.choice(CATS), need=3) for i in range(n_projects)]
    experts = [ExpertSlot(id=1000 + j, categories=frozenset(r.sample(CATS, 2))) for j in range(n_experts)]
    forbidden = {(p.id, e.id) for p in projects for e in experts if r.random() < forbid}
    return projects, experts, forbidden


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_assignment_holds_k_max_balance_and_conflicts(seed):
    projects, experts, forbidden = _instance(seed)
    result = rules.assign(projects=projects, experts=experts, forbidden=forbidden, max_per_expert=15, seed=seed)
    per_project = Counter(p for p, _ in result.pairs)
    assert all(per_project[p.id] == 3 for p in projects)  # k per project
    assert len(set(result.pairs)) == len(result.pairs)  # never one expert twice on a project
    assert not set(result.pairs) & forbidden  # no conflict
    loads = Counter(e for _, e in result.pairs)
    assert max(loads.values()) <= 15
    assert max(loads.values()) - min(loads[e.id] for e in experts) <= 1  # 120 tasks, 12 experts: 10 each


def test_assignment_maximises_category_fit_and_is_deterministic():
    projects = [ProjectSlot(id=i, category="机械" if i < 6 else "电子", need=1) for i in range(12)]
    experts = [ExpertSlot(id=1, categories=frozenset({"机械"})), ExpertSlot(id=2, categories=frozenset({"电子"}))]
    result = rules.assign(projects=projects, experts=experts, forbidden=set(), max_per_expert=6, seed=3)
    assert result.category_fit == 12
    assert sorted(e for p, e in result.pairs if p < 6) == [1] * 6
    again = rules.assign(projects=projects, experts=experts, forbidden=set(), max_per_expert=6, seed=3)
    assert again.pairs == result.pairs


def test_assignment_counts_held_load_and_refuses_the_impossible():
    projects = [ProjectSlot(id=1, category="机械", need=2)]
    experts = [ExpertSlot(id=1, categories=frozenset(), load=3), ExpertSlot(id=2, categories=frozenset())]
    with pytest.raises(AssignmentInfeasible, match=r"需要分配 2 个评审任务.*最多 3 个.*只能分配 1 个"):
        rules.assign(projects=projects, experts=experts, forbidden=set(), max_per_expert=3, seed=0)
    with pytest.raises(AssignmentInfeasible):
        rules.assign(projects=projects, experts=experts[1:], forbidden=set(), max_per_expert=9, seed=0)


# --- scores -----------------------------------------------------------------------------

RUBRIC = [
    rules.Criterion(id=1, weight=Decimal(30), max_score=Decimal(10)),
    rules.Criterion(id=2, weight=Decimal(25), max_score=Decimal(10)),
    rules.Criterion(id=3, weight=Decimal(20), max_score=Decimal(10)),
    rules.Criterion(id=4, weight=Decimal(15), max_score=Decimal(10)),
    rules.Criterion(id=5, weight=Decimal(10), max_score=Decimal(10)),
]


def test_weighted_total_is_exact():
    values = {1: Decimal("8.5"), 2: Decimal("7"), 3: Decimal("9"), 4: Decimal("6.5"), 5: Decimal("10")}
    # 30×0.85 + 25×0.7 + 20×0.9 + 15×0.65 + 10×1 = 25.5 + 17.5 + 18 + 9.75 + 10 = 80.75
    assert rules.weighted_total(RUBRIC, values) == Decimal("80.75")
    thirds = [rules.Criterion(id=1, weight=Decimal(1), max_score=Decimal(3))]
    assert rules.weighted_total(thirds, {1: Decimal(1)}) == Decimal("33.33")


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=5, max_size=5))
def test_weighted_total_stays_in_range(tenths):
    values = {c.id: Decimal(t) / 10 for c, t in zip(RUBRIC, tenths, strict=True)}
    assert Decimal(0) <= rules.weighted_total(RUBRIC, values) <= Decimal(100)


def test_normalise_removes_a_harsh_experts_offset():
    # Expert 1 is 20 points harsher than expert 2 on the same two projects.
    ranked, biases = rules.normalise(
        [(10, 1, Decimal(50)), (11, 1, Decimal(60)), (10, 2, Decimal(70)), (11, 2, Decimal(80))]
    )
    by = {r.project_id: r for r in ranked}
    assert by[10].raw == Decimal("60.00") and by[11].raw == Decimal("70.00")
    assert by[10].spread == Decimal("20.00")
    assert by[11].normalised > by[10].normalised
    assert {b.expert_id: b.offset for b in biases} == {1: Decimal("-10.00"), 2: Decimal("10.00")}


def _spearman(xs, ys):
    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        for pos, i in enumerate(order):
            r[i] = pos
        return r

    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    return 1 - 6 * sum((a - b) ** 2 for a, b in zip(rx, ry, strict=True)) / (n * (n * n - 1))


def test_normalised_ranks_closer_to_the_truth_than_raw():
    """120 projects of known quality, 30 experts with a known bias (−15…+15 points) and
    noise, each project scored by 3 experts drawn at random: the normalised score's Spearman
    correlation with the truth beats the raw mean's in every one of 10 simulated campaigns."""
    wins, raw_sum, norm_sum = 0, 0.0, 0.0
    for trial in range(10):
        r = random.Random(trial)
        truth = {p: r.uniform(40, 90) for p in range(120)}
        bias = {e: r.uniform(-15, 15) for e in range(30)}
        triples = []
        for p in truth:
            for e in r.sample(range(30), 3):
                score = min(max(truth[p] + bias[e] + r.gauss(0, 4), 0), 100)
                triples.append((p, e, Decimal(str(round(score, 2)))))
        ranked, _ = rules.normalise(triples)
        t = [truth[x.project_id] for x in ranked]
        raw = _spearman(t, [float(x.raw) for x in ranked])
        norm = _spearman(t, [float(x.normalised) for x in ranked])
        raw_sum, norm_sum = raw_sum + raw, norm_sum + norm
        wins += norm > raw
    print(f"Spearman with the truth, mean of 10: raw {raw_sum / 10:.3f}, normalised {norm_sum / 10:.3f}")
    assert wins == 10
    assert norm_sum / 10 > raw_sum / 10 + 0.03


def test_order_ranking_by_either_score():
    a = rules.Ranked(project_id=1, raw=Decimal(80), normalised=Decimal(60), spread=Decimal(0), count=3)
    b = rules.Ranked(project_id=2, raw=Decimal(70), normalised=Decimal(75), spread=Decimal(0), count=3)
    assert [r.project_id for r in rules.order_ranking([a, b], by="raw")] == [1, 2]
    assert [r.project_id for r in rules.order_ranking([a, b], by="normalised")] == [2, 1]


# --- lot and 查重 ----------------------------------------------------------------------------


@given(st.text(min_size=1, max_size=20), st.lists(st.integers(1, 10_000), min_size=1, max_size=40, unique=True))
def test_draw_order_is_a_reproducible_permutation(seed, ids):
    order = rules.draw_order(seed, ids)
    assert sorted(order) == sorted(ids)
    assert rules.draw_order(seed, list(reversed(ids))) == order


def test_draw_order_known_value():
    # Fixed so that anyone re-drawing with seed "20250415" can check the published order.
    assert rules.draw_order("20250415", [1, 2, 3, 4, 5]) == rules.draw_order("20250415", [5, 4, 3, 2, 1])
    assert rules.draw_order("20250415", range(1, 6)) != rules.draw_order("20250416", range(1, 6))


def test_similar_pairs_on_a_known_set():
    texts = {
        1: "数控车床自动送料装置的改进。针对人工上料效率低的问题，设计气动送料机构。",
        2: "数控车床自动送料装置改进。针对人工上料效率低，设计了气动送料机构。",
        3: "反应釜温度控制系统优化。采用PID算法稳定反应温度，降低能耗。",
        4: "办公室节约用纸的合理化建议。推行双面打印和无纸化会议。",
    }
    pairs = rules.similar_pairs(texts, threshold=Decimal("0.5"))
    assert [(p.a, p.b) for p in pairs] == [(1, 2)]
    assert pairs[0].score > Decimal("0.7")
    assert rules.similar_pairs(texts, threshold=Decimal("0.5"), may_pair=lambda a, b: False) == []


@settings(max_examples=50, deadline=None)
@given(trees(), st.data())
def test_forbidden_pairs_by_unit_equal_the_pairwise_rule(paths, data):
    """The per-unit shortcut of ConflictFacts.forbidden_pairs gives exactly the pairs that
    conflict_reason forbids one by one, declared units and people included."""
    from types import SimpleNamespace

    from wuxiao.reviews.queries import ConflictFacts

    units = paths[1:]
    projects = [SimpleNamespace(pk=i) for i in range(data.draw(st.integers(1, 12)))]
    experts = list(range(100, 100 + data.draw(st.integers(1, 6))))
    facts = ConflictFacts(
        root_path=ROOT,
        unit_paths={p.pk: data.draw(st.sampled_from(units)) for p in projects},
        project_people={p.pk: set(data.draw(st.lists(st.integers(1, 5), max_size=2))) for p in projects},
        expert_paths={e: data.draw(st.lists(st.sampled_from(paths), max_size=2)) for e in experts},
        declared_paths={e: data.draw(st.lists(st.sampled_from(paths), max_size=1)) for e in experts},
        declared_people={e: set(data.draw(st.lists(st.integers(1, 5), max_size=1))) for e in experts},
    )
    brute = {(p.pk, e) for p in projects for e in experts if facts.reason(p, e)}
    assert facts.forbidden_pairs(projects, experts) == brute
