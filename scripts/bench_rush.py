#!/usr/bin/env python
"""The deadline rush: applicants creating, autosaving, uploading and submitting at once.

    .venv/bin/python scripts/bench_rush.py [--database postgresql://…|sqlite] [--projects 20000]
        [--users 8] [--duration 30] [--mix rush|submit] [--instances 1] [--workers 5]
        [--redis redis://127.0.0.1:6379/8] [--json out.json]

1. Prepares the database: PostgreSQL is the page benchmark's (seeded by scripts/bench_pages.py
   at --projects); `sqlite` is a fresh file with a small demo city. Creates the rush accounts
   (applicants spread over the demo units) if missing.
2. Starts `--instances` gunicorns with production settings on loopback ports 8112, 8113, …
   (with --redis: sessions and cache in that Redis database, flushed first).
3. Runs locust headless for --duration seconds with --users simulated applicants
   (scripts/rush_locustfile.py); every request goes to a randomly chosen instance.
4. Prints flows/s, requests/s, p50/p95 per step and errors, each worker's peak RSS, and checks
   the database: every draft the clients created exists once, every project whose submit
   answered "submitted" is submitted with exactly one frozen version and one submit event,
   every accepted upload is stored once. Exit 1 when a check fails.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_pages

ROOT = bench_pages.ROOT
ACCOUNT_PREFIX = "rush"
PASSWORD = "Wuxiao@2024"
FIRST_PORT = 8112
TARGET_FLOWS = 25
TARGET_P95_MS = 500


def prepare(database: str, projects: int, accounts: int) -> list[str]:
    """Seed (PostgreSQL: the page benchmark's database; SQLite: a small demo city) and
    create the rush accounts. Returns their usernames."""
    if database.startswith("postgres"):
        bench_pages.ensure_database(database)
        bench_pages.seed(database, projects)
    else:
        os.environ["DJANGO_SETTINGS_MODULE"] = "wuxiao.settings"
        os.environ["DATABASE_URL"] = database
        os.environ.pop("DJANGO_ENV", None)
        import django

        django.setup()
        from django.core.management import call_command

        from wuxiao.demo import build

        call_command("migrate", verbosity=0)
        if not build.demo_exists():
            build.build_demo(scale=0.2)
    from datetime import date

    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from wuxiao.demo import build
    from wuxiao.people.models import UNIT_KINDS, Membership, Organisation, Role, User

    units = list(Organisation.objects.filter(kind__in=UNIT_KINDS).exclude(name=build.DEMO_UNIT).order_by("pk"))
    hashed = make_password(PASSWORD)  # one hash for all: creating the accounts stays quick
    names = [f"{ACCOUNT_PREFIX}{i:03d}" for i in range(1, accounts + 1)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    surnames = "韦覃蓝梁黄莫潘陆罗廖"
    with transaction.atomic():
        for i, username in enumerate(names):
            if username in have:
                continue
            user = User.objects.create(
                username=username,
                password=hashed,
                real_name=f"{surnames[i % len(surnames)]}冲{'一二三四五六七八九十'[i % 10]}",
                gender="F",
                birth_date=date(1996, 8, 15),
                education="bachelor",
                mobile=f"1390000{i:04d}",
            )
            Membership.objects.create(user=user, organisation=units[i % len(units)], role=Role.APPLICANT)
    return names


def check(database: str, log: dict, accounts: list[str], since) -> list[str]:
    """What the clients saw against what the database holds."""
    from collections import Counter

    from wuxiao.projects.models import Attachment, Project, ProjectEvent, ProjectVersion
    from wuxiao.projects.states import ProjectState

    problems = []
    created = log["created"]
    duplicates = [pk for pk, n in Counter(created).items() if n > 1]
    if duplicates:
        problems.append(f"{len(duplicates)} project ids answered to two creates")
    stored = set(
        Project.objects.filter(leader__username__in=accounts, created_at__gte=since).values_list("pk", flat=True)
    )
    if stored != set(created):
        problems.append(
            f"created: the clients saw {len(set(created))}, the database holds {len(stored)} "
            f"({len(set(created) - stored)} lost, {len(stored - set(created))} not seen by a client)"
        )
    submitted = set(log["submitted"])
    states = dict(Project.objects.filter(pk__in=submitted).values_list("pk", "state"))
    not_submitted = [pk for pk in submitted if states.get(pk) != ProjectState.SUBMITTED]
    if not_submitted:
        problems.append(f"{len(not_submitted)} projects answered 已提交 but are not submitted")
    versions = Counter(ProjectVersion.objects.filter(project__in=stored).values_list("project", flat=True))
    events = Counter(
        ProjectEvent.objects.filter(project__in=stored, to_state=ProjectState.SUBMITTED).values_list(
            "project", flat=True
        )
    )
    if any(versions[pk] != 1 or events[pk] != 1 for pk in submitted):
        problems.append("a submitted project has not exactly one version and one submit event")
    extra = [pk for pk in stored - submitted if versions[pk] or events[pk]]
    if extra:
        problems.append(f"{len(extra)} projects submitted although their client saw no submit")
    files = Counter(Attachment.objects.filter(project__in=stored).values_list("project", flat=True))
    uploads = {int(pk): n for pk, n in log["attachments"].items()}
    if files != Counter(uploads):
        problems.append(f"attachments: the clients uploaded {sum(uploads.values())}, stored {sum(files.values())}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default="postgres", help="a PostgreSQL URL, `postgres` (the page bench's) or `sqlite`"
    )
    parser.add_argument("--projects", type=int, default=20_000, help="scale of the PostgreSQL database")
    parser.add_argument("--users", type=int, default=8, help="concurrent simulated applicants")
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    parser.add_argument("--mix", choices=["rush", "submit"], default="rush")
    parser.add_argument("--instances", type=int, default=1, help="gunicorn instances (ports 8112, 8113, …)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers per instance")
    parser.add_argument("--redis", help="e.g. redis://127.0.0.1:6379/8: sessions and cache in Redis (flushed first)")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wuxiao-rush-"))
    if args.database == "postgres":
        args.database = f"{bench_pages.DEFAULT_DB}_{args.projects // 1000}k"
    elif args.database == "sqlite":
        args.database = f"sqlite:///{ROOT / 'var' / 'bench-rush.sqlite3'}"
        (ROOT / "var").mkdir(exist_ok=True)
    engine = "PostgreSQL" if args.database.startswith("postgres") else "SQLite"
    accounts = prepare(args.database, args.projects, max(64, args.users))[: args.users]

    from django.utils import timezone

    extra = {"WUXIAO_MEDIA_ROOT": str(workdir / "media"), "BENCH_SECRET_KEY": bench_pages.secrets.token_urlsafe(50)}
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        extra["REDIS_URL"] = args.redis
    env = bench_pages.production_env(args.database, **extra)
    bench_pages.collectstatic(env)
    ports = [FIRST_PORT + i for i in range(args.instances)]
    servers = []
    since = timezone.now()
    log_path = workdir / "clients.json"
    load_before = os.getloadavg()[0]
    try:
        for port in ports:
            servers.append(bench_pages.start_gunicorn(env, port, args.workers))
        # CPU used during the run, by side: the app's workers, PostgreSQL's processes, the client.
        # Less noisy than flows/s on a shared machine: compare before and after by these too.
        app_before = {pid: bench_pages.cpu_seconds(pid) for s in servers for pid in bench_pages.workers(s)}
        db_before = bench_pages.processes("postgres")
        client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust_env = dict(
            os.environ,
            WUXIAO_RUSH_HOSTS=",".join(f"http://127.0.0.1:{p}" for p in ports),
            WUXIAO_RUSH_ACCOUNTS=",".join(accounts),
            WUXIAO_RUSH_PASSWORD=PASSWORD,
            WUXIAO_RUSH_MIX=args.mix,
            WUXIAO_RUSH_LOG=str(log_path),
        )
        subprocess.run(
            [
                *[sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "rush_locustfile.py"), "--headless"],
                *["-u", str(args.users), "-r", str(args.users), "-t", f"{args.duration}s", "--stop-timeout", "10"],
                *["--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            ],
            cwd=ROOT,
            env=locust_env,
            check=True,
            stdout=(workdir / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        rss = [mb for server in servers for mb in bench_pages.worker_rss(server)]
        client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        app_cpu = sum(
            bench_pages.cpu_seconds(pid) - app_before.get(pid, 0.0) for s in servers for pid in bench_pages.workers(s)
        )
        db_cpu = sum(cpu - db_before.get(pid, 0.0) for pid, cpu in bench_pages.processes("postgres").items())
        client_cpu = sum(getattr(client_after, f) - getattr(client_before, f) for f in ("ru_utime", "ru_stime"))
    finally:
        for server in servers:
            bench_pages.stop(server)
    load_after = os.getloadavg()[0]

    log = json.loads(log_path.read_text())
    problems = check(args.database, log, accounts, since)
    steps = [r for r in log["steps"] if r["type"] != "FLOW"]
    flows = next((r for r in log["steps"] if r["type"] == "FLOW"), {"per_s": 0.0, "p95": 0, "p50": 0, "count": 0})
    requests = {k: sum(r[k] for r in steps) for k in ("count", "failures")}
    seconds = log["span_s"]
    result = {
        "kind": "rush",
        "engine": engine,
        "mix": args.mix,
        "users": args.users,
        "duration_s": args.duration,
        "span_s": seconds,
        "instances": args.instances,
        "workers": args.workers,
        "redis": bool(args.redis),
        "load": [round(load_before, 2), round(load_after, 2)],
        # the interpreter matters (docs/performance.md, session 8): say which one ran
        "python": f"{sys.executable} {platform.python_version()}",
        "flows": flows["count"],
        "flows_per_s": flows["per_s"],
        "flow_p50_ms": flows["p50"],
        "flow_p95_ms": flows["p95"],
        "requests": requests["count"],
        "requests_per_s": round(requests["count"] / seconds, 1),
        "errors": requests["failures"],
        "steps": steps,
        "error_messages": log["errors"],
        "worker_rss_mb": rss,
        "cpu_ms_per_flow": {
            side: round(seconds_used * 1000 / max(1, flows["count"]), 1)
            for side, seconds_used in (("app", app_cpu), ("database", db_cpu), ("client", client_cpu))
        },
        "problems": problems,
    }
    print(
        f"\nrush ({args.mix}) on {engine}: {args.users} clients, {seconds} s, {args.instances} gunicorn × "
        f"{args.workers} workers{', Redis sessions' if args.redis else ''}; load {load_before:.1f} → {load_after:.1f}; "
        f"Python {result['python']}"
    )
    print(
        f"{result['flows']} flows, {result['flows_per_s']:.1f} flows/s (p50 {result['flow_p50_ms']:.0f} ms, "
        f"p95 {result['flow_p95_ms']:.0f} ms); {result['requests']} requests, {result['requests_per_s']:.1f}/s; "
        f"{result['errors']} errors"
    )
    print("| step | requests | errors | p50 ms | p95 ms |\n|---|---:|---:|---:|---:|")
    for r in result["steps"]:
        print(f"| {r['name']} | {r['count']} | {r['failures']} | {r['p50']:.0f} | {r['p95']:.0f} |")
    print(f"gunicorn workers' peak RSS: {', '.join(f'{mb:.0f}' for mb in rss)} MB")
    cpu = result["cpu_ms_per_flow"]
    print(
        f"CPU per flow (sign-ins included): app {cpu['app']:.0f} ms, database {cpu['database']:.0f} ms, "
        f"client {cpu['client']:.0f} ms"
    )
    for message in log["errors"][:10]:
        print(f"  error: {message}")
    print("nothing lost or duplicated" if not problems else "PROBLEMS:\n  " + "\n  ".join(problems))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
