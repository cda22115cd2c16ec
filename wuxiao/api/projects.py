"""Projects: the list and detail every role sees (scoped by `projects_visible_to`), the
申报表 (create, edit the draft, submit, withdraw, the team), the unit's moves (return,
classify, refuse) and the leader's result. Each endpoint fetches through the scoped query
(404 when the caller may not see the project), asks the pages' predicate (403 when they
may see but not act) and calls the same service as the page."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Status, UploadedFile

from wuxiao.api import schemas as s
from wuxiao.api.common import (
    READ_ERRORS,
    CursorPageIn,
    cursor_page_of,
    cursor_page_schema,
    file_answer,
    read,
    write,
)
from wuxiao.api.errors import ErrorOut
from wuxiao.campaigns.models import Campaign
from wuxiao.lib.http import require
from wuxiao.people.models import Organisation
from wuxiao.projects import services, workflow
from wuxiao.projects.filters import ProjectFilter
from wuxiao.projects.models import Attachment, Project, TeamMember
from wuxiao.projects.permissions import can_edit, is_unit_admin_for
from wuxiao.projects.queries import (
    listed_parts,
    project_page_data,
    projects_listed_for,
    visible_project,
)
from wuxiao.projects.states import ProjectState
from wuxiao.projects.uploads import download_response

router = Router(tags=["项目"])
ProjectPage = cursor_page_schema("ProjectPage", s.ProjectListOut)

EDIT_REFUSED = "只有项目负责人可以在草稿或退回修改状态下修改申报表"


def visible(request, project_id) -> Project:
    return visible_project(request.user, project_id)  # the portal's read: 404 for anyone who may not see it


def detail(project: Project) -> Project:
    return project_page_data(project)


class ApiProjectFilter(ProjectFilter):
    """The pages' filter. The API's list also holds the caller's own drafts (the unit's
    pages never do), so every state is a choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["state"].extra["choices"] = ProjectState.choices


def _categories() -> list[str]:
    return sorted({c for cs in Campaign.objects.values_list("categories", flat=True) for c in cs or []})


@router.get("/projects", response=read(ProjectPage), summary="我能看到的项目（分页或续页、筛选、排序）")
def project_list(request, filters: Query[s.ProjectQuery], paging: Query[CursorPageIn]):
    data = filters.dict(exclude_none=True)
    ordering = s.ORDERINGS[data.pop("ordering", "-updated_at")]
    filterset = ApiProjectFilter(
        data=data, queryset=projects_listed_for(request.user), user=request.user, categories=_categories()
    )
    # The pages ignore a value that does not validate; an API caller is told instead.
    if not filterset.is_valid():
        raise ValidationError({field: list(errors) for field, errors in filterset.errors.items()})
    parts = [filterset.filter_queryset(part) for part in listed_parts(request.user)]
    return cursor_page_of(request, filterset.qs, paging, ordering, count_parts=parts)


@router.post("/projects", response=write(s.ProjectOut, 201), summary="在当前活动中新建申报表草稿")
def project_create(request, data: s.ProjectCreateIn):
    campaign = Campaign.objects.current()
    require(campaign is not None, "没有进行中的竞赛活动")
    unit = None
    if data.unit is not None:
        unit = Organisation.objects.filter(pk=data.unit).first()
        require(unit is not None, f"您不是单位 #{data.unit} 的申报人，不能以该单位名义申报")
    project = services.create_project(
        campaign=campaign, leader=request.user, unit=unit, entry_route=data.entry_route, name=data.name
    )
    return Status(201, detail(project))


@router.get("/projects/{project_id}", response=read(s.ProjectOut), summary="项目详情（申报表、团队、进程）")
def project_detail(request, project_id: s.Id):
    return detail(visible(request, project_id))


@router.patch("/projects/{project_id}", response=write(s.ProjectOut), summary="保存草稿（需带版本号，过期答 409）")
def project_update(request, project_id: s.Id, data: s.ProjectDraftIn):
    project = visible(request, project_id)
    require(can_edit(request.user, project), EDIT_REFUSED)
    values = data.dict(exclude_unset=True)
    version = values.pop("version")
    project = services.save_draft(project=project, data=values, by=request.user, expected_version=version)
    return detail(project)


