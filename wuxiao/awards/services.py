"""Changing award results. Every function checks that the caller is a committee admin, that the
results are not locked (or published), and records the audit entry; proposals and adjustments
also keep an `AwardChange`, so an award can be traced from the scores to the published list."""

import secrets
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wuxiao.audit.services import record
from wuxiao.awards import rules
from wuxiao.awards.models import (
    PATENT_STEPS,
    Award,
    AwardChange,
    AwardLevel,
    AwardSheet,
    OrganisationAward,
    PatentCase,
    PatentEvent,
    PatentStatus,
    ResultStatus,
)
from wuxiao.lib import public_cache
from wuxiao.people.permissions import is_committee_admin
from wuxiao.projects import uploads
from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState
from wuxiao.projects.transitions import StaleVersion


def _require_committee(by) -> None:
    if not is_committee_admin(by):
        raise PermissionDenied("只有组委会办公室可以评定和发布奖项")


def _locked_sheet(campaign, expected_version: int | None = None) -> AwardSheet:
    """The campaign's sheet under a write lock; with `expected_version` (the API's callers send
    the version they read), a sheet changed since is refused as stale."""
    sheet, _ = AwardSheet.objects.get_or_create(campaign=campaign)
    sheet = AwardSheet.objects.select_for_update().select_related("campaign").get(pk=sheet.pk)
    if expected_version is not None and sheet.version != expected_version:
        raise StaleVersion(
            f"奖项评定表已被他人修改（您看到的是第 {expected_version} 版，当前为第 {sheet.version} 版），请刷新后再操作",
            code="stale",
        )
    return sheet


def _require_editable(sheet: AwardSheet) -> None:
    if sheet.is_published:
        raise ValidationError("奖项结果已发布，不能再修改", code="published")
    if not sheet.is_editable:
        raise ValidationError("奖项结果已锁定，不能修改；如确需修改，请先解除锁定并说明理由", code="locked")


def forwarded_projects(campaign):
    """The N of the caps: every project forwarded to the committee, at any later stage too."""
    return Project.objects.filter(campaign=campaign, state__in=ProjectState.FORWARDED_OR_LATER)


@transaction.atomic
def propose_awards(
    *,
    campaign,
    by,
    ranking: Sequence[rules.Ranked],
    basis: str,
    specials: int,
    expected_version: int | None = None,
) -> AwardSheet:
    """(Re)build the proposal from a ranking, best first. Every forwarded project gets a row; the
    decided level starts as the proposal and each change is kept. Refused once locked."""
    _require_committee(by)
    sheet = _locked_sheet(campaign, expected_version)
    _require_editable(sheet)
    if specials < 0:
        raise ValidationError("特等奖数量不能为负数")
    forwarded = {p.pk: p for p in forwarded_projects(campaign)}
    ranked_ids = [r.project_id for r in ranking if r.project_id in forwarded]
    # Forwarded projects missing from the ranking (no scores yet) rank last, unscored.
    entries = [r for r in ranking if r.project_id in forwarded]
    entries += [rules.Ranked(pk, None) for pk in sorted(forwarded) if pk not in set(ranked_ids)]
    sheet.specials, sheet.total, sheet.basis = specials, len(forwarded), basis
    sheet.proposed_at = timezone.now()
    sheet.version += 1
    sheet.save()
    proposal = rules.allocate(entries, sheet.limits())
    existing = {a.project_id: a for a in sheet.awards.all()}
    score_of = {r.project_id: r.score for r in entries}
    changes = []
    for p in proposal:
        award = existing.pop(p.project_id, None)
        before = award.level if award else ""
        fields = {
            "rank": p.rank,
            "score": score_of[p.project_id],
            "proposed_level": p.level,
            "level": p.level,
            "tie_note": p.tie_note,
            "reason": "",
        }
        if award is None:
            award = Award.objects.create(sheet=sheet, project_id=p.project_id, **fields)
        else:
            for k, v in fields.items():
                setattr(award, k, v)
            award.save()
        if before != p.level:
            changes.append(
                AwardChange(award=award, from_level=before, to_level=p.level, reason=f"按{basis}生成建议", by=by)
            )
    AwardChange.objects.bulk_create(changes)
    # A project no longer forwarded (sent back) leaves the results.
    Award.objects.filter(pk__in=[a.pk for a in existing.values()]).delete()
    counts = Counter(p.level for p in proposal)
    record(
        by=by,
        action="awards.propose",
        target=sheet,
        after={"N": sheet.total, "特等奖": specials, **{rules.LEVEL_LABELS[k]: v for k, v in counts.items()}},
        note=basis,
    )
    return sheet


