#!/usr/bin/env python
"""Does a page's cost grow with the data? Time every page of bench_pages.py against two
databases at once, request by request in turn, so both scales share the machine's noise.

    .venv/bin/python scripts/bench_scale.py [--small 20000] [--big 200000] [--repeat 15]
        [--json var/bench/scale.json]

Seeds both databases if needed (bench_pages.py --seed-only), starts one gunicorn on each
(production settings, 2 workers), signs in on both, then for each page alternates requests
small, big, small, big… Prints p50 at each scale, their ratio (budget ≤ 1.5×) and the p95 at the
big scale (budget ≤ 150 ms). On a loaded machine the ratio is what to read: the load inflates
both columns alike.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_pages as bp

RATIO_BUDGET = 1.5


def ids_of(database: str, projects: int) -> dict:
    script = str(bp.ROOT / "scripts" / "bench_pages.py")
    out = subprocess.run(
        [sys.executable, script, "--database", database, "--projects", str(projects), "--seed-only"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("ids: "))[5:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--big", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()

    scales = {}
    for n, port in ((args.small, args.port), (args.big, args.port + 1)):
        database = f"{bp.DEFAULT_DB}_{n // 1000}k"
        bp.ensure_database(database)
        scales[n] = {"database": database, "ids": ids_of(database, n), "port": port}
    env = bp.production_env(scales[args.small]["database"])
    if not (bp.ROOT / "staticfiles" / "staticfiles.json").exists():
        bp.collectstatic(env)
    servers = []
    try:
        for scale in scales.values():
            servers.append(bp.start_gunicorn(bp.production_env(scale["database"]), scale["port"], 2))
            base = f"http://127.0.0.1:{scale['port']}"
            scale["sessions"] = {None: bp.Session(base)}
            for who in ("committee", "district", "unit", "applicant", "expert", "bigunit"):
                scale["sessions"][who] = bp.Session(base)
                scale["sessions"][who].login(who, "Wuxiao@2024")
            scale["pages"] = bp.pages(scale["ids"])
        load = [os.getloadavg()[0]]
        small, big = scales[args.small], scales[args.big]
        rows = []
        for (label, who, small_path), (_label, _who, big_path) in zip(small["pages"], big["pages"], strict=True):
            times = {args.small: [], args.big: []}
            for scale, path in ((small, small_path), (big, big_path)):
                scale["sessions"][who].request(path)  # warm-up
            for _ in range(args.repeat):
                for n, scale, path in ((args.small, small, small_path), (args.big, big, big_path)):
                    started = time.perf_counter()
                    status, _body, _ = scale["sessions"][who].request(path)
                    times[n].append((time.perf_counter() - started) * 1000 if status == 200 else float("inf"))
            p50s, p50b = statistics.median(times[args.small]), statistics.median(times[args.big])
            p95 = bp.percentile(times[args.big], 0.95)
            ratio = p50b / p50s if p50s else 0
            flags = [f for f, over in (("p95 over", p95 > bp.BUDGET_MS), ("grows", ratio > RATIO_BUDGET)) if over]
            rows.append({"page": label, "p50_small": p50s, "p50_big": p50b, "ratio": ratio, "p95_big": p95})
            rows[-1]["flag"] = ", ".join(flags)
            print(f"{label:36} {p50s:7.1f} {p50b:7.1f} {ratio:5.1f}x {p95:7.1f}  {rows[-1]['flag']}", flush=True)
        load.append(os.getloadavg()[0])
    finally:
        for server in servers:
            bp.stop(server)
    print(f"\n{args.repeat} requests per page and scale, in turn; load average {load[0]:.1f} → {load[1]:.1f}\n")
    print(f"| page | p50 {args.small // 1000}k | p50 {args.big // 1000}k | ratio | p95 {args.big // 1000}k | |")
    print("|---|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['page']} | {r['p50_small']:.0f} | {r['p50_big']:.0f} | {r['ratio']:.1f}× | {r['p95_big']:.0f} | {r['flag']} |"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"kind": "scale", "load": load, "pages": rows}, ensure_ascii=False, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
