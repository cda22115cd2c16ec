"""The permission checks exporters share; all of them ask people/projects predicates."""

from wuxiao.people.permissions import can_manage_organisation, is_committee_admin, is_org_admin
from wuxiao.projects.queries import projects_visible_to


def may_see_project(user, project) -> bool:
    return projects_visible_to(user).filter(pk=project.pk).exists()


def may_manage(user, organisation) -> bool:
    return can_manage_organisation(user, organisation)


def is_admin(user) -> bool:
    return is_org_admin(user)


def is_committee(user) -> bool:
    return is_committee_admin(user)
