"""Everything a role is meant to use is reachable by clicking, and HEAD works wherever GET
does. Each demo account signs in, starts from its dashboard and follows same-site links
(GET only, bounded); a named URL of the portal or the console that the role should use and
that no followed link reached fails the test, naming the URL names and the role.

Adding a page: add its URL name to the roles that use it in ROLE_PAGES (or, if no fixture
can link to it, to NOT_LINKABLE with the reason), and link it from a page that role visits."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from wuxiao.people.models import User

pytestmark = pytest.mark.django_db(transaction=False)

# Named URLs no page can link to from demo data: they need a parameter only an e-mail or a
# just-finished action provides. Each with the reason.
NOT_LINKABLE = {
    "portal:accept_invitation": "the token exists only in the invitation e-mail/link",
    "console:invitation_created": "shown once, right after creating an invitation (POST redirect)",
    "console:documents_job": "exists after starting a background export (POST redirect)",
    "console:documents_job_download": "exists after a background export has finished",
    "portal:project_member_edit": "an htmx fragment (hx-get) inside the 申报表 edit page, not a page",
    "console:district_overview": "an old address of 所属单位进展, kept as a redirect to the statistics page's units table",
    "console:stats_screen_data": "the JSON the 数据大屏 page fetches by script every 30 s, not a link",
    "portal:project_certificate": "the demo applicant's projects have won no prize (tests/awards cover it)",
    "portal:review_attachment": "the demo's reviewed projects carry no attachments (tests/reviews cover it)",
    "console:unit_applications": "an old address of 立项管理, kept as a redirect to console:projects",
    "console:unit_project": "an old address of the unit's project page, kept as a redirect to console:project_detail",
    "console:review_schedule": "linked from a 答辩 round only; the demo's rounds are 初评 (tests/reviews cover it)",
    "portal:expert_activate": "the token exists only in the 设置密码 link the committee makes for an imported expert",
    "showcase:image": "a picture inside a public project page (<img src>), not a page (tests/showcase cover it)",
    "showcase:salon_photo": "a photo inside a salon's page (<img src>), not a page (tests/salons cover it)",
    "showcase:certificate": "reached by typing a certificate's number into 证书查验 or scanning its QR code",
}

# What each demo role is meant to use (README "Demo accounts"). The committee office also
# runs the unit and district pages of its subtree; a unit admin never sees the committee's.
COMMON = {"portal:dashboard", "portal:inbox", "portal:profile", "portal:projects", "portal:api_tokens"}
ADMIN = COMMON | {
    "console:home", "console:organisations", "console:organisation_detail", "console:invitations",
    "console:invitation_create", "console:members", "console:projects", "console:stats_home", "console:stats",
    "console:stats_screen", "console:stats_xlsx",
    "console:project_detail", "console:documents", "console:documents_project_form",
    "console:documents_summary", "console:documents_project_list", "console:documents_progress",
}  # fmt: skip
UNIT = ADMIN | {
    "console:unit_home", "console:unit_directions", "console:awards_results",
    "console:unit_progress", "console:unit_opinions", "console:unit_opinion", "console:unit_evaluation",
    "console:unit_forwarding", "portal:file_download", "portal:open_notification",
}  # fmt: skip
ROLE_PAGES = {
    "committee": ADMIN | {
        "console:organisation_create", "console:organisation_edit", "console:import_units",
        "console:import_template", "console:extensions", "console:committee_overview", "console:audit_log",
        "console:documents_booklet",
        # 评审认定 (the 2024 campaign's complete round and the expert pool)
        "console:reviews", "console:review_experts", "console:review_expert_edit", "console:review_round",
        "console:review_experts_import", "console:review_experts_template",
        "console:review_ranking", "console:review_duplicates",
        # 奖项 and 成果推广 (the 2024 campaign's published results), 青年创新沙龙
        "console:awards_results", "console:awards_history", "console:awards_certificate", "console:awards_export",
        "console:awards_certificate_design", "console:awards_seal",
        "console:organisation_awards", "console:talents", "console:patents", "console:publication",
        "console:publication_edit", "console:salons", "console:salon_detail", "console:salon_attendance",
    },
    "district": ADMIN | {
        "console:organisation_create", "console:organisation_edit", "console:import_units",
        "console:import_template", "console:awards_results",
    },
    "unit": UNIT,
    # The demo applicant's own projects wait for the unit (none accepted yet): the work pages
    # are checked through the advisor, who reaches the same portal:work pages.
    "applicant": COMMON | {
        "portal:project_create", "portal:project_detail", "portal:project_edit", "portal:project_version",
        "portal:project_form_download", "portal:my_work", "portal:open_notification",
    },
    "advisor": COMMON | {"portal:my_work", "portal:work"},
    "expert": COMMON | {"portal:reviews", "portal:review"},
}  # fmt: skip

# What a visitor who is not signed in reaches from the public home page.
PUBLIC_PAGES = {
    "showcase:home", "showcase:certificate_check", "showcase:results", "showcase:gallery", "showcase:booklet",
    "showcase:project", "showcase:salons", "showcase:salon",
}  # fmt: skip

# Followed for reachability but not fetched: file downloads render documents or stream files.
NOT_FETCHED = {
    "console:documents_project_form", "console:documents_summary", "console:documents_project_list",
    "console:documents_progress", "console:import_template", "portal:project_form_download",
    "portal:file_download", "console:documents_job_download", "portal:review_attachment",
    "console:awards_certificate", "console:awards_export", "console:salon_attendance", "console:stats_xlsx",
    "console:awards_seal", "showcase:booklet",
}  # fmt: skip
SKIP_PREFIXES = ("/accounts/logout", "/django-admin", "/static/", "/media/")
MAX_PAGES = 400
MAX_PER_NAME = 3

HREF = re.compile(r'<a\b[^>]*?\bhref="([^"#]+)', re.I)
# Any address of an uploaded file on a page: files are served by permission-checked views only.
MEDIA = re.compile(r'\b(?:href|src|action|data-src)="((?:https?://testserver)?/media/[^"]*)"', re.I)


def named_urls(namespace: str) -> set[str]:
    resolver = get_resolver()
    names = set()

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name and prefix == f"{namespace}:":
                names.add(prefix + p.name)

    walk(resolver.url_patterns, "")
    return names


def crawl(client: Client, start: str) -> tuple[set[str], list[tuple[str, int, int]], list[tuple[str, str]]]:
    """BFS over same-site links. Returns the URL names reached, (url, GET, HEAD) status
    pairs of the pages fetched, and (page, address) of every /media/ address on a page."""
    seen, reached, statuses, media = {start}, set(), [], []
    per_name: dict[str, int] = {}
    queue = deque([start])
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        reached.add(name)
        if name in NOT_FETCHED or per_name.get(name, 0) >= MAX_PER_NAME:
            continue
        per_name[name] = per_name.get(name, 0) + 1
        response = client.get(url)
        head = client.head(url)
        statuses.append((url, response.status_code, head.status_code))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode()
        media += [(url, found) for found in MEDIA.findall(text)]
        for href in HREF.findall(text):
            href = href.replace("&amp;", "&")
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP_PREFIXES):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return reached, statuses, media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("demo_data", "--scale", "0.1", "--stage", "collection", stdout=open("/dev/null", "w"))
            yield
            transaction.set_rollback(True)


def test_every_get_page_is_assigned_to_a_role_or_explained():
    """A new named URL must say who uses it (ROLE_PAGES, PUBLIC_PAGES) or why no page links it."""
    known = set().union(*ROLE_PAGES.values()) | PUBLIC_PAGES | set(NOT_LINKABLE)
    everything = named_urls("portal") | named_urls("console") | named_urls("showcase")
    unassigned = sorted(everything - known - POST_ONLY - PUBLIC_POST_ONLY)
    assert unassigned == [], f"URL names no role uses and no reason given: {unassigned}"


# Actions: they answer POST only (checked in test_post_only_views_refuse_get below).
POST_ONLY = {
    "portal:inbox_mark_read", "portal:project_autosave", "portal:project_withdraw", "portal:project_member_add",
    "portal:project_member_remove", "portal:project_member_account", "portal:project_attachment_add",
    "portal:project_attachment_remove", "portal:work_comment", "portal:work_result",
    "console:organisation_set_active", "console:organisation_headcount", "console:invitation_revoke",
    "console:member_revoke", "console:project_return", "console:unit_directions_publish",
    "console:unit_direction_delete", "console:unit_classify", "console:unit_refuse", "console:unit_change_level",
    "console:unit_resources", "console:unit_advisor_add", "console:unit_advisor_remove",
    "console:unit_advisor_invite", "console:unit_urge", "console:unit_evaluate", "console:committee_extend",
    "console:committee_send_back", "console:review_rubric", "console:review_assign", "console:review_assign_manual",
    "console:review_assignment_remove", "console:review_urge", "console:review_blind_check", "console:review_opinion",
    "console:review_duplicates_scan", "console:review_duplicate_decide", "portal:review_decline",
    "console:awards_propose", "console:awards_adjust", "console:awards_lock", "console:awards_certificates",
    "console:organisation_award", "console:patent_advance", "console:salon_outcome", "portal:salon_signup",
    "portal:salon_cancel", "console:documents_job_retry", "console:stats_report", "portal:api_token_revoke",
    "portal:project_route", "console:review_expert_activation", "portal:work_evidence_remove",
    "console:publication_booklet",
}  # fmt: skip


def patterns_by_name() -> dict[str, URLPattern]:
    found = {}

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{p.namespace}:" if p.namespace else prefix)
            elif p.name:
                found[prefix + p.name] = p

    walk(get_resolver().url_patterns, "")
    return found


def test_post_only_views_refuse_get_and_every_other_page_accepts_get_and_head(alice_committee, client_for):
    """An action answers 405 to GET (and HEAD); a page never answers 405 to GET or HEAD."""
    from django.urls import reverse

    client = client_for(alice_committee)
    for name, pattern in sorted(patterns_by_name().items()):
        if not name.startswith(("portal:", "console:")):
            continue
        kwargs = {
            k: (999999 if type(c).__name__ == "IntConverter" else "x") for k, c in pattern.pattern.converters.items()
        }
        if name.endswith("_form") or name == "console:documents_project_form" or name == "portal:project_form_download":
            kwargs = {**kwargs, "fmt": "pdf"}
        url = reverse(name, kwargs=kwargs)
        get, head = client.get(url).status_code, client.head(url).status_code
        if name in POST_ONLY:
            assert (get, head) == (405, 405), name
        else:
            assert 405 not in (get, head), (name, get, head)


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_every_page_of_a_role_is_reachable_by_clicking(demo, role):
    client = Client()
    client.force_login(User.objects.get(username=role), backend="wuxiao.people.backends.UsernameOrMobileBackend")
    reached, statuses, media = crawl(client, "/me/")
    unreachable = sorted(ROLE_PAGES[role] - reached)
    assert unreachable == [], f"role “{role}”: no link reaches {unreachable} — link them from a page it visits"
    errors = [(url, get) for url, get, _ in statuses if get >= 500]
    assert errors == [], f"role “{role}”: pages answered with server errors: {errors}"
    head_differs = [(url, get, head) for url, get, head in statuses if get != head]
    assert head_differs == [], f"role “{role}”: HEAD must answer like GET: {head_differs}"
    assert media == [], f"role “{role}”: pages link uploaded files directly, not through a download view: {media}"


# The public site's actions (a salon sign-up is the portal's).
PUBLIC_POST_ONLY: set[str] = set()


def test_every_public_page_is_reachable_by_clicking(demo):
    """The public site as a visitor meets it: from the home page, by clicking."""
    reached, statuses, media = crawl(Client(), "/")
    unreachable = sorted(PUBLIC_PAGES - reached)
    assert unreachable == [], f"a visitor reaches no link to {unreachable} — link them from a public page"
    assert [(url, get) for url, get, _ in statuses if get >= 500] == []
    assert [(url, get, head) for url, get, head in statuses if get != head] == []
    assert media == []


def test_every_other_url_answers_head_like_get(client, campaign):
    """Outside the portal and the console too — the public pages, the JSON API (which
    django-ninja routes for GET only), health checks — HEAD answers exactly as GET does,
    and with no body."""
    from django.urls import reverse

    differs = []
    for name, pattern in sorted(patterns_by_name().items()):
        if name.startswith(("portal:", "console:", "admin:")):
            continue
        kwargs = {
            k: (999999 if type(c).__name__ == "IntConverter" else "x") for k, c in pattern.pattern.converters.items()
        }
        if name == "showcase:booklet":
            kwargs = {"slug": campaign.slug, "fmt": "pdf"}
        url = reverse(name, kwargs=kwargs)
        get, head = client.get(url), client.head(url)
        if get.status_code != head.status_code or head.content:
            differs.append((name, get.status_code, head.status_code))
    assert differs == []
    assert client.head(reverse("api:published_campaigns")).status_code == 200
    assert client.head(reverse("api:campaigns")).status_code == 401
