#!/usr/bin/env python
"""Profile the applicant's submission flow in one process: where the time and queries go.

    .venv/bin/python scripts/profile_flow.py [--database postgresql://…/wuxiao_profile]
        [--flows 40] [--top 40] [--sort cumulative|tottime] [--out flow.prof]
    .venv/bin/python scripts/profile_flow.py --instructions   # instructions a flow, counted by valgrind

The same five requests as the rush benchmark's `submit` mix (open 新建项目, create the draft,
open the 申报表, submit it filled in, see 已提交) through Django's test client with the
production settings (DEBUG off, cached templates, secure cookies behind X-Forwarded-Proto).
Prints per step the queries and the median time, then the cProfile table over all flows
(the first flow is a warm-up and not counted). The database (created and seeded with a small
demo city when missing) is separate from the benchmarks' so their figures stay comparable.
Use it before changing anything on the flow's path, and again after, in the same run.
"""

import argparse
import cProfile
import os
import pstats
import re
import secrets
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/wuxiao_profile"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DB)
    parser.add_argument("--flows", type=int, default=40)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--out", help="write the raw profile (for snakeviz / pstats)")
    parser.add_argument("--step", help="profile only this step (e.g. 'open 申报表'; `none`: time without the profiler)")
    parser.add_argument("--sql", action="store_true", help="print every query of one flow, step by step")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count the CPU instructions a flow costs this process (valgrind; steady on a noisy machine)",
    )
    args = parser.parse_args()
    if args.instructions:
        return count_instructions(args.database)

    os.environ.update(
        DJANGO_SETTINGS_MODULE="wuxiao.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=args.database,
    )
    from rush_form import application_form

    if args.database.startswith("postgres"):
        import bench_pages

        bench_pages.ensure_database(args.database)
    import django

    django.setup()
    from datetime import date

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wuxiao.demo import build
    from wuxiao.people.models import UNIT_KINDS, Membership, Organisation, Role, User

    call_command("migrate", verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    if not Path(staticfiles_storage.manifest_storage.path(staticfiles_storage.manifest_name)).exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    if not build.demo_exists():
        build.build_demo(scale=0.2)
    user, created = User.objects.get_or_create(
        username="profile001",
        defaults=dict(
            password=make_password("Wuxiao@2024"),
            real_name="韦冲一",
            gender="F",
            birth_date=date(1996, 8, 15),
            education="bachelor",
            mobile="13900009999",
        ),
    )
    if created:
        unit = Organisation.objects.filter(kind__in=UNIT_KINDS).exclude(name=build.DEMO_UNIT).order_by("pk").first()
        Membership.objects.create(user=user, organisation=unit, role=Role.APPLICANT)

    client = Client(HTTP_X_FORWARDED_PROTO="https", enforce_csrf_checks=False)
    assert client.post("/accounts/login/", {"username": user.username, "password": "Wuxiao@2024"}).status_code == 302

    unit_re = re.compile(r'name="unit"[^>]*>\s*<option value="(\d+)"')
    version_re = re.compile(r'name="version"[^>]*?value="(\d+)"')
    times: dict[str, list[float]] = defaultdict(list)
    cpu_times: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, int] = {}

    def step(name, call, expect):
        nonlocal profiling
        only = profiling and args.step and name != args.step
        if only:
            profiler.disable()
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = call()
            times[name].append((time.perf_counter() - started) * 1000)
            cpu_times[name].append((time.process_time() - cpu_started) * 1000)
        if only:
            profiler.enable()
        assert response.status_code == expect, (name, response.status_code)
        queries[name] = len(captured)
        if args.sql and not profiling:
            print(f"\n== {name}: {len(captured)} queries")
            for q in captured.captured_queries:
                print("  ", q["sql"][:160])
        return response

    def flow(i):
        page = step("new project", lambda: client.get("/me/projects/new/"), 200)
        unit = unit_re.search(page.content.decode()).group(1)
        name = f"剖析项目{i:04d}{secrets.token_hex(3)}"
        created = step(
            "create draft",
            lambda: client.post("/me/projects/new/", {"name": name, "unit": unit, "entry_route": "registration"}),
            302,
        )
        pk = int(re.search(r"/me/projects/(\d+)/edit/$", created["Location"]).group(1))
        page = step("open 申报表", lambda: client.get(f"/me/projects/{pk}/edit/"), 200)
        version = version_re.search(page.content.decode()).group(1)
        step(
            "submit",
            lambda: client.post(
                f"/me/projects/{pk}/edit/",
                {**application_form(name, user.real_name), "version": version, "action": "submit"},
            ),
            302,
        )
        shown = step("see 已提交", lambda: client.get(f"/me/projects/{pk}/"), 200)
        assert "已提交" in shown.content.decode()

    profiling = False
    profiler = cProfile.Profile()
    flow(0)  # warm-up: templates compiled, caches filled
    profiling = True
    times.clear()
    cpu_times.clear()
    started = time.perf_counter()
    cpu = time.process_time()
    profiler.enable()
    for i in range(1, args.flows + 1):
        flow(i)
    profiler.disable()
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    print(
        f"{args.flows} flows in {wall:.2f} s, this process's CPU {cpu:.2f} s "
        f"({wall / args.flows * 1000:.0f} ms wall, {cpu / args.flows * 1000:.0f} ms CPU a flow"
        f"{', profiled' if args.step != 'none' else ''})"
    )
    print("| step | queries | median ms | median CPU ms |\n|---|---:|---:|---:|")
    for name, values in times.items():
        print(
            f"| {name} | {queries[name]} | {statistics.median(values):.1f} | {statistics.median(cpu_times[name]):.1f} |"
        )
    total = sum(statistics.median(v) for v in times.values())
    total_cpu = sum(statistics.median(v) for v in cpu_times.values())
    print(f"| flow | {sum(queries.values())} | {total:.1f} | {total_cpu:.1f} |")
    stats = pstats.Stats(profiler).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.out:
        profiler.dump_stats(args.out)
    return 0


def count_instructions(database: str, few: int = 2, many: int = 12) -> int:
    """Instructions a flow costs this process, counted by valgrind (callgrind): the flow run
    `few` and `many` times in two processes, the difference divided by `many - few`, so the
    start-up (Django, the warm-up flow) drops out. A shared machine's neighbours change the
    time a flow takes by ±25 % from one run to the next but not the instructions it executes
    (±0.5 %): compare two versions of the code this way, then confirm with the rush. It takes
    about five minutes (valgrind runs Python ~30 times slower); PostgreSQL's own work is not
    in the count."""
    import shutil
    import subprocess

    if not shutil.which("valgrind"):
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 1
    # seed the database and collect the static files at full speed first, not under valgrind
    native = [sys.executable, __file__, "--database", database, "--step", "none", "--flows", "1"]
    subprocess.run(native, capture_output=True, check=True)
    counts = {}
    for flows in (few, many):
        command = [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--database",
            database,
            "--step",
            "none",
            "--flows",
            str(flows),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        counts[flows] = int(re.search(r"Collected : (\d+)", done.stderr).group(1))
    per_flow = (counts[many] - counts[few]) / (many - few)
    print(f"{per_flow / 1e6:.1f} M instructions a flow ({few} and {many} flows: {counts[few]:,} and {counts[many]:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
