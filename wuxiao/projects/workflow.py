"""What happens inside a unit after a project is submitted (stages 2–4 of the notice):
directions, classification, advisors, work records, urging, the result's opinion chain,
internal evaluation and forwarding within the quota. State changes go through
`services.transition`; everything here is keyword-only, transactional and audited."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wuxiao.audit.services import record
from wuxiao.campaigns.models import Campaign, Participation, StageKind
from wuxiao.campaigns.services import require_stage_open
from wuxiao.lib.phones import validate_phone
from wuxiao.notifications import messages
from wuxiao.people.models import Membership, Organisation, Role
from wuxiao.people.permissions import can_manage_organisation
from wuxiao.projects import queries, rules, uploads
from wuxiao.projects.models import (
    AdvisorAssignment,
    Direction,
    EntryRoute,
    FilePurpose,
    KeyResources,
    LevelChange,
    Opinion,
    Project,
    ProjectLevel,
    SelfGrade,
    WorkRecord,
    WorkRecordComment,
    WorkRecordFile,
)
from wuxiao.projects.permissions import can_submit_result, is_advisor, is_team, may_forward
from wuxiao.projects.states import ProjectState
from wuxiao.projects.transitions import lock, transition

MAX_STAMP_BYTES = 5 * 1024 * 1024
MAX_RECORD_FILE_BYTES = 20 * 1024 * 1024
MAX_RESULT_DESCRIPTION = 3000
MAX_EVIDENCE_FILES = 10


def _require_admin(user, unit: Organisation) -> None:
    if not can_manage_organisation(user, unit):
        raise PermissionDenied(f"您不是“{unit.name}”的团组织管理员")


def _not_frozen(project: Project) -> None:
    if project.state in ProjectState.FORWARDED_OR_LATER:
        raise ValidationError("该项目已上报组委会，内容已冻结；如需修改请联系组委会退回", code="frozen")


# Each unit-workflow action and the stages of the notice it belongs to (SPEC.md "Stages"):
# 立项 (2) directions and classification; advisors, resources and the key/general level from
# 立项 until results are collected (2–4); work records and guidance during 项目攻关 and while a
# returned result is reworked (3–4); results, opinions, evaluation and forwarding in 成果收集 (4).
REGISTRATION = (StageKind.REGISTRATION,)
UNIT_WORK = (StageKind.REGISTRATION, StageKind.WORK, StageKind.COLLECTION)
TEAM_WORK = (StageKind.WORK, StageKind.COLLECTION)
COLLECTION = (StageKind.COLLECTION,)


def _require_stage(project: Project, kinds: tuple[str, ...], action: str) -> None:
    """The stage check of every action on a project, with its unit's extension. A project
    entering directly with its finished result (EntryRoute.DIRECT) is classified in 成果收集."""
    if kinds == REGISTRATION and project.entry_route == EntryRoute.DIRECT:
        kinds = COLLECTION
    require_stage_open(project.campaign, kinds, project.unit, action=action)


def participation_for(campaign: Campaign, unit: Organisation) -> Participation:
    """The unit's row for the campaign (created with a headcount of 0 if the office has
    not entered one yet: the quota is then the minimum)."""
    participation, _ = Participation.objects.get_or_create(campaign=campaign, organisation=unit)
    return participation


def workshop_step_enabled(campaign: Campaign, unit: Organisation) -> bool:
    value = (
        Participation.objects.filter(campaign=campaign, organisation=unit)
        .values_list("workshop_step_enabled", flat=True)
        .first()
    )
    return True if value is None else value


# --- Stage 2: directions and classification ------------------------------------------


@transaction.atomic
def add_direction(*, campaign: Campaign, unit: Organisation, by, title: str, description: str = "", order: int = 0):
    """An unpublished 项目方向 of the unit (its applicants see it once published)."""
    _require_admin(by, unit)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "方向必须填写"})
    if Direction.objects.filter(campaign=campaign, unit=unit, title=title).exists():
        raise ValidationError({"title": "本单位已有同名方向"})
    direction = Direction.objects.create(
        campaign=campaign, unit=unit, title=title, description=description.strip(), order=order, created_by=by
    )
    record(by=by, action="direction.create", target=unit, after={"title": title})
    return direction


@transaction.atomic
def delete_direction(*, direction: Direction, by) -> None:
    """Only an unpublished direction goes: applicants may have read a published one."""
    _require_admin(by, direction.unit)
    if direction.published:
        raise PermissionDenied("已发布的方向不能删除")
    record(by=by, action="direction.delete", target=direction.unit, before={"title": direction.title})
    direction.delete()


@transaction.atomic
def publish_directions(*, campaign: Campaign, unit: Organisation, by) -> int:
    """Publish the unit's unpublished directions; its applicants are told."""
    _require_admin(by, unit)
    require_stage_open(campaign, REGISTRATION, unit, action="发布项目方向")
    pending = Direction.objects.filter(campaign=campaign, unit=unit, published=False)
    titles = list(pending.values_list("title", flat=True))
    if not titles:
        raise ValidationError("没有待发布的项目方向")
    pending.update(published=True, published_at=timezone.now())
    record(by=by, action="direction.publish", target=unit, after={"titles": titles})
    applicants = [
        m.user for m in Membership.objects.filter(organisation=unit, role=Role.APPLICANT).select_related("user")
    ]
    messages.directions_published(unit=unit, campaign=campaign, titles=titles, recipients=applicants)
    return len(titles)


