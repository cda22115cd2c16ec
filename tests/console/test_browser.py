"""The console in a real browser: the committee office's pages, with screenshots to look at."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browsing import fill_sign_in as sign_in
from tests.console.helpers import xlsx
from tests.factories import OrgKind, Role, UserFactory, grant, make_org, participation
from wuxiao.people.services import invite, update_organisation

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "console"


@pytest.fixture
def page(transactional_db, live_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_committee_console_pages(
    page, live_server, campaign, alice_committee, district, other_district, unit_a, unit_b, bob_unit_admin, tmp_path
):
    from wuxiao.audit.services import snapshot

    for i, (name, kind, workers) in enumerate(
        [
            ("柳州示例电子有限公司团委", OrgKind.ENTERPRISE, 240),
            ("柳州市示例中学团委", OrgKind.AGENCY, 35),
            ("柳州示例物流有限公司团支部", OrgKind.TWO_NEW, 510),
        ]
    ):
        org = make_org(
            name, kind, district if i < 2 else other_district, contact_name="韦小敏", contact_phone=f"1387721000{i}"
        )
        participation(campaign, org, young_workers=workers)
        grant(UserFactory(), org, Role.APPLICANT)
    participation(campaign, unit_a, young_workers=320)
    before = snapshot(unit_a)
    unit_a.contact_phone = "0772-2827999"
    update_organisation(by=alice_committee, org=unit_a, before=before)
    invite(by=bob_unit_admin, organisation=unit_a, role=Role.ADVISOR, real_name="覃工程师", mobile="13877212345")

    sign_in(page, live_server, "alice")

    page.goto(f"{live_server.url}/console/organisations/")
    assert page.locator("table.org-tree tbody tr").count() >= 25
    assert page.get_by_text("示例机械有限公司团委").is_visible()
    page.screenshot(path=str(SHOTS / "org-tree.png"), full_page=True)

    page.goto(f"{live_server.url}/console/organisations/{unit_a.pk}/")
    page.fill("input[name=young_workers]", "450")
    page.click("text=保存人数")
    page.wait_for_load_state()
    assert page.get_by_text("已保存：2024 年青工 450 人，上报名额 20 项").is_visible()
    page.screenshot(path=str(SHOTS / "org-detail.png"), full_page=True)

    bad = xlsx(
        [
            ("柳州好单位团委", "城中区团委", "企业", "", "韦小敏", "13877212345", 120),
            ("代码不对的单位", "城中区团委", "企业", "91450200MA5L7QWE10", "韦小敏", "13877212345", 10),
            ("电话不对的单位", "城中区团委", "企业", "", "韦小敏", "0772282", 10),
            ("不存在上级的单位", "城南区团委", "工厂", "", "", "13877212345", -3),
        ]
    )
    upload = tmp_path / "单位.xlsx"
    upload.write_bytes(bad.read())
    page.goto(f"{live_server.url}/console/organisations/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.click("text=上传并预览")
    page.wait_for_load_state()
    errors = page.locator("#import-errors li")
    assert errors.count() == 6
    assert errors.first.inner_text().startswith("第 3 行：统一社会信用代码“91450200MA5L7QWE10”无效")
    page.screenshot(path=str(SHOTS / "import-errors.png"), full_page=True)

    page.goto(f"{live_server.url}/console/invitations/new/")
    page.select_option("select[name=organisation]", label="　城中区团委")
    page.select_option("select[name=role]", value=Role.ADMIN)
    page.fill("input[name=real_name]", "邓小丹")
    page.fill("input[name=mobile]", "13877255555")
    page.click("text=生成邀请链接")
    page.wait_for_load_state()
    link = page.input_value("#invitation-link")
    assert link.startswith(f"{live_server.url}/me/invitations/")
    page.screenshot(path=str(SHOTS / "invitation-created.png"), full_page=True)
    page.goto(f"{live_server.url}/console/invitations/")
    assert page.locator("#invitations tbody tr").count() == 2
    page.screenshot(path=str(SHOTS / "invitations.png"), full_page=True)

    page.goto(f"{live_server.url}/console/audit/")
    assert page.locator("#audit tbody tr").count() >= 5
    page.screenshot(path=str(SHOTS / "audit-log.png"), full_page=True)

    page.goto(f"{live_server.url}/console/members/")
    page.screenshot(path=str(SHOTS / "members.png"), full_page=True)

    page.goto(f"{live_server.url}/console/")
    assert page.inner_text("#count-invitations") == "2"
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("organisations", "invitations", "audit"):
        page.goto(f"{live_server.url}/console/{name}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # tables scroll inside their card
        # The console menu folds away on a phone: the page's own content comes first.
        assert page.locator("#console-menu").is_hidden()
        assert page.locator("main h1").first.bounding_box()["y"] < 300
    page.screenshot(path=str(SHOTS / "audit-log-phone.png"), full_page=False)
    page.get_by_role("button", name="管理菜单").click()
    page.locator("#console-menu").wait_for(state="visible")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    assert page.locator("#console-menu").is_visible()
    # A keyboard user sees where the focus is on the red navbar (a white ring).
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.navbar')"):
            break
    ring = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth,"
        " s.outlineColor, !!document.activeElement.closest('.navbar')]; })()"
    )
    assert ring == ["solid", "3px", "rgb(255, 255, 255)", True]


@pytest.mark.browser
def test_unit_admin_one_list_and_one_page(page, live_server, campaign, unit_a, bob_unit_admin, carol_applicant):
    """项目申报 and 立项管理 are one list and one page: the filters of both, every action of the state."""
    from tests.factories import make_project
    from tests.unitflow import make_advisor

    participation(campaign, unit_a, young_workers=150)
    submitted = make_project(campaign, unit_a, carol_applicant, name="焊装线夹具快换结构改进")
    make_project(campaign, unit_a, carol_applicant, state="accepted", level="key", name="数控车床自动送料装置改进")
    make_advisor(unit_a)
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/console/unit/")
    page.get_by_role("link", name="立项管理").first.click()
    page.wait_for_load_state()
    assert page.locator("#unit-projects tbody tr").count() == 2
    page.select_option("#id_level", "none")
    page.click("#project-filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#unit-projects tbody tr").count() == 1
    page.screenshot(path=str(SHOTS / "unit-project-list.png"), full_page=True)
    page.get_by_role("link", name=submitted.name).click()
    page.wait_for_load_state()
    for section in ("#sheet", "#return-project", "#classify", "#refuse", "#advisors"):
        assert page.locator(section).count() == 1, section
    page.screenshot(path=str(SHOTS / "unit-project-page.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "unit-project-page-390.png"), full_page=True)
    page.go_back()
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "unit-project-list-390.png"), full_page=True)
