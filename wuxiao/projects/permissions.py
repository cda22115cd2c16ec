"""Who may do what with a project, as predicates over a user and a project. Services call
them before they change anything; views and the API call them to show or refuse an action."""

from wuxiao.people.models import Organisation
from wuxiao.people.permissions import admin_organisations, can_manage_organisation
from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState, allowed


def is_leader(user, project: Project) -> bool:
    return user.is_authenticated and project.leader_id == user.pk


def is_team(user, project: Project) -> bool:
    """The leader or a member linked to an account (主要研究人员)."""
    return is_leader(user, project) or (user.is_authenticated and project.members.filter(user=user).exists())


def is_advisor(user, project: Project) -> bool:
    return user.is_authenticated and project.advisor_assignments.filter(advisor=user).exists()


def is_unit_admin_for(user, project: Project) -> bool:
    return can_manage_organisation(user, project.unit)


def can_edit(user, project: Project) -> bool:
    """Only the leader edits, and only while the project is a draft or sent back."""
    return is_leader(user, project) and project.state in ProjectState.EDITABLE


def can_withdraw(user, project: Project) -> bool:
    """The leader takes a submitted project back while the unit has not acted on it."""
    return is_leader(user, project) and allowed(project.state, ProjectState.WITHDRAWN) == "leader"


def can_return(user, project: Project) -> bool:
    """退回修改: the unit's admins send a submitted project back to its leader."""
    return allowed(project.state, ProjectState.RETURNED) == "unit_admin" and is_unit_admin_for(user, project)


def can_classify(user, project: Project) -> bool:
    """立项 or 不予立项: the unit's admins decide on a submitted project."""
    return allowed(project.state, ProjectState.ACCEPTED) == "unit_admin" and is_unit_admin_for(user, project)


def can_invite_member(user, project: Project) -> bool:
    """The leader invites the team's members to the platform (as applicants of the unit)."""
    return is_leader(user, project)


def can_submit_result(user, project: Project) -> bool:
    return is_leader(user, project)


def may_forward(user, unit: Organisation) -> bool:
    """The unit's own admins forward; an organisation above forwards on its behalf only when
    the unit allows it (allow_parent_forwarding)."""
    if any(org.pk == unit.pk for org in admin_organisations(user)):
        return True
    return can_manage_organisation(user, unit) and unit.allow_parent_forwarding


def forwards_on_behalf(user, unit: Organisation) -> bool:
    """The user forwards as the level above, not as the unit's own admin."""
    return not any(org.pk == unit.pk for org in admin_organisations(user))