@transaction.atomic
def classify(
    *,
    project: Project,
    level: str,
    by,
    funding: Decimal | None = None,
    equipment: str = "",
) -> Project:
    """立项: accept a submitted project as key (重点) or general (一般). A key project needs
    at least two technical advisors before it can be confirmed."""
    _require_admin(by, project.unit)
    project = lock(project)
    _require_stage(project, REGISTRATION, "立项")
    if level not in ProjectLevel.values:
        raise ValidationError(f"项目分类“{level}”无效，应为重点项目或一般项目")
    if project.state != ProjectState.SUBMITTED:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，只有待审核的项目可以立项")
    if level == ProjectLevel.KEY:
        problem = rules.advisor_problem(level, project.advisor_assignments.count())
        if problem:
            raise ValidationError(problem, code="advisors")
        KeyResources.objects.update_or_create(
            project=project, defaults={"funding": funding or Decimal("0"), "equipment": equipment, "updated_by": by}
        )
    Project.objects.filter(pk=project.pk).update(level=level)
    LevelChange.objects.create(project=project, from_level="", to_level=level, reason="立项分类", changed_by=by)
    project = transition(project, ProjectState.ACCEPTED, by=by, note=f"立项为{ProjectLevel(level).label}")
    messages.project_accepted(project)
    return project


@transaction.atomic
def refuse(*, project: Project, reason: str, by) -> Project:
    """未予立项, with the reason the applicant reads."""
    _require_admin(by, project.unit)
    _require_stage(project, REGISTRATION, "不予立项")
    if not reason.strip():
        raise ValidationError("不予立项必须填写原因")
    project = transition(project, ProjectState.REFUSED, by=by, note=reason.strip())
    messages.project_refused(project, reason=reason.strip())
    return project


@transaction.atomic
def change_level(*, project: Project, level: str, reason: str, by) -> Project:
    """Key ↔ general after acceptance, with a recorded reason."""
    _require_admin(by, project.unit)
    project = lock(project)
    _not_frozen(project)
    _require_stage(project, UNIT_WORK, "变更项目分类")
    if project.state not in ProjectState.IN_UNIT_WORK:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，不能变更分类")
    if level not in ProjectLevel.values:
        raise ValidationError(f"项目分类“{level}”无效，应为重点项目或一般项目")
    if level == project.level:
        raise ValidationError(f"项目已是{ProjectLevel(level).label}")
    if not reason.strip():
        raise ValidationError("变更项目分类必须填写原因")
    if level == ProjectLevel.KEY:
        problem = rules.advisor_problem(level, project.advisor_assignments.count())
        if problem:
            raise ValidationError(problem, code="advisors")
        KeyResources.objects.get_or_create(project=project, defaults={"updated_by": by})
    before = project.level
    Project.objects.filter(pk=project.pk).update(level=level, version=F("version") + 1)
    LevelChange.objects.create(project=project, from_level=before, to_level=level, reason=reason.strip(), changed_by=by)
    record(by=by, action="project.level", target=project, before={"level": before}, after={"level": level}, note=reason)
    project.refresh_from_db()
    return project