@transaction.atomic
def adjust_award(*, award: Award, level: str, reason: str, by, expected_version: int | None = None) -> Award:
    """The committee changes one project's level, with a reason; a change that would break a cap
    is refused with the numbers. The sheet's version moves, so a lock or publish based on an
    earlier reading is refused as stale."""
    _require_committee(by)
    sheet = _locked_sheet(award.sheet.campaign, expected_version)
    _require_editable(sheet)
    award = Award.objects.select_for_update().get(pk=award.pk, sheet=sheet)
    if level not in AwardLevel.values:
        raise ValidationError("请选择奖项等级")
    if not reason.strip():
        raise ValidationError("调整奖项必须填写理由")
    counts = Counter(sheet.awards.values_list("level", flat=True))
    problem = rules.adjustment_problem(level=level, counts=counts, lim=sheet.limits(), current=award.level)
    if problem:
        raise ValidationError(problem, code="cap")
    before = award.level
    if before == level:
        return award
    award.level, award.reason = level, reason.strip()
    award.save()
    AwardSheet.objects.filter(pk=sheet.pk).update(version=sheet.version + 1)
    AwardChange.objects.create(award=award, from_level=before, to_level=level, reason=reason.strip(), by=by)
    record(
        by=by,
        action="awards.adjust",
        target=award.project,
        before={"奖项": AwardLevel(before).label},
        after={"奖项": AwardLevel(level).label},
        note=reason.strip(),
    )
    return award


@transaction.atomic
def lock_results(*, campaign, by, expected_version: int | None = None) -> AwardSheet:
    _require_committee(by)
    sheet = _locked_sheet(campaign, expected_version)
    _require_editable(sheet)
    if not sheet.awards.exists():
        raise ValidationError("尚未生成奖项建议，不能锁定")
    sheet.status, sheet.locked_at, sheet.locked_by = ResultStatus.LOCKED, timezone.now(), by
    sheet.version += 1
    sheet.save()
    record(by=by, action="awards.lock", target=sheet, after={"状态": "已锁定"})
    return sheet


@transaction.atomic
def unlock_results(*, campaign, by, reason: str, expected_version: int | None = None) -> AwardSheet:
    """Only a locked, unpublished result may be unlocked, and only with a reason in the audit log."""
    _require_committee(by)
    sheet = _locked_sheet(campaign, expected_version)
    if sheet.status != ResultStatus.LOCKED:
        raise ValidationError(f"奖项结果{sheet.get_status_display()}，不能解除锁定")
    if not reason.strip():
        raise ValidationError("解除锁定必须填写理由")
    sheet.status, sheet.locked_at, sheet.locked_by = ResultStatus.DRAFT, None, None
    sheet.version += 1
    sheet.save()
    record(
        by=by, action="awards.unlock", target=sheet, before={"状态": "已锁定"}, after={"状态": "评定中"}, note=reason
    )
    return sheet


