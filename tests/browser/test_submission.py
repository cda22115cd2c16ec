"""An applicant fills in and submits a team project in a real browser: autosave, a team
member added in place, one refused submit with every message visible, then success."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browsing import fill_sign_in as sign_in
from tests.factories import open_stage
from wuxiao.projects.models import Project, ProjectVersion
from wuxiao.projects.states import ProjectState

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def page(transactional_db, live_server, browser_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    return browser_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_applicant_fills_in_and_submits_a_team_project(
    page, live_server, campaign, carol_applicant, bob_unit_admin, tmp_path
):
    open_stage(campaign)
    carol_applicant.gender, carol_applicant.education, carol_applicant.mobile = "F", "bachelor", "13877212345"
    carol_applicant.save()
    sign_in(page, live_server, "carol")

    page.click("text=我的项目")
    page.click("text=申报新项目")
    page.fill("input[name=name]", "焊装线夹具快换结构改进")
    page.click("text=创建草稿并填写申报表")
    page.wait_for_url("**/edit/")
    project = Project.objects.get()
    assert page.input_value("input[name=leader_name]") == "蔡柔"  # prefilled from the profile

    # Basic information; autosave answers with the new version.
    page.fill("input[name=economic_benefit]", "12.5")
    page.fill("input[name=start_date]", "2024-06-01")
    page.fill("input[name=end_date]", "2024-12-31")
    page.check("input[name=patent_eligible][value=true]")
    try:
        page.wait_for_selector("#autosave-status :text('已自动保存')")
    except Exception:
        print("AUTOSAVE STATUS:", page.inner_text("#autosave-status"))
        raise
    project.refresh_from_db()
    assert str(project.economic_benefit) == "12.50"

    # A team member well over the age limit: the team mean breaks the rule.
    page.fill("input[name=m-name]", "周建国")
    page.select_option("select[name=m-gender]", "M")
    page.fill("input[name=m-birth_date]", "1970-03-01")
    page.select_option("select[name=m-education]", "college")
    page.click("#member-add")
    page.wait_for_selector("#members-table :text('周建国')")
    page.wait_for_selector("#members-table :text('54 周岁')")

    # An attachment made here: a real one-page PDF, uploaded in place.
    from tests.projects.files import pdf_bytes

    pdf = tmp_path / "立项说明.pdf"
    pdf.write_bytes(pdf_bytes())
    page.set_input_files("#attachment-file", str(pdf))
    page.click("#attachment-upload")
    page.wait_for_selector("#attachment-list :text('立项说明.pdf')")

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
    page.fill("input[name=commitment_name]", "蔡 柔")  # not exactly the leader's name

    page.click("#submit-project")
    page.wait_for_selector("#error-summary")
    summary = page.inner_text("#error-summary")
    assert "申报表有 2 处需要修改" in summary
    assert "团队平均年龄 41.0 岁（2 人，含项目负责人），超过 35 岁上限" in summary
    assert "承诺人签名：见该栏下方的提示" in summary  # each message once: here a link to the field
    assert "承诺签名“蔡 柔”与项目负责人姓名“蔡柔”不一致" in page.inner_text("#field-commitment_name")
    assert page.evaluate("document.activeElement.id") == "error-summary"  # focus moved to the summary
    page.screenshot(path=str(SHOTS / "submit-errors.png"), full_page=True)
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT

    # Fix: the member's real birth date, and the exact name.
    member_row = page.locator("#members-table tr", has_text="周建国")
    member_row.locator("text=编辑").click()
    page.wait_for_selector("tr.member-editing")
    page.fill("tr.member-editing input[type=date]", "1998-03-12")
    page.click("tr.member-editing >> text=保存")
    page.wait_for_selector("#members-table :text('26 周岁')")
    page.fill("input[name=commitment_name]", "蔡柔")
    page.screenshot(path=str(SHOTS / "submit-form.png"), full_page=True)
    page.click("#submit-project")
    page.wait_for_url(f"**/me/projects/{project.pk}/")
    page.wait_for_selector("#timeline")
    assert "申报表已提交，等待单位团组织审核" in page.inner_text("main")
    assert "已提交（待单位审核）" in page.inner_text("#timeline")
    assert "第 1 次提交" in page.inner_text("#versions")
    assert "周建国" in page.inner_text("#sheet-members")
    assert "立项说明.pdf" in page.inner_text("#sheet")
    page.screenshot(path=str(SHOTS / "submit-done.png"), full_page=True)

    project.refresh_from_db()
    assert project.state == ProjectState.SUBMITTED
    assert ProjectVersion.objects.filter(project=project).count() == 1
    assert project.members.get().birth_date.isoformat() == "1998-03-12"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_nothing_typed_is_lost_when_the_session_expires(page, live_server, campaign, carol_applicant):
    from django.contrib.sessions.models import Session

    from wuxiao.projects.services import create_project

    open_stage(campaign)
    project = create_project(campaign=campaign, leader=carol_applicant, name="锅炉给水泵变频节能改造")
    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/me/projects/{project.pk}/edit/")
    page.fill("textarea[name=reason]", "给水泵长期工频运行，阀门节流损失大。")
    page.wait_for_selector("#autosave-status :text('已自动保存')")

    # The session expires while the page is open (from the database and from Redis, if used).
    from wuxiao.people.sessions.cached_db import SessionStore

    for key in Session.objects.values_list("session_key", flat=True):
        SessionStore(session_key=key).delete()
    Session.objects.all().delete()
    page.fill("textarea[name=content]", "加装变频器，按锅炉负荷自动调节水泵转速。")
    page.wait_for_selector("#autosave-expired")
    assert "登录已过期" in page.inner_text("#autosave-status")
    page.screenshot(path=str(SHOTS / "submit-session-expired.png"))
    project.refresh_from_db()
    assert project.content == ""

    page.goto(f"{live_server.url}/accounts/login/?next=/me/projects/{project.pk}/edit/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", settings.WUXIAO_DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/me/projects/{project.pk}/edit/")
    page.wait_for_selector("#draft-restore:not(.d-none)")
    assert page.input_value("textarea[name=content]") == ""
    page.screenshot(path=str(SHOTS / "submit-restore.png"))
    page.click("[data-draft-restore]")
    assert page.input_value("textarea[name=content]") == "加装变频器，按锅炉负荷自动调节水泵转速。"
    page.wait_for_selector("#autosave-status :text('已自动保存')")
    project.refresh_from_db()
    assert project.content == "加装变频器，按锅炉负荷自动调节水泵转速。"
    assert project.reason == "给水泵长期工频运行，阀门节流损失大。"

    page.reload()
    assert page.is_hidden("#draft-restore")  # the server has it all now: nothing to offer


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_unit_admin_returns_a_project_and_the_applicant_sees_why(
    page, live_server, campaign, carol_applicant, bob_unit_admin
):
    from tests.projects.conftest import VALID
    from wuxiao.projects.services import create_project, save_draft, submit_project

    open_stage(campaign)
    project = create_project(campaign=campaign, leader=carol_applicant)
    project = save_draft(
        project=project, data={**VALID, "commitment_name": "蔡柔"}, by=carol_applicant, expected_version=1
    )
    submit_project(project=project, by=carol_applicant, expected_version=project.version)

    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/console/projects/?state=submitted")
    page.click("text=焊装线夹具快换结构改进")
    page.fill("textarea[name=reason]", "经济效益测算依据不足，请补充财务部门出具的测算说明")
    page.screenshot(path=str(SHOTS / "submit-console-detail.png"), full_page=True)
    page.click("#return-project button[type=submit]")
    page.wait_for_selector("text=已退回“焊装线夹具快换结构改进”")
    assert "退回修改" in page.inner_text("#timeline")
    page.goto(f"{live_server.url}/console/projects/")
    page.screenshot(path=str(SHOTS / "submit-console-list.png"))

    page.context.clear_cookies()
    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/me/projects/{project.pk}/edit/")
    assert "经济效益测算依据不足" in page.inner_text("#return-reason")
    project.refresh_from_db()
    assert project.state == ProjectState.RETURNED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_leader_s_age_follows_the_birth_date_as_it_is_typed(page, live_server, campaign, carol_applicant):
    from datetime import timedelta

    from wuxiao.projects import services

    open_stage(campaign)
    project = services.create_project(campaign=campaign, leader=carol_applicant, name="年龄随出生日期变化")
    ref = campaign.reference_date
    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/me/projects/{project.pk}/edit/")
    birthday = ref.replace(year=ref.year - 30)
    page.fill("input[name=leader_birth_date]", birthday.isoformat())
    assert page.inner_text("#leader-age") == f"30 周岁（按 {ref.isoformat()} 计算）"
    page.fill("input[name=leader_birth_date]", (birthday + timedelta(days=1)).isoformat())
    assert page.inner_text("#leader-age") == f"29 周岁（按 {ref.isoformat()} 计算）"
    page.fill("input[name=leader_birth_date]", "")
    assert page.inner_text("#leader-age") == "由出生日期计算"