@transaction.atomic
def set_resources(*, project: Project, funding: Decimal, equipment: str, by) -> KeyResources:
    _require_admin(by, project.unit)
    _not_frozen(project)
    _require_stage(project, UNIT_WORK, "配给资源")
    if funding is None or funding < 0:
        raise ValidationError("配给经费（万元）不能为负数")
    resources, _ = KeyResources.objects.update_or_create(
        project=project, defaults={"funding": funding, "equipment": equipment, "updated_by": by}
    )
    record(by=by, action="project.resources", target=project, after={"funding": str(funding), "equipment": equipment})
    return resources


# --- Advisors -------------------------------------------------------------------------


def advisor_candidates(unit: Organisation, *, project_id: int | None = None):
    """People holding the 技术顾问 role in the unit; for a project, those not yet assigned to it."""
    from wuxiao.people.models import User

    qs = User.objects.filter(memberships__organisation=unit, memberships__role=Role.ADVISOR)
    if project_id is not None:
        qs = qs.exclude(advising__project_id=project_id)
    return qs.order_by("real_name")


@transaction.atomic
def assign_advisor(*, project: Project, advisor, by) -> AdvisorAssignment:
    _require_admin(by, project.unit)
    project = lock(project)
    _not_frozen(project)
    _require_stage(project, UNIT_WORK, "指派技术顾问")
    if project.state not in ProjectState.ADVISABLE:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，不能指派技术顾问")
    if not Membership.objects.filter(user=advisor, organisation=project.unit, role=Role.ADVISOR).exists():
        raise ValidationError(f"{advisor.display_name} 不是“{project.unit.name}”的技术顾问，请先邀请其加入")
    if project.advisor_assignments.filter(advisor=advisor).exists():
        raise ValidationError(f"{advisor.display_name} 已是该项目的技术顾问")
    assignment = AdvisorAssignment.objects.create(project=project, advisor=advisor, assigned_by=by)
    record(by=by, action="project.advisor_add", target=project, after={"advisor": advisor.pk})
    messages.advisor_assigned(assignment)
    return assignment


@transaction.atomic
def remove_advisor(*, project: Project, advisor, by) -> None:
    """A confirmed key project never drops below two advisors."""
    _require_admin(by, project.unit)
    project = lock(project)
    _not_frozen(project)
    _require_stage(project, UNIT_WORK, "移除技术顾问")
    assignment = project.advisor_assignments.filter(advisor=advisor).first()
    if assignment is None:
        raise ValidationError(f"{advisor.display_name} 不是该项目的技术顾问")
    remaining = project.advisor_assignments.count() - 1
    if project.level == ProjectLevel.KEY and project.state != ProjectState.SUBMITTED:
        problem = rules.advisor_problem(project.level, remaining)
        if problem:
            raise ValidationError(f"不能移除：{problem.replace('当前', '移除后仅剩')}", code="advisors")
    assignment.delete()
    record(by=by, action="project.advisor_remove", target=project, before={"advisor": advisor.pk})


# --- Stage 3: work records, advisor comments, urging ----------------------------------


# Stamps (盖章) and work-record files: a seal image or a scanned signed page.
STAMP_KINDS = {"png": "image/png", "jpg": "image/jpeg", "pdf": "application/pdf"}