def _certificate_number(campaign, award: Award) -> str:
    # Year, the project's id and a random part: unguessable, so the public check page cannot be
    # walked by counting.
    return f"WX{campaign.year}-{award.project_id:06d}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def publish_results(*, campaign, by, expected_version: int | None = None) -> AwardSheet:
    """Publish locked results: certificate numbers are issued and everyone concerned is told."""
    from wuxiao.notifications import messages

    _require_committee(by)
    sheet = _locked_sheet(campaign, expected_version)
    if sheet.status != ResultStatus.LOCKED:
        raise ValidationError("请先锁定奖项结果，再发布" if sheet.is_editable else "奖项结果已发布")
    prizes = list(sheet.awards.exclude(level=AwardLevel.NONE).select_related("project", "project__unit"))
    for award in prizes:
        if not award.certificate_number:
            award.certificate_number = _certificate_number(campaign, award)
            award.save(update_fields=["certificate_number", "updated_at"])
    sheet.status, sheet.published_at, sheet.published_by = ResultStatus.PUBLISHED, timezone.now(), by
    sheet.version += 1
    sheet.save()
    _open_patent_cases(prizes)
    record(by=by, action="awards.publish", target=sheet, after={"获奖项目": len(prizes)})
    transaction.on_commit(public_cache.bump)  # the showcase shows the results from now on
    transaction.on_commit(lambda: messages.awards_published(sheet=sheet, awards=prizes))
    return sheet


# --- 获奖证书: the committee's wording and seal -------------------------------------------------

SEAL_KINDS = {"png", "jpg"}
# A seal scan is a few hundred kB; 5 MB leaves room for a 600 dpi scan and refuses anything else.
SEAL_MAX_BYTES = 5 * 1024 * 1024
# Pillow decodes the whole picture to print it: a small file claiming 20000×20000 pixels would
# take gigabytes (a "decompression bomb"); a real scan is at most a few thousand pixels a side.
SEAL_MAX_PIXELS = 6000 * 6000
WORDING_MAX = AwardSheet._meta.get_field("certificate_wording").max_length


def check_seal(upload) -> str:
    """The seal's kind ("png" or "jpg") judged by its content, as `uploads.check_upload` judges
    every attachment: its first bytes, then Pillow reading the picture's header and size."""
    from PIL import Image

    name = uploads.safe_display_name(getattr(upload, "name", ""), "png")
    if not upload.size:
        raise ValidationError(f"印章图片“{name}”是空文件（0 字节），请选择有内容的图片", code="empty")
    if upload.size > SEAL_MAX_BYTES:
        raise ValidationError(
            f"印章图片“{name}”大小为 {uploads.mb(upload.size)}，超过上限 {uploads.mb(SEAL_MAX_BYTES)}", code="too_large"
        )
    kind = uploads.detect_kind(upload)
    if kind not in SEAL_KINDS:
        raise ValidationError(
            f"印章图片“{name}”不是 PNG 或 JPG 图片（按文件内容检查，而非文件名），请重新上传", code="kind"
        )
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            width, height = img.size
            img.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(f"印章图片“{name}”已损坏，无法读取，请重新扫描后上传", code="damaged") from None
    finally:
        upload.seek(0)
    if width * height > SEAL_MAX_PIXELS:
        raise ValidationError(
            f"印章图片“{name}”为 {width}×{height} 像素，过大；请上传不超过 6000×6000 像素的图片", code="pixels"
        )
    problem = uploads.image_problem(upload, kind, name)  # what printing can afford (a PNG decodes whole)
    if problem:
        raise ValidationError(problem.replace("图片", "印章图片", 1), code="pixels")
    return kind


