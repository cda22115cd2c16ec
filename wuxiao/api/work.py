"""项目攻关 and 成果审核: the team's work records, the advisors' comments, and the unit's
opinion chain (车间 → 技术部门 → 团组织)."""

from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Status, UploadedFile

from wuxiao.api import schemas as s
from wuxiao.api.common import READ_ERRORS, PageIn, file_answer, page_of, page_schema, read, write
from wuxiao.api.errors import ErrorOut
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.projects import queries as q
from wuxiao.projects import rules, workflow
from wuxiao.projects.models import FilePurpose, Opinion, StoredFile, WorkRecord, WorkRecordComment, WorkRecordFile
from wuxiao.projects.queries import projects_visible_to, visible_project
from wuxiao.projects.states import ProjectState
from wuxiao.projects.uploads import download_response

router = Router(tags=["项目攻关与成果审核"])
WorkRecordPage = page_schema("WorkRecordPage", s.WorkRecordOut)


def _work_project(request, project_id):
    """Team members, advisors and the unit's admins see the work; nobody else (as 我的攻关)."""
    return get_visible_or_404(
        projects_visible_to(request.user).filter(state__in=ProjectState.ACCEPTED_OR_LATER), pk=project_id
    )


def _records(project):
    return project.work_records.select_related("created_by").prefetch_related(
        Prefetch("files", queryset=WorkRecordFile.objects.select_related("stored").order_by("id")),
        Prefetch("comments", queryset=WorkRecordComment.objects.select_related("advisor")),
    )


@router.get("/projects/{project_id}/work-records", response=read(WorkRecordPage), summary="工作记录（分页）")
def record_list(request, project_id: s.Id, paging: Query[PageIn]):
    return page_of(_records(_work_project(request, project_id)), paging)


def _add_record(request, project_id, data: s.WorkRecordIn, files: list) -> WorkRecord:
    project = _work_project(request, project_id)
    require(workflow.is_team(request.user, project), "只有项目组成员可以填写工作记录")
    work = workflow.add_work_record(
        project=project,
        by=request.user,
        on=data.date,
        done=data.done,
        problems=data.problems,
        next_steps=data.next_steps,
        files=files,
    )
    return _records(project).get(pk=work.pk)


@router.post("/projects/{project_id}/work-records", response=write(s.WorkRecordOut, 201), summary="填写工作记录")
def record_add(request, project_id: s.Id, data: s.WorkRecordIn):
    return Status(201, _add_record(request, project_id, data, []))


@router.post(
    "/projects/{project_id}/work-records/with-files",
    response=write(s.WorkRecordOut, 201),
    summary="填写工作记录并上传附件（multipart/form-data：字段同上，另加 files；PNG、JPG 或 PDF，每个不超过 20 MB）",
)
def record_add_with_files(
    request,
    project_id: s.Id,
    data: Form[s.WorkRecordIn],
    files: list[UploadedFile] = File(..., description="一个或多个附件（字段名均为 files），与网页的检查相同"),
):
    return Status(201, _add_record(request, project_id, data, files))


@router.get(
    "/projects/{project_id}/work-records/{record_id}/files/{file_id}",
    response={READ_ERRORS: ErrorOut},
    openapi_extra=file_answer("工作记录的附件（Content-Disposition 中为文件名）"),
    summary="下载工作记录的一个附件（file_id 见记录的 attachments）",
)
def record_file(request, project_id: s.Id, record_id: s.Id, file_id: s.Id):
    project = _work_project(request, project_id)
    stored = get_object_or_404(StoredFile, pk=file_id, project=project, work_record_file__record_id=record_id)
    return download_response(stored)


