"""The gunicorn master warms the app before forking its workers (gunicorn.conf.py,
wuxiao/lib/warmup.py). Run in child processes: warming freezes this process's collector."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PROBE = """
import gc, json, sys, django
django.setup()
from django.db import connection
from django.template import engines
from wuxiao.lib.warmup import warm
warm()
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "templates": len(loader.get_template_cache),
    "weasyprint": "weasyprint" in sys.modules,
    "views": "wuxiao.portal.projects" in sys.modules,
    "connected": connection.connection is not None,
    "frozen": gc.get_freeze_count(),
    "threshold": gc.get_threshold(),
}))
"""


def clean_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WUXIAO_")) and k != "REDIS_URL"}
    env.update(DJANGO_SETTINGS_MODULE="wuxiao.settings", WUXIAO_VAR_DIR=str(tmp_path / "var"), **extra)
    return env


def test_warm_compiles_and_imports_everything_without_a_database(tmp_path):
    # Nothing listens on port 1: any query during the warm-up would fail the probe.
    env = clean_env(tmp_path, DATABASE_URL="postgresql://postgres@127.0.0.1:1/nowhere")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    warmed = json.loads(result.stdout.strip().splitlines()[-1])
    templates = len(list((ROOT / "wuxiao").glob("**/templates/**/*.html")))
    assert warmed["templates"] >= templates > 100
    assert warmed["weasyprint"] and warmed["views"]
    assert warmed["connected"] is False
    assert warmed["frozen"] > 100_000
    assert warmed["threshold"] == [50_000, 20, 100]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_forks_workers_from_a_warmed_master(tmp_path):
    port = free_port()
    env = clean_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wuxiao.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,  # gunicorn reads ./gunicorn.conf.py
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        health = None
        for _ in range(300):
            try:
                health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read())
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                time.sleep(0.1)
        assert health == {"status": "ok", "database": "ok", "vendor": "sqlite"}
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10).read().decode()
        assert "登录" in page
        # The master itself has WeasyPrint's libraries loaded (not only a worker that drew a PDF).
        maps = Path(f"/proc/{server.pid}/maps").read_text()
        assert "libpango" in maps and "harfbuzz" in maps
    finally:
        server.terminate()
        server.wait(timeout=30)
