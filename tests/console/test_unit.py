"""Console pages of the unit workflow: who is refused on every page, what each page does,
and that list pages cost the same number of queries for 2 rows as for 20."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.unitflow import PNG, assign, make_advisor, make_project, open_stage, png
from wuxiao.campaigns.models import StageExtension
from wuxiao.notifications.models import Notification
from wuxiao.projects.models import Direction, Opinion, Project, WorkRecord
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(campaign, unit_a, bob_unit_admin, carol_applicant, advisors, walt_workshop, tina_tech, part_a):
    """One project of unit_a in each state the pages act on."""
    p = {
        "submitted": make_project(campaign, unit_a, carol_applicant, name="待立项项目"),
        "accepted": make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key", name="攻关项目"),
        "workshop": make_project(
            campaign, unit_a, carol_applicant, state=S.RESULT_WORKSHOP, level="key", name="车间待审项目"
        ),
        "league": make_project(
            campaign, unit_a, carol_applicant, state=S.RESULT_LEAGUE, level="key", name="团委待审项目"
        ),
        "approved": make_project(
            campaign, unit_a, carol_applicant, state=S.UNIT_APPROVED, level="key", self_grade="A", name="待上报项目"
        ),
        "forwarded": make_project(
            campaign,
            unit_a,
            carol_applicant,
            state=S.FORWARDED,
            level="key",
            self_grade="A",
            name="已上报项目",
            forwarded_at=timezone.now(),
        ),
    }
    assign(p["accepted"], *advisors)
    Direction.objects.create(campaign=campaign, unit=unit_a, title="降本增效", created_by=bob_unit_admin)
    return p


def unit_urls(unit, p, advisor_id):
    """(method, url) of every unit-admin page and action."""
    u = unit.pk
    return [
        ("get", reverse("console:unit_directions", args=[u])),
        ("post", reverse("console:unit_directions_publish", args=[u])),
        ("post", reverse("console:unit_direction_delete", args=[u, Direction.objects.get().pk])),
        ("get", reverse("console:unit_applications", args=[u])),
        ("get", reverse("console:unit_project", args=[u, p["submitted"].pk])),
        ("get", reverse("console:project_detail", args=[p["submitted"].pk])),
        ("post", reverse("console:project_return", args=[p["submitted"].pk])),
        ("post", reverse("console:unit_classify", args=[u, p["submitted"].pk])),
        ("post", reverse("console:unit_refuse", args=[u, p["submitted"].pk])),
        ("post", reverse("console:unit_change_level", args=[u, p["accepted"].pk])),
        ("post", reverse("console:unit_resources", args=[u, p["accepted"].pk])),
        ("post", reverse("console:unit_advisor_add", args=[u, p["submitted"].pk])),
        ("post", reverse("console:unit_advisor_remove", args=[u, p["accepted"].pk, advisor_id])),
        ("post", reverse("console:unit_advisor_invite", args=[u, p["submitted"].pk])),
        ("get", reverse("console:unit_progress", args=[u])),
        ("post", reverse("console:unit_urge", args=[u, p["accepted"].pk])),
        ("get", reverse("console:unit_evaluation", args=[u])),
        ("post", reverse("console:unit_evaluate", args=[u, p["approved"].pk])),
        ("get", reverse("console:unit_forwarding", args=[u])),
        ("post", reverse("console:unit_forwarding", args=[u])),
    ]


POST_DATA = {
    "c-level": "general",
    "r-reason": "不符合",
    "l-level": "general",
    "l-reason": "缩小",
    "res-funding": "1",
    "a-advisor": "1",
    "i-real_name": "新顾问",
    "note": "快",
    "score": "90",
    "self_grade": "A",
    "projects": [],
    "reporter_name": "x",
    "reporter_phone": "0772-2827423",
    "confirm": "1",
    "reason": "原因",
    "decision": "applicant",
    "text": "退回",
}


def snapshot_state():
    return (
        sorted(Project.objects.values_list("pk", "state", "level", "self_grade")),
        Direction.objects.filter(published=True).count(),
        Direction.objects.count(),
        Notification.objects.count(),
        Opinion.objects.count(),
        StageExtension.objects.count(),
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [("eve_other_unit_admin", 404), ("carol_applicant", 403), ("dave_expert", 403), ("mallory", 403)],
)
def test_unit_pages_refuse_outsiders(request, client_for, world, unit_a, advisors, who, expected):
    client = client_for(request.getfixturevalue(who))
    before = snapshot_state()
    for method, url in unit_urls(unit_a, world, advisors[0].pk):
        response = getattr(client, method)(url, POST_DATA if method == "post" else None)
        assert response.status_code == expected, (method, url)
    assert snapshot_state() == before


def opinion_urls(unit, p):
    return [
        ("get", reverse("console:unit_opinions", args=[unit.pk])),
        ("get", reverse("console:unit_opinion", args=[unit.pk, p["workshop"].pk])),
        ("post", reverse("console:unit_opinion", args=[unit.pk, p["workshop"].pk])),
    ]


@pytest.mark.parametrize("who", ["eve_other_unit_admin", "carol_applicant", "dave_expert", "mallory"])
def test_opinion_pages_refuse_outsiders(request, client_for, world, unit_a, who):
    client = client_for(request.getfixturevalue(who))
    before = snapshot_state()
    for method, url in opinion_urls(unit_a, world):
        response = getattr(client, method)(url, POST_DATA if method == "post" else None)
        assert response.status_code == 404, (method, url)
    assert snapshot_state() == before


def test_opinion_giver_of_another_step_may_see_but_not_act(client_for, world, unit_a, tina_tech):
    client = client_for(tina_tech)
    response = client.get(reverse("console:unit_opinions", args=[unit_a.pk]))
    assert response.status_code == 200
    assert "车间待审项目" not in response.content.decode()
    url = reverse("console:unit_opinion", args=[unit_a.pk, world["workshop"].pk])
    assert client.post(url, {"decision": "applicant", "text": "退回"}).status_code == 403
    assert Project.objects.get(pk=world["workshop"].pk).state == S.RESULT_WORKSHOP


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("bob_unit_admin", 403),
        ("dan_district_admin", 403),
        ("eve_other_unit_admin", 403),
        ("carol_applicant", 403),
        ("dave_expert", 403),
        ("mallory", 403),
    ],
)
def test_committee_pages_refuse_everyone_else(request, client_for, world, unit_a, who, expected):
    client = client_for(request.getfixturevalue(who))
    before = snapshot_state()
    stage = unit_a  # any id; the decorator refuses first
    for method, url in [
        ("get", reverse("console:committee_overview")),
        ("post", reverse("console:extensions")),
        ("post", reverse("console:committee_send_back", args=[world["forwarded"].pk])),
    ]:
        data = {"organisation": unit_a.pk, "stage": stage.pk, "until": "2030-01-01", "reason": "r"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == expected, url
    assert snapshot_state() == before


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("eve_other_unit_admin", 404),
        ("bob_unit_admin", 404),
        ("carol_applicant", 403),
        ("dave_expert", 403),
        ("mallory", 403),
    ],
)
def test_district_overview_refuses(request, client_for, world, district, who, expected):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("console:district_overview", args=[district.pk])).status_code == expected


def test_unit_home_lists_what_the_admin_runs(client_for, bob_unit_admin, unit_a, campaign):
    response = client_for(bob_unit_admin).get(reverse("console:unit_home"))
    assert response.status_code == 200
    assert reverse("console:unit_forwarding", args=[unit_a.pk]) in response.content.decode()


# --- What the pages do -----------------------------------------------------------------


def test_directions_add_and_publish(client_for, bob_unit_admin, unit_a, campaign, carol_applicant):
    open_stage(campaign, "registration")
    client = client_for(bob_unit_admin)
    url = reverse("console:unit_directions", args=[unit_a.pk])
    response = client.post(url, {"title": "节能降耗", "description": "降低空压机能耗", "order": 1})
    assert response.status_code == 302
    response = client.post(reverse("console:unit_directions_publish", args=[unit_a.pk]), follow=True)
    assert "已发布 1 个项目方向" in response.content.decode()
    assert Direction.objects.get(title="节能降耗").published is True
    assert Notification.objects.filter(recipient=carol_applicant, kind="unit.directions").count() == 1


def test_classify_page_shows_the_advisor_rule(client_for, world, unit_a, bob_unit_admin, advisors):
    open_stage(world["submitted"].campaign, "registration")
    client = client_for(bob_unit_admin)
    project = world["submitted"]
    url = reverse("console:unit_classify", args=[unit_a.pk, project.pk])
    response = client.post(url, {"c-level": "key", "c-funding": "2", "c-equipment": ""})
    assert response.status_code == 400
    assert "重点项目需配备至少 2 名技术顾问，当前 0 名" in response.content.decode()
    for a in advisors:
        r = client.post(reverse("console:unit_advisor_add", args=[unit_a.pk, project.pk]), {"a-advisor": a.pk})
        assert r.status_code == 302
    response = client.post(url, {"c-level": "key", "c-funding": "2", "c-equipment": "示波器"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.state, project.level, project.resources.equipment) == (S.ACCEPTED, "key", "示波器")


def test_an_advisor_already_assigned_is_not_offered_again(client_for, world, unit_a, bob_unit_admin, advisors):
    open_stage(world["submitted"].campaign, "registration")
    client = client_for(bob_unit_admin)
    project = world["submitted"]
    page = reverse("console:project_detail", args=[project.pk])
    assert set(client.get(page).context["advisor_form"].fields["advisor"].queryset) == set(advisors)
    client.post(reverse("console:unit_advisor_add", args=[unit_a.pk, project.pk]), {"a-advisor": advisors[0].pk})
    assert list(client.get(page).context["advisor_form"].fields["advisor"].queryset) == [advisors[1]]
    response = client.post(
        reverse("console:unit_advisor_add", args=[unit_a.pk, project.pk]), {"a-advisor": advisors[0].pk}
    )
    assert response.status_code == 400  # refused as not a choice
    assert project.advisor_assignments.count() == 1


def test_zero_benefit_shows_as_zero(client_for, world, unit_a, bob_unit_admin, campaign):
    from decimal import Decimal

    project = world["approved"]
    Project.objects.filter(pk=project.pk).update(economic_benefit=Decimal("0"))
    client = client_for(bob_unit_admin)
    text = client.get(reverse("console:unit_evaluation", args=[unit_a.pk])).content.decode()
    row = text.split("待上报项目")[1].split("</tr>")[0]
    assert "<td>0.00</td>" in row
    # The forwarding page's candidates and its 汇总表 preview too (a Decimal 0 is falsy).
    open_stage(campaign, "collection")
    url = reverse("console:unit_forwarding", args=[unit_a.pk])
    row = client.get(url).content.decode().split(f'id="fp-{project.pk}"')[1].split("</tr>")[0]
    assert row.endswith("<td>0.00</td>")
    data = {"projects": [project.pk], "reporter_name": "黄小军", "reporter_phone": "0772-2827423"}
    preview = (
        client.post(url, data).content.decode().split('class="table table-bordered table-sm mb-0 summary-table"')[1]
    )
    row = preview.split(f"<td>{project.name}</td>")[1].split("</tr>")[0]
    assert "<td>0.00</td>" in row, row


def test_an_opinion_giver_reads_the_whole_form_every_record_and_a_key_project_without_records_is_flagged(
    client_for, world, unit_a, walt_workshop, carol_applicant
):
    from datetime import date

    from tests.factories import attachment
    from wuxiao.projects.models import WorkRecord

    project = world["workshop"]
    Project.objects.filter(pk=project.pk).update(reason="人工上料效率低", measures="气动送料、光电定位")
    attachment(project, "测试报告.pdf", by=carol_applicant)
    url = reverse("console:unit_opinion", args=[unit_a.pk, project.pk])
    text = client_for(walt_workshop).get(url).content.decode()
    assert 'id="no-work-records"' in text and "没有填写任何工作记录" in text
    assert 'id="sheet"' in text and "人工上料效率低" in text and "气动送料、光电定位" in text and "测试报告.pdf" in text
    assert "13877212345" not in text  # the leader's phone stays masked for the giver
    for day in range(1, 8):
        WorkRecord.objects.create(
            project=project, date=date(2024, 9, day), done=f"第{day}次试验", created_by=carol_applicant
        )
    text = client_for(walt_workshop).get(url).content.decode()
    assert 'id="no-work-records"' not in text
    assert "全部工作记录（7 条）" in text and all(f"第{d}次试验" in text for d in range(1, 8))


def test_refuse_from_the_page(client_for, world, unit_a, bob_unit_admin):
    open_stage(world["submitted"].campaign, "registration")
    project = world["submitted"]
    response = client_for(bob_unit_admin).post(
        reverse("console:unit_refuse", args=[unit_a.pk, project.pk]), {"r-reason": "属于大型科研项目"}
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).state == S.REFUSED


def test_invite_an_advisor(client_for, world, unit_a, bob_unit_admin):
    from wuxiao.people.models import Invitation

    response = client_for(bob_unit_admin).post(
        reverse("console:unit_advisor_invite", args=[unit_a.pk, world["submitted"].pk]),
        {"i-real_name": "覃新", "i-email": "qin@example.com"},
        follow=True,
    )
    assert "已邀请 覃新 担任本单位技术顾问" in response.content.decode()
    assert Invitation.objects.get().role == "advisor"


def test_progress_page_and_urging(client_for, world, unit_a, bob_unit_admin, carol_applicant):
    open_stage(world["accepted"].campaign, "work")
    WorkRecord.objects.create(
        project=world["accepted"], date=timezone.localdate(), done="试制", created_by=carol_applicant
    )
    quiet = make_project(
        world["accepted"].campaign,
        unit_a,
        carol_applicant,
        state=S.ACCEPTED,
        level="general",
        name="沉默项目",
        submitted_at=timezone.now() - timezone.timedelta(days=60),
    )
    client = client_for(bob_unit_admin)
    text = client.get(reverse("console:unit_progress", args=[unit_a.pk])).content.decode()
    assert "攻关项目" in text and "沉默项目" in text
    assert "逾期 60 天" in text
    response = client.post(reverse("console:unit_urge", args=[unit_a.pk, quiet.pk]), {"note": "请补记录"}, follow=True)
    assert "已催办“沉默项目”" in response.content.decode()
    assert Notification.objects.filter(recipient=carol_applicant, kind="project.urged").count() == 1


def test_opinion_page_approves_with_a_stamp(client_for, world, unit_a, walt_workshop, tina_tech, bob_unit_admin):
    open_stage(world["workshop"].campaign, "collection")
    client = client_for(walt_workshop)
    project = world["workshop"]
    assert "车间待审项目" in client.get(reverse("console:unit_opinions", args=[unit_a.pk])).content.decode()
    url = reverse("console:unit_opinion", args=[unit_a.pk, project.pk])
    response = client.post(url, {"decision": "approve", "text": "同意"})
    assert response.status_code == 400
    assert "同意时必须上传盖章" in response.content.decode()
    response = client.post(url, {"decision": "approve", "text": "同意", "stamp": png()})
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).state == S.RESULT_TECH
    assert Opinion.objects.get(project=project).stamp.file.read() == PNG
    # The timeline says who did what, with the opinion, not the state it led to.
    text = client_for(bob_unit_admin).get(reverse("console:project_detail", args=[project.pk])).content.decode()
    timeline = text.split('id="timeline"')[1]
    assert "<strong>吴车间</strong>（车间（分厂/科室/子公司））提出意见（同意）：" in timeline


def test_league_step_returns_to_tech(client_for, world, unit_a, bob_unit_admin):
    open_stage(world["league"].campaign, "collection")
    url = reverse("console:unit_opinion", args=[unit_a.pk, world["league"].pk])
    response = client_for(bob_unit_admin).post(url, {"decision": "previous", "text": "请技术部门复核数据"})
    assert response.status_code == 302
    assert Project.objects.get(pk=world["league"].pk).state == S.RESULT_TECH


def test_evaluation_page(client_for, world, unit_a, bob_unit_admin):
    open_stage(world["league"].campaign, "collection")
    client = client_for(bob_unit_admin)
    assert "待上报项目" in client.get(reverse("console:unit_evaluation", args=[unit_a.pk])).content.decode()
    client.post(
        reverse("console:unit_evaluate", args=[unit_a.pk, world["approved"].pk]), {"score": "88.5", "self_grade": "B"}
    )
    project = Project.objects.get(pk=world["approved"].pk)
    assert (project.internal_score, project.self_grade) == (Decimal("88.50"), "B")


def test_forwarding_preview_then_confirm(client_for, world, unit_a, bob_unit_admin, campaign):
    open_stage(campaign, "collection")
    client = client_for(bob_unit_admin)
    url = reverse("console:unit_forwarding", args=[unit_a.pk])
    text = client.get(url).content.decode()
    assert "可报 5 项，已报 1 项" in text
    project = world["approved"]
    data = {"projects": [project.pk], "reporter_name": "黄小军", "reporter_phone": "0772-2827423"}
    text = client.post(url, data).content.decode()
    assert "汇总表预览" in text and "项目合计 1 项" in text and "待上报项目" in text
    assert "报送单位（盖章）：<strong>示例机械有限公司团委</strong>" in text
    assert Project.objects.get(pk=project.pk).state == S.UNIT_APPROVED
    response = client.post(url, {**data, "confirm": "1"}, follow=True)
    assert "已上报 1 项成果至组委会" in response.content.decode()
    assert "可报 5 项，已报 2 项" in response.content.decode()
    assert Project.objects.get(pk=project.pk).state == S.FORWARDED


def test_forwarding_page_shows_the_quota_refusal(client_for, world, unit_a, bob_unit_admin, campaign):
    open_stage(campaign, "collection")
    for _ in range(4):
        make_project(campaign, unit_a, UserFactory(), state=S.FORWARDED, level="key", self_grade="A")
    extra = make_project(campaign, unit_a, UserFactory(), state=S.UNIT_APPROVED, level="key", self_grade="C")
    data = {
        "projects": [world["approved"].pk, extra.pk],
        "reporter_name": "黄小军",
        "reporter_phone": "0772-2827423",
        "confirm": "1",
    }
    response = client_for(bob_unit_admin).post(reverse("console:unit_forwarding", args=[unit_a.pk]), data)
    assert response.status_code == 400
    assert "上报名额已满：可报 5 项，已报 5 项，本次选择 2 项" in response.content.decode()


def test_forwarding_refusal_keeps_every_tick_and_says_what_is_left(client_for, world, unit_a, bob_unit_admin, campaign):
    open_stage(campaign, "collection")
    for _ in range(2):  # with the world's one: 3 of 5 forwarded, 2 left
        make_project(campaign, unit_a, UserFactory(), state=S.FORWARDED, level="key", self_grade="A")
    extra = [make_project(campaign, unit_a, UserFactory(), state=S.UNIT_APPROVED, level="key") for _ in range(2)]
    chosen = [world["approved"].pk, *(p.pk for p in extra)]
    data = {"projects": chosen, "reporter_name": "黄小军", "reporter_phone": "0772-2827423", "confirm": "1"}
    response = client_for(bob_unit_admin).post(reverse("console:unit_forwarding", args=[unit_a.pk]), data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "超出剩余名额：剩余 2 项，本次选择 3 项（可报 5 项，已报 3 项）" in text
    assert "上报名额已满" not in text
    for pk in chosen:
        assert f'value="{pk}" id="fp-{pk}" checked' in text
    assert Project.objects.filter(pk__in=chosen, state=S.FORWARDED).count() == 0


def test_forwarding_candidates_best_score_first_and_paged(client_for, world, unit_a, bob_unit_admin, campaign):
    open_stage(campaign, "collection")
    leader = UserFactory()
    scores = [Decimal("71.5"), Decimal("93"), None, Decimal("88.25")]
    made = [
        make_project(campaign, unit_a, leader, state=S.UNIT_APPROVED, level="key", internal_score=s) for s in scores
    ]
    client = client_for(bob_unit_admin)
    url = reverse("console:unit_forwarding", args=[unit_a.pk])
    shown = list(client.get(url).context["candidates"])
    scored = [p for p in shown if p.internal_score is not None]
    assert [p.internal_score for p in scored] == sorted((p.internal_score for p in scored), reverse=True)
    assert shown.index(made[1]) < shown.index(made[3]) < shown.index(made[0]) < shown.index(made[2])
    for _ in range(55):
        make_project(campaign, unit_a, leader, state=S.UNIT_APPROVED, level="key")
    response = client.get(url)
    total = Project.objects.filter(unit=unit_a, campaign=campaign, state=S.UNIT_APPROVED, level="key").count()
    assert len(response.context["candidates"]) == 50
    assert f"共 {total} 项候选" in response.content.decode()
    assert len(client.get(url + "?page=2").context["candidates"]) == total - 50


def test_district_forwards_on_behalf_only_when_allowed(
    client_for, world, unit_a, dan_district_admin, campaign, district
):
    open_stage(campaign, "collection")
    client = client_for(dan_district_admin)
    response = client.get(reverse("console:district_overview", args=[district.pk]))
    assert response.url == reverse("console:stats", args=[district.pk]) + "#units"
    text = client.get(response.url).content.decode()
    assert "示例机械有限公司团委" in text and "1 / 5" in text and "未授权代报" in text
    url = reverse("console:unit_forwarding", args=[unit_a.pk])
    data = {
        "projects": [world["approved"].pk],
        "reporter_name": "邓丹",
        "reporter_phone": "0772-2827423",
        "confirm": "1",
    }
    assert client.post(url, data).status_code == 403
    unit_a.allow_parent_forwarding = True
    unit_a.save()
    assert client.post(url, data).status_code == 302
    assert Project.objects.get(pk=world["approved"].pk).forwarded_by == dan_district_admin


def test_committee_extends_a_stage_and_sends_back(client_for, world, unit_a, alice_committee, campaign):
    client = client_for(alice_committee)
    text = client.get(reverse("console:committee_overview")).content.decode()
    assert "已上报项目" in text and reverse("console:stats", args=[world["forwarded"].unit.parent.parent.pk]) in text
    dashboard = client.get(reverse("console:stats", args=[world["forwarded"].unit.parent.parent.pk])).content.decode()
    assert "示例机械有限公司团委" in dashboard and "1 / 5" in dashboard
    stage = campaign.stages.get(kind="collection")
    # The overview's form posts to the one extension flow and comes back to the overview.
    assert f'action="{reverse("console:extensions")}"' in text
    response = client.post(
        reverse("console:extensions"),
        {
            "organisation": unit_a.pk,
            "stage": stage.pk,
            "until": "2025-03-15",
            "reason": "生产检修",
            "next": reverse("console:committee_overview"),
        },
    )
    assert response.url == reverse("console:committee_overview")
    text = client.get(response.url).content.decode()
    assert "已将“示例机械有限公司团委”的成果收集阶段延长至 2025-03-15" in text
    assert StageExtension.objects.get().reason == "生产检修"
    client.post(reverse("console:committee_send_back", args=[world["forwarded"].pk]), {"reason": "缺盖章页"})
    assert Project.objects.get(pk=world["forwarded"].pk).state == S.UNIT_APPROVED


# --- Query counts ------------------------------------------------------------------------


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_rows(campaign, unit, n, state, **fields):
    leader = UserFactory()
    for i in range(n):
        p = make_project(campaign, unit, leader, state=state, level="key", **fields)
        assign(p, make_advisor(unit, f"顾问{p.pk}-{i}"))
        WorkRecord.objects.create(project=p, date=timezone.localdate(), done="记录", created_by=leader)


@pytest.mark.parametrize(
    ("name", "state", "who"),
    [
        ("console:projects", S.SUBMITTED, "bob_unit_admin"),
        ("console:unit_progress", S.ACCEPTED, "bob_unit_admin"),
        ("console:unit_opinions", S.RESULT_WORKSHOP, "walt_workshop"),
        ("console:unit_evaluation", S.UNIT_APPROVED, "bob_unit_admin"),
        ("console:unit_forwarding", S.UNIT_APPROVED, "bob_unit_admin"),
        ("console:unit_forwarding", S.FORWARDED, "bob_unit_admin"),
    ],
)
def test_unit_list_pages_query_count_is_constant(request, client_for, campaign, unit_a, part_a, name, state, who):
    client = client_for(request.getfixturevalue(who))
    url = f"{reverse(name)}?unit={unit_a.pk}" if name == "console:projects" else reverse(name, args=[unit_a.pk])
    add_rows(campaign, unit_a, 2, state, self_grade="A")
    few = count(client, url)
    add_rows(campaign, unit_a, 18, state, self_grade="A")
    assert count(client, url) == few


@pytest.mark.parametrize("who", ["dan_district_admin", "alice_committee"])
def test_overview_query_count_is_constant(request, client_for, campaign, district, who):
    from tests.factories import OrgKind, make_org

    client = client_for(request.getfixturevalue(who))
    # The overviews are the statistics dashboards' unit tables now.
    url = reverse("console:stats", args=[district.pk if who == "dan_district_admin" else district.parent_id])
    units = [make_org(f"单位{i}", OrgKind.ENTERPRISE, district) for i in range(2)]
    for u in units:
        add_rows(campaign, u, 1, S.FORWARDED, self_grade="A")
    few = count(client, url)
    units = [make_org(f"新单位{i}", OrgKind.ENTERPRISE, district) for i in range(18)]
    for u in units:
        add_rows(campaign, u, 1, S.FORWARDED, self_grade="A")
    assert count(client, url) == few


def test_applications_show_each_projects_advisor_count(client_for, world, unit_a, bob_unit_admin, advisors):
    response = client_for(bob_unit_admin).get(reverse("console:projects"), {"unit": unit_a.pk})
    counts = {p.name: p.advisor_count for p in response.context["page"]}
    assert counts["攻关项目"] == len(advisors) and len(advisors) >= 2
    assert counts["待立项项目"] == 0


def test_overview_counts_follow_every_state_change(
    client_for, world, unit_a, bob_unit_admin, dan_district_admin, campaign, district
):
    """The counts are cached between state changes, never stale after one."""
    from wuxiao.projects import workflow

    open_stage(campaign, "collection")
    client = client_for(dan_district_admin)
    url = reverse("console:district_overview", args=[district.pk])  # now the units table of the dashboard
    assert client.get(url).url == reverse("console:stats", args=[district.pk]) + "#units"
    url = reverse("console:stats", args=[district.pk])
    assert "1 / 5" in client.get(url).content.decode()
    assert "1 / 5" in client.get(url).content.decode()  # from the cache
    workflow.forward_projects(
        unit=unit_a,
        projects=[world["approved"]],
        by=bob_unit_admin,
        reporter_name="黄小军",
        reporter_phone="0772-2827423",
    )
    assert "2 / 5" in client.get(url).content.decode()
    make_project(campaign, unit_a, UserFactory(), state=S.FORWARDED, level="key")  # a row written without an event
    assert "3 / 5" in client.get(url).content.decode()


# --- One list and one page per project ----------------------------------------------------


def test_old_unit_urls_lead_to_the_one_list_and_page(client_for, world, unit_a, bob_unit_admin):
    client = client_for(bob_unit_admin)
    project = world["submitted"]
    response = client.get(reverse("console:unit_applications", args=[unit_a.pk]))
    assert response.url == f"{reverse('console:projects')}?unit={unit_a.pk}"
    response = client.get(reverse("console:unit_project", args=[unit_a.pk, project.pk]))
    assert response.url == reverse("console:project_detail", args=[project.pk])


def test_the_one_page_offers_every_action_of_the_state(client_for, world, bob_unit_admin):
    client = client_for(bob_unit_admin)
    submitted = client.get(reverse("console:project_detail", args=[world["submitted"].pk])).content.decode()
    for section in ('id="return-project"', 'id="classify"', 'id="refuse"', 'id="advisors"', 'id="sheet"'):
        assert section in submitted, section
    assert 'id="change-level"' not in submitted
    accepted = client.get(reverse("console:project_detail", args=[world["accepted"].pk])).content.decode()
    assert 'id="change-level"' in accepted and 'id="resources"' in accepted
    assert 'id="classify"' not in accepted and 'id="return-project"' not in accepted
    forwarded = client.get(reverse("console:project_detail", args=[world["forwarded"].pk])).content.decode()
    assert "内容已冻结" in forwarded and 'id="change-level"' not in forwarded and "指派</button>" not in forwarded


def test_the_submitted_notice_leads_to_the_page_with_the_classify_button(
    client_for, world, unit_a, bob_unit_admin, advisors
):
    from wuxiao.notifications import messages

    messages.project_submitted(world["submitted"], number=1)
    note = Notification.objects.get(recipient=bob_unit_admin, kind="project.submitted")
    page = client_for(bob_unit_admin).get(note.url).content.decode()
    assert reverse("console:unit_classify", args=[unit_a.pk, world["submitted"].pk]) in page


def test_a_failed_action_comes_back_to_the_one_page_with_its_errors(client_for, world, unit_a, bob_unit_admin):
    url = reverse("console:unit_refuse", args=[unit_a.pk, world["submitted"].pk])
    response = client_for(bob_unit_admin).post(url, {"r-reason": ""})
    assert response.status_code == 400
    assert response.templates[0].name == "console/projects/detail.html"
    assert response.context["refuse_form"].errors


def test_the_list_has_the_filters_of_both_and_encodes_them(client_for, world, unit_a, bob_unit_admin, campaign):
    client = client_for(bob_unit_admin)
    response = client.get(reverse("console:projects"), {"unit": unit_a.pk, "level": "key", "q": "项目 & 改进"})
    assert response.context["unit"] == unit_a  # shown as the unit's 立项管理 tab
    assert response.context["query"] == (
        f"campaign={campaign.pk}&unit={unit_a.pk}&level=key&q=%E9%A1%B9%E7%9B%AE+%26+%E6%94%B9%E8%BF%9B"
    )
    names = {p.name for p in client.get(reverse("console:projects"), {"level": "key"}).context["page"]}
    assert names == {"攻关项目", "车间待审项目", "团委待审项目", "待上报项目", "已上报项目"}
    names = {p.name for p in client.get(reverse("console:projects"), {"level": "none"}).context["page"]}
    assert names == {"待立项项目"}
    names = {p.name for p in client.get(reverse("console:projects"), {"forwarded": "1"}).context["page"]}
    assert names == {"已上报项目"}
    text = client.get(reverse("console:projects"), {"level": "key", "state": "forwarded"}).content.decode()
    export = reverse("console:documents_project_list") + f"?campaign={campaign.pk}&amp;state=forwarded&amp;level=key"
    assert export in text


def test_the_overview_shows_the_unit_s_to_do_counts_linking_to_filtered_lists(
    client_for, world, campaign, unit_a, bob_unit_admin, eve_other_unit_admin, carol_applicant, count_queries
):
    from datetime import timedelta

    quiet = make_project(
        campaign,
        unit_a,
        carol_applicant,
        state=S.ACCEPTED,
        level="general",
        name="久未记录项目",
        submitted_at=timezone.now() - timedelta(days=75),
    )
    client = client_for(bob_unit_admin)
    for url in (reverse("console:home"), reverse("console:unit_home")):
        text = client.get(url).content.decode()
        todo = text.split(f'id="todo-{unit_a.pk}"')[1].split("</ul>")[0]
        projects = reverse("console:projects")
        assert f'<a href="{projects}?unit={unit_a.pk}&amp;state=submitted">待立项 <strong>1</strong></a>' in todo
        opinions = reverse("console:unit_opinions", args=[unit_a.pk])
        forwarding = reverse("console:unit_forwarding", args=[unit_a.pk])
        assert f'<a href="{opinions}">待审核意见 <strong>1</strong></a>' in todo
        assert f'<a href="{forwarding}">待上报 <strong>1</strong></a>' in todo
        progress = reverse("console:unit_progress", args=[unit_a.pk])
        assert f'<a href="{progress}?overdue=1">逾期未记录 <strong>1</strong></a>' in todo
    response = client.get(reverse("console:unit_progress", args=[unit_a.pk]), {"overdue": "1"})
    assert [p for p, _ in response.context["rows"]] == [quiet]
    assert len(client.get(reverse("console:unit_progress", args=[unit_a.pk])).context["rows"]) == 2
    assert (
        f'id="todo-{unit_a.pk}"' not in client_for(eve_other_unit_admin).get(reverse("console:home")).content.decode()
    )
    client = client_for(bob_unit_admin)

    def uncached_home():
        cache.clear()  # both counts when 逾期未记录 is computed, not read from the cache
        return client.get(reverse("console:home"))

    few = count_queries(uncached_home)
    for i in range(6):
        make_project(campaign, unit_a, carol_applicant, state=[S.SUBMITTED, S.ACCEPTED, S.UNIT_APPROVED][i % 3])
    assert count_queries(uncached_home) == few


def test_the_unit_s_admin_sees_the_leader_s_phone_on_both_project_pages(client_for, world, unit_a, bob_unit_admin):
    project = world["submitted"]
    client = client_for(bob_unit_admin)
    url = reverse("console:project_detail", args=[project.pk])  # the one page (the old one redirects)
    assert "13877212345" in client.get(url).content.decode()
