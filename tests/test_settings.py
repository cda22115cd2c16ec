"""The one env-driven settings file: zero configuration gives a debug site on SQLite;
production refuses to start half-configured and passes `check --deploy` with no warnings."""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG, "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]), "OPTIONS": db.get("OPTIONS", {}),
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS, "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "EMAIL": [getattr(s, k, None) for k in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_SSL", "EMAIL_USE_TLS")],
    "CACHE": s.CACHES["default"]["BACKEND"], "SECURE": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,
    s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS], "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def secret_key():
    alphabet = string.ascii_letters + string.digits + "!@%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def run(args, tmp_path, **env):
    """Run Python in a clean environment: none of this machine's Django, database or mail settings."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "EMAIL_", "WUXIAO_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "wuxiao.settings", "WUXIAO_VAR_DIR": str(tmp_path / "var")}, **env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def probe(tmp_path, **env):
    result = run(["-c", PROBE], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_zero_configuration_is_sqlite_without_debug_pages(tmp_path):
    s = probe(tmp_path)
    assert s["DEBUG"] is False
    assert s["ENGINE"] == "django.db.backends.sqlite3"
    assert s["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert s["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert s["OPTIONS"]["timeout"] == 30
    assert "PRAGMA journal_mode=WAL" in s["OPTIONS"]["init_command"]
    assert s["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["SECURE"] == [False, False, False, 0]


def test_debug_only_when_a_developer_asks(tmp_path):
    assert probe(tmp_path, DEBUG="1")["DEBUG"] is True
    assert probe(tmp_path, DEBUG="0")["DEBUG"] is False


SERVE_UNKNOWN_PAGE = """
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
c = Client()
r = c.get("/no-such-page/")
s = c.get("/static/vendor/bootstrap/css/bootstrap.min.css")
print(r.status_code, "页面不存在" in r.content.decode() or "找不到" in r.content.decode(),
      "URLconf" in r.content.decode(), s.status_code)
"""


def test_zero_configuration_serves_the_chinese_404_and_static_files(tmp_path):
    """`make run` with no configuration: a mistyped address never lists the URL patterns,
    and the pages still get their styles (WhiteNoise finds static files without DEBUG)."""
    result = run(["-c", SERVE_UNKNOWN_PAGE], tmp_path)
    assert result.returncode == 0, result.stderr
    status, chinese, patterns, static = result.stdout.split()
    assert (status, chinese, patterns, static) == ("404", "True", "False", "200")


def test_database_url_chooses_postgresql(tmp_path):
    s = probe(tmp_path, DATABASE_URL="postgresql://wuxiao:pw@db.internal:5432/wuxiao")
    assert (s["ENGINE"], s["NAME"]) == ("django.db.backends.postgresql", "wuxiao")


def test_sqlite_database_url_keeps_the_rush_options(tmp_path):
    s = probe(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")
    assert s["ENGINE"] == "django.db.backends.sqlite3"
    assert s["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_redis_url_chooses_the_redis_cache(tmp_path):
    assert probe(tmp_path, REDIS_URL="redis://127.0.0.1:6379/1")["CACHE"] == (
        "django.core.cache.backends.redis.RedisCache"
    )


def test_email_host_switches_to_smtp(tmp_path):
    s = probe(tmp_path, EMAIL_HOST="smtp.example.org")
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["EMAIL"] == ["smtp.example.org", 465, True, False]
    s = probe(tmp_path, EMAIL_HOST="smtp.example.org", EMAIL_PORT="587", EMAIL_USE_TLS="true")
    assert s["EMAIL"] == ["smtp.example.org", 587, False, True]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "wuxiao.example.org"}, "DJANGO_ENV=production 需要设置 DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 50}, "DJANGO_ENV=production 需要设置 DJANGO_ALLOWED_HOSTS"),
        ({}, "DJANGO_ENV=production 需要设置 DJANGO_SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_half_configured(tmp_path, env, message):
    result = run(["manage.py", "check"], tmp_path, DJANGO_ENV="production", **env)
    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def test_production_passes_check_deploy_with_no_warnings(tmp_path):
    env = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": secret_key(), "DJANGO_ALLOWED_HOSTS": "wuxiao.example.org"}
    result = run(["manage.py", "check", "--deploy"], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""
    s = probe(tmp_path, **env)
    assert s["DEBUG"] is False
    assert s["ALLOWED_HOSTS"] == ["wuxiao.example.org"]
    assert s["SECURE"] == [True, True, True, 31536000]
    assert s["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_responses_carry_the_security_headers(db):
    response = Client().get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_csrf_failure_page_is_chinese(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    text = response.content.decode()
    assert response.status_code == 403
    assert "<title>请求已失效 · 五小竞赛平台</title>" in text
    assert "页面已过期，请刷新后重试" in text


def test_messages_are_chinese_whatever_the_browser_asks_for(db):
    response = Client().post("/accounts/login/", {}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert response.context["form"].errors["username"] == ["这个字段是必填项。"]
    missing = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    assert missing["Content-Language"] == "zh-hans"
    assert "404 · 页面不存在" in missing.content.decode()


RUSH_SETTINGS = """
import json, os
from wuxiao.settings import *  # noqa: F403
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["RUSH_DB"],
                         "OPTIONS": json.loads(os.environ["RUSH_OPTIONS"])}}
