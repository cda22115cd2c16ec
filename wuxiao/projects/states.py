"""Project states and the one map of allowed transitions. Later capabilities (unit
workflow, review, awards) add their states here, and nowhere else."""

from django.db import models


class ProjectState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回修改"
    WITHDRAWN = "withdrawn", "已撤回"


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
