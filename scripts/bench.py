#!/usr/bin/env python
"""`make bench`: the page benchmark and the rush benchmark at one scale, one JSON file.

    .venv/bin/python scripts/bench.py [--projects 20000] [--out var/bench/RUN.json] [--quick]
    .venv/bin/python scripts/bench.py compare A.json B.json

Runs, each in its own process (each configures Django for its own database):
  pages            scripts/bench_pages.py at --projects (PostgreSQL)
  rush-postgresql  scripts/bench_rush.py, 8 clients, the deadline mix
  submit-postgresql the five-request submission flow alone, 8 clients (the issue's target)
  rush-sqlite      16 clients on the embedded SQLite
  rush-two-servers two gunicorns (ports 8112, 8113) sharing PostgreSQL and Redis db 8
Prints one table and writes the JSON (default var/bench/<date>-<projects>.json).
`compare` prints two runs side by side (same page or rush row, A → B, ratio).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


def run(args: list[str]) -> dict:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    print("$", " ".join(args), flush=True)
    subprocess.run([PY, *args, "--json", str(out)], cwd=ROOT, check=False)
    try:
        return json.loads(out.read_text() or "{}")
    finally:
        out.unlink(missing_ok=True)


def bench(projects: int, out: Path, quick: bool) -> int:
    duration = "15" if quick else "30"
    rush = ["scripts/bench_rush.py", "--projects", str(projects), "--duration", duration]
    result = {
        "projects": projects,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_at_start": round(os.getloadavg()[0], 2),
        "pages": run(["scripts/bench_pages.py", "--projects", str(projects), "--repeat", "10" if quick else "30"]),
        "rush": {
            "rush-postgresql": run([*rush, "--users", "8"]),
            "submit-postgresql": run([*rush, "--users", "8", "--mix", "submit"]),
            # as deployed (docs/deployment.md): sessions and cache in Redis
            "submit-postgresql-redis": run([*rush, "--users", "8", "--mix", "submit", "--redis", REDIS]),
            "rush-sqlite": run([*rush, "--database", "sqlite", "--users", "16"]),
            "rush-two-servers": run([*rush, "--users", "8", "--instances", "2", "--workers", "3", "--redis", REDIS]),
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print_run(result)
    print(f"\nwritten: {out}")
    return 0


def print_run(r: dict) -> None:
    print(f"\n{r['projects']} projects, started {r['started']}, load {r['load_at_start']}")
    print("| page | p50 ms | p95 ms | status |\n|---|---:|---:|---|")
    for p in r["pages"].get("pages", []):
        print(f"| {p['page']} | {p['p50']:.0f} | {p['p95']:.0f} | {p['status']} {p['flag']} |")
    print(f"gunicorn worker peak RSS (MB): {r['pages'].get('worker_rss_mb')}")
    print(
        "\n| rush | flows/s | flow p50 ms | flow p95 ms | requests/s | errors | lost/duplicated | worker RSS MB "
        "| CPU ms/flow (app/db/client) |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|---|")
    for name, x in r["rush"].items():
        if not x:
            print(f"| {name} | failed to run | | | | | | | |")
            continue
        cpu = x.get("cpu_ms_per_flow")  # runs before session 5 did not record it
        cpu = f"{cpu['app']:.0f} / {cpu['database']:.0f} / {cpu['client']:.0f}" if cpu else "–"
        print(
            f"| {name} | {x['flows_per_s']:.1f} | {x['flow_p50_ms']:.0f} | {x['flow_p95_ms']:.0f} | "
            f"{x['requests_per_s']:.1f} | {x['errors']} | {'none' if not x['problems'] else '; '.join(x['problems'])} | "
            f"{max(x['worker_rss_mb'] or [0]):.0f} | {cpu} |"
        )


def compare(a_path: str, b_path: str) -> int:
    a, b = (json.loads(Path(p).read_text()) for p in (a_path, b_path))
    print(f"A: {a_path} ({a['projects']} projects, load {a['load_at_start']})")
    print(f"B: {b_path} ({b['projects']} projects, load {b['load_at_start']})\n")
    print("| page | A p50 | B p50 | B/A | A p95 | B p95 |\n|---|---:|---:|---:|---:|---:|")
    b_pages = {p["page"]: p for p in b["pages"].get("pages", [])}
    for p in a["pages"].get("pages", []):
        q = b_pages.get(p["page"])
        if q:
            ratio = q["p50"] / p["p50"] if p["p50"] else 0
            print(f"| {p['page']} | {p['p50']:.0f} | {q['p50']:.0f} | {ratio:.2f} | {p['p95']:.0f} | {q['p95']:.0f} |")
    print(
        "\n| rush | A flows/s | B flows/s | A p95 | B p95 | A errors | B errors |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    for name, x in a["rush"].items():
        y = b["rush"].get(name)
        if x and y:
            print(
                f"| {name} | {x['flows_per_s']:.1f} | {y['flows_per_s']:.1f} | {x['flow_p95_ms']:.0f} | "
                f"{y['flow_p95_ms']:.0f} | {x['errors']} | {y['errors']} |"
            )
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "compare":
        if len(sys.argv) != 4:
            raise SystemExit("usage: bench.py compare A.json B.json")
        return compare(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--out", help="JSON file (default var/bench/<date>-<projects>.json)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 15 s rushes")
    args = parser.parse_args()
    out = Path(args.out or ROOT / "var" / "bench" / f"{time.strftime('%Y%m%d-%H%M')}-{args.projects}.json")
    return bench(args.projects, out, args.quick)


if __name__ == "__main__":
    sys.exit(main())