"""

RUSH = """
import json, sys, threading, django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", verbosity=0)
from wuxiao.audit.services import record
from wuxiao.people.models import Organisation, OrgKind
from wuxiao.people.services import create_organisation

committee = create_organisation(by=None, name="组委会", kind=OrgKind.COMMITTEE, parent=None)
THREADS, ROUNDS = 16, 10
barrier = threading.Barrier(THREADS)
errors = []

def work(n):
    try:
        barrier.wait()
        for i in range(ROUNDS):
            # read, then write, in one transaction: the pattern that deadlocks deferred transactions
            with transaction.atomic():
                unit = create_organisation(by=None, name=f"单位{n}-{i}", kind=OrgKind.ENTERPRISE, parent=committee)
                Organisation.objects.filter(parent=committee).count()
                record(by=None, action="rush.write", target=unit)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()

threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
print(json.dumps({"units": Organisation.objects.filter(parent=committee).count(), "errors": errors, "journal": mode}))
"""


def rush(tmp_path, options):
    (tmp_path / "rush_settings.py").write_text(RUSH_SETTINGS)
    result = run(
        ["-c", RUSH],
        tmp_path,
        DJANGO_SETTINGS_MODULE="rush_settings",
        PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}",
        RUSH_DB=str(tmp_path / "rush.sqlite3"),
        RUSH_OPTIONS=json.dumps(options),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_sqlite_survives_a_rush_of_sixteen_writers(tmp_path):
    """16 threads × 10 read-then-write transactions on a file database with the project's
    SQLite options (WAL, IMMEDIATE, a busy timeout): every one commits."""
    from wuxiao.settings import SQLITE_OPTIONS

    outcome = rush(tmp_path, SQLITE_OPTIONS)
    assert outcome == {"units": 160, "errors": [], "journal": "wal"}


def test_without_the_options_the_same_rush_fails(tmp_path):
    """The control: deferred transactions without a busy timeout lose writes to "database is locked"."""
    outcome = rush(tmp_path, {"transaction_mode": "DEFERRED", "timeout": 0})
    assert outcome["errors"]
    assert set(outcome["errors"]) == {"OperationalError: database is locked"}
    assert outcome["units"] < 160


def test_healthz_reports_the_database(client, db):
    from django.db import connection

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "vendor": connection.vendor}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_broken_database_as_503(client, db, monkeypatch):
    from django.db import connection

    def broken():
        raise RuntimeError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    # The cause goes to the log; an anonymous caller never sees hosts or user names.
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_answers_get_only(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    home = client.get("/")
    assert (home.status_code, home["Location"]) == (301, "https://testserver/")


def test_every_variable_the_settings_read_is_documented():
    import re

    source = (ROOT / "wuxiao" / "settings.py").read_text()
    read = set(re.findall(r"""(?:environ\.get\(|environ\[|env_bool\(|env_list\()\s*["']([A-Z_]+)["']""", source))
    assert {"DJANGO_ENV", "DJANGO_SECRET_KEY", "DATABASE_URL", "EMAIL_HOST", "WUXIAO_TRUSTED_PROXIES"} <= read
    documented = (ROOT / "docs" / "configuration.md").read_text()
    assert sorted(name for name in read if f"| `{name}` |" not in documented) == []


def test_axes_speaks_chinese_in_the_admin(client, db):
    from axes.models import AccessAttempt
    from django.utils.translation import gettext

    from tests.factories import UserFactory

    assert gettext("access attempts") == "登录尝试"
    AccessAttempt.objects.create(
        username="weixm",
        ip_address="10.0.0.1",
        user_agent="Chrome",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root, backend="wuxiao.people.backends.UsernameOrMobileBackend")
    text = client.get("/django-admin/axes/accessattempt/").content.decode()
    for label in ["登录尝试", "IP 地址", "失败次数", "尝试时间"]:
        assert label in text
    assert "Access attempt" not in text
    assert "Failed Logins" not in text
