"""Campaign data: loading a campaign file, stage windows and extensions, headcounts."""

import json
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date

from wuxiao.audit.services import record, snapshot
from wuxiao.campaigns.models import Campaign, CommitteeMember, Participation, Stage, StageExtension, StageKind
from wuxiao.people.models import Organisation, OrgKind
from wuxiao.people.permissions import can_extend_stage, can_set_headcount

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "campaigns"
DEFAULT_CAMPAIGN_FILE = DATA_DIR / "liuzhou-2024.json"


def _dates(values: dict, *names) -> dict:
    out = dict(values)
    for name in names:
        if out.get(name):
            out[name] = parse_date(out[name])
    return out


def _get_or_create_org(*, name, kind, parent, **fields) -> Organisation:
    from wuxiao.people.services import create_organisation

    existing = Organisation.objects.filter(name=name, parent=parent).first()
    return existing or create_organisation(by=None, name=name, kind=kind, parent=parent, **fields)


@transaction.atomic
def load_campaign_file(path: Path = DEFAULT_CAMPAIGN_FILE) -> Campaign:
    """Create or refresh a campaign, its stages, committee and top of the organisation tree
    from a JSON data file. Running it again changes nothing that is already right and
    never deletes organisations or people."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    fields = _dates(data["campaign"], "starts_on", "ends_on", "age_reference_date")
    slug = fields.pop("slug")
    campaign, _ = Campaign.objects.update_or_create(slug=slug, defaults=fields)
    for stage in data["stages"]:
        stage = _dates(stage, "starts_on", "ends_on")
        Stage.objects.update_or_create(campaign=campaign, kind=stage.pop("kind"), defaults=stage)
    campaign.committee_members.all().delete()
    CommitteeMember.objects.bulk_create(
        CommitteeMember(campaign=campaign, order=i, **m) for i, m in enumerate(data.get("committee_members", []))
    )
    orgs = data.get("organisations")
    if orgs:
        committee = _get_or_create_org(kind=OrgKind.COMMITTEE, parent=None, **orgs["committee"])
        for name in orgs.get("districts", []):
            _get_or_create_org(name=name, kind=OrgKind.DISTRICT, parent=committee)
        for name in orgs.get("universities", []):
            _get_or_create_org(name=name, kind=OrgKind.UNIVERSITY, parent=committee)
    if not Campaign.objects.filter(is_current=True).exists():
        campaign.is_current = True
        campaign.save(update_fields=["is_current"])
    return campaign


def committee_organisation() -> Organisation | None:
    return Organisation.objects.filter(kind=OrgKind.COMMITTEE, parent=None).first()


def stage_windows(campaign: Campaign, organisation: Organisation | None = None) -> dict[str, tuple[date, date]]:
    """Every stage of the campaign → the dates it is open for an organisation: its own
    dates, pushed out by the latest extension granted to the organisation or to one above
    it. One query, whatever the number of stages and extensions, and none when this process
    has read them already under the campaign's current `stages_version` (the campaign row,
    which each request reads anew, says when the stages changed)."""
    key = (campaign.pk, campaign.stages_version, organisation.path if organisation is not None else None)
    windows = _windows_read.get(key)
    if windows is None:
        windows = _read_stage_windows(campaign, organisation)
        if len(_windows_read) >= 4096:  # a process serves a handful of campaigns and units at a time
            _windows_read.clear()
        _windows_read[key] = windows
    return dict(windows)


# (campaign id, stages_version, organisation path) → windows, in this process
_windows_read: dict[tuple, dict[str, tuple[date, date]]] = {}


def _read_stage_windows(campaign: Campaign, organisation: Organisation | None) -> dict[str, tuple[date, date]]:
    # three columns, not the stages' rows
    stages = Stage.objects.filter(campaign=campaign).order_by().values_list("kind", "starts_on", "ends_on")
    if organisation is None:
        return {kind: (starts_on, ends_on) for kind, starts_on, ends_on in stages}
    # the materialised path is the ids of the organisation and all above it
    # ("000001.000007.000042."): no join to the organisations to find them
    lineage = [int(part) for part in organisation.path.split(".") if part]
    stages = stages.annotate(
        extended=models.Max("extensions__until", filter=Q(extensions__organisation_id__in=lineage))
    )
    return {
        kind: (starts_on, max(ends_on, extended) if extended else ends_on)
        for kind, starts_on, ends_on, extended in stages
    }


def stages_changed(campaign: Campaign | int) -> None:
    """A stage or an extension of the campaign was written: a new `stages_version`, so
    every process reads the windows again, and this process forgets what it read (a
    campaign object read before the change still carries the old version). Called on every
    save and delete of a Stage or StageExtension (CampaignsConfig.ready); code that writes
    stages with queryset.update() must call it too."""
    version = uuid.uuid4()
    campaign_id = campaign.pk if isinstance(campaign, Campaign) else campaign
    Campaign.objects.filter(pk=campaign_id).update(stages_version=version)
    if isinstance(campaign, Campaign):
        campaign.stages_version = version
    _windows_read.clear()


def stage_window(campaign: Campaign, kind: str, organisation: Organisation | None = None) -> tuple[date, date] | None:
    """The dates one stage is open for an organisation (see `stage_windows`)."""
    return stage_windows(campaign, organisation).get(kind)


def is_stage_open(
    campaign: Campaign, kind: str, organisation: Organisation | None = None, day: date | None = None
) -> bool:
    window = stage_window(campaign, kind, organisation)
    day = day or today()
    return window is not None and window[0] <= day <= window[1]


# The day the stage checks compare with: today, except while the demo builder replays a
# campaign's history (`acting_on`), when each step is done on a day inside its own stage.
_acting_day: ContextVar[date | None] = ContextVar("acting_day", default=None)


def today() -> date:
    return _acting_day.get() or timezone.localdate()


@contextmanager
def acting_on(day: date):
    """Do what follows as if it were `day` (demo data only: history built through the same
    services, each step inside its stage window)."""
    token = _acting_day.set(day)
    try:
        yield
    finally:
        _acting_day.reset(token)


def stages_window(
    campaign: Campaign,
    kinds: tuple[str, ...],
    organisation: Organisation | None = None,
    *,
    windows: dict[str, tuple[date, date]] | None = None,
) -> tuple[date, date] | None:
    """The dates a run of consecutive stages (e.g. 立项 through 成果收集) is open for an
    organisation: from the earliest start to the latest end of the run, with extensions (the
    stages of a campaign follow each other, so that is the first one's start to the last one's
    end; a stage moved out of order, e.g. reopened by an extension, still opens the run).
    `windows`: `stage_windows(campaign, organisation)` when the caller already has them."""
    every = stage_windows(campaign, organisation) if windows is None else windows
    windows = [every.get(kind) for kind in kinds]
    if any(w is None for w in windows):
        return None
    return min(w[0] for w in windows), max(w[1] for w in windows)


def stages_label(kinds: tuple[str, ...]) -> str:
    """("registration",) → "攻关项目立项阶段"; a run → "攻关项目立项至成果收集阶段"."""
    labels = [StageKind(k).label for k in (kinds[0], kinds[-1])]
    return f"{labels[0]}阶段" if len(kinds) == 1 else f"{labels[0]}至{labels[1]}阶段"


def require_stage_open(
    campaign: Campaign,
    kinds: str | tuple[str, ...],
    organisation: Organisation | None = None,
    *,
    action: str,
    windows: dict[str, tuple[date, date]] | None = None,
) -> None:
    """THE check that binds an action to its stage window (with the organisation's
    extension): raises ValidationError naming the window, e.g. "攻关项目立项阶段
    （2024-06-01 至 2024-06-30）已结束，不能立项"."""
    from django.core.exceptions import ValidationError

    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    window = stages_window(campaign, kinds, organisation, windows=windows)
    label = stages_label(kinds)
    if window is None:
        raise ValidationError(f"本届活动没有设置{label}，不能{action}", code="stage")
    day = today()
    if day < window[0]:
        raise ValidationError(
            f"{label}（{window[0]:%Y-%m-%d} 至 {window[1]:%Y-%m-%d}）尚未开始，不能{action}", code="stage"
        )
    if day > window[1]:
        raise ValidationError(
            f"{label}（{window[0]:%Y-%m-%d} 至 {window[1]:%Y-%m-%d}）已结束，不能{action}", code="stage"
        )


