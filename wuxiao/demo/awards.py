"""奖项 and 成果推广 in the demo: the 2024 campaign ends with published awards, 优秀组织奖, patent help
under way, a public gallery and past salons; the current campaign, from stage 6 (成果推广) on,
has its results published too, and an innovation salon to sign up for."""

import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from wuxiao.awards import queries as aq
from wuxiao.awards import services
from wuxiao.awards.models import AwardLevel, PatentCase, PatentStatus
from wuxiao.awards.rules import Ranked
from wuxiao.campaigns.models import Campaign, StageKind
from wuxiao.demo.workflow import _seal_png
from wuxiao.people.models import Organisation, User
from wuxiao.salons import services as salons
from wuxiao.salons.models import Salon

SALONS_2024 = [
    (
        "数控加工中的降本增效小窍门",
        "柳州市青少年活动中心三楼报告厅",
        "潘立新（高级工程师）\n覃志强（华鼎机械团委书记）",
    ),
    ("从一条合理化建议到一项实用新型专利", "柳东新区创新创业服务中心路演厅", "梁建国（知识产权工程师）"),
]
SALON_NOW = ("青年岗位创新：如何把现场问题做成“五小”项目", "柳州市工人文化宫二楼多功能厅", "潘立新（高级工程师）")


def _committee_admin() -> User:
    from wuxiao.demo.reviews import _committee_admin as admin

    return admin()


def _ranking(campaign: Campaign) -> tuple[list[Ranked], str] | None:
    from wuxiao.reviews.queries import rounds_of

    rounds = list(rounds_of(campaign))
    if not rounds:
        return None
    last = rounds[-1]
    ranked, _ = aq.review_ranking(last)
    return ranked, f"{last.name} · {last.get_ranking_display()}"


def publish_awards(campaign: Campaign, *, seed: int, on: date) -> int:
    """Propose from the last round's ranking, adjust one award with a reason, choose the 优秀组织奖,
    lock and publish; then move some patent cases along."""
    if aq.sheet_of(campaign) is not None and aq.sheet_of(campaign).is_published:
        return 0
    ranking = _ranking(campaign)
    if ranking is None:
        return 0
    by = _committee_admin()
    rng = random.Random(seed)
    ranked, basis = ranking
    sheet = services.propose_awards(campaign=campaign, by=by, ranking=ranked, basis=basis, specials=1)
    none = sheet.awards.filter(level=AwardLevel.NONE).order_by("rank").first()
    third = sheet.awards.filter(level=AwardLevel.THIRD).order_by("-rank").first()
    if none and third:
        services.adjust_award(award=third, level=AwardLevel.NONE, reason="评审小组复核：经济效益测算依据不足", by=by)
        services.adjust_award(award=none, level=AwardLevel.THIRD, reason="评审小组复核：推广价值突出，予以调整", by=by)
    metrics = aq.organisation_metrics(campaign, list(aq.organisations_for_award("district")), today=on)
    for m in sorted(metrics, key=lambda m: (m.participation or 0, m.registered), reverse=True)[:2]:
        services.choose_organisation_award(
            campaign=campaign, organisation=m.organisation, by=by, reason="参与面广，项目按期上报"
        )
    units = Organisation.objects.filter(projects__award__level=AwardLevel.FIRST, projects__campaign=campaign)
    for unit in units.distinct()[:1]:
        services.choose_organisation_award(campaign=campaign, organisation=unit, by=by, reason="重点项目全部按期完成")
    services.set_certificate_design(
        campaign=campaign,
        by=by,
        wording="特发此证，以资鼓励。",
        seal=ContentFile(
            _seal_png((campaign.issuer_list or [f"{campaign.city}五小竞赛组委会"])[0]), name="组委会印章.png"
        ),
    )
    services.lock_results(campaign=campaign, by=by)
    services.publish_results(campaign=campaign, by=by)
    steps = [PatentStatus.COACHING, PatentStatus.FILED, PatentStatus.ACCEPTED, PatentStatus.GRANTED]
    for i, case in enumerate(PatentCase.objects.filter(project__campaign=campaign).order_by("pk")[:4]):
        for n, step in enumerate(steps[: 1 + i % len(steps)]):
            services.advance_patent(
                case=case,
                to=step,
                on=on + timedelta(days=20 * (n + 1)),
                note={"coaching": "知识产权服务中心上门辅导", "filed": "已提交实用新型专利申请"}.get(step, ""),
                patent_number=f"ZL{campaign.year + 1}2{rng.randrange(10**7, 10**8)}.{rng.randrange(10)}"
                if step == PatentStatus.GRANTED
                else "",
                by=by,
            )
    return sheet.awards.exclude(level=AwardLevel.NONE).count()


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