@router.post("/projects/{project_id}/submit", response=write(s.ProjectOut), summary="提交申报表")
def project_submit(request, project_id: s.Id, data: s.VersionIn):
    project = visible(request, project_id)
    require(project.leader_id == request.user.pk, "只有项目负责人可以提交申报表")
    project = services.submit_project(project=project, by=request.user, expected_version=data.version)
    return detail(project)


@router.post("/projects/{project_id}/withdraw", response=write(s.ProjectOut), summary="撤回申报（单位尚未处理时）")
def project_withdraw(request, project_id: s.Id):
    project = visible(request, project_id)
    require(project.leader_id == request.user.pk, "只有项目负责人可以撤回申报")
    return detail(services.withdraw_project(project=project, by=request.user))


@router.post("/projects/{project_id}/return", response=write(s.ProjectOut), summary="退回修改（单位团组织）")
def project_return(request, project_id: s.Id, data: s.ReasonIn):
    project = visible(request, project_id)
    require(is_unit_admin_for(request.user, project), "只有本单位团组织可以退回该项目")
    return detail(services.return_project(project=project, by=request.user, reason=data.reason))


@router.post("/projects/{project_id}/classify", response=write(s.ProjectOut), summary="立项：重点项目或一般项目")
def project_classify(request, project_id: s.Id, data: s.ClassifyIn):
    project = visible(request, project_id)
    require(is_unit_admin_for(request.user, project), f"您不是“{project.unit.name}”的团组织管理员")
    project = workflow.classify(
        project=project, level=data.level, by=request.user, funding=data.funding, equipment=data.equipment
    )
    return detail(project)


@router.post("/projects/{project_id}/refuse", response=write(s.ProjectOut), summary="不予立项")
def project_refuse(request, project_id: s.Id, data: s.ReasonIn):
    project = visible(request, project_id)
    require(is_unit_admin_for(request.user, project), f"您不是“{project.unit.name}”的团组织管理员")
    return detail(workflow.refuse(project=project, reason=data.reason, by=request.user))


@router.post("/projects/{project_id}/result", response=write(s.ProjectOut), summary="提交成果（项目负责人）")
def project_result(request, project_id: s.Id, data: s.ResultIn):
    project = visible(request, project_id)
    require(project.leader_id == request.user.pk, "只有项目负责人可以提交成果")
    project = workflow.submit_result(
        project=project,
        by=request.user,
        economic_benefit=data.economic_benefit,
        result_description=data.result_description,
    )
    return detail(project)


# --- the team (主要研究人员) -------------------------------------------------------------


@router.get("/projects/{project_id}/members", response=read(list[s.TeamMemberOut]), summary="主要研究人员")
def member_list(request, project_id: s.Id):
    return list(detail(visible(request, project_id)).members.all())


def _editable(request, project_id) -> Project:
    project = visible(request, project_id)
    require(can_edit(request.user, project), EDIT_REFUSED)
    return project


def _member_out(member: TeamMember) -> TeamMember:
    return TeamMember.objects.select_related("project__campaign").get(pk=member.pk)


@router.post("/projects/{project_id}/members", response=write(s.TeamMemberOut, 201), summary="添加主要研究人员")
def member_add(request, project_id: s.Id, data: s.MemberIn):
    project = _editable(request, project_id)
    values = data.dict()
    version = values.pop("version")
    member = services.add_member(project=project, by=request.user, expected_version=version, **values)
    return Status(201, _member_out(member))


@router.patch("/projects/{project_id}/members/{member_id}", response=write(s.TeamMemberOut), summary="修改主要研究人员")
def member_update(request, project_id: s.Id, member_id: s.Id, data: s.MemberPatchIn):
    project = _editable(request, project_id)
    member = get_object_or_404(TeamMember, pk=member_id, project=project)
    values = data.dict(exclude_unset=True)
    version = values.pop("version", None)
    member = services.update_member(member=member, by=request.user, expected_version=version, **values)
    return _member_out(member)


