"""The committee's choices of what goes public. Every change is audited and makes the public
pages stale at once (`lib.public_cache.bump`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wuxiao.audit.services import record
from wuxiao.awards.models import AwardSheet, ResultStatus
from wuxiao.lib.public_cache import bump
from wuxiao.people.permissions import is_committee_admin
from wuxiao.projects.states import ProjectState
from wuxiao.publication.models import PublicEntry


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
