"""Shared fixtures: a small city and the named people of STYLE.md.

committee ─┬─ 城中区团委 (district) ─┬─ 示例机械有限公司团委 (unit_a)
           │                        └─ 示例电子有限公司团委 (unit_a2)
           └─ 鱼峰区团委 (other_district) ── 示例化工有限公司团委 (unit_b)
"""

import os
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import OrgKind, Role, UserFactory, campaign_2024, grant, make_org

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is fine (the test code is synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back rows reuse ids that cache keys
    (such as the overview's newest-event version) are built from."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def campaign(db):
    return campaign_2024()


@pytest.fixture
def committee(campaign):
    from wuxiao.campaigns.services import committee_organisation

    return committee_organisation()


@pytest.fixture
def district(committee):
    from wuxiao.people.models import Organisation

    return Organisation.objects.get(name="城中区团委")


@pytest.fixture
def other_district(committee):
    from wuxiao.people.models import Organisation

    return Organisation.objects.get(name="鱼峰区团委")


@pytest.fixture
def unit_a(district):
    return make_org(
        "示例机械有限公司团委", OrgKind.ENTERPRISE, district, contact_name="黄小军", contact_phone="13877200001"
    )


@pytest.fixture
def unit_a2(district):
    return make_org("示例电子有限公司团委", OrgKind.ENTERPRISE, district)


@pytest.fixture
def unit_b(other_district):
    return make_org("示例化工有限公司团委", OrgKind.ENTERPRISE, other_district)


@pytest.fixture
def alice_committee(committee):
    user = UserFactory(username="alice", real_name="艾丽")
    grant(user, committee, Role.ADMIN)
    return user


@pytest.fixture
def dan_district_admin(district):
    user = UserFactory(username="dan", real_name="邓丹")
    grant(user, district, Role.ADMIN)
    return user


@pytest.fixture
def bob_unit_admin(unit_a):
    user = UserFactory(username="bob", real_name="卜波")
    grant(user, unit_a, Role.ADMIN)
    return user


@pytest.fixture
def carol_applicant(unit_a):
    user = UserFactory(username="carol", real_name="蔡柔")
    grant(user, unit_a, Role.APPLICANT)
    return user


@pytest.fixture
def dave_expert(other_district):
    user = UserFactory(username="dave", real_name="戴伟")
    grant(user, other_district, Role.EXPERT)
    return user


@pytest.fixture
def eve_other_unit_admin(unit_b):
    user = UserFactory(username="eve", real_name="叶伊")
    grant(user, unit_b, Role.ADMIN)
    return user


@pytest.fixture
def mallory(db):
    """Signed in, belongs nowhere: may see nothing that is not public."""
    return UserFactory(username="mallory", real_name="马洛")


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client signed in as user."""

    def _client(user):
        client.force_login(user, backend="wuxiao.people.backends.UsernameOrMobileBackend")
        return client

    return _client


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 at full strength costs ~0.3 s per hash; tests hash hundreds of passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Unit workflow (issue 4): advisors, the unit's opinion givers, unit_a's participation.
from tests.unitflow import advisors, part_a, tina_tech, walt_workshop  # noqa: E402, F401

# Browser tests: Debian's Chromium driven by playwright. Request the data fixtures and
# `live_server` before these, so PostgreSQL can drop the test database at the end.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture
def browser():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    # While playwright runs, the ORM sees another context and so another connection: close
    # it, or PostgreSQL refuses to drop the test database at the end.
    connections.close_all()


@pytest.fixture
def browser_page(browser):
    """A fresh page (Chinese locale, desktop size) that prints the page's script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: print("PAGEERROR", error))
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Public pages are cached (lib/public_cache.py): no test sees another test's pages."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