@transaction.atomic
def set_certificate_design(*, campaign, by, wording: str, seal=None, remove_seal: bool = False) -> AwardSheet:
    """The wording and the seal image printed on every certificate of the campaign. Allowed at
    any time (a wrong seal must be fixable after publication); each change is audited, and the
    seal is stored under a generated name, never the uploaded one."""
    _require_committee(by)
    sheet = _locked_sheet(campaign)
    wording = " ".join(wording.split())
    if not wording:
        raise ValidationError("证书用语必须填写，例如：特发此证，以资鼓励。", code="wording")
    if len(wording) > WORDING_MAX:
        raise ValidationError(f"证书用语最多 {WORDING_MAX} 个字，现有 {len(wording)} 个字", code="wording")
    kind = check_seal(seal) if seal else None
    before = {"证书用语": sheet.certificate_wording, "印章": sheet.seal.name or ""}
    old = sheet.seal.name if (kind or remove_seal) and sheet.seal else ""
    if kind:
        sheet.seal.save(f"{uuid.uuid4().hex}.{kind}", seal, save=False)
    elif remove_seal:
        sheet.seal = ""
    sheet.certificate_wording = wording
    sheet.save(update_fields=["certificate_wording", "seal"])
    after = {"证书用语": sheet.certificate_wording, "印章": sheet.seal.name or ""}
    if before != after:
        record(
            by=by,
            action="awards.certificate_design",
            target=sheet,
            before=before,
            after=after,
            note=f"上传印章：{uploads.safe_display_name(seal.name, kind)}" if kind else ("删除印章" if old else ""),
        )
    if old:
        storage = sheet.seal.storage
        transaction.on_commit(lambda: storage.delete(old))
    return sheet


def _open_patent_cases(prizes: list[Award]) -> None:
    """六(六): awarded projects whose teams are willing to apply for a patent enter patent help."""
    willing = [a.project for a in prizes if a.project.patent_willing]
    have = set(PatentCase.objects.filter(project__in=willing).values_list("project_id", flat=True))
    PatentCase.objects.bulk_create([PatentCase(project=p) for p in willing if p.pk not in have])


@transaction.atomic
def choose_organisation_award(*, campaign, organisation, by, reason: str = "") -> OrganisationAward:
    _require_committee(by)
    sheet = _locked_sheet(campaign)
    _require_editable(sheet)
    award, created = OrganisationAward.objects.get_or_create(
        campaign=campaign, organisation=organisation, defaults={"chosen_by": by, "reason": reason.strip()}
    )
    if created:
        record(by=by, action="awards.organisation_award", target=organisation, after={"优秀组织奖": True}, note=reason)
    return award


@transaction.atomic
def withdraw_organisation_award(*, award: OrganisationAward, by) -> None:
    _require_committee(by)
    sheet = _locked_sheet(award.campaign)
    _require_editable(sheet)
    record(by=by, action="awards.organisation_award", target=award.organisation, after={"优秀组织奖": False})
    award.delete()


@transaction.atomic
def advance_patent(*, case: PatentCase, to: str, on: date, note: str, by, patent_number: str = "") -> PatentCase:
    """Patent help moves forward one step at a time (待评估 → 辅导中 → 已提交 → 已受理 → 已授权),
    or ends in 未通过; 已授权 needs the patent number."""
    _require_committee(by)
    today = timezone.localdate()
    if not date(2000, 1, 1) <= on <= today:  # a typing slip in the year, not a day of patent help
        raise ValidationError(f"日期 {on.isoformat()} 应在 2000-01-01 至今天（{today.isoformat()}）之间，请检查年份")
    case = PatentCase.objects.select_for_update().get(pk=case.pk)
    if to not in PatentStatus.values:
        raise ValidationError(f"未知的专利申报状态“{to}”", code="patent")
    if to not in PATENT_STEPS.get(case.status, set()):
        raise ValidationError(
            f"专利申报当前为“{PatentStatus(case.status).label}”，不能变更为“{PatentStatus(to).label}”", code="patent"
        )
    if to == PatentStatus.GRANTED and not patent_number.strip():
        raise ValidationError("已授权须填写专利号")
    before = case.status
    case.status = to
    if patent_number.strip():
        case.patent_number = patent_number.strip()
    case.save()
    PatentEvent.objects.create(case=case, from_status=before, to_status=to, on=on, note=note.strip(), by=by)
    record(
        by=by,
        action="awards.patent",
        target=case.project,
        before={"专利": PatentStatus(before).label},
        after={"专利": PatentStatus(to).label},
        note=note,
    )
    return case
