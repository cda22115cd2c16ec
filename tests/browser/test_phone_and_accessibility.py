"""Every role's main pages, as the demo shows them in 成果收集: at 390 px (a phone) the page
never scrolls sideways, and axe-core (WCAG 2.1 AA, served from node_modules, no CDN) finds
no serious or critical violation at 390 px nor at 1366 px. Screenshots go to
var/screenshots/a11y-*.png for a person to look at."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
RUN_AXE = """() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}).then(
  (r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(
    (v) => ({id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))})))"""

# How many lines an element's text takes (its text boxes' distinct tops).
LINES = """(el) => { const range = document.createRange(); range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size; }"""


@pytest.fixture
def demo(transactional_db):
    call_command("demo_data", "--scale", "0.25", "--stage", "collection", stdout=StringIO())


def main_pages() -> dict[str, list[str]]:
    """Each demo role's main pages (the dashboard, its lists and one object page of each kind)."""
    from wuxiao.campaigns.models import Campaign
    from wuxiao.people.models import Organisation, User
    from wuxiao.projects.models import Project
    from wuxiao.projects.states import ProjectState

    campaign = Campaign.objects.current()
    applicant, advisor = User.objects.get(username="applicant"), User.objects.get(username="advisor")
    unit = Organisation.objects.get(memberships__user__username="unit")
    district = Organisation.objects.get(memberships__user__username="district")
    draft = Project.objects.filter(leader=applicant, state=ProjectState.DRAFT).first()
    mine = Project.objects.filter(leader=applicant).exclude(state=ProjectState.DRAFT).first()
    advised = Project.objects.filter(
        advisor_assignments__advisor=advisor, state__in=ProjectState.ACCEPTED_OR_LATER
    ).first()
    unit_project = Project.objects.filter(
        unit=unit, campaign=campaign, state__in=ProjectState.ACCEPTED_OR_LATER
    ).first()
    pages = {
        "applicant": ["/me/", "/me/projects/", "/me/projects/new/", f"/me/projects/{mine.pk}/", "/me/work/"],
        "advisor": ["/me/", "/me/projects/", "/me/work/"],
        "unit": [
            "/console/",
            "/console/unit/",
            f"/console/unit/{unit.pk}/applications/",
            f"/console/unit/{unit.pk}/progress/",
            f"/console/unit/{unit.pk}/opinions/",
            f"/console/unit/{unit.pk}/forwarding/",
            f"/console/unit/{unit.pk}/projects/{unit_project.pk}/",
            "/console/projects/",
            f"/console/projects/{unit_project.pk}/",
        ],
        "district": ["/console/", f"/console/district/{district.pk}/", "/console/projects/", "/console/members/"],
        "committee": ["/console/", "/console/committee/forwarding/", "/console/audit/", "/console/organisations/"],
        "expert": ["/me/", "/me/projects/"],
    }
    if draft is not None:
        pages["applicant"].append(f"/me/projects/{draft.pk}/edit/")
    if advised is not None:
        pages["advisor"].append(f"/me/work/{advised.pk}/")
    return pages


def test_every_role_s_main_pages_fit_a_phone_and_pass_axe(demo, live_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    axe = AXE.read_text()
    problems = []
    pages = main_pages()
    assert sum(len(urls) for urls in pages.values()) >= 25
    for username, urls in pages.items():
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", settings.WUXIAO_DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/me/")
        for url in urls:
            for width in (390, 1366):
                page.set_viewport_size({"width": width, "height": 844})
                response = page.goto(live_server.url + url)
                assert response.status == 200, (username, url, response.status)
                if width == 390:
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    if overflow > 0:
                        problems.append(f"{username} {url}: 页面在 390 px 宽时横向溢出 {overflow} px")
                page.add_script_tag(content=axe)
                for violation in page.evaluate(RUN_AXE):
                    problems.append(f"{username} {url} @{width}: {json.dumps(violation, ensure_ascii=False)}")
                name = url.strip("/").replace("/", "_") or "home"
                page.screenshot(path=SHOTS / f"a11y-{username}-{name}-{width}.png", full_page=True)
        context.close()
    assert problems == []


def test_a_capped_pager_fits_a_phone(campaign, unit_a, bob_unit_admin, live_server, browser, monkeypatch):
    """Past the count's cap (10,000 rows, 30 here) the pager says so in a sentence; at 390 px
    上一页 and 下一页 keep their words on one line and the page does not scroll sideways."""
    from tests.browsing import shot, sign_in
    from tests.factories import UserFactory, make_project, open_stage
    from wuxiao.lib import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 30)  # the live server runs in this process
    open_stage(campaign)
    leader = UserFactory()
    for i in range(45):
        make_project(campaign, unit_a, leader, name=f"批量{i}")
    context, page = sign_in(browser, live_server, bob_unit_admin.username, width=390, height=844)
    page.goto(f"{live_server.url}/console/projects/?page=2")
    pager = page.get_by_role("navigation", name="分页")
    assert "第 2 页，超过 30 条，可用筛选缩小范围" in pager.inner_text()
    for link in ("上一页", "下一页"):
        assert pager.get_by_role("link", name=link).evaluate(LINES) == 1, f"{link} 被挤成多行"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(page, SHOTS, "a11y-capped-pager-390")
    context.close()
