#!/usr/bin/env python
"""A dashboard's counts two ways, side by side on one database: grouped from the projects
(`queries.cube` and the team members: what every view after a change paid before the kept
counts, and what a date range still pays) and read from the kept counts (`queries.kept`),
for the committee and the first district, alternating.

    .venv/bin/python scripts/bench_stats.py [--projects 200000] [--rounds 9]

Uses the page benchmark's PostgreSQL database for that scale (seeded if missing).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    database = f"{bench_pages.DEFAULT_DB}_{args.projects // 1000}k"
    bench_pages.ensure_database(database)
    bench_pages.seed(database, args.projects)  # sets up Django on that database and migrates it

    from wuxiao.campaigns.models import Campaign
    from wuxiao.people.models import Organisation
    from wuxiao.stats import queries as q

    campaign = Campaign.objects.current()
    committee = Organisation.objects.filter(parent=None).order_by("path").first()
    district = Organisation.objects.filter(parent=committee).order_by("path").first()
    print(f"{args.projects} projects, load average {os.getloadavg()[0]:.1f}")
    for org in (committee, district):
        scope = q.Scope(org=org, campaign=campaign)
        unit_children = scope.unit_children()
        grouped, kept = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            q.cube(scope, unit_children)
            q.team_members_by_child(scope, unit_children)
            grouped.append(time.perf_counter() - start)
            start = time.perf_counter()
            q.kept(scope, unit_children)
            kept.append(time.perf_counter() - start)
        g, k = statistics.median(grouped) * 1000, statistics.median(kept) * 1000
        print(f"{org.name}: grouped {g:.1f} ms, kept {k:.1f} ms (median of {args.rounds})")


if __name__ == "__main__":
    main()
