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
# an admin of the project's unit (or above it); "workshop" / "tech_dept" = a person holding
# that role in the project's unit; "committee" = an admin of the organising committee.
TRANSITIONS: dict[str, dict[str, str]] = {
    ProjectState.DRAFT: {ProjectState.SUBMITTED: "leader"},
    ProjectState.SUBMITTED: {
        ProjectState.RETURNED: "unit_admin",
        ProjectState.WITHDRAWN: "leader",
        ProjectState.ACCEPTED: "unit_admin",
        ProjectState.REFUSED: "unit_admin",
    },
    ProjectState.RETURNED: {ProjectState.SUBMITTED: "leader"},
    ProjectState.WITHDRAWN: {ProjectState.SUBMITTED: "leader"},
    # Stage 4: the leader submits the result; the opinion chain of 附件2 runs inside the unit.
    ProjectState.ACCEPTED: {ProjectState.RESULT_WORKSHOP: "leader", ProjectState.RESULT_TECH: "leader"},
    ProjectState.RESULT_RETURNED: {ProjectState.RESULT_WORKSHOP: "leader", ProjectState.RESULT_TECH: "leader"},
    ProjectState.RESULT_WORKSHOP: {ProjectState.RESULT_TECH: "workshop", ProjectState.RESULT_RETURNED: "workshop"},
    ProjectState.RESULT_TECH: {
        ProjectState.RESULT_LEAGUE: "tech_dept",
        ProjectState.RESULT_WORKSHOP: "tech_dept",
        ProjectState.RESULT_RETURNED: "tech_dept",
    },
    ProjectState.RESULT_LEAGUE: {
        ProjectState.UNIT_APPROVED: "unit_admin",
        ProjectState.RESULT_TECH: "unit_admin",
        ProjectState.RESULT_RETURNED: "unit_admin",
    },
    ProjectState.UNIT_APPROVED: {ProjectState.FORWARDED: "unit_admin"},
    ProjectState.FORWARDED: {ProjectState.UNIT_APPROVED: "committee"},
}

EDITABLE_STATES = {ProjectState.DRAFT, ProjectState.RETURNED, ProjectState.WITHDRAWN}
RESULT_STATES = {ProjectState.RESULT_WORKSHOP, ProjectState.RESULT_TECH, ProjectState.RESULT_LEAGUE}
# States in which the unit's opinion givers see a project (its result is, or was, in the chain).
OPINION_VISIBLE_STATES = RESULT_STATES | {
    ProjectState.RESULT_RETURNED,
    ProjectState.UNIT_APPROVED,
    ProjectState.FORWARDED,
}


def allowed(from_state: str, to_state: str) -> str | None:
    """Who may move a project from one state to another, or None if nobody may."""
    return TRANSITIONS.get(from_state, {}).get(to_state)