def _check_file(upload: UploadedFile, *, max_bytes: int, what: str) -> str:
    name = uploads.safe_display_name(upload.name, "pdf")  # no control characters in a message
    if upload.size == 0:
        raise ValidationError(f"{what}“{name}”是空文件")
    if upload.size > max_bytes:
        raise ValidationError(
            f"{what}“{name}”大小 {upload.size / 1024 / 1024:.1f} MB，超过 {max_bytes // 1024 // 1024} MB 上限"
        )
    kind = uploads.detect_kind(upload)
    if kind not in STAMP_KINDS:
        raise ValidationError(f"{what}“{name}”不是 PNG、JPG 图片或 PDF 文件（按文件内容检查），请重新上传")
    problem = uploads.image_problem(upload, kind, name)
    if problem:
        raise ValidationError(problem, code="pixels")
    return kind


@transaction.atomic
def add_work_record(
    *,
    project: Project,
    by,
    on: date,
    done: str,
    problems: str = "",
    next_steps: str = "",
    files: list[UploadedFile] = (),
) -> WorkRecord:
    if not is_team(by, project):
        raise PermissionDenied("只有项目组成员可以填写工作记录")
    _not_frozen(project)
    if project.state not in ProjectState.WORKING:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，不能填写工作记录")
    _require_stage(project, TEAM_WORK, "填写工作记录")
    if on > timezone.localdate():
        raise ValidationError(f"工作记录日期 {on:%Y-%m-%d} 晚于今天")
    if on < project.campaign.starts_on:  # e.g. year 1: a typing slip, not a day of this campaign
        raise ValidationError(
            f"工作记录日期 {on.isoformat()} 早于本届活动开始日期 {project.campaign.starts_on.isoformat()}，请检查年份"
        )
    if not done.strip():
        raise ValidationError("工作内容必须填写")
    kinds = [(f, _check_file(f, max_bytes=MAX_RECORD_FILE_BYTES, what="附件")) for f in files]
    work = WorkRecord.objects.create(
        project=project,
        date=on,
        done=done.strip(),
        problems=problems.strip(),
        next_steps=next_steps.strip(),
        created_by=by,
    )
    for upload, kind in kinds:
        stored = uploads.store(
            project=project,
            upload=upload,
            purpose=FilePurpose.WORK_RECORD,
            by=by,
            display_name=upload.name,
            extension=kind,
            content_type=STAMP_KINDS[kind],
        )
        WorkRecordFile.objects.create(record=work, stored=stored)
    record(by=by, action="workrecord.create", target=project, after={"record": work.pk, "date": on.isoformat()})
    messages.work_record_added(work)
    return work


@transaction.atomic
def comment_work_record(*, work: WorkRecord, by, text: str, sign_off: bool) -> WorkRecordComment:
    if not is_advisor(by, work.project):
        raise PermissionDenied("只有该项目的技术顾问可以填写指导意见")
    _not_frozen(work.project)
    _require_stage(work.project, TEAM_WORK, "填写指导意见")
    if not text.strip():
        raise ValidationError("指导意见必须填写")
    comment = WorkRecordComment.objects.create(record=work, advisor=by, text=text.strip(), signed_off=sign_off)
    record(by=by, action="workrecord.comment", target=work.project, after={"record": work.pk, "signed_off": sign_off})
    messages.work_record_commented(comment)
    return comment


@transaction.atomic
def urge(*, project: Project, by, note: str = "") -> None:
    """催办: remind the team to keep working and recording."""
    _require_admin(by, project.unit)
    if project.state not in ProjectState.WORKING:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，无需催办")
    _require_stage(project, TEAM_WORK, "催办")
    record(by=by, action="project.urge", target=project, note=note)
    messages.project_urged(project, by=by, note=note.strip())


# --- Stage 4: result and opinion chain ------------------------------------------------


