#!/usr/bin/env python
"""Benchmark the key pages against a big PostgreSQL database.

    .venv/bin/python scripts/bench_pages.py [--projects 200000] [--repeat 30] [--strict]
        [--database postgresql://postgres@127.0.0.1:5432/wuxiao_bench]

1. Seeds the bench database (created if missing, migrated): the demo city
   (`wuxiao.demo.build.build_demo`: campaign, districts, ~40 units, the demo accounts),
   BENCH_UNITS more units under the districts, and N projects bulk-inserted over the units
   and every state, two team members each. Shares like a real city's: the demo unit holds
   one project in a thousand (200 at 200,000: a big enterprise's year), the other units
   about 0.27 % each; one "big unit" (柳州市压测大型企业团委, admin `bigunit`) holds a tenth,
   the worst case, so a page that grows with one unit's rows still shows it.
   Seeding is skipped when the count is there.
2. Starts gunicorn on a free loopback port with production settings (2 workers).
3. Signs in through the login form as the committee admin, a district admin, the demo unit's
   admin, the big unit's admin and the applicant, and requests each page `--repeat` times,
   one after the other.
4. Prints p50 / p95 / max in ms per page and each worker's peak RSS (VmHWM).

The budget: every page p95 ≤ 150 ms, a worker ≤ 250 MB. `--strict` exits 1 when over.
"""

import argparse
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/wuxiao_bench"
BENCH_UNITS = 300  # with the demo city's ~40: a city's worth of participating units
BIG_UNIT = "柳州市压测大型企业团委"
BUDGET_MS = 150
BUDGET_RSS_MB = 250
LOREM = (
    "原有工艺依靠人工上下料，节拍慢且存在安全隐患。攻关小组设计气动送料机构与限位装置，"
    "经三轮试制和现场验证，实现棒料自动送进，单班产量提高约百分之二十，年节约成本可观。"
)


def ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(url: str, total: int) -> dict:
    """Build the city and the projects (idempotent); return the ids the pages need."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "wuxiao.settings"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("DJANGO_ENV", None)
    import django

    django.setup()
    from datetime import date, datetime, timedelta
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.db import models, transaction

    from wuxiao.campaigns.models import Campaign
    from wuxiao.demo import build
    from wuxiao.people.models import Membership, Organisation, Role, User
    from wuxiao.projects.models import Project, TeamMember
    from wuxiao.projects.states import ProjectState

    call_command("migrate", verbosity=0)
    if not build.demo_exists():
        started = time.perf_counter()
        build.build_demo()
        print(f"demo city built in {time.perf_counter() - started:.1f} s", flush=True)
    campaign = Campaign.objects.get(is_current=True)
    accounts = {k: User.objects.get(username=a.username) for k, a in build.DEMO_ACCOUNTS.items()}
    demo_unit = Organisation.objects.get(name=build.DEMO_UNIT)
    district = Organisation.objects.get(name=build.DEMO_DISTRICT)
    from wuxiao.people.models import UNIT_KINDS

    big_unit = ensure_bench_units(district)
    units = list(
        Organisation.objects.filter(kind__in=UNIT_KINDS).exclude(pk__in=[demo_unit.pk, big_unit.pk]).order_by("pk")
    )
    have = Project.objects.filter(campaign=campaign).count()
    if have < total:
        started = time.perf_counter()
        rng = random.Random(2024)
        leaders_by_unit: dict[int, list[int]] = {}
        for unit_id, user_id in Membership.objects.filter(role=Role.APPLICANT).values_list("organisation", "user"):
            leaders_by_unit.setdefault(unit_id, []).append(user_id)
        # The bench units have no applicants of their own: their leaders are the city's others.
        fallback = sorted({u for unit_id, users in leaders_by_unit.items() if unit_id != demo_unit.pk for u in users})
        states = [s.value for s in ProjectState]
        weights = [3 if s in ("draft", "submitted", "accepted", "forwarded") else 1 for s in states]
        categories = ["机械", "化工", "电子", "通信", "建设", "医药", "仪器"]
        forms = ["小发明", "小创造", "小革新", "小设计", "小建议"]
        surnames = "韦覃蓝梁黄莫潘陆罗廖"
        # Forwarded projects never exceed a unit's quota (forward_projects refuses beyond it), so
        # the seed caps them the same way: the rest of the unit's forwarding candidates stay
        # unit_approved, as they would after a quota refusal.
        from wuxiao.campaigns.models import Participation
        from wuxiao.campaigns.rules import quota as rules_quota

        quotas = {
            p.organisation_id: p.quota
            for p in Participation.objects.filter(campaign=campaign).select_related("campaign")
        }
        minimum = rules_quota(0, campaign.quota_settings)
        forwarded: dict[int, int] = dict(
            Project.objects.filter(campaign=campaign, state="forwarded")
            .values("unit")
            .annotate(n=models.Count("pk"))
            .values_list("unit", "n")
        )
        tz = ZoneInfo("Asia/Shanghai")
        base_at = datetime(2025, 2, 20, 9, 0, tzinfo=tz)
        batch = 5000
        done = have
        while done < total:
            n = min(batch, total - done)
            rows = []
            for i in range(done, done + n):
                unit = demo_unit if i % 1000 == 0 else big_unit if i % 10 == 1 else units[i % len(units)]
                leader_id = (
                    accounts["applicant"].pk
                    if unit == demo_unit and i < 12000
                    else rng.choice(leaders_by_unit.get(unit.pk, fallback))
                )
                state = rng.choices(states, weights)[0]
                if state == "forwarded":
                    if forwarded.get(unit.pk, 0) >= quotas.get(unit.pk, minimum):
                        state = "unit_approved"
                    else:
                        forwarded[unit.pk] = forwarded.get(unit.pk, 0) + 1
                at = base_at + timedelta(minutes=i)
                submitted = state != "draft"
                name = rng.choice(surnames) + "小明"
                rows.append(
                    Project(
                        campaign=campaign,
                        unit=unit,
                        leader_id=leader_id,
                        created_by_id=leader_id,
                        state=state,
                        name=f"{rng.choice(categories)}设备{rng.choice(forms)}改进（第{i + 1}号）",
                        economic_benefit=Decimal(rng.randrange(0, 50000)) / 100,
                        category=rng.choice(categories),
                        achievement_form=rng.choice(forms),
                        leader_name=name,
                        leader_gender=rng.choice("MF"),
                        leader_birth_date=date(1990 + rng.randrange(0, 12), rng.randrange(1, 13), 15),
                        leader_education="bachelor",
                        leader_phone=f"139772{rng.randrange(10000, 99999)}",
                        start_date=date(2024, 6, 1),
                        end_date=date(2024, 12, 31),
                        patent_eligible=rng.random() < 0.5,
                        patent_filed=False,
                        patent_willing=True,
                        reason=LOREM,
                        content=LOREM * 2,
                        measures=LOREM,
                        benefits=LOREM,
                        commitment_name=name if submitted else "",
                        commitment_at=at if submitted else None,
                        submitted_at=at if submitted else None,
                        level=rng.choice(["key", "general"])
                        if state in ("accepted", "forwarded", "unit_approved")
                        else "",
                        self_grade=rng.choice("ABC") if state in ("forwarded", "unit_approved") else "",
                        forwarded_at=at if state == "forwarded" else None,
                    )
                )
            with transaction.atomic():
                created = Project.objects.bulk_create(rows)
                TeamMember.objects.bulk_create(
                    TeamMember(
                        project_id=p.pk,
                        name=f"{rng.choice(surnames)}成员{k}",
                        gender=rng.choice("MF"),
                        birth_date=date(1995, 1, 1),
                        education="college",
                        order=k,
                    )
                    for p in created
                    for k in range(2)
                )
            done += n
            print(f"  {done} projects", end="\r", flush=True)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
        print(f"\n{total - have} projects seeded in {time.perf_counter() - started:.1f} s", flush=True)
    sample = Project.objects.filter(unit=demo_unit, campaign=campaign, state="submitted").order_by("-pk").first()
    mine = Project.objects.filter(leader=accounts["applicant"], campaign=campaign).order_by("pk").first()
    published = Campaign.objects.filter(award_sheet__status="published").order_by("-year", "-pk").first()
    return {
        "published": published.pk if published else None,
        "unit": demo_unit.pk,
        "big_unit": big_unit.pk,
        "district": district.pk,
        "committee": Organisation.objects.filter(kind="committee").order_by("pk").first().pk,
        "project": sample.pk,
        "my_project": mine.pk if mine else sample.pk,
        "projects": Project.objects.count(),
    }


def ensure_bench_units(district):
    """BENCH_UNITS plain units spread over the districts, and the big unit under the demo
    district with its admin `bigunit` (the demo password). Idempotent; returns the big unit."""
    from datetime import date

    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    from wuxiao.people.models import Membership, Organisation, OrgKind, Role, User
    from wuxiao.people.services import create_organisation

    big = Organisation.objects.filter(name=BIG_UNIT).first()
    if big is not None:
        return big
    districts = list(Organisation.objects.filter(kind=OrgKind.DISTRICT).order_by("pk"))
    for k in range(BENCH_UNITS):
        create_organisation(
            by=None,
            name=f"柳州市压测单位{k + 1:03d}团委",
            kind=OrgKind.ENTERPRISE,
            parent=districts[k % len(districts)],
        )
    big = create_organisation(by=None, name=BIG_UNIT, kind=OrgKind.ENTERPRISE, parent=district)
    admin = User.objects.create(
        username="bigunit",
        password=make_password(settings.WUXIAO_DEMO_PASSWORD),
        real_name="覃大为",
        gender="M",
        birth_date=date(1990, 5, 1),
        education="bachelor",
        mobile="13977299901",
    )
    Membership.objects.create(user=admin, organisation=big, role=Role.ADMIN)
    return big


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """A tiny cookie-keeping client (the production cookies are Secure, which http.cookiejar
    would refuse to send over plain HTTP on the loopback)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        path = urllib.parse.quote(path, safe="/?&=")
        req = urllib.request.Request(self.base + path, data=body)
        req.add_header("X-Forwarded-Proto", "https")
        req.add_header("Referer", self.base.replace("http://", "https://") + path)
        if self.cookies:
            req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            resp = self.opener.open(req, timeout=60)
        except urllib.error.HTTPError as e:
            resp = e
        for header in resp.headers.get_all("Set-Cookie") or []:
            c = SimpleCookie()
            c.load(header)
            for k, m in c.items():
                self.cookies[k] = m.value
        return resp.status, resp.read().decode("utf-8", "replace"), resp.headers.get("Location", "")

    def login(self, username: str, password: str) -> None:
        _status, html, _ = self.request("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, _html, _location = self.request(
            "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        if status != 302:
            raise SystemExit(f"sign-in as {username} failed: HTTP {status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def pages(ids: dict) -> list[tuple[str, str | None, str]]:
    """(label, who, path); who None = anonymous."""
    u, d, p, b = ids["unit"], ids["district"], ids["project"], ids["big_unit"]
    return [
        ("public home", None, "/"),
        ("healthz", None, "/healthz"),
        ("portal dashboard", "applicant", "/me/"),
        ("my projects", "applicant", "/me/projects/"),
        ("my project detail", "applicant", f"/me/projects/{ids['my_project']}/"),
        ("console home (committee)", "committee", "/console/"),
        ("organisations (committee)", "committee", "/console/organisations/"),
        ("members (committee)", "committee", "/console/members/"),
        ("invitations (committee)", "committee", "/console/invitations/"),
        ("audit log (committee)", "committee", "/console/audit/"),
        ("projects (committee)", "committee", "/console/projects/"),
        ("projects ?state=submitted", "committee", "/console/projects/?state=submitted"),
        ("projects page 500", "committee", "/console/projects/?page=500"),
        ("projects (district)", "district", "/console/projects/"),
        ("projects (unit)", "unit", "/console/projects/"),
        ("project detail (unit)", "unit", f"/console/projects/{p}/"),
        ("console home (unit)", "unit", "/console/"),
        # 立项管理 is the one project list filtered to the unit (the old unit URLs redirect there)
        ("unit applications", "unit", f"/console/projects/?unit={u}"),
        ("unit applications filtered", "unit", f"/console/projects/?unit={u}&state=submitted&category=机械"),
        ("unit applications page 50", "unit", f"/console/projects/?unit={u}&page=50"),
        # The worst case: a unit holding a tenth of all projects (20,000 at 200,000).
        ("projects (big unit)", "bigunit", "/console/projects/"),
        ("console home (big unit)", "bigunit", "/console/"),
        ("big unit applications page 50", "bigunit", f"/console/projects/?unit={b}&page=50"),
        ("big unit forwarding", "bigunit", f"/console/unit/{b}/forwarding/"),
        ("unit progress", "unit", f"/console/unit/{u}/progress/"),
        ("unit forwarding", "unit", f"/console/unit/{u}/forwarding/"),
        ("stats dashboard (committee)", "committee", f"/console/stats/{ids['committee']}/"),
        ("stats screen page 数据大屏 (committee)", "committee", f"/console/stats/{ids['committee']}/screen/"),
        ("stats data screen (committee)", "committee", f"/console/stats/{ids['committee']}/screen.json"),
        ("stats dashboard (district)", "district", f"/console/stats/{d}/"),
        ("stats dashboard (unit)", "unit", f"/console/stats/{u}/"),
        ("committee forwarding", "committee", "/console/committee/forwarding/"),
        ("documents (committee)", "committee", "/console/documents/"),
        ("documents (unit)", "unit", "/console/documents/"),
        # Review, awards, publication, salons (issues 11–13)
        ("reviews (committee)", "committee", "/console/reviews/"),
        ("review experts (committee)", "committee", "/console/reviews/experts/"),
        ("my reviews (expert)", "expert", "/me/reviews/"),
        ("awards results (committee)", "committee", "/console/awards/"),
        ("organisation awards (committee)", "committee", "/console/awards/organisations/"),
        ("talents (committee)", "committee", "/console/awards/talents/"),
        ("patents (committee)", "committee", "/console/awards/patents/"),
        ("publication (committee)", "committee", "/console/awards/publication/"),
        ("salons (committee)", "committee", "/console/salons/"),
        ("public salons", None, "/salons/"),
        # the 2024 campaign's published results (the current campaign publishes nothing yet)
        ("public results", None, "/campaigns/liuzhou-2024/results/"),
        ("public gallery", None, "/campaigns/liuzhou-2024/gallery/"),
        # The JSON API (session auth, as the site's own pages call it)
        ("api campaigns", "applicant", "/api/campaigns"),
        ("api my projects (applicant)", "applicant", "/api/projects"),
        ("api projects (committee)", "committee", "/api/projects"),
        ("api projects filtered (committee)", "committee", "/api/projects?state=submitted&category=机械"),
        ("api projects page 500 (committee)", "committee", "/api/projects?page=500&ordering=-submitted_at"),
        ("api projects (district)", "district", "/api/projects"),
        ("api projects of a unit (unit)", "unit", f"/api/projects?unit={u}&ordering=-submitted_at"),
        ("api projects of the big unit", "bigunit", f"/api/projects?unit={b}&ordering=-submitted_at"),
        ("api project detail (unit)", "unit", f"/api/projects/{p}"),
        ("api organisations (committee)", "committee", "/api/organisations"),
        ("api review assignments (expert)", "expert", "/api/reviews/assignments?rounds=all"),
    ] + (
        [
            ("api published results (anonymous)", None, f"/api/results/{ids['published']}"),
            ("api award sheet (committee)", "committee", f"/api/campaigns/{ids['published']}/award-sheet"),
        ]
        if ids.get("published")
        else []
    )


def vmhwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def production_env(database: str, **extra: str) -> dict:
    """The environment of a production gunicorn on the loopback (no TLS redirect: the bench
    says X-Forwarded-Proto: https, as nginx would)."""
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="wuxiao.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database,
        **extra,
    )


def collectstatic(env: dict) -> None:
    """The production static files (hashed, compressed), collected again only when what they
    are made from is newer than the last collection's manifest: the app's static folders, the
    npm and pip pins, the settings and the vendor finder. Each benchmark run starts gunicorns,
    and collecting takes a minute of CPU that would otherwise precede every one."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if manifest.exists():
        sources = [p for p in (ROOT / "wuxiao").glob("**/static/**/*") if p.is_file()]
        sources += [ROOT / name for name in ("package-lock.json", "requirements.txt", "wuxiao/settings.py")]
        sources.append(ROOT / "wuxiao" / "lib" / "staticfinders.py")
        built = manifest.stat().st_mtime
        if all(p.stat().st_mtime < built for p in sources if p.exists()):
            return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def start_gunicorn(env: dict, port: int, workers: int, *extra: str) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port (settings: gunicorn.conf.py, the app preloaded and warmed),
    waited for until /healthz answers."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wuxiao.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--timeout",
            "120",
            *extra,
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn on port {port} exited with {process.returncode}") from None
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn on port {port} did not answer /healthz")


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def processes(name: str) -> dict[int, float]:
    """The CPU seconds of every process called `name` (e.g. postgres), by pid."""
    out = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout
    return {int(pid): cpu_seconds(int(pid)) for pid in out.split()}


def workers(process: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def worker_rss(process: subprocess.Popen) -> list[float]:
    """Peak RSS (VmHWM, MB) of each worker of a running gunicorn."""
    out = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout
    return [round(vmhwm_mb(int(pid)), 1) for pid in out.split()]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def percentile(times: list[float], p: float) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, round(p * (len(times) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help=f"default: {DEFAULT_DB}_<N>k, one database per scale")
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--seed-only", action="store_true", help="seed the database and stop")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a page or a worker is over budget")
    args = parser.parse_args()

    args.database = args.database or f"{DEFAULT_DB}_{args.projects // 1000}k"
    ensure_database(args.database)
    ids = seed(args.database, args.projects)
    if args.seed_only:
        print("ids: " + json.dumps(ids), flush=True)  # read by scripts/bench_scale.py
        return 0
    print(f"database: {ids['projects']} projects", flush=True)

    env = production_env(args.database)
    collectstatic(env)  # only when a static source changed since the last collection
    gunicorn = start_gunicorn(env, args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    load_before = os.getloadavg()[0]
    try:
        password = "Wuxiao@2024"
        sessions = {None: Session(base)}
        for who, username in (
            ("committee", "committee"),
            ("district", "district"),
            ("unit", "unit"),
            ("applicant", "applicant"),
            ("expert", "expert"),
            ("bigunit", "bigunit"),
        ):
            sessions[who] = Session(base)
            sessions[who].login(username, password)
        rows, over = [], False
        for label, who, path in pages(ids):
            session = sessions[who]
            session.request(path)  # warm-up (per-worker caches, first query plans)
            times, statuses = [], set()
            for _ in range(args.repeat):
                started = time.perf_counter()
                status, _body, _ = session.request(path)
                times.append((time.perf_counter() - started) * 1000)
                statuses.add(status)
            p95 = percentile(times, 0.95)
            flag = "OVER" if p95 > BUDGET_MS or statuses != {200} else ""
            over = over or bool(flag)
            row = {
                "page": label,
                "path": path,
                "p50": round(statistics.median(times), 1),
                "p95": round(p95, 1),
                "max": round(max(times), 1),
                "status": ",".join(map(str, sorted(statuses))),
                "flag": flag,
            }
            rows.append(row)
            print(f"{label:32} {row['p50']:8.1f} {p95:8.1f} {row['max']:8.1f}  {row['status']} {flag}", flush=True)
        rss = worker_rss(gunicorn)
    finally:
        stop(gunicorn)
    load_after = os.getloadavg()[0]

    print(f"\n{ids['projects']} projects, {args.repeat} requests per page, {args.workers} gunicorn workers")
    print(f"load average {load_before:.1f} before, {load_after:.1f} after\n")
    print("| page | p50 ms | p95 ms | max ms | status | |")
    print("|---|---:|---:|---:|---|---|")
    for r in rows:
        print(f"| {r['page']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['max']:.0f} | {r['status']} | {r['flag']} |")
    print()
    for mb in rss:
        flag = " OVER" if mb > BUDGET_RSS_MB else ""
        over = over or bool(flag)
        print(f"gunicorn worker: peak RSS {mb:.0f} MB{flag}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "kind": "pages",
                    "projects": ids["projects"],
                    "repeat": args.repeat,
                    "workers": args.workers,
                    "load": [round(load_before, 2), round(load_after, 2)],
                    "pages": rows,
                    "worker_rss_mb": rss,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    return 1 if over and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