@router.post(
    "/projects/{project_id}/work-records/{record_id}/comments",
    response=write(s.CommentOut, 201),
    summary="技术顾问的指导意见（可签字确认）",
)
def record_comment(request, project_id: s.Id, record_id: s.Id, data: s.CommentIn):
    project = _work_project(request, project_id)
    work = get_object_or_404(WorkRecord.objects.select_related("project"), pk=record_id, project=project)
    require(workflow.is_advisor(request.user, project), "只有该项目的技术顾问可以填写指导意见")
    comment = workflow.comment_work_record(work=work, by=request.user, text=data.text, sign_off=data.sign_off)
    return Status(201, WorkRecordComment.objects.select_related("advisor").get(pk=comment.pk))


@router.get("/projects/{project_id}/opinions", response=read(list[s.OpinionOut]), summary="单位审核意见")
def opinion_list(request, project_id: s.Id):
    project = visible_project(request.user, project_id)
    return list(Opinion.objects.filter(project=project).order_by("created_at", "id"))


@router.post(
    "/projects/{project_id}/opinions",
    response=write(s.OpinionOut, 201),
    summary="审核意见：同意（须上传盖章）、退回上一环节或退回申报人（multipart/form-data）",
)
def opinion_give(
    request,
    project_id: s.Id,
    decision: Form[Literal[rules.APPROVE, rules.RETURN_PREVIOUS, rules.RETURN_APPLICANT]],
    text: Form[s.Text(2000)],
    stamp: UploadedFile | None = File(
        None, description="盖章：印章图片或签字页扫描件（PNG、JPG 或 PDF，不超过 5 MB）；同意时必填"
    ),
):
    project = visible_project(request.user, project_id)
    states = q.opinion_states_for(request.user, project.unit)
    require(project.state in states, f"该项目当前{project.get_state_display()}，不是您负责的审核环节")
    opinion = workflow.give_opinion(project=project, by=request.user, decision=decision, text=text, stamp=stamp)
    return Status(201, opinion)


# --- 成果证明材料: the result's evidence files ---------------------------------------------


def _evidence(project):
    return StoredFile.objects.filter(project=project, purpose=FilePurpose.RESULT_EVIDENCE).order_by("uploaded_at", "id")


@router.get(
    "/projects/{project_id}/result/evidence",
    response=read(list[s.EvidenceOut]),
    summary="成果证明材料（测试报告、应用证明、现场照片等）",
)
def evidence_list(request, project_id: s.Id):
    return list(_evidence(_work_project(request, project_id)))


@router.post(
    "/projects/{project_id}/result/evidence",
    response=write(list[s.EvidenceOut], 201),
    summary=(
        f"上传成果证明材料（项目负责人，成果收集阶段、提交成果前；multipart/form-data，"
        f"最多 {workflow.MAX_EVIDENCE_FILES} 个，PDF、图片、Word 或 Excel，按文件内容检查）"
    ),
)
def evidence_add(
    request,
    project_id: s.Id,
    files: list[UploadedFile] = File(
        ..., description="一个或多个文件（字段名均为 files）；与网页“提交成果”时上传的检查相同"
    ),
):
    project = _work_project(request, project_id)
    stored = workflow.add_result_evidence(project=project, by=request.user, files=files)
    return Status(201, stored)


@router.get(
    "/projects/{project_id}/result/evidence/{file_id}",
    response={READ_ERRORS: ErrorOut},
    openapi_extra=file_answer("成果证明材料文件（Content-Disposition 中为文件名）"),
    summary="下载一个成果证明材料",
)
def evidence_download(request, project_id: s.Id, file_id: s.Id):
    project = _work_project(request, project_id)
    return download_response(get_visible_or_404(_evidence(project), pk=file_id))


@router.delete(
    "/projects/{project_id}/result/evidence/{file_id}",
    response=write(None, 204),
    summary="删除一个成果证明材料（项目负责人，成果提交审核前）",
)
def evidence_remove(request, project_id: s.Id, file_id: s.Id):
    project = _work_project(request, project_id)
    stored = get_visible_or_404(_evidence(project), pk=file_id)
    workflow.remove_result_evidence(project=project, by=request.user, stored=stored)
    return Status(204, None)