@transaction.atomic
def submit_result(
    *,
    project: Project,
    by,
    economic_benefit: Decimal | None = None,
    result_description: str | None = None,
    evidence: list[UploadedFile] = (),
) -> Project:
    """The leader submits the achievement; it enters the unit's opinion chain. With it go the
    成果说明 (what was achieved and how it is used) and 成果证明材料 (测试报告, 应用证明,
    photos …), which the opinion givers read before they sign. SPEC names only 创造效益 as
    required, so both are optional; a resubmission after a return keeps earlier evidence."""
    if not can_submit_result(by, project):
        raise PermissionDenied("只有项目负责人可以提交成果")
    project = lock(project)
    _not_frozen(project)
    if project.state not in ProjectState.WORKING:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，不能提交成果")
    _require_stage(project, COLLECTION, "提交成果")
    if economic_benefit is not None:
        if economic_benefit < 0:
            raise ValidationError("创造效益（万元）不能为负数")
        Project.objects.filter(pk=project.pk).update(economic_benefit=economic_benefit)
    elif project.economic_benefit is None:
        raise ValidationError("创造效益（万元）必须填写（汇总表要求）")
    if result_description is not None:
        result_description = result_description.strip()
        if len(result_description) > MAX_RESULT_DESCRIPTION:
            raise ValidationError(
                f"成果说明有 {len(result_description)} 字，超过 {MAX_RESULT_DESCRIPTION} 字上限，请精简或作为证明材料上传"
            )
        Project.objects.filter(pk=project.pk).update(result_description=result_description)
        project.result_description = result_description
    files = list(evidence)
    _store_evidence(project=project, by=by, files=files)
    to = rules.first_result_state(workshop_step_enabled(project.campaign, project.unit))
    note = "提交成果" + (f"（成果证明材料 {len(files)} 个）" if files else "")
    project = transition(project, to, by=by, note=note)
    messages.result_awaiting_opinion(project)
    return project


def _store_evidence(*, project: Project, by, files: list[UploadedFile]) -> list:
    """The checks of every 成果证明材料 upload (on 提交成果 and on its own): at most
    MAX_EVIDENCE_FILES per project, each file's kind by its content, its size and the
    project's total; all files are checked before any is stored."""
    if not files:
        return []
    existing = project.stored_files.filter(purpose=FilePurpose.RESULT_EVIDENCE).count()
    if existing + len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(
            f"成果证明材料最多 {MAX_EVIDENCE_FILES} 个，已有 {existing} 个，本次又选择了 {len(files)} 个"
        )
    used = sum(project.stored_files.values_list("size", flat=True))
    checked = []
    for upload in files:
        ok = uploads.check_upload(upload, used_bytes=used)  # kind by content, size, project total
        used += ok.size
        checked.append((upload, ok))
    return [
        uploads.store(
            project=project,
            upload=upload,
            purpose=FilePurpose.RESULT_EVIDENCE,
            by=by,
            display_name=ok.display_name,
            extension=ok.extension,
            content_type=ok.content_type,
        )
        for upload, ok in checked
    ]


@transaction.atomic
def add_result_evidence(*, project: Project, by, files: list[UploadedFile]) -> list:
    """The leader adds 成果证明材料 ahead of 提交成果 (the API uploads files apart from the
    result): the same person, states and stage as removing one, the same checks as
    submitting with files."""
    if not can_submit_result(by, project):
        raise PermissionDenied("只有项目负责人可以上传成果证明材料")
    project = lock(project)
    _not_frozen(project)
    if project.state not in ProjectState.WORKING:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，成果已提交审核，不能再上传成果证明材料")
    _require_stage(project, COLLECTION, "上传成果证明材料")
    if not files:
        raise ValidationError("请选择要上传的成果证明材料")
    stored = _store_evidence(project=project, by=by, files=files)
    record(by=by, action="project.evidence_add", target=project, after={"files": [f.pk for f in stored]})
    return stored


@transaction.atomic
def remove_result_evidence(*, project: Project, by, stored) -> None:
    """The leader takes back a 成果证明材料 file while the result is still theirs (before
    submitting, or after it was returned to them); once submitted, the file stays."""
    if not can_submit_result(by, project):
        raise PermissionDenied("只有项目负责人可以删除成果证明材料")
    project = lock(project)
    _not_frozen(project)
    if project.state not in ProjectState.WORKING:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，成果证明材料已提交审核，不能删除")
    _require_stage(project, COLLECTION, "删除成果证明材料")
    if stored.project_id != project.pk or stored.purpose != FilePurpose.RESULT_EVIDENCE:
        raise ValidationError("该文件不是本项目的成果证明材料")
    record(by=by, action="project.evidence_remove", target=project, before={"file": stored.pk, "name": stored.name})
    name, storage = stored.file.name, stored.file.storage
    stored.delete()
    transaction.on_commit(lambda: storage.delete(name))


