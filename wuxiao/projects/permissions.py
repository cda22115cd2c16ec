"""Who may do what with a project."""

from wuxiao.people.permissions import can_manage_organisation
from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState


def can_edit(user, project: Project) -> bool:
    """Only the leader edits, and only while the project is a draft or sent back."""
    return project.leader_id == user.pk and project.state in ProjectState.EDITABLE


def is_unit_admin_for(user, project: Project) -> bool:
    return can_manage_organisation(user, project.unit)
