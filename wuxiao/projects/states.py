"""Project states and the one map of allowed transitions. Later capabilities (unit
workflow, review, awards) add their states here, and nowhere else."""

from django.db import models


class ProjectState(models.TextChoices):
    # 申报 (stage 2, or stage 4 for a direct achievement entry)
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交（待单位审核）"
    RETURNED = "returned", "退回修改"
    WITHDRAWN = "withdrawn", "已撤回"
    # Unit workflow (stages 2–4); transitions added by the unit-workflow capability
    REFUSED = "refused", "未予立项"
    ACCEPTED = "accepted", "已立项（攻关中）"
    RESULT_WORKSHOP = "result_workshop", "待（车间/分厂/科室/子公司）意见"
    RESULT_TECH = "result_tech", "待本单位技术部门意见"
    RESULT_LEAGUE = "result_league", "待本单位团组织意见"
    RESULT_RETURNED = "result_returned", "成果退回修改"
    UNIT_APPROVED = "unit_approved", "单位评审通过（待上报）"
    FORWARDED = "forwarded", "已上报组委会"


# from-state → {to-state: who may do it}. "leader" = the project leader; "unit_admin" =
# an admin of the project's unit (or above it).
TRANSITIONS: dict[str, dict[str, str]] = {
    ProjectState.DRAFT: {ProjectState.SUBMITTED: "leader"},
    ProjectState.SUBMITTED: {ProjectState.RETURNED: "unit_admin", ProjectState.WITHDRAWN: "leader"},
    ProjectState.RETURNED: {ProjectState.SUBMITTED: "leader"},
    ProjectState.WITHDRAWN: {ProjectState.SUBMITTED: "leader"},
}

EDITABLE_STATES = {ProjectState.DRAFT, ProjectState.RETURNED, ProjectState.WITHDRAWN}


def allowed(from_state: str, to_state: str) -> str | None:
    """Who may move a project from one state to another, or None if nobody may."""
    return TRANSITIONS.get(from_state, {}).get(to_state)
