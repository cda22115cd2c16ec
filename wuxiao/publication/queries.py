"""Everything the public showcase may read, and nothing else: published campaigns, their results
by level and by unit, 优秀组织奖 winners, and the public entries of projects. A project is public
when its campaign's results are published and either the committee made it visible or it won a
prize and the committee did not hide it. Only public fields are selected here."""

import re
from dataclasses import dataclass, field

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from wuxiao.awards.models import Award, AwardLevel, OrganisationAward, ResultStatus
from wuxiao.campaigns.models import Campaign
from wuxiao.people.models import Organisation
from wuxiao.projects.models import Attachment, Project
from wuxiao.publication.models import PublicBooklet, PublicEntry

SUMMARY_LENGTH = 160


def certificate(number: str) -> Award | None:
    """The public check of a certificate number (its QR code): published prizes only."""
    return (
        Award.objects.filter(certificate_number=number, sheet__status=ResultStatus.PUBLISHED)
        .exclude(level=AwardLevel.NONE)
        .select_related("project", "project__unit", "sheet__campaign")
        .first()
    )


def published_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(award_sheet__status=ResultStatus.PUBLISHED).order_by("-year")


def published_campaign(slug: str) -> Campaign | None:
    return published_campaigns().filter(slug=slug).first()


def _public_q() -> Q:
    hidden = PublicEntry.objects.filter(project=OuterRef("pk"), visible=False)
    shown = PublicEntry.objects.filter(project=OuterRef("pk"), visible=True)
    prize = Award.objects.filter(project=OuterRef("pk")).exclude(level=AwardLevel.NONE)
    return Q(campaign__award_sheet__status=ResultStatus.PUBLISHED) & (Exists(shown) | (Exists(prize) & ~Exists(hidden)))


def public_projects(campaign: Campaign) -> QuerySet[Project]:
    """Public projects of a published campaign. Views turn each into a `PublicView` (`as_public`),
    so a template never holds a Project and cannot print a phone or a birth date."""
    return (
        Project.objects.filter(_public_q(), campaign=campaign)
        .select_related("unit", "award", "public_entry")
        .prefetch_related(Prefetch("members", to_attr="public_members"))
        .order_by("award__rank", "id")
    )


def gallery(campaign: Campaign, *, q: str = "", category: str = "", form: str = "", level: str = "") -> QuerySet:
    qs = public_projects(campaign)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(unit__name__icontains=q) | Q(public_entry__summary__icontains=q))
    if category:
        qs = qs.filter(category=category)
    if form:
        qs = qs.filter(achievement_form=form)
    if level in AwardLevel.values:
        qs = qs.filter(award__level=level)
    return qs


def public_project(pk: int) -> Project | None:
    project = Project.objects.filter(_public_q(), pk=pk).select_related("campaign").first()
    if project is None:
        return None
    return public_projects(project.campaign).filter(pk=pk).first()


@dataclass
class PublicView:
    """A project as the public may see it: nothing else reaches a public template."""

    id: int
    name: str
    unit: str
    category: str
    form: str
    level: str
    level_label: str
    summary: str
    team: list[str] = field(default_factory=list)
    benefit: object = None
    images: list[int] = field(default_factory=list)
    has_page: bool = False  # a public project page exists (showcase:project)


def default_summary(text: str) -> str:
    """The first sentences of 立项内容, at most SUMMARY_LENGTH characters, cut at a full stop."""
    text = re.sub(r"\s+", "", text or "")
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH]
    end = max(cut.rfind("。"), cut.rfind("；"))
    return cut[: end + 1] if end > 40 else cut + "…"


def as_public(project: Project, *, with_images: bool = False) -> PublicView:
    entry = getattr(project, "public_entry", None) if _has_entry(project) else None
    award = getattr(project, "award", None) if _has_award(project) else None
    team = [project.leader_name, *[m.name for m in getattr(project, "public_members", [])]]
    return PublicView(
        id=project.pk,
        name=project.name,
        unit=project.unit.employer,
        category=project.category_display,
        form=project.achievement_form,
        level=award.level if award else "",
        level_label=award.get_level_display() if award and award.level != AwardLevel.NONE else "",
        summary=(entry.summary if entry and entry.summary else default_summary(project.content)),
        team=team if (entry is None or entry.show_team) else [],
        benefit=project.economic_benefit if entry is not None and entry.show_benefit else None,
        images=list(entry.images.filter(stored__content_type__startswith="image/").values_list("pk", flat=True))
        if (with_images and entry is not None)
        else [],
    )


def _has_entry(project) -> bool:
    try:
        return project.public_entry is not None
    except PublicEntry.DoesNotExist:
        return False