def build_salons(base: Campaign, current: Campaign, *, today: date, seed: int) -> int:
    """Two past salons of the 2024 campaign with notes, and one of the current campaign ahead."""
    rng = random.Random(seed)
    by = _committee_admin()
    people = list(User.objects.filter(memberships__role="applicant").distinct().order_by("pk")[:80])
    made = 0
    promotion = base.stages.filter(kind=StageKind.PROMOTION).first()
    start = promotion.starts_on if promotion else base.ends_on
    for i, (topic, place, speakers) in enumerate(SALONS_2024):
        if Salon.objects.filter(campaign=base, topic=topic).exists():
            continue
        when = _at(start + timedelta(days=7 + 14 * i), 14)
        salon = Salon.objects.create(
            campaign=base, topic=topic, starts_at=when, place=place, speakers=speakers, capacity=40,
            signup_deadline=when - timedelta(days=1), created_by=by,
            notes="与会青年围绕现场难题交流了改进思路，专家逐一点评，并介绍了专利申请的基本流程。",
        )  # fmt: skip
        for person in rng.sample(people, min(len(people), 25 + 5 * i)):
            salon.signups.create(user=person, status="confirmed")
        made += 1
    topic, place, speakers = SALON_NOW
    if not Salon.objects.filter(campaign=current, topic=topic).exists():
        when = _at(today + timedelta(days=10), 14)
        salon = salons.save_salon(
            by=by, campaign=current, topic=topic, starts_at=when, place=place, speakers=speakers,
            description="面向各单位青年职工：如何发现现场问题、形成“五小”项目并写好申报表。",
            capacity=30, signup_deadline=when - timedelta(days=2),
        )  # fmt: skip
        for person in people[:12]:
            salons.sign_up(salon=salon, user=person)
        made += 1
    return made


def publish_booklet(campaign: Campaign) -> int:
    """案例集 online for a published campaign: the Word booklet of its public entries, built by the
    same export job the committee starts (run here in-process) and published."""
    from wuxiao.documents.models import ExportJob, JobStatus
    from wuxiao.documents.services import run_export_job
    from wuxiao.publication import services as publishing

    sheet = aq.sheet_of(campaign)
    if sheet is None or not sheet.is_published or campaign.public_booklets.exists():
        return 0
    by = _committee_admin()
    job = ExportJob.objects.create(
        created_by=by,
        exporter="booklet.docx",
        params={"campaign": campaign.pk, "public": True, "images_per_project": 1},
    )
    job = run_export_job(job_id=job.pk)
    if job.status != JobStatus.DONE:
        return 0
    publishing.publish_booklet(job=job, by=by)
    return 1


def build_awards(*, base: Campaign, current: Campaign, stage: str, today: date, seed: int) -> dict[str, int]:
    review = base.stages.filter(kind=StageKind.REVIEW).first()
    on = review.ends_on if review else base.ends_on
    counts = {"history_prizes": publish_awards(base, seed=seed, on=on)}
    counts["booklets"] = publish_booklet(base)
    if stage == StageKind.PROMOTION:
        counts["current_prizes"] = publish_awards(current, seed=seed + 1, on=today)
    counts["salons"] = build_salons(base, current, today=today, seed=seed)
    return counts
