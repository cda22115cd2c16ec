"""The committee's choices of what goes public. Every change is audited and makes the public
pages stale at once (`lib.public_cache.bump`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wuxiao.audit.services import record
from wuxiao.awards.models import AwardSheet, ResultStatus
from wuxiao.lib.public_cache import bump
from wuxiao.people.permissions import is_committee_admin
from wuxiao.projects.states import ProjectState
from wuxiao.publication.models import BookletFormat, PublicBooklet, PublicEntry

BOOKLET_EXPORTERS = {f"booklet.{f}": f for f in BookletFormat.values}


@transaction.atomic
def save_entry(
    *, project, by, visible: bool, summary: str, show_team: bool, show_benefit: bool, images=()
) -> PublicEntry:
    """Show or hide a forwarded project in the public gallery, with the summary the committee approves
    (the 申报表 itself is never touched) and images chosen from its own image attachments."""
    if not is_committee_admin(by):
        raise PermissionDenied("只有组委会办公室可以决定公开展示的内容")
    if project.state not in ProjectState.FORWARDED_OR_LATER:
        raise ValidationError("只有上报组委会的项目可以公开展示")
    sheet = AwardSheet.objects.filter(campaign_id=project.campaign_id).first()
    if visible and (sheet is None or sheet.status == ResultStatus.DRAFT):
        raise ValidationError("奖项结果锁定或发布后才能公开展示项目")
    images = list(images)
    foreign = [a for a in images if a.project_id != project.pk or not a.content_type.startswith("image/")]
    if foreign:
        raise ValidationError("只能选择本项目附件中的图片")
    entry, _ = PublicEntry.objects.select_for_update().get_or_create(project=project, defaults={"updated_by": by})
    before = {"公开": entry.visible, "简介": entry.summary}
    entry.visible, entry.summary = visible, summary.strip()
    entry.show_team, entry.show_benefit, entry.updated_by = show_team, show_benefit, by
    entry.save()
    entry.images.set(images)
    record(
        by=by, action="publication.entry", target=project, before=before, after={"公开": visible, "简介": entry.summary}
    )
    transaction.on_commit(bump)
    return entry


def _require_committee(by) -> None:
    if not is_committee_admin(by):
        raise PermissionDenied("只有组委会办公室可以发布优秀项目案例集")


@transaction.atomic
def publish_booklet(*, job, by) -> PublicBooklet:
    """Put a finished 案例集 export online: only one built from the public entries (params["public"])
    of a campaign whose results are published. The file is copied, so clearing old export jobs
    never takes the public booklet away; a newer one of the same format replaces it."""
    import uuid

    from django.core.files import File

    from wuxiao.documents.models import JobStatus

    _require_committee(by)
    fmt = BOOKLET_EXPORTERS.get(job.exporter)
    if fmt is None or not job.params.get("public"):
        raise ValidationError("只能发布按公开内容生成的优秀项目案例集", code="not_public")
    if job.status != JobStatus.DONE or not job.result:
        raise ValidationError("案例集尚未生成完成，不能发布", code="not_done")
    sheet = AwardSheet.objects.filter(campaign_id=job.params.get("campaign")).select_related("campaign").first()
    if sheet is None or not sheet.is_published:
        raise ValidationError("评审结果发布后才能发布优秀项目案例集", code="unpublished")
    booklet = PublicBooklet.objects.select_for_update().filter(campaign=sheet.campaign, format=fmt).first()
    old = booklet.file.name if booklet else ""
    booklet = booklet or PublicBooklet(campaign=sheet.campaign, format=fmt)
    with job.result.open("rb") as source:
        booklet.file.save(f"{uuid.uuid4().hex}.{fmt}", File(source), save=False)
    booklet.filename, booklet.size = job.filename, job.result.size
    booklet.generated_at, booklet.job, booklet.published_by = job.created_at, job, by
    booklet.save()
    record(
        by=by,
        action="publication.booklet",
        target=sheet.campaign,
        after={"案例集": booklet.filename, "导出任务": job.pk},
        note="发布优秀项目案例集",
    )
    if old:
        storage = booklet.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    transaction.on_commit(bump)
    return booklet


@transaction.atomic
def withdraw_booklet(*, booklet: PublicBooklet, by) -> None:
    _require_committee(by)
    record(
        by=by,
        action="publication.booklet",
        target=booklet.campaign,
        before={"案例集": booklet.filename},
        note="撤销发布优秀项目案例集",
    )
    name, storage = booklet.file.name, booklet.file.storage
    booklet.delete()
    transaction.on_commit(lambda: storage.delete(name))
    transaction.on_commit(bump)
