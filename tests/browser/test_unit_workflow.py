"""One project of a unit walked from classification to forwarding in a real browser:
the unit admin, the leader, the advisors and the opinion givers each do their part.
Screenshots go to var/screenshots/unit-*.png for a person to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests import browsing
from tests.browsing import sign_in
from tests.factories import participation
from tests.unitflow import PDF, PNG, make_project, open_stage
from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState as S

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def scene(campaign, unit_a, bob_unit_admin, carol_applicant, advisors, walt_workshop, tina_tech):
    open_stage(campaign, "registration")  # a late unit: classification and results in one walk
    open_stage(campaign, "collection")
    participation(campaign, unit_a, young_workers=230)  # quota 10
    project = make_project(
        campaign,
        unit_a,
        carol_applicant,
        name="数控车床自动送料装置的改进",
        economic_benefit=None,
        reason="人工上料效率低、劳动强度大",
        content="设计气动送料机构，实现棒料自动送进与定位",
    )
    make_project(
        campaign,
        unit_a,
        carol_applicant,
        state=S.ACCEPTED,
        level="general",
        name="空压机余热回收小改造",
        submitted_at=timezone.now() - timedelta(days=75),
    )
    return project


def shot(page, name):
    browsing.shot(page, SHOTS, f"unit-{name}")


def give_opinion(browser, live_server, username, project, text):
    context, page = sign_in(browser, live_server, username)
    page.goto(f"{live_server.url}/console/unit/{project.unit_id}/opinions/")
    page.click(f"a[href='/console/unit/{project.unit_id}/projects/{project.pk}/opinion/']")
    page.select_option("select[name=decision]", "approve")
    page.fill("textarea[name=text]", text)
    page.set_input_files("input[name=stamp]", files=[{"name": "公章.png", "mimeType": "image/png", "buffer": PNG}])
    if username == "walt":  # reads the 成果说明 and 成果证明材料 before signing
        assert "单班产量提高 15%" in page.inner_text("#result-description")
        assert "测试报告.pdf" in page.inner_text("#result-evidence")
        shot(page, "opinion")
    page.click("form[enctype] button[type=submit]")
    assert "已提交对“数控车床自动送料装置的改进”的意见" in page.inner_text(".messages")
    context.close()


# Data fixtures before `live_server`, so PostgreSQL can drop the test database after the
# session-wide server (see tests/browser/test_demo_accounts.py on the demo branch).
def test_one_project_from_classification_to_forwarding(scene, advisors, alice_committee, live_server, browser):
    project, unit = scene, scene.unit_id
    # 立项: the unit admin tries to confirm a key project without advisors, then assigns two.
    context, page = sign_in(browser, live_server, "bob")
    page.goto(f"{live_server.url}/console/unit/{unit}/applications/")
    assert "数控车床自动送料装置的改进" in page.inner_text("table")
    shot(page, "applications")
    page.click("text=数控车床自动送料装置的改进")
    page.select_option("select[name=c-level]", "key")
    page.fill("input[name=c-funding]", "3.50")
    page.click("text=确认立项")
    assert "重点项目需配备至少 2 名技术顾问，当前 0 名" in page.inner_text(".alert-danger")
    shot(page, "classify-refused")
    for advisor in advisors:
        page.select_option("select[name=a-advisor]", str(advisor.pk))
        page.click("button:has-text('指派')")
        assert f"已指派技术顾问 {advisor.real_name}" in page.inner_text(".messages")
    page.select_option("select[name=c-level]", "key")
    page.fill("input[name=c-funding]", "3.50")
    page.fill("textarea[name=c-equipment]", "借用质检部三坐标测量仪")
    page.click("text=确认立项")
    assert "已立项为重点项目" in page.inner_text(".messages")
    shot(page, "classified")
    # 攻关进度: the quiet project is overdue and gets urged.
    page.goto(f"{live_server.url}/console/unit/{unit}/progress/")
    row = page.locator("tr", has_text="空压机余热回收小改造")
    assert "逾期 75 天" in row.inner_text()
    row.locator("input[name=note]").fill("请本周内补填工作记录")
    row.locator("button:has-text('催办')").click()
    assert "已催办“空压机余热回收小改造”，项目组已收到通知" in page.inner_text(".messages")
    shot(page, "progress")
    context.close()

    # 攻关: the leader keeps a work record; an advisor signs it off.
    context, page = sign_in(browser, live_server, "carol")
    page.goto(f"{live_server.url}/me/work/{project.pk}/")
    page.fill("textarea[name=done]", "完成送料机构样机装配并试运行 2 小时")
    page.fill("textarea[name=problems]", "送料定位误差 0.3 mm")
    page.fill("textarea[name=next_steps]", "更换定位销后复测")
    page.click("text=保存记录")
    assert "工作记录已保存" in page.inner_text(".messages")
    context.close()
    context, page = sign_in(browser, live_server, advisors[0].username)
    page.goto(f"{live_server.url}/me/work/{project.pk}/")
    page.fill("textarea[name=text]", "定位销改用淬火钢，记录复测数据")
    page.check("input[name=sign_off]")
    page.click("text=提交意见")
    assert "已签字确认" in page.inner_text(".work-record")
    shot(page, "workrecords")
    context.close()

    # 成果收集: the leader submits the result; the chain runs 车间 → 技术部门 → 团组织.
    context, page = sign_in(browser, live_server, "carol")
    page.goto(f"{live_server.url}/me/work/{project.pk}/")
    page.fill("input[name=economic_benefit]", "18.60")
    page.fill("textarea[name=result_description]", "送料装置已在二车间试用三个月，单班产量提高 15%。")
    page.set_input_files(
        "input[name=evidence]", files=[{"name": "测试报告.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    shot(page, "result")
    page.click("button:has-text('提交成果')")
    assert "成果已提交，进入单位审核" in page.inner_text(".messages")
    context.close()
    give_opinion(browser, live_server, "walt", project, "该装置已在二车间试用三个月，情况属实，同意。")
    give_opinion(browser, live_server, "tina", project, "技术方案可行，效益测算依据充分。")
    give_opinion(browser, live_server, "bob", project, "同意推荐参加单位内部评比。")
    assert Project.objects.get(pk=project.pk).state == S.UNIT_APPROVED

    # 内部评比 and 上报.
    context, page = sign_in(browser, live_server, "bob")
    page.goto(f"{live_server.url}/console/unit/{unit}/evaluation/")
    page.fill("input[name=score]", "92")
    page.select_option("select[name=self_grade]", "A")
    page.click("button:has-text('保存')")
    assert "已保存“数控车床自动送料装置的改进”的内部评比结果" in page.inner_text(".messages")
    page.goto(f"{live_server.url}/console/unit/{unit}/forwarding/")
    assert "可报 10 项，已报 0 项" in page.inner_text(".quota-status")
    page.check(f"#fp-{project.pk}")
    page.fill("input[name=reporter_name]", "黄小军")
    page.fill("input[name=reporter_phone]", "0772-2827423")
    page.click("text=预览汇总表")
    table = page.inner_text(".summary-table")
    assert "数控车床自动送料装置的改进" in table and "18.60" in table and "项目合计 1 项" in table
    shot(page, "forward-preview")
    page.click("text=确认上报 1 项")
    assert "已上报 1 项成果至组委会" in page.inner_text(".messages")
    assert "可报 10 项，已报 1 项" in page.inner_text(".quota-status")
    shot(page, "forwarded")
    context.close()

    # The committee sees every unit's forwarding status.
    context, page = sign_in(browser, live_server, "alice")
    page.goto(f"{live_server.url}/console/committee/forwarding/")
    assert "数控车床自动送料装置的改进" in page.inner_text("main")
    page.goto(f"{live_server.url}/console/stats/{alice_committee.memberships.get().organisation_id}/#units")
    assert "1 / 10" in page.locator("#units tr", has_text="示例机械有限公司团委").inner_text()
    shot(page, "committee")
    context.close()

    project.refresh_from_db()
    assert (project.state, project.level, project.self_grade) == (S.FORWARDED, "key", "A")
    assert [o.step for o in project.opinions.all()] == ["workshop", "tech_dept", "league"]