@transaction.atomic
def extend_stage(*, by, stage: Stage, organisation: Organisation, until: date, reason: str) -> StageExtension:
    """Keep one stage open longer for an organisation and its subtree (committee only)."""
    if not can_extend_stage(by, organisation):
        raise PermissionDenied(f"只有组委会办公室可以为“{organisation.name}”延长阶段")
    if not reason.strip():
        raise ValidationError("延长阶段必须填写原因")
    if until <= stage.ends_on:
        raise ValidationError(f"延长日期 {until} 必须晚于该阶段原定结束日期 {stage.ends_on}")
    ext = StageExtension.objects.create(
        stage=stage, organisation=organisation, until=until, reason=reason, granted_by=by
    )
    record(by=by, action="stage.extend", target=ext, after=snapshot(ext))
    return ext


@transaction.atomic
def set_headcount(*, by, campaign: Campaign, organisation: Organisation, young_workers: int) -> Participation:
    """A unit's young-worker headcount (its quota follows), set by the level above it."""
    if not can_set_headcount(by, organisation):
        raise PermissionDenied(f"“{organisation.name}”的青工人数由上级组织的管理员填写")
    if young_workers < 0:
        raise ValidationError(f"青工人数 {young_workers} 不能为负数")
    participation, created = Participation.objects.select_for_update().get_or_create(
        campaign=campaign, organisation=organisation, defaults={"young_workers": young_workers}
    )
    before = None if created else participation.young_workers
    if not created and before != young_workers:
        participation.young_workers = young_workers
        participation.save(update_fields=["young_workers", "updated_at"])
    if created or before != young_workers:
        record(
            by=by,
            action="participation.headcount",
            target=participation,
            before={"young_workers": before},
            after={"young_workers": young_workers},
        )
    return participation


def shift_stages(campaign: Campaign, *, today: date, current_kind: str) -> None:
    """Move a campaign's dates so that `current_kind` is the stage open today (demo use)."""
    stages = list(campaign.stages.order_by("number"))
    target = next(s for s in stages if s.kind == current_kind)
    offset = today - (target.starts_on + (target.ends_on - target.starts_on) / 2)
    offset = timedelta(days=offset.days)
    for stage in stages:
        stage.starts_on += offset
        stage.ends_on += offset
        stage.save(update_fields=["starts_on", "ends_on"])
    campaign.starts_on += offset
    campaign.ends_on += offset
    if campaign.age_reference_date:
        campaign.age_reference_date += offset
    campaign.save()
