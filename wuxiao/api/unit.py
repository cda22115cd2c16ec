"""The unit's 项目方向 and its moves on a project after 立项, as the console's project page and unit pages
(wuxiao/console/unit.py): change key/general with a reason, the key project's resources,
its technical advisors, 催办, the internal evaluation (内部评比); and the committee's
send-back of a forwarded project (wuxiao/console/oversight.py).

Each fetches through `projects_visible_to` (404 for a project the caller may not see) and
calls the same `projects.workflow` function as the page, which checks that the caller
administers the project's unit (403 with the reason), the stage and the state."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from wuxiao.api import schemas as s
from wuxiao.api.common import committee_only, read, user_named, write
from wuxiao.api.projects import detail, visible
from wuxiao.campaigns.models import Campaign
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.people.models import UNIT_KINDS, Organisation
from wuxiao.people.queries import organisations_visible_to
from wuxiao.projects import workflow
from wuxiao.projects.models import Direction, KeyResources, Project
from wuxiao.projects.permissions import is_unit_admin_for
from wuxiao.projects.states import ProjectState

router = Router(tags=["单位团组织：项目方向与立项后管理"])


@router.post(
    "/projects/{project_id}/level",
    response=write(s.ProjectOut),
    summary="变更项目分类：重点项目 ↔ 一般项目（须说明原因；重点项目须有至少 2 名技术顾问）",
)
def change_level(request, project_id: s.Id, data: s.LevelIn):
    project = visible(request, project_id)
    return detail(workflow.change_level(project=project, level=data.level, reason=data.reason, by=request.user))


@router.put(
    "/projects/{project_id}/resources",
    response=write(s.ResourcesOut),
    summary="重点项目的配给资源：经费（万元）和设备",
)
def set_resources(request, project_id: s.Id, data: s.ResourcesIn):
    project = visible(request, project_id)
    workflow.set_resources(project=project, funding=data.funding, equipment=data.equipment, by=request.user)
    return KeyResources.objects.get(project=project)


@router.get(
    "/projects/{project_id}/resources",
    response=read(s.ResourcesOut),
    summary="重点项目的配给资源（尚未配给时答 404）",
)
def resources(request, project_id: s.Id):
    return get_object_or_404(KeyResources, project=visible(request, project_id))


# --- technical advisors ------------------------------------------------------------------


def _advisors(project: Project) -> list:
    return [a.advisor for a in project.advisor_assignments.select_related("advisor").order_by("id")]


@router.get("/projects/{project_id}/advisors", response=read(list[s.PersonOut]), summary="项目的技术顾问")
def advisor_list(request, project_id: s.Id):
    return _advisors(visible(request, project_id))


@router.get(
    "/projects/{project_id}/advisor-candidates",
    response=read(list[s.PersonOut]),
    summary="可以指派给该项目的本单位技术顾问（本单位团组织）",
)
def advisor_candidates(request, project_id: s.Id):
    project = visible(request, project_id)
    require(is_unit_admin_for(request.user, project), f"您不是“{project.unit.name}”的团组织管理员")
    return list(workflow.advisor_candidates(project.unit, project_id=project.pk))


@router.post(
    "/projects/{project_id}/advisors",
    response=write(list[s.PersonOut], 201),
    summary="指派技术顾问（本单位的技术顾问；答复为指派后的全部技术顾问）",
)
def advisor_add(request, project_id: s.Id, data: s.AdvisorIn):
    project = visible(request, project_id)
    advisor = user_named("advisor", data.advisor)
    workflow.assign_advisor(project=project, advisor=advisor, by=request.user)
    return Status(201, _advisors(project))


@router.delete(
    "/projects/{project_id}/advisors/{user_id}",
    response=write(None, 204),
    summary="移除技术顾问（已确认的重点项目不少于 2 名）",
)
def advisor_remove(request, project_id: s.Id, user_id: s.Id):
    project = visible(request, project_id)
    assignment = get_object_or_404(project.advisor_assignments.select_related("advisor"), advisor_id=user_id)
    workflow.remove_advisor(project=project, advisor=assignment.advisor, by=request.user)
    return Status(204, None)


# --- 催办 and 内部评比 ----------------------------------------------------------------------


@router.post(
    "/projects/{project_id}/urge",
    response=write(None, 204),
    summary="催办：提醒项目组按时攻关并填写工作记录",
)
def urge(request, project_id: s.Id, data: s.UrgeIn):
    workflow.urge(project=visible(request, project_id), by=request.user, note=data.note)
    return Status(204, None)


@router.post(
    "/projects/{project_id}/evaluate",
    response=write(s.EvaluationOut),
    summary="单位内部评比：得分（0–100，可不填）和汇总表的自评等级 A/B/C",
)
def evaluate(request, project_id: s.Id, data: s.EvaluationIn):
    project = visible(request, project_id)
    return workflow.evaluate(project=project, by=request.user, score=data.score, self_grade=data.self_grade)


# --- the committee sends a forwarded project back ----------------------------------------


@router.post(
    "/projects/{project_id}/send-back",
    response=write(s.ProjectOut),
    summary="组委会退回已上报的项目至其单位（须说明原因）",
)
def send_back(request, project_id: s.Id, data: s.ReasonIn):
    committee_only(request)
    campaign = Campaign.objects.current()
    project = get_object_or_404(
        Project.objects.filter(campaign=campaign, state__in=ProjectState.FORWARDED_OR_LATER), pk=project_id
    )
    return detail(workflow.send_back(project=project, by=request.user, reason=data.reason))


# --- 项目方向 (stage 2): the unit publishes the directions its applicants apply under ---------


def _unit(request, org_id) -> Organisation:
    return get_visible_or_404(organisations_visible_to(request.user).filter(kind__in=UNIT_KINDS), pk=org_id)


def _current() -> Campaign:
    campaign = Campaign.objects.current()
    if campaign is None:
        raise Http404("没有进行中的竞赛活动")
    return campaign


def _directions(unit, campaign):
    return Direction.objects.filter(unit=unit, campaign=campaign).order_by("order", "id")


@router.get(
    "/organisations/{org_id}/directions",
    response=read(list[s.DirectionOut]),
    summary="本单位在当前活动中的项目方向（含未发布的）",
)
def direction_list(request, org_id: s.Id):
    return list(_directions(_unit(request, org_id), _current()))


@router.post(
    "/organisations/{org_id}/directions",
    response=write(s.DirectionOut, 201),
    summary="添加项目方向（未发布；发布后本单位申报人可见）",
)
def direction_add(request, org_id: s.Id, data: s.DirectionIn):
    unit = _unit(request, org_id)
    direction = workflow.add_direction(campaign=_current(), unit=unit, by=request.user, **data.dict())
    return Status(201, direction)


@router.post(
    "/organisations/{org_id}/directions/publish",
    response=write(s.CountOut),
    summary="发布全部未发布的项目方向并通知本单位申报人（立项阶段；count 为发布数）",
)
def direction_publish(request, org_id: s.Id):
    unit = _unit(request, org_id)
    return {"count": workflow.publish_directions(campaign=_current(), unit=unit, by=request.user)}


@router.delete(
    "/organisations/{org_id}/directions/{direction_id}",
    response=write(None, 204),
    summary="删除未发布的项目方向",
)
def direction_delete(request, org_id: s.Id, direction_id: s.Id):
    unit = _unit(request, org_id)
    direction = get_object_or_404(_directions(unit, _current()), pk=direction_id)
    workflow.delete_direction(direction=direction, by=request.user)
    return Status(204, None)
