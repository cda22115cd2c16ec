"""The one function that changes a project's state, and the row lock every project write takes.

`transition` checks the state map (`states.TRANSITIONS`) and who may make the move, locks the
row, checks the version the user saw, bumps it and records the timeline event and the audit
entry. Services (`services.submit_project`, `workflow.forward_projects`, …) check their own
preconditions inside the same transaction and then call it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wuxiao.audit.services import record
from wuxiao.lib.compiled import Compiled
from wuxiao.people.models import Membership
from wuxiao.people.permissions import can_manage_organisation, is_committee_admin
from wuxiao.projects.models import Project, ProjectEvent
from wuxiao.projects.states import ProjectState, allowed


class StaleVersion(ValidationError):
    """The project changed since the user loaded it (another tab, another member)."""


def may_act_as(user, project: Project, actor: str) -> bool:
    """Does `user` hold the `actor` part named in the transition map for this project?"""
    if actor == "leader":
        return project.leader_id == user.pk
    if actor == "unit_admin":
        return can_manage_organisation(user, project.unit)
    if actor == "committee":
        return is_committee_admin(user)
    if actor in ("workshop", "tech_dept"):
        return Membership.objects.filter(user=user, organisation=project.unit, role=actor).exists()
    return False


# the row alone, locked (the usual case: the view read the project with its campaign and unit),
# compiled once per process
_LOCKED_ROW = Compiled(lambda pk: Project.objects.select_for_update(of=("self",)).filter(pk=pk).order_by())


def lock(project: Project, *, expected_version: int | None = None) -> Project:
    """Re-read the project row under a write lock (SELECT … FOR UPDATE on PostgreSQL; SQLite
    runs IMMEDIATE transactions, which already serialise writers) and check the version
    the user saw. Call inside transaction.atomic(). The campaign and unit come with it (most
    writes check a stage window or record the unit in the audit log): taken from `project`
    when it has them already, so they are not read twice in one request (they are not locked
    either way). Only the project row is locked."""
    cached = {
        name: getattr(project, name)
        for name in ("campaign", "unit")
        if Project._meta.get_field(name).is_cached(project)
    }
    if missing := [name for name in ("campaign", "unit") if name not in cached]:
        locked = Project.objects.select_for_update(of=("self",)).select_related(*missing).get(pk=project.pk)
    else:
        locked = _LOCKED_ROW.first(pk=project.pk)
        if locked is None:
            raise Project.DoesNotExist("Project matching query does not exist.")
    for name, related in cached.items():
        if getattr(locked, f"{name}_id") == related.pk:
            setattr(locked, name, related)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            f"该项目已被他人修改（您看到的是第 {expected_version} 版，当前为第 {locked.version} 版），请刷新后再操作",
            code="stale",
        )
    return locked


def transition(
    project: Project, to: str, *, by, note: str = "", expected_version: int | None = None, locked: bool = False
) -> Project:
    """Move a project to state `to`: checks the transition map and who may do it, locks the
    row, bumps the version, records the timeline event and the audit entry.

    Callers (submit_project, return_project, …) check their own preconditions (stage
    windows, completeness, quota) first, inside the same transaction. `locked`: the caller
    read `project` with `lock()` in this same transaction, so the row is not read again, and
    the change is part of the caller's transaction (no savepoint of its own: if it fails,
    the caller's whole change fails with it)."""
    with transaction.atomic(savepoint=not locked):
        return _transition(project, to, by=by, note=note, expected_version=expected_version, locked=locked)


def _transition(project: Project, to: str, *, by, note: str, expected_version: int | None, locked: bool) -> Project:
    if not locked:
        project = lock(project, expected_version=expected_version)
    from_state = project.state
    actor = allowed(from_state, to)
    if actor is None:
        raise ValidationError(
            f"项目当前状态为“{ProjectState(from_state).label}”，不能变更为“{ProjectState(to).label}”", code="transition"
        )
    if not may_act_as(by, project, actor):
        raise PermissionDenied(f"您无权将该项目变更为“{ProjectState(to).label}”")
    project.state = to
    project.version += 1
    if to == ProjectState.SUBMITTED:
        project.submitted_at = timezone.now()
    project.save()
    ProjectEvent.objects.create(project=project, actor=by, from_state=from_state, to_state=to, note=note)
    record(by=by, action=f"project.{to}", target=project, before={"state": from_state}, after={"state": to}, note=note)
    return project