def opinion_step(project: Project) -> str | None:
    return rules.STEP_OF_STATE.get(project.state)


@transaction.atomic
def give_opinion(
    *,
    project: Project,
    by,
    decision: str,
    text: str,
    stamp: UploadedFile | None = None,
) -> Opinion:
    """One step of the chain: the opinion text and stamp, then approve (next step), return
    to the previous step, or return to the applicant (RESULT_RETURNED)."""
    project = lock(project)
    step = opinion_step(project)
    if step is None:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，不在单位审核环节")
    _require_stage(project, COLLECTION, "填写审核意见")
    if not text.strip():
        raise ValidationError("意见必须填写" if decision == rules.APPROVE else "退回必须填写原因")
    if decision == rules.APPROVE and stamp is None:
        raise ValidationError("同意时必须上传盖章（印章图片或签字页扫描件，PNG/JPG/PDF）")
    kind = _check_file(stamp, max_bytes=MAX_STAMP_BYTES, what="盖章文件") if stamp is not None else None
    to = rules.state_after_opinion(project.state, decision, workshop_step_enabled(project.campaign, project.unit))
    project = transition(project, to, by=by, note=text.strip())  # checks that `by` holds this step
    opinion = Opinion.objects.create(
        project=project,
        step=step,
        text=text.strip(),
        approved=decision == rules.APPROVE,
        signer=by,
        signer_name=by.display_name,
        signed_on=timezone.localdate(),
        stamp=uploads.store(
            project=project,
            upload=stamp,
            purpose=FilePurpose.STAMP,
            by=by,
            display_name=f"盖章-{by.display_name}.{kind}",
            extension=kind,
            content_type=STAMP_KINDS[kind],
        )
        if stamp is not None
        else None,
    )
    if to == ProjectState.RESULT_RETURNED:
        messages.result_returned(project, reason=text.strip())
    elif to == ProjectState.UNIT_APPROVED:
        messages.result_unit_approved(project)
    else:
        messages.result_awaiting_opinion(project)
    return opinion


# --- Internal evaluation and forwarding -----------------------------------------------


@transaction.atomic
def evaluate(*, project: Project, by, score: Decimal | None, self_grade: str) -> Project:
    """单位内部评比: a score (0–100) and the self-assessed grade A/B/C of the 汇总表."""
    _require_admin(by, project.unit)
    project = lock(project)
    _not_frozen(project)
    if project.state != ProjectState.UNIT_APPROVED:
        raise ValidationError(f"项目当前状态为“{project.get_state_display()}”，只有单位评审通过的项目参加内部评比")
    _require_stage(project, COLLECTION, "内部评比")
    if self_grade not in SelfGrade.values:
        raise ValidationError("自评等级应为 A（特等奖/一等奖）、B（二等奖）或 C（三等奖）")
    if score is not None and not (0 <= score <= 100):
        raise ValidationError(f"内部评比得分 {score} 超出 0–100 的范围")
    before = {
        "internal_score": str(project.internal_score) if project.internal_score is not None else None,
        "self_grade": project.self_grade,
    }
    Project.objects.filter(pk=project.pk).update(internal_score=score, self_grade=self_grade, version=F("version") + 1)
    record(
        by=by,
        action="project.evaluate",
        target=project,
        before=before,
        after={"internal_score": str(score) if score is not None else None, "self_grade": self_grade},
    )
    project.refresh_from_db()
    return project


@dataclass(frozen=True)
class QuotaStatus:
    quota: int
    forwarded: int

    @property
    def remaining(self) -> int:
        return max(0, self.quota - self.forwarded)

    @property
    def text(self) -> str:
        return f"可报 {self.quota} 项，已报 {self.forwarded} 项"


