"""Pages of 评审认定: the committee's console pages refuse everyone else; an expert sees
exactly their assignments; blind rounds leak no name, unit or phone; query counts do not
grow with rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory, attachment
from tests.unitflow import make_project
from wuxiao.notifications.models import Notification
from wuxiao.projects.models import Opinion, TeamMember
from wuxiao.projects.states import ProjectState
from wuxiao.reviews import services
from wuxiao.reviews.models import Assignment, AssignmentStatus, DuplicateFlag, ExpertProfile, Review, Score, Slot

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Assignment.objects.values_list("pk", "status", "expert_id")),
        sorted(Score.objects.values_list("pk", "value")),
        Review.objects.count(),
        DuplicateFlag.objects.count(),
        Slot.objects.count(),
        Opinion.objects.count(),
        Notification.objects.count(),
        sorted(ExpertProfile.objects.values_list("pk", "title")),
    )


def committee_urls(round, assignment, experts):
    r = round.pk
    return [
        ("get", reverse("console:reviews")),
        ("post", reverse("console:reviews")),
        ("get", reverse("console:review_experts")),
        ("get", reverse("console:review_expert_edit", args=[experts["xena"].pk])),
        ("post", reverse("console:review_expert_edit", args=[experts["xena"].pk])),
        ("get", reverse("console:review_duplicates")),
        ("post", reverse("console:review_duplicates_scan")),
        ("get", reverse("console:review_round", args=[r])),
        ("post", reverse("console:review_rubric", args=[r])),
        ("post", reverse("console:review_assign", args=[r])),
        ("post", reverse("console:review_assign_manual", args=[r])),
        ("post", reverse("console:review_assignment_remove", args=[r, assignment.pk])),
        ("post", reverse("console:review_urge", args=[r])),
        ("post", reverse("console:review_blind_check", args=[r])),
        ("get", reverse("console:review_ranking", args=[r])),
        ("post", reverse("console:review_ranking", args=[r])),
        ("post", reverse("console:review_opinion", args=[r, assignment.project_id])),
        ("get", reverse("console:review_schedule", args=[r])),
        ("post", reverse("console:review_schedule", args=[r])),
    ]


POST = {"title": "教授", "method": "raw", "step": "panel", "text": "同意", "seed": "1", "project": "1", "minutes": "10"}


@pytest.mark.parametrize("who", ["carol_applicant", "bob_unit_admin", "dan_district_admin", "dave_expert", "mallory"])
def test_committee_pages_refuse_everyone_else(request, client_for, assigned, experts, who):
    client = client_for(request.getfixturevalue(who))
    assignment = Assignment.objects.filter(round=assigned).first()
    before = snapshot()
    for method, url in committee_urls(assigned, assignment, experts):
        response = getattr(client, method)(url, POST if method == "post" else None)
        assert response.status_code == 403, (who, method, url)
    assert snapshot() == before


def test_committee_pages_render(client_for, alice_committee, assigned, experts):
    client = client_for(alice_committee)
    assignment = Assignment.objects.filter(round=assigned).first()
    for method, url in committee_urls(assigned, assignment, experts):
        if method == "get":
            assert client.get(url).status_code == 200, url
    home = client.get(reverse("console:home")).content.decode()
    assert reverse("console:reviews") in home  # linked from the console menu


def expert_urls(assignment):
    return [
        ("get", reverse("portal:review", args=[assignment.pk])),
        ("post", reverse("portal:review", args=[assignment.pk])),
        ("post", reverse("portal:review_decline", args=[assignment.pk])),
        ("get", reverse("portal:review_attachment", args=[assignment.pk, 1])),
    ]


@pytest.mark.parametrize("who", ["other_expert", "carol_applicant", "bob_unit_admin", "alice_committee", "mallory"])
def test_expert_pages_refuse_everyone_but_the_assigned_expert(request, client_for, assigned, experts, who):
    a = Assignment.objects.filter(round=assigned).first()
    attach(a.project, "说明.pdf")
    if who == "other_expert":
        mine = set(Assignment.objects.filter(round=assigned, project=a.project).values_list("expert_id", flat=True))
        user = next(e for e in experts.values() if e.pk not in mine)
    else:
        user = request.getfixturevalue(who)
    client = client_for(user)
    before = snapshot()
    for method, url in expert_urls(a):
        data = {"reason": "x", "comment": "x", "submit": "1"} if method == "post" else None
        assert getattr(client, method)(url, data).status_code == 404, (who, method, url)
    assert snapshot() == before
    # and the list shows none of the project's assignments
    assert a.project.name not in client.get(reverse("portal:reviews")).content.decode() or who == "other_expert"


def attach(project, name, data=b"%PDF-1.4\n%test\n"):
    return attachment(project, name, data)


def test_expert_scores_from_the_portal(client_for, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    client = client_for(a.expert)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:reviews") in dashboard
    listing = client.get(reverse("portal:reviews")).content.decode()
    assert reverse("portal:review", args=[a.pk]) in listing
    data = {f"c{c.pk}": "9" for c in assigned.criteria.all()} | {"comment": "很好", "submit": "1"}
    response = client.post(reverse("portal:review", args=[a.pk]), data)
    assert response.status_code == 302
    review = Review.objects.get(assignment=a)
    assert review.total == Decimal("90.00") and review.submitted_at is not None and review.comment == "很好"


def test_blind_round_leaks_no_name_unit_or_phone(client_for, assigned, carol_applicant):
    a = Assignment.objects.filter(round=assigned, project__unit__name="示例机械有限公司团委").first()
    project = a.project
    TeamMember.objects.create(project=project, name="黎明亮", gender="M", birth_date="1998-01-01", education="bachelor")
    attach(project, "示例机械有限公司-蔡柔-说明.pdf")
    client = client_for(a.expert)
    secrets = [project.unit.name, "示例机械", carol_applicant.real_name, "黎明亮", project.leader_phone, "13877212345"]
    for url in [reverse("portal:review", args=[a.pk]), reverse("portal:reviews")]:
        html = client.get(url).content.decode()
        assert project.name in html
        for secret in secrets:
            assert secret not in html, (url, secret)
    # applicants write their unit and names into the texts: a blind page takes them out
    project.name = "示例机械有限公司送料装置"
    project.reason = f"{carol_applicant.real_name}与黎明亮在示例机械有限公司团委车间发现问题"
    project.save()
    for url in [reverse("portal:review", args=[a.pk]), reverse("portal:reviews")]:
        html = client.get(url).content.decode()
        assert "〔已隐去〕送料装置" in html
        for secret in secrets:
            assert secret not in html, (url, secret)
        for secret in secrets:
            assert secret not in html, (url, secret)
    response = client.get(reverse("portal:review_attachment", args=[a.pk, 1]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "%E9%99%84%E4%BB%B61.pdf" in disposition or "附件1.pdf" in disposition  # 附件1.pdf
    for secret in secrets:
        assert secret not in disposition


def test_open_round_shows_unit_with_masked_phone(client_for, assigned, carol_applicant):
    type(assigned).objects.filter(pk=assigned.pk).update(blind=False)
    a = Assignment.objects.filter(round=assigned, project__unit__name="示例机械有限公司团委").first()
    html = client_for(a.expert).get(reverse("portal:review", args=[a.pk])).content.decode()
    assert "示例机械有限公司团委" in html and carol_applicant.real_name in html
    assert "13877212345" not in html and "138****2345" in html


def test_closed_round_is_read_only_with_own_scores(client_for, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    services.save_review(
        by=a.expert, assignment=a, scores={c.pk: 7 for c in assigned.criteria.all()}, comment="", submit=True
    )
    from datetime import timedelta

    from django.utils import timezone

    type(assigned).objects.filter(pk=assigned.pk).update(
        opens_on=timezone.localdate() - timedelta(days=5), closes_on=timezone.localdate() - timedelta(days=1)
    )
    client = client_for(a.expert)
    html = client.get(reverse("portal:review", args=[a.pk])).content.decode()
    assert "只能查看" in html and 'name="submit"' not in html and "70.00" in html
    data = {f"c{c.pk}": "9" for c in assigned.criteria.all()} | {"submit": "1"}
    assert client.post(reverse("portal:review", args=[a.pk]), data).status_code == 403
    assert Review.objects.get(assignment=a).total == Decimal("70.00")


def test_decline_from_the_portal_reassigns(client_for, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    response = client_for(a.expert).post(reverse("portal:review_decline", args=[a.pk]), {"reason": "与负责人同一科室"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == AssignmentStatus.DECLINED
    assert Assignment.objects.filter(round=assigned, project=a.project, status=AssignmentStatus.ACTIVE).count() == 2


def test_manual_assignment_refused_with_reason_on_the_page(client_for, alice_committee, round1, forwarded, experts):
    zoe = ExpertProfile.objects.get(user=experts["zoe"])
    response = client_for(alice_committee).post(
        reverse("console:review_assign_manual", args=[round1.pk]),
        {"project": forwarded[0].pk, "expert": zoe.pk},
        follow=True,
    )
    assert "专家所在组织是项目申报单位的上级组织" in response.content.decode()
    assert not Assignment.objects.exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _more_projects(campaign, unit, n):
    leader = UserFactory()
    for i in range(n):
        make_project(campaign, unit, leader, state=ProjectState.FORWARDED, category="机械", name=f"加项{i}")


def test_query_counts_do_not_grow_with_rows(client_for, alice_committee, round1, review_open, unit_b, experts):
    services.assign_round(by=alice_committee, round=round1, seed=1)
    for a in Assignment.objects.filter(round=round1):
        services.save_review(
            by=a.expert, assignment=a, scores={c.pk: 6 for c in round1.criteria.all()}, comment="", submit=True
        )
    committee = client_for(alice_committee)
    urls = [reverse("console:review_round", args=[round1.pk]), reverse("console:review_ranking", args=[round1.pk])]
    small = [_count(committee, u) for u in urls]
    expert = experts["xena"]
    small_expert = _count(client_for(expert), reverse("portal:reviews"))
    type(round1).objects.filter(pk=round1.pk).update(max_per_expert=30)
    _more_projects(review_open, unit_b, 8)
    services.assign_round(by=alice_committee, round=round1, seed=1)
    for a in Assignment.objects.filter(round=round1, review__isnull=True):
        services.save_review(
            by=a.expert, assignment=a, scores={c.pk: 5 for c in round1.criteria.all()}, comment="", submit=True
        )
    committee = client_for(alice_committee)
    assert [_count(committee, u) for u in urls] == small
    assert _count(client_for(expert), reverse("portal:reviews")) == small_expert


def test_pool_and_duplicate_pages_cost_the_same_for_more_rows(
    client_for, alice_committee, review_open, unit_b, experts
):
    from tests.reviews.conftest import make_expert

    leader = UserFactory()
    projects = [
        make_project(review_open, unit_b, leader, state=ProjectState.FORWARDED, name=f"项{i}") for i in range(12)
    ]
    DuplicateFlag.objects.create(project=projects[0], other=projects[1], similarity=Decimal("0.9"))
    client = client_for(alice_committee)
    urls = [reverse("console:review_experts"), reverse("console:review_duplicates")]
    small = [_count(client, u) for u in urls]
    for i in range(2, 10):
        DuplicateFlag.objects.create(project=projects[i], other=projects[i + 1], similarity=Decimal("0.8"))
        make_expert(unit_b, f"more{i}", f"专家{i}", ["化工"])
    assert [_count(client, u) for u in urls] == small
