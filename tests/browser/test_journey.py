"""One campaign played end to end in a real browser, as its people would: each signs in on the
first page of their role and from there only clicks. The ORM sets up only what nobody clicks
(the campaign, organisations, accounts and the stage dates, moved on as the journey moves on).

申报 → 立项 (key, two advisors) → 工作记录 (an advisor signs it off) → 成果 → 车间/技术部门/团组织意见
(盖章) → 内部评比 → 上报 (汇总表) → 评审轮次 and 分配 → 专家评分 → 排名 → 奖项建议, 锁定, 发布 → 成果发布 →
the leader downloads the certificate → the public sees the prize on the results page and in the gallery
and checks the number printed on the certificate.

Screenshots go to var/screenshots/journey-*.png (1366 px; six pages also at 390 px, where they must
not scroll sideways and axe must find nothing serious). Every screenshot page is checked for English."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from tests.browser.test_phone_and_accessibility import AXE, RUN_AXE
from tests.browsing import sign_in
from tests.factories import participation
from tests.reviews.conftest import make_expert
from tests.unitflow import PDF, PNG
from wuxiao.awards.models import Award
from wuxiao.campaigns.models import StageKind
from wuxiao.campaigns.services import stages_changed
from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState as S

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
NAME = "焊装线夹具快换结构改进"
STAGES = [k.value for k in StageKind]


def move_to(campaign, kind):
    """Today falls in stage `kind`; the earlier stages are over and the later ones still to come."""
    today, now = timezone.localdate(), STAGES.index(kind)
    for i, k in enumerate(STAGES):
        starts = today + timedelta(days=20 * (i - now) - 10)
        campaign.stages.filter(kind=k).update(starts_on=starts, ends_on=starts + timedelta(days=19))
    stages_changed(campaign)  # update() sends no signal


# Latin words a page may show: file formats, the site's name, an e-mail address.
LATIN = {"wuxiao", "PDF", "pdf", "JPG", "PNG", "Word", "doc", "docx", "Excel", "xls", "xlsx", "lztswcsb", "com"}


def shot(page, name):
    """A screenshot at 1366 px, after checking the page speaks Chinese (no English message)."""
    # A certificate number (WX2024-000123-3FBAB1) is not a word: its random hex part may hold "BAB".
    text = re.sub(r"WX\d{4}-\d{6}-[0-9A-F]{6}", "", page.inner_text("body"))
    english = set(re.findall(r"[A-Za-z]{3,}", text)) - LATIN
    assert not english, f"{name}: {english}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"journey-{name}.png", full_page=True)


def phone_shot(page, name):
    """The same page at 390 px: it must not scroll sideways, and axe finds nothing serious."""
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    shot(page, f"{name}-390")
    page.add_script_tag(content=AXE.read_text())
    violations = page.evaluate(RUN_AXE)
    page.set_viewport_size({"width": 1366, "height": 900})
    assert overflow <= 1, f"{name}: 页面在 390 px 宽时横向溢出 {overflow} px"
    assert violations == [], name


def messages(page):
    return page.inner_text(".messages")


def to_console(page):
    page.click("text=进入管理后台")
    page.wait_for_url("**/console/")


@pytest.fixture
def city(campaign, unit_a, bob_unit_admin, carol_applicant, advisors, walt_workshop, tina_tech, alice_committee):
    move_to(campaign, "registration")
    participation(campaign, unit_a, young_workers=230)  # quota 10
    carol_applicant.gender, carol_applicant.education, carol_applicant.mobile = "F", "bachelor", "13877212345"
    carol_applicant.save()
    # Two experts of 机械 outside the unit's district (so neither conflicts with it).
    make_expert(alice_committee.memberships.get().organisation, "xena", "徐娜", ["机械", "电子"])
    return campaign


def test_one_project_from_application_to_the_public_gallery(city, unit_a, advisors, live_server, browser):
    campaign = city

    # --- 申报: carol fills in the 申报表 and submits it.
    context, page = sign_in(browser, live_server, "carol")
    shot(page, "01-applicant-dashboard")
    page.click("#dashboard-create")
    page.fill("input[name=name]", NAME)
    page.click("text=创建草稿并填写申报表")
    page.wait_for_url("**/edit/")
    page.fill("input[name=economic_benefit]", "12.5")
    page.fill("input[name=start_date]", "2024-06-01")
    page.fill("input[name=end_date]", "2024-12-31")
    page.check("input[name=patent_eligible][value=true]")
    page.check("input[name=category][value=机械]")
    page.check("input[name=achievement_form][value=小革新]")
    page.check("input[name=content_direction][value='2']")
    page.check("input[name=patent_filed][value=false]")
    page.check("input[name=patent_willing][value=true]")
    page.fill("textarea[name=reason]", "焊装线换型时夹具拆装耗时长，影响生产节拍。")
    page.fill("textarea[name=content]", "设计快换定位销与气动锁紧结构，实现夹具快速更换。")
    page.fill("textarea[name=measures]", "三维建模、试制样件、产线试运行并优化。")
    page.fill("textarea[name=benefits]", "换型时间由 40 分钟降至 8 分钟，年节约工时约 600 小时。")
    page.check("input[name=is_large_research_project][value=false]")
    page.fill("input[name=commitment_name]", "蔡柔")
    shot(page, "02-application-form")
    page.click("#submit-project")
    page.wait_for_url("**/me/projects/*/")
    assert "申报表已提交，等待单位团组织审核" in page.inner_text("main")
    shot(page, "03-application-submitted")
    context.close()
    project = Project.objects.get(name=NAME)
    assert project.state == S.SUBMITTED

    # --- 立项: bob classifies it as a key project with two advisors.
    context, page = sign_in(browser, live_server, "bob")
    to_console(page)
    page.click(f"#todo-{unit_a.pk} >> text=待立项")
    page.click(f"text={NAME}")
    for advisor in advisors:
        page.select_option("select[name=a-advisor]", str(advisor.pk))
        page.click("#advisors button:has-text('指派')")
        assert f"已指派技术顾问 {advisor.real_name}" in messages(page)
    page.select_option("select[name=c-level]", "key")
    page.fill("input[name=c-funding]", "3.50")
    page.fill("textarea[name=c-equipment]", "借用质检部三坐标测量仪")
    page.click("text=确认立项")
    assert "已立项为重点项目" in messages(page)
    shot(page, "04-classified")
    context.close()

    # --- 项目攻关: carol keeps a work record.
    move_to(campaign, "work")
    context, page = sign_in(browser, live_server, "carol")
    page.click("text=项目攻关与工作记录")
    page.click(f"text={NAME}")
    page.fill("textarea[name=done]", "完成快换夹具样件装配并在焊装线试运行 2 小时")
    page.fill("textarea[name=problems]", "定位销磨损较快")
    page.fill("textarea[name=next_steps]", "定位销改用淬火钢后复测")
    page.click("text=保存记录")
    assert "工作记录已保存" in messages(page)
    context.close()
    # An advisor reads it from their own dashboard and signs it off.
    context, page = sign_in(browser, live_server, advisors[0].username)
    page.click("text=项目攻关与工作记录")
    page.click(f"text={NAME}")
    page.fill("textarea[name=text]", "定位销改用淬火钢，记录复测数据")
    page.check("input[name=sign_off]")
    page.click("text=提交意见")
    assert "已签字确认" in page.inner_text(".work-record")
    shot(page, "05-work-record")
    context.close()

    # --- 成果收集: carol submits the result.
    move_to(campaign, "collection")
    context, page = sign_in(browser, live_server, "carol")
    page.click("text=项目攻关与工作记录")
    page.click(f"text={NAME}")
    page.fill("input[name=economic_benefit]", "18.60")
    page.fill("textarea[name=result_description]", "快换夹具已在焊装线使用三个月，换型时间由 40 分钟降至 8 分钟。")
    page.set_input_files(
        "input[name=evidence]", files=[{"name": "测试报告.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("button:has-text('提交成果')")
    assert "成果已提交，进入单位审核" in messages(page)
    shot(page, "06-result-submitted")
    context.close()

    # --- 意见: 车间 → 技术部门 → 团组织, each with a stamp.
    for username, text in [
        ("walt", "该夹具已在焊装线使用三个月，情况属实，同意。"),
        ("tina", "技术方案可行，效益测算依据充分。"),
        ("bob", "同意推荐参加单位内部评比。"),
    ]:
        context, page = sign_in(browser, live_server, username)
        if username == "bob":
            to_console(page)
            page.click(f"#todo-{unit_a.pk} >> text=待审核意见")
        else:
            page.click("#my-roles >> text=成果审核")
        page.locator("tr", has_text=NAME).locator("text=审核").click()
        page.select_option("select[name=decision]", "approve")
        page.fill("textarea[name=text]", text)
        page.set_input_files("input[name=stamp]", files=[{"name": "公章.png", "mimeType": "image/png", "buffer": PNG}])
        if username == "walt":
            shot(page, "07-opinion")
            phone_shot(page, "07-opinion")
        page.click("form[enctype] button[type=submit]")
        assert f"已提交对“{NAME}”的意见" in messages(page)
        context.close()
    project.refresh_from_db()
    assert project.state == S.UNIT_APPROVED

    # --- 内部评比 and 上报 with the 汇总表.
    context, page = sign_in(browser, live_server, "bob")
    to_console(page)
    page.click("nav.console-nav >> text=单位工作")
    page.click("text=内部评比")
    page.fill("input[name=score]", "92")
    page.select_option("select[name=self_grade]", "A")
    page.click("button:has-text('保存')")
    assert f"已保存“{NAME}”的内部评比结果" in messages(page)
    page.click("ul.unit-tabs >> text=成果上报")
    page.check(f"#fp-{project.pk}")
    page.fill("input[name=reporter_name]", "黄小军")
    page.fill("input[name=reporter_phone]", "0772-2827423")
    page.click("text=预览汇总表")
    table = page.inner_text(".summary-table")
    assert NAME in table and "18.60" in table and "项目合计 1 项" in table
    shot(page, "08-forward-preview")
    phone_shot(page, "08-forward-preview")
    page.click("text=确认上报 1 项")
    assert "已上报 1 项成果至组委会" in messages(page)
    context.close()
    project.refresh_from_db()
    assert project.state == S.FORWARDED

    # --- 评审认定: alice sets up a round and assigns the experts.
    move_to(campaign, "review")
    today = timezone.localdate()
    context, page = sign_in(browser, live_server, "alice")
    to_console(page)
    page.click("nav.console-nav >> text=评审认定")
    page.fill("#round-form input[name=name]", "初评")
    page.fill("#round-form input[name=opens_on]", (today - timedelta(days=1)).isoformat())
    page.fill("#round-form input[name=closes_on]", (today + timedelta(days=3)).isoformat())
    page.fill("#round-form input[name=experts_per_project]", "1")
    page.fill("#round-form input[name=max_per_expert]", "4")
    page.click("#round-form button[type=submit]")
    assert "已创建评审轮次“初评”" in messages(page)
    page.fill("#assign-form input[name=seed]", "7")
    page.click("#assign-form button[type=submit]")
    assert "已自动分配：新增 1 个评审任务" in messages(page)
    shot(page, "09-review-round")
    context.close()

    # --- 专家评分.
    context, page = sign_in(browser, live_server, "xena")
    page.click("#my-reviews")
    page.locator("tr", has_text=NAME).locator("text=评分").click()
    for field, value in zip(page.locator("#score-form input[type=number]").all(), "98979", strict=False):
        field.fill(value)
    page.fill("#score-form textarea[name=comment]", "结构简单实用，推广价值高")
    shot(page, "10-expert-scoring")
    page.click("#score-form button[name=submit]")
    assert "评分已提交" in messages(page)
    context.close()

    # --- 排名, 奖项, 发布, 成果发布.
    move_to(campaign, "promotion")
    context, page = sign_in(browser, live_server, "alice")
    to_console(page)
    page.click("nav.console-nav >> text=评审认定")
    page.click("text=排名")
    assert NAME in page.inner_text("#ranking")
    shot(page, "11-ranking")
    page.click("nav.console-nav >> text=奖项评定")
    page.fill("input[name=specials]", "1")  # one project forwarded: only a 特等奖 has room (⌊10% × 1⌋ = 0)
    page.click("button:has-text('生成奖项建议')")
    assert "特等奖" in page.locator("table.awards-table tbody tr", has_text=NAME).inner_text()
    page.click("button:has-text('锁定结果')")
    assert "奖项结果已锁定" in messages(page)
    page.click("button:has-text('发布评审结果')")
    assert "评审结果已发布" in messages(page)
    shot(page, "12-awards-published")
    page.click("text=成果发布")
    page.locator("tr", has_text=NAME).locator("text=编辑").click()
    page.fill("textarea[name=summary]", "快换定位销与气动锁紧结构，焊装线换型时间由 40 分钟降至 8 分钟。")
    page.click("button:has-text('保存')")
    assert "公开" in page.locator("tr", has_text=NAME).inner_text()
    shot(page, "13-publication")
    context.close()
    award = Award.objects.get(project=project)
    assert award.get_level_display() == "特等奖" and award.certificate_number

    # --- The leader downloads the certificate from the project page.
    context, page = sign_in(browser, live_server, "carol")
    assert "下一步：荣获特等奖，可在项目页下载获奖证书" in page.inner_text("#my-projects-card")
    shot(page, "14-leader-dashboard")
    page.click(f"text=“{NAME}”荣获特等奖")  # the notification leads to the project page
    page.wait_for_selector("text=本项目荣获")
    assert "特等奖" in page.inner_text(".alert-success")
    shot(page, "15-leader-project")
    phone_shot(page, "15-leader-project")
    with page.expect_download() as download:
        page.click("text=下载获奖证书")
    assert download.value.suggested_filename.endswith(".pdf")
    printed = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    printed = printed.replace(" ", "").replace("\n", "")
    assert f"蔡柔：你的项目《{NAME}》" in printed and "荣获特等奖" in printed  # one leader alone: 你, not 你们
    number = re.search(r"证书编号：(WX\d{4}-\d{6}-[0-9A-F]{6})", printed).group(1)
    assert number == award.certificate_number
    context.close()

    # --- The public: the gallery, the project's page, and the number printed on the certificate.
    public = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = public.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/")
    shot(page, "16-public-home")
    page.click("main a:text-is('评审结果')")
    assert NAME in page.locator("section", has_text="特等奖").inner_text()
    shot(page, "17-results")
    page.click("main a:text-is('优秀成果展示')")
    page.wait_for_selector(f"text={NAME}")
    shot(page, "18-gallery")
    phone_shot(page, "18-gallery")
    page.click(f"text={NAME}")
    assert "特等奖" in page.inner_text("main")
    assert "换型时间由 40 分钟降至 8 分钟" in page.inner_text("main")
    assert "13877212345" not in page.content() and "1995" not in page.inner_text("main")
    shot(page, "19-public-project")
    phone_shot(page, "19-public-project")
    page.click("text=证书查验")
    page.fill("input[name=number]", number.lower())  # typed by hand, as it comes
    page.click("button:has-text('查验')")
    page.wait_for_selector("text=证书有效")
    assert NAME in page.inner_text("main") and "蔡*" in page.inner_text("main")
    shot(page, "20-certificate-check")
    phone_shot(page, "20-certificate-check")
    public.close()