@router.delete("/projects/{project_id}/members/{member_id}", response=write(None, 204), summary="删除主要研究人员")
def member_remove(request, project_id: s.Id, member_id: s.Id, version: s.Id | None = None):
    project = _editable(request, project_id)
    member = get_object_or_404(TeamMember, pk=member_id, project=project)
    services.remove_member(member=member, by=request.user, expected_version=version)
    return Status(204, None)


@router.post(
    "/projects/{project_id}/members/{member_id}/account",
    response=write(s.TeamMemberOut),
    summary="关联主要研究人员的账号（按其在本单位注册的手机号码），关联后该成员可以查看本项目",
)
def member_link(request, project_id: s.Id, member_id: s.Id, data: s.MemberLinkIn):
    project = _editable(request, project_id)
    member = get_object_or_404(TeamMember, pk=member_id, project=project)
    return _member_out(services.link_member(member=member, by=request.user, mobile=data.mobile))


@router.post(
    "/projects/{project_id}/members/{member_id}/invitation",
    response=write(s.InvitationLinkOut, 201),
    summary="邀请主要研究人员注册（接受后自动关联）；邀请链接只显示这一次",
)
def member_invite(request, project_id: s.Id, member_id: s.Id, data: s.MemberInviteIn):
    project = _editable(request, project_id)
    member = get_object_or_404(TeamMember, pk=member_id, project=project)
    _invitation, link = services.invite_member(
        member=member,
        by=request.user,
        mobile=data.mobile,
        email=data.email,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return Status(201, {"link": link})


@router.post(
    "/projects/{project_id}/route",
    response=write(s.ProjectOut),
    summary="更改草稿的申报途径：立项阶段申报 ↔ 成果收集阶段直接申报",
)
def project_route(request, project_id: s.Id, data: s.RouteIn):
    project = _editable(request, project_id)
    project = services.change_entry_route(
        project=project, by=request.user, entry_route=data.entry_route, expected_version=data.version
    )
    return detail(project)


# --- attachments of the 申报表 (可另附纸) ----------------------------------------------------


@router.get("/projects/{project_id}/attachments", response=read(list[s.AttachmentOut]), summary="申报表附件")
def attachment_list(request, project_id: s.Id):
    return list(detail(visible(request, project_id)).attachments.all())


@router.post(
    "/projects/{project_id}/attachments",
    response=write(s.AttachmentOut, 201),
    summary="上传申报表附件（multipart/form-data：file，可带 version；PDF、图片、Word 或 Excel，按文件内容检查）",
)
def attachment_add(
    request,
    project_id: s.Id,
    file: UploadedFile = File(..., description="附件文件；与网页上传的检查相同"),
    version: Form[s.Id | None] = None,
):
    project = _editable(request, project_id)
    attachment = services.add_attachment(project=project, by=request.user, file=file, expected_version=version)
    return Status(201, Attachment.objects.select_related("stored").get(pk=attachment.pk))


@router.get(
    "/projects/{project_id}/attachments/{attachment_id}",
    response={READ_ERRORS: ErrorOut},
    openapi_extra=file_answer("附件文件（Content-Disposition 中为文件名）"),
    summary="下载一个申报表附件",
)
def attachment_download(request, project_id: s.Id, attachment_id: s.Id):
    project = visible(request, project_id)
    attachment = get_object_or_404(Attachment.objects.select_related("stored"), pk=attachment_id, project=project)
    return download_response(attachment.stored)


@router.delete(
    "/projects/{project_id}/attachments/{attachment_id}",
    response=write(None, 204),
    summary="删除一个申报表附件（可带 version，过期答 409）",
)
def attachment_remove(request, project_id: s.Id, attachment_id: s.Id, version: s.Id | None = None):
    project = _editable(request, project_id)
    attachment = get_object_or_404(Attachment.objects.select_related("stored"), pk=attachment_id, project=project)
    services.remove_attachment(attachment=attachment, by=request.user, expected_version=version)
    return Status(204, None)
