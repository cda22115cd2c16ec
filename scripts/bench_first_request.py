#!/usr/bin/env python
"""What a fresh gunicorn worker costs its first users: the first page it serves, an
applicant's first 申报表 PDF, then the same PDF again (a warm worker).

    .venv/bin/python scripts/bench_first_request.py [--rounds 3]

Starts gunicorn with one worker and the production settings on the page benchmark's
PostgreSQL database (20,000 projects, seeded if missing), as deployed (gunicorn.conf.py: the
app loaded and warmed in the master, then forked) and, for comparison, without the config
file (`-c` an empty file: the worker imports and compiles everything on its first requests),
alternately. A worker restarts every `max_requests`, so its first requests recur all day.
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench_pages  # noqa: E402
import bench_rush  # noqa: E402

PORT = 8120


def loopback(session: requests.Session) -> None:
    """The site's cookies are Secure (nginx speaks TLS); the bench talks plain HTTP on the
    loopback, so the client sends them anyway (as the rush's locustfile does)."""
    for cookie in session.cookies:
        cookie.secure = False


def first_requests(env: dict, project: int, extra: tuple[str, ...]) -> dict[str, float]:
    server = bench_pages.start_gunicorn(env, PORT, 1, *extra)
    base = f"http://127.0.0.1:{PORT}"
    times = {}
    try:
        session = requests.Session()
        session.headers["X-Forwarded-Proto"] = "https"

        def timed(label, method, path, **kwargs):
            started = time.perf_counter()
            response = session.request(method, base + path, allow_redirects=False, timeout=60, **kwargs)
            times[label] = (time.perf_counter() - started) * 1000
            loopback(session)
            return response

        page = timed("first page (sign-in form)", "GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        signed = session.post(
            base + "/accounts/login/",
            data={"username": f"{bench_rush.ACCOUNT_PREFIX}001", "password": bench_rush.PASSWORD,
                  "csrfmiddlewaretoken": token},
            headers={"Referer": f"https://127.0.0.1:{PORT}/accounts/login/"},
            allow_redirects=False,
            timeout=60,
        )  # fmt: skip
        assert signed.status_code == 302, signed.status_code
        loopback(session)
        timed("first 申报表 page", "GET", f"/me/projects/{project}/")
        for label in ("first 申报表 PDF", "second 申报表 PDF"):
            response = timed(label, "GET", f"/me/projects/{project}/form.pdf")
            assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code
    finally:
        bench_pages.stop(server)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    database = f"{bench_pages.DEFAULT_DB}_20k"
    bench_rush.prepare(database, 20_000, 1)
    from wuxiao.projects.models import Project

    project = Project.objects.filter(leader__username=f"{bench_rush.ACCOUNT_PREFIX}001").order_by("pk").first()
    if project is None:
        raise SystemExit("run a rush first (scripts/bench_rush.py): the rush account leads no project yet")
    env = bench_pages.production_env(database)
    bench_pages.collectstatic(env)
    empty = Path(tempfile.mkdtemp()) / "empty.conf.py"
    empty.write_text("")
    configs = {"gunicorn.conf.py (warmed)": (), "no config (cold worker)": ("-c", str(empty))}
    results: dict[str, dict[str, list[float]]] = {name: {} for name in configs}
    for _ in range(args.rounds):
        for name, extra in configs.items():
            for label, ms in first_requests(env, project.pk, extra).items():
                results[name].setdefault(label, []).append(ms)
    labels = list(next(iter(results.values())))
    print(f"\nfirst requests of a fresh worker, median of {args.rounds} (ms)")
    print("| request | " + " | ".join(configs) + " |\n|---|" + "---:|" * len(configs))
    for label in labels:
        print(f"| {label} | " + " | ".join(f"{statistics.median(results[n][label]):.0f}" for n in configs) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
