"""Settings for wuxiao, driven by the environment.

With no configuration at all this gives a debug site on an embedded SQLite database
(var/db.sqlite3). DJANGO_ENV=production turns on everything `manage.py check --deploy`
asks for and refuses to start without a secret key and allowed hosts.
See docs/configuration.md for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WUXIAO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
# Debug pages list every URL pattern and setting: only when a developer asks for them
# (DEBUG=1), never by default, even on `make run` (often reachable on an office network).
DEBUG = env_bool("DEBUG") or env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_ENV=production 需要设置 DJANGO_SECRET_KEY")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-3f9a"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ENV=production 需要设置 DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "ninja",  # its Swagger UI assets, served locally
    # data apps
    "wuxiao.people",
    "wuxiao.campaigns",
    "wuxiao.audit",
    "wuxiao.notifications",
    "wuxiao.projects",
    "wuxiao.awards",
    "wuxiao.publication",
    "wuxiao.salons",
    "wuxiao.documents",
    "wuxiao.reviews",
    "wuxiao.stats",
    # audience apps
    "wuxiao.console",
    "wuxiao.portal",
    "wuxiao.showcase",
    "wuxiao.api",
    # tooling
    "wuxiao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wuxiao.api.middleware.api_head_as_get",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wuxiao.people.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wuxiao.audit.middleware.AuditContextMiddleware",
    # AxesMiddleware last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wuxiao.urls"
WSGI_APPLICATION = "wuxiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "wuxiao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["wuxiao.lib.templatetags"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wuxiao.notifications.context_processors.unread_count",
                "wuxiao.people.context_processors.roles",
                "wuxiao.lib.context_processors.nav",
            ],
        },
    },
]

FORM_RENDERER = "wuxiao.lib.forms.BootstrapRenderer"

# Database: DATABASE_URL (postgresql://…) in production and CI; embedded SQLite otherwise.
# SQLite is tuned to survive a deadline rush: WAL lets readers run beside the writer,
# IMMEDIATE transactions take the write lock up front (no upgrade deadlocks) and the busy
# timeout makes concurrent writers wait instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Several app servers share the cache and the sessions through Redis (docs/deployment.md).
# Sessions are then read from Redis and written through to the database, so a Redis restart
# signs nobody out.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
    SESSION_ENGINE = "wuxiao.people.sessions.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "wuxiao.people.sessions.db"  # Django's, with the row's read compiled once

# Accounts and sign-in
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "wuxiao.people.backends.UsernameOrMobileBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "real_name", "mobile", "email"]},
    },
    {"NAME": "wuxiao.people.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "wuxiao.people.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "showcase:home"

# Sessions end after 30 idle minutes: activity pushes the expiry forward, writing the session
# at most once a minute (wuxiao.people.middleware.IdleSessionMiddleware), not on every request.
SESSION_COOKIE_AGE = int(os.environ.get("WUXIAO_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = False
WUXIAO_SESSION_TOUCH_SECONDS = int(os.environ.get("WUXIAO_SESSION_TOUCH_SECONDS", 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# Lockout: 5 failures of one account from one address lock that pair for 30 minutes.
# Never the address alone: a unit's whole office often shares one.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "wuxiao.people.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The lock lasts 30 minutes from the fifth failure, as the locked-out page says; tries during
# the lock neither count nor restart it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_COOLOFF_MESSAGE = "该账号在本地址连续 5 次登录失败，已锁定 30 分钟，请稍后再试。"
AXES_PERMALOCK_MESSAGE = "该账号在本地址登录失败次数过多，已被锁定，请联系单位团组织管理员。"
# The client's address: REMOTE_ADDR, or behind reverse proxies the entry they appended to
# X-Forwarded-For (WUXIAO_TRUSTED_PROXIES=1 behind one nginx). Without it every sign-in would
# seem to come from the proxy and one person's typos would lock the account for everybody.
WUXIAO_TRUSTED_PROXIES = int(os.environ.get("WUXIAO_TRUSTED_PROXIES", 0))
AXES_CLIENT_IP_CALLABLE = "wuxiao.lib.http.client_ip"
AXES_VERBOSE = False

# Language and time
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "wuxiao" / "locale"]  # Chinese for django-axes, which ships none
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files are served by the app (WhiteNoise); nothing comes from a CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "wuxiao" / "static"]
# The few built files the pages use from node_modules (wuxiao/lib/staticfinders.py), not
# their whole distributions.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "wuxiao.lib.staticfinders.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production the app finds static files where they are (no collectstatic), also
# when DEBUG is off, so `make run` looks the same with and without DEBUG=1.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Several app servers: uploads on shared storage (WUXIAO_MEDIA_ROOT on NFS), or an
# S3-compatible store through django-storages (optional: `pip install django-storages[s3]`;
# see docs/deployment.md). Files stay private: downloads go through permission-checked views.
if os.environ.get("WUXIAO_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["WUXIAO_S3_BUCKET"],
            "endpoint_url": os.environ.get("WUXIAO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("WUXIAO_S3_REGION") or None,
            "access_key": os.environ.get("WUXIAO_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("WUXIAO_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
MEDIA_ROOT = Path(os.environ.get("WUXIAO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: downloads go through permission-checked views

# Background tasks (django-tasks; see docs/documents.md). The database backend keeps the
# queue in the application database, so jobs survive a restart; `make run` starts the
# worker (`manage.py db_worker`). WUXIAO_TASKS_BACKEND=immediate runs tasks in-process.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASKS_BACKENDS[os.environ.get("WUXIAO_TASKS_BACKEND", "database")],
        "QUEUES": ["default"],
    }
}

# Mail: printed to the console unless SMTP is configured.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 465))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wuxiao@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = os.environ.get("WUXIAO_SITE_URL", "http://127.0.0.1:8000")

# Security headers everywhere; the strict transport parts only behind HTTPS in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "wuxiao.showcase.views.csrf_failure"
# Monitoring asks the app directly over plain HTTP on the loopback: answer, don't redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Demo accounts exist only outside production; the demo command refuses to run there.
WUXIAO_DEMO_PASSWORD = "Wuxiao@2024"
WUXIAO_INVITATION_DAYS = int(os.environ.get("WUXIAO_INVITATION_DAYS", 14))
WUXIAO_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# JSON API write limits (a sliding minute, counted in the cache): per token or signed-in user,
# and per client address (an office behind one address shares it).
WUXIAO_API_WRITE_RATE = os.environ.get("WUXIAO_API_WRITE_RATE", "60/min")
WUXIAO_API_WRITE_RATE_PER_ADDRESS = os.environ.get("WUXIAO_API_WRITE_RATE_PER_ADDRESS", "300/min")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WUXIAO_LOG_LEVEL", "WARNING")},
    # Django's loggers have handlers of their own; don't let them print twice via root.
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# An export job still 生成中 this long after it started is taken for dead (its worker was killed)
# and marked failed, with a 重新生成 button; see docs/documents.md.
WUXIAO_EXPORT_TIMEOUT_MINUTES = int(os.environ.get("WUXIAO_EXPORT_TIMEOUT_MINUTES", 30))