def _has_award(project) -> bool:
    try:
        return project.award is not None
    except Award.DoesNotExist:
        return False


def public_image(pk: int) -> Attachment | None:
    """An image the committee chose for a public project (never any other attachment)."""
    entries = PublicEntry.objects.filter(
        images=OuterRef("pk"), visible=True, project__campaign__award_sheet__status=ResultStatus.PUBLISHED
    )
    return Attachment.objects.filter(Exists(entries), pk=pk, stored__content_type__startswith="image/").first()


def results_by_level(campaign: Campaign) -> list[tuple[str, list[PublicView]]]:
    """The published prizes by level, 特等奖 first. The 获奖名单 is public by nature, so every prize is
    listed with its name, unit and team, even when the committee keeps the project out of the gallery."""
    awards = (
        Award.objects.filter(sheet__campaign=campaign, sheet__status=ResultStatus.PUBLISHED)
        .exclude(level=AwardLevel.NONE)
        .annotate(hidden=Exists(PublicEntry.objects.filter(project=OuterRef("project"), visible=False)))
        .select_related("project__unit")
        .prefetch_related(Prefetch("project__members", to_attr="public_members"))
        .order_by("rank")
    )
    groups: dict[str, list[PublicView]] = {label: [] for value, label in AwardLevel.choices if value != "none"}
    for award in awards:
        p = award.project
        groups[award.get_level_display()].append(
            PublicView(
                id=p.pk,
                name=p.name,
                unit=p.unit.employer,
                category=p.category_display,
                form=p.achievement_form,
                level=award.level,
                level_label=award.get_level_display(),
                summary="",
                team=[p.leader_name, *[m.name for m in p.public_members]],
                # a prize has its public page unless the committee kept it out (_public_q)
                has_page=not award.hidden,
            )
        )
    return [(label, items) for label, items in groups.items() if items]


def published_prizes(campaign: Campaign, *, level: str | None = None) -> QuerySet[Award]:
    """The 获奖名单 as rows (for the API's paged list): the prizes of a published campaign, 特等奖
    first, then by rank; each project with its unit and, as `public_members`, its team. Nothing
    before publication. Read only the public fields: name, unit, category, form, level, team."""
    order = Case(
        *[When(level=value, then=Value(i)) for i, value in enumerate(AwardLevel.values)],
        output_field=IntegerField(),
    )
    awards = (
        Award.objects.filter(sheet__campaign=campaign, sheet__status=ResultStatus.PUBLISHED)
        .exclude(level=AwardLevel.NONE)
        .select_related("project__unit")
        .prefetch_related(Prefetch("project__members", to_attr="public_members"))
        .annotate(level_order=order)
        .order_by("level_order", "rank", "id")
    )
    if level is not None:
        awards = awards.filter(level=level)
    return awards


def results_by_unit(campaign: Campaign) -> list[tuple[str, dict[str, int]]]:
    from collections import Counter, defaultdict

    per = defaultdict(Counter)
    rows = list(
        Award.objects.filter(sheet__campaign=campaign, sheet__status=ResultStatus.PUBLISHED)
        .exclude(level=AwardLevel.NONE)
        .values_list("project__unit_id", "level")
    )
    # 单位 as the results mean it: the employer, not its league organisation.
    units = Organisation.objects.in_bulk({unit_id for unit_id, _ in rows})
    for unit_id, level in rows:
        per[units[unit_id].employer][level] += 1
    return sorted(per.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))


def organisation_winners(campaign: Campaign) -> list[str]:
    if not published_campaigns().filter(pk=campaign.pk).exists():
        return []
    return list(
        OrganisationAward.objects.filter(campaign=campaign)
        .order_by("organisation__path")
        .values_list("organisation__name", flat=True)
    )


def booklet_is_current(booklet: PublicBooklet) -> bool:
    """No public entry of the campaign changed after the booklet was generated (a project hidden,
    a summary rewritten, the team's names withdrawn): otherwise the file may say what is no longer public."""
    return not PublicEntry.objects.filter(
        project__campaign_id=booklet.campaign_id, updated_at__gt=booklet.generated_at
    ).exists()


def public_booklets(campaign: Campaign) -> list[PublicBooklet]:
    """The 案例集 files anyone may download: published by the committee, of a campaign whose
    results are published, and still current (`booklet_is_current`)."""
    booklets = list(
        PublicBooklet.objects.filter(campaign=campaign, campaign__award_sheet__status=ResultStatus.PUBLISHED).order_by(
            "format"
        )
    )
    return [b for b in booklets if booklet_is_current(b)]


def public_booklet(campaign: Campaign, fmt: str) -> PublicBooklet | None:
    return next((b for b in public_booklets(campaign) if b.format == fmt), None)