def quota_status(campaign: Campaign, unit: Organisation) -> QuotaStatus:
    participation = (
        Participation.objects.filter(campaign=campaign, organisation=unit).select_related("campaign").first()
    )
    quota = participation.quota if participation else rules_quota_for(campaign, 0)
    return QuotaStatus(quota=quota, forwarded=queries.forwarded_count(campaign, unit))


def rules_quota_for(campaign: Campaign, young_workers: int) -> int:
    from wuxiao.campaigns.rules import quota

    return quota(young_workers, campaign.quota_settings)


@transaction.atomic
def forward_projects(
    *,
    unit: Organisation,
    projects: list[Project],
    by,
    reporter_name: str,
    reporter_phone: str,
) -> list[Project]:
    """上报: forward key-project results to the committee, never beyond the quota. The
    unit's participation row is locked first, so the count check and the state changes are
    one atomic step even when two admins (or the unit and its district) forward at once."""
    if not may_forward(by, unit):
        if can_manage_organisation(by, unit):
            raise PermissionDenied(f"“{unit.name}”未允许上级团组织代为上报")
        raise PermissionDenied(f"您不是“{unit.name}”的团组织管理员")
    if not projects:
        raise ValidationError("请选择要上报的项目")
    campaigns = {p.campaign_id for p in projects}
    if len(campaigns) != 1 or any(p.unit_id != unit.pk for p in projects):
        raise ValidationError("只能上报本单位同一届活动的项目")
    campaign = projects[0].campaign
    errors = []
    if not reporter_name.strip():
        errors.append("汇总表的填报人必须填写")
    try:
        validate_phone(reporter_phone)
    except ValidationError as exc:
        errors.append(f"汇总表的联系电话：{exc.messages[0]}")
    try:
        require_stage_open(campaign, COLLECTION, unit, action="上报")
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    participation_for(campaign, unit)
    participation = (
        Participation.objects.select_for_update().select_related("campaign").get(campaign=campaign, organisation=unit)
    )
    forwarded = queries.forwarded_count(campaign, unit)
    problem = rules.quota_problem(participation.quota, forwarded, len(projects))
    if problem:
        raise ValidationError(problem, code="quota")

    locked = [lock(p) for p in sorted(projects, key=lambda p: p.pk)]
    for p in locked:
        if p.state != ProjectState.UNIT_APPROVED:
            errors.append(f"“{p}”当前状态为“{p.get_state_display()}”，只有单位评审通过的项目可以上报")
        elif p.level != ProjectLevel.KEY:
            errors.append(f"“{p}”是一般项目，只有重点项目的成果可以上报")
        elif not p.self_grade:
            errors.append(f"“{p}”尚未填写自评等级（内部评比）")
        elif p.economic_benefit is None:
            errors.append(f"“{p}”的创造效益（万元）未填写")
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    done = []
    for p in locked:
        p = transition(p, ProjectState.FORWARDED, by=by, note="上报组委会")
        Project.objects.filter(pk=p.pk).update(forwarded_at=now, forwarded_by=by)
        done.append(p)
    participation.reporter_name = reporter_name.strip()
    participation.reporter_phone = reporter_phone.strip()
    participation.save(update_fields=["reporter_name", "reporter_phone", "updated_at"])
    record(
        by=by,
        action="unit.forward",
        target=participation,
        after={"projects": [p.pk for p in done], "quota": participation.quota, "forwarded": forwarded + len(done)},
    )
    messages.projects_forwarded(unit=unit, projects=done, by=by)
    return done


@transaction.atomic
def send_back(*, project: Project, by, reason: str) -> Project:
    """The committee returns a forwarded project to its unit (FORWARDED → UNIT_APPROVED)."""
    if not reason.strip():
        raise ValidationError("退回必须填写原因")
    project = transition(project, ProjectState.UNIT_APPROVED, by=by, note=reason.strip())
    Project.objects.filter(pk=project.pk).update(forwarded_at=None, forwarded_by=None)
    project.refresh_from_db()
    messages.forwarded_sent_back(project, reason=reason.strip())
    return project
