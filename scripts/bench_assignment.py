"""Time the review assignment at city scale without a database: a synthetic organisation
tree (13 districts, 400 units), 5,000 forwarded projects, 300 experts (in districts, units
and the committee office, some with declared conflicts), k = 3.

    .venv/bin/python scripts/bench_assignment.py [--projects 5000] [--experts 300] [--seed 1]

Prints the time to find the conflicts and to solve the min-cost flow, and checks the
result (k per project, no conflict, loads)."""

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuxiao.settings")

import django

django.setup()

from wuxiao.reviews import rules  # noqa: E402
from wuxiao.reviews.queries import ConflictFacts  # noqa: E402

CATEGORIES = ["机械", "化工", "电子", "通信", "建设", "医药", "仪器", "其他"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--experts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    r = random.Random(args.seed)
    root = "0001."
    districts = [f"{root}{i:04d}." for i in range(1, 14)]
    units = [f"{r.choice(districts)}{i:04d}." for i in range(1, 401)]
    projects = [SimpleNamespace(pk=i, category=r.choice(CATEGORIES)) for i in range(args.projects)]
    experts = list(range(10**6, 10**6 + args.experts))
    homes = [root] * 40 + districts * 10 + units
    facts = ConflictFacts(
        root_path=root,
        unit_paths={p.pk: r.choice(units) for p in projects},
        project_people={p.pk: {r.randrange(50_000)} for p in projects},
        expert_paths={e: [r.choice(homes)] for e in experts},
        declared_paths={e: [r.choice(units)] if r.random() < 0.2 else [] for e in experts},
        declared_people={e: {r.randrange(50_000)} if r.random() < 0.1 else set() for e in experts},
    )
    started = time.perf_counter()
    forbidden = facts.forbidden_pairs(projects, experts)
    conflicts_s = time.perf_counter() - started
    slots = [rules.ProjectSlot(id=p.pk, category=p.category, need=3) for p in projects]
    pool = [rules.ExpertSlot(id=e, categories=frozenset(r.sample(CATEGORIES, 2))) for e in experts]
    max_load = -(-3 * len(projects) // len(experts)) + 10
    started = time.perf_counter()
    result = rules.assign(projects=slots, experts=pool, forbidden=forbidden, max_per_expert=max_load, seed=args.seed)
    solve_s = time.perf_counter() - started
    per_project = Counter(p for p, _ in result.pairs)
    assert all(per_project[p.pk] == 3 for p in projects) and not set(result.pairs) & forbidden
    loads = sorted(result.loads.values())
    print(
        f"{len(projects)} projects × {len(experts)} experts, k=3: {len(forbidden)} conflicting pairs found in "
        f"{conflicts_s:.2f} s; min-cost flow solved in {solve_s:.2f} s; loads {loads[0]}–{loads[-1]}; "
        f"category fit {result.category_fit}/{len(result.pairs)}"
    )


if __name__ == "__main__":
    main()
