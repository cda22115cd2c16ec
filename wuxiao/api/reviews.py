"""评审认定 for the expert: the assignments, the project as the round shows it (blind or not),
the score (draft or submitted) and decline/recuse. As the portal's pages
(wuxiao/portal/reviews.py): assignments are fetched only through
`reviews.queries.assignments_of`, so an expert gets 404 for any assignment not theirs; the
scores go through `reviews.services.save_review`, the one code that writes them.

Someone who is not in the expert pool is refused (403) before any lookup. In a blind round
the answers are built here field by field: the unit, the people and their phone are null and
the texts come from `reviews.blind.redacted`, as the blind page shows them."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Status

from wuxiao.api import schemas as s
from wuxiao.api.common import READ_ERRORS, PageIn, file_answer, page_of, page_schema, read, write
from wuxiao.api.errors import ErrorOut
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.lib.phones import mask_phone
from wuxiao.people.permissions import is_expert
from wuxiao.reviews import queries, services
from wuxiao.reviews.blind import TEXT_FIELDS, attachment_download, blind_filename, redacted
from wuxiao.reviews.models import Assignment

router = Router(tags=["评审认定（专家）"])
AssignmentPage = page_schema("AssignmentPage", s.AssignmentOut)

NOT_EXPERT = "只有评审专家可以查看和评审分配的项目"
STATUS_LABELS = {"not_started": "未开始", "draft": "草稿", "submitted": "已提交"}


def _require_expert(request) -> None:
    require(is_expert(request.user), NOT_EXPERT)


def _mine(request, assignment_id) -> Assignment:
    _require_expert(request)
    return get_visible_or_404(queries.assignments_of(request.user), pk=assignment_id)


def _review(assignment):
    return getattr(assignment, "review", None)


def _row(assignment: Assignment, today) -> dict:
    review = _review(assignment)
    status = "not_started" if review is None else ("submitted" if review.is_submitted else "draft")
    project = assignment.project
    return {
        "id": assignment.pk,
        "project_id": project.pk,
        "project_name": redacted(project)["name"] if assignment.round.blind else project.name,
        "category": project.category_display,
        "round": assignment.round,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "total": review.total if review is not None else None,
        "can_score": assignment.round.is_open_on(today),
    }


@router.get(
    "/reviews/assignments", response=read(AssignmentPage), summary="我的评审任务（专家；默认只列正在评分的轮次）"
)
def assignment_list(request, filters: Query[s.AssignmentQuery], paging: Query[PageIn]):
    _require_expert(request)
    today = timezone.localdate()
    mine = queries.assignments_of(request.user).prefetch_related("project__members")
    if filters.rounds == "open":
        mine = mine.filter(round__opens_on__lte=today, round__closes_on__gte=today)
    page = page_of(mine, paging)
    page["items"] = [_row(a, today) for a in page["items"]]
    return page


def _detail(assignment: Assignment) -> dict:
    round = assignment.round
    project = queries.review_page_data(assignment)
    text = redacted(project) if round.blind else {f: getattr(project, f) for f in TEXT_FIELDS}
    files = list(project.attachments.all())
    review = _review(assignment)
    out = _row(assignment, timezone.localdate())
    out["project_name"] = text["name"]
    out["criteria"] = list(round.criteria.all())
    out["project"] = {
        "id": project.pk,
        "name": text["name"],
        "category": project.category_display,
        "achievement_form": project.achievement_form,
        "content_direction": project.content_direction_text,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "economic_benefit": project.economic_benefit,
        **{f: text[f] for f in ("reason", "content", "measures", "benefits")},
        "unit": None if round.blind else project.unit.name,
        "leader_name": None if round.blind else project.leader_name,
        "leader_phone": None if round.blind else mask_phone(project.leader_phone),
        "members": None if round.blind else [m.name for m in project.members.all()],
        "attachments": [
            {
                "number": i,
                "name": blind_filename(a, i) if round.blind else a.original_name,
                "content_type": a.content_type,
                "size": a.size,
            }
            for i, a in enumerate(files, start=1)
        ],
    }
    out["review"] = None
    if review is not None:
        out["review"] = {
            "version": review.version,
            "scores": [{"criterion": cid, "value": sc.value} for cid, sc in sorted(queries.scores_of(review).items())],
            "comment": review.comment,
            "total": review.total,
            "submitted_at": review.submitted_at,
            "updated_at": review.updated_at,
        }
    return out


@router.get(
    "/reviews/assignments/{assignment_id}",
    response=read(s.AssignmentDetailOut),
    summary="评审任务详情：申报表（盲评时隐去单位和人员）、评分项和我的评分",
)
def assignment_detail(request, assignment_id: s.Id):
    return _detail(_mine(request, assignment_id))


@router.put(
    "/reviews/assignments/{assignment_id}/review",
    response=write(s.AssignmentDetailOut),
    summary="保存评分草稿或提交评分（截止前可修改；版本过期答 409）",
)
def review_save(request, assignment_id: s.Id, data: s.ReviewIn):
    assignment = _mine(request, assignment_id)
    round = assignment.round
    require(round.is_open_on(), f"本轮评分时间为 {round.opens_on} 至 {round.closes_on}，现在不能评分")
    criteria = {c.pk: c for c in round.criteria.all()}
    scores: dict[int, object] = {}
    problems = []
    for item in data.scores:
        if item.criterion not in criteria:
            problems.append(f"评分项 #{item.criterion} 不是本轮的评分项")
        elif item.criterion in scores:
            problems.append(f"评分项“{criteria[item.criterion].name}”重复打分")
        scores[item.criterion] = item.value
    if problems:
        raise ValidationError({"scores": problems})
    services.save_review(
        by=request.user,
        assignment=assignment,
        scores={cid: value for cid, value in scores.items() if value is not None},
        comment=data.comment,
        submit=data.submit,
        expected_version=data.version,
    )
    return _detail(get_visible_or_404(queries.assignments_of(request.user), pk=assignment.pk))


@router.get(
    "/reviews/assignments/{assignment_id}/attachments/{number}",
    response={READ_ERRORS: ErrorOut},
    openapi_extra=file_answer("附件文件；盲评时文件名为“附件N.扩展名”（Content-Disposition）"),
    summary="下载评审项目的附件（number 见详情中的 attachments；盲评时文件名不含原名）",
)
def assignment_attachment(request, assignment_id: s.Id, number: Annotated[int, Field(ge=1, le=1000)]):
    assignment = _mine(request, assignment_id)
    return attachment_download(assignment, queries.review_page_data(assignment).attachments.all(), number)


@router.post(
    "/reviews/assignments/{assignment_id}/decline",
    response=write(None, 204),
    summary="回避或谢绝（说明原因；组委会将另行安排专家）",
)
def assignment_decline(request, assignment_id: s.Id, data: s.DeclineIn):
    assignment = _mine(request, assignment_id)
    services.decline_assignment(by=request.user, assignment=assignment, reason=data.reason)
    return Status(204, None)
