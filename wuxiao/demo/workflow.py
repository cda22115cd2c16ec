"""Demo data for the unit workflow (never loaded in production). Given the submitted projects
the submission demo creates, move a realistic share of them through classification,
advisors, work records, the opinion chain, internal evaluation and forwarding, so every unit
screen has something to show. Uses the workflow services where they do not depend on
today's date, and `services.transition` (the one state function) for the date-bound steps."""

import functools
import io
import math
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wuxiao.campaigns.models import StageKind
from wuxiao.campaigns.services import acting_on, stage_window
from wuxiao.people.models import Membership, Organisation, Role, User
from wuxiao.projects import workflow
from wuxiao.projects.models import EntryRoute, FilePurpose, Opinion, Project, WorkRecord, WorkRecordComment
from wuxiao.projects.queries import forwarded_count
from wuxiao.projects.states import ProjectState
from wuxiao.projects.transitions import transition
from wuxiao.projects.uploads import store

DIRECTIONS = [
    ("生产工艺优化与降本增效", "围绕主要产品工序，减少换型时间、降低废品率和原材料消耗"),
    ("设备技术改造与安全生产", "针对老旧设备、工装夹具进行革新改造，提升效率和本质安全水平"),
    ("节能降耗与绿色生产", "降低水、电、气消耗，推进余热回收和废料再利用"),
    ("数字化与管理创新", "利用信息化手段改进生产调度、质量追溯和班组管理"),
]
WORK = [
    ("完成现状调研，统计近三个月故障数据", "数据分散在纸质台账中", "整理成电子表格并分析主要故障原因"),
    ("完成改进方案草图并组织技术讨论", "方案二成本偏高", "细化方案一的结构设计"),
    ("加工并装配第一版样件", "定位误差约 0.3 mm", "更换定位销后复测"),
    ("样件上线试运行 3 个班次", "夜班操作人员不熟悉新流程", "编写操作要点并培训"),
    ("统计试运行数据，效率提升约 12%", "个别工况下仍需人工干预", "优化控制参数，准备成果材料"),
]
RESULT_TEXTS = [
    "改进后的装置已在生产线连续使用三个月，换型时间由 40 分钟缩短到 15 分钟，废品率下降约 2 个百分点；附测试记录和车间使用证明。",
    "样件经本单位质检部门测试，各项指标符合工艺要求；推广到同类设备后，每月节约电费约 1.2 万元。",
    "成果已纳入班组作业指导书，近半年未再发生同类故障，减少停机约 60 小时；附设备运行台账和应用证明。",
]
ADVISOR_NAMES = ["覃建国", "韦志强", "蓝海涛", "莫振华", "黄永明", "梁国栋"]


SEAL_RED = (200, 16, 46, 255)
SEAL_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
)


def _seal_font(size: int):
    """Noto CJK Bold, its Simplified Chinese face; None when the fonts are not installed."""
    from PIL import ImageFont

    for path in SEAL_FONTS:
        for index in range(10):
            try:
                font = ImageFont.truetype(path, size, index=index)
            except OSError:
                break
            if " SC" in font.getname()[0]:
                return font
    return None


@functools.cache
def _seal_png(text: str) -> bytes:
    """A round seal as a scan would show it: red ring, five-pointed star, the organisation's
    name along the upper arc (each character turned to face the centre), on transparent paper."""
    from PIL import Image, ImageDraw

    size = 320
    centre = size / 2
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, size - 8, size - 8), outline=SEAL_RED, width=11)
    points = []
    for i in range(10):
        radius = size * 0.15 if i % 2 == 0 else size * 0.06
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(points, fill=SEAL_RED)
    chars = list(text)[:18]
    font_size = 38 if len(chars) <= 12 else 30
    font = _seal_font(font_size)
    if font and chars:
        span = min(math.radians(250), math.radians(21 if font_size == 38 else 17) * len(chars))
        radius = size / 2 - 19 - font_size * 0.62
        cell = int(font_size * 1.5)
        for i, ch in enumerate(chars):
            angle = -span / 2 + span * (i + 0.5) / len(chars)  # 0 = straight up
            glyph = Image.new("RGBA", (cell, cell), (255, 255, 255, 0))
            ImageDraw.Draw(glyph).text((cell / 2, cell / 2), ch, font=font, fill=SEAL_RED, anchor="mm")
            glyph = glyph.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC)
            x = centre + radius * math.sin(angle) - cell / 2
            y = centre - radius * math.cos(angle) - cell / 2
            img.alpha_composite(glyph, (round(x), round(y)))
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


@functools.cache
def _password_hash() -> str:
    """One hash for every stand-in person: hashing each would take a third of a second."""
    return make_password(settings.WUXIAO_DEMO_PASSWORD)


def _person(unit: Organisation, key: str, real_name: str, role: str) -> User:
    user, _ = User.objects.get_or_create(
        username=f"demo-u{unit.pk}-{key}", defaults={"real_name": real_name, "password": _password_hash()}
    )
    Membership.objects.get_or_create(user=user, organisation=unit, role=role)
    return user


def _members(unit: Organisation, role: str) -> list[User]:
    return [
        m.user for m in Membership.objects.filter(organisation=unit, role=role).select_related("user").order_by("pk")
    ]


def _admin_of(unit: Organisation) -> User:
    membership = Membership.objects.filter(organisation=unit, role=Role.ADMIN).select_related("user").first()
    return membership.user if membership else _person(unit, "admin", f"{unit.name[:4]}团委书记", Role.ADMIN)


def _stamp(opinion: Opinion) -> None:
    data = ContentFile(_seal_png(opinion.project.unit.name), name="seal.png")
    opinion.stamp = store(
        project=opinion.project,
        upload=data,
        purpose=FilePurpose.STAMP,
        by=opinion.signer,
        display_name=f"盖章-{opinion.signer_name}.png",
        extension="png",
        content_type="image/png",
    )
    opinion.save(update_fields=["stamp"])


def day_in(campaign, kind: str, today: date, organisation: Organisation | None = None) -> date:
    """The day nearest `today` inside a stage's window: the services check the stage dates,
    and the demo replays each step on a day its stage was open (campaigns.services.acting_on)."""
    window = stage_window(campaign, kind, organisation)
    return min(max(today, window[0]), window[1]) if window else today


@transaction.atomic
def advance_demo_projects(
    projects: list[Project],
    *,
    seed: int = 2024,
    until: str | None = None,
    today: date | None = None,
    finished: bool = False,
) -> dict[str, int]:
    """Move the given SUBMITTED projects along the unit workflow. Returns counts by final
    state. Idempotent per project: anything not SUBMITTED is left alone.

    `until` stops where a campaign's stage leaves them: "registration" (classified, no work
    records yet), "work" (work records, no results yet); None goes all the way (results in
    the opinion chain, unit-approved, forwarded within quota). `finished` is an ended
    campaign's history: every project decided, most key projects forwarded. `today` dates
    the work records, opinions and forwarding (default: today)."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    forwarded_at = timezone.make_aware(datetime.combine(today, time(10)))
    by_unit = defaultdict(list)
    for p in projects:
        if p.state == ProjectState.SUBMITTED:
            by_unit[p.unit_id].append(p)
    counts = defaultdict(int)
    for unit_projects in by_unit.values():
        unit = unit_projects[0].unit
        campaign = unit_projects[0].campaign
        admin = _admin_of(unit)
        # A unit with people of its own (the demo city's) uses them; a bare one gets stand-ins.
        advisors = _members(unit, Role.ADVISOR)
        own_people = len(advisors) >= 2
        if not own_people:
            advisors = [
                _person(unit, f"advisor{i}", name, Role.ADVISOR) for i, name in enumerate(rng.sample(ADVISOR_NAMES, 3))
            ]
        workshop = next(iter(_members(unit, Role.WORKSHOP)), None)
        tech = next(iter(_members(unit, Role.TECH_DEPT)), None)
        if not own_people:
            workshop = workshop or _person(unit, "workshop", "车间主任" + rng.choice("甲乙丙丁"), Role.WORKSHOP)
        if tech is None:
            tech = _person(unit, "tech", "技术部长" + rng.choice("甲乙丙丁"), Role.TECH_DEPT)
        workflow_directions(unit, campaign, admin)
        participation = workflow.participation_for(campaign, unit)
        if rng.random() < 0.2 or workshop is None:  # some units have no workshop level
            participation.workshop_step_enabled = False
            participation.save(update_fields=["workshop_step_enabled", "updated_at"])
        forwarded = forwarded_count(campaign, unit)
        for p in unit_projects:
            roll = rng.random()
            if finished:
                roll = 0.25 + roll * 0.75 if roll >= 0.05 else 0.0  # a few refused, none left waiting
            entry_stage = StageKind.COLLECTION if p.entry_route == EntryRoute.DIRECT else StageKind.REGISTRATION
            deciding = acting_on(day_in(campaign, entry_stage, today, unit))
            if roll < 0.12:
                with deciding:
                    workflow.refuse(project=p, reason="与本单位攻关方向不符，建议结合岗位实际重新选题", by=admin)
                counts["refused"] += 1
                continue
            if roll < 0.25:
                counts["submitted"] += 1  # still waiting for the unit
                continue
            key = rng.random() < (0.8 if finished else 0.45)
            with deciding:
                if key:
                    for a in rng.sample(advisors, 2):
                        workflow.assign_advisor(project=p, advisor=a, by=admin)
                workflow.classify(
                    project=p,
                    level="key" if key else "general",
                    by=admin,
                    funding=Decimal(rng.choice(["1.50", "2.00", "3.00", "5.00"])) if key else None,
                    equipment=rng.choice(["借用质检部三坐标测量仪", "车间闲置数控铣床一台", "示波器、万用表各一台"])
                    if key
                    else "",
                )
            p.refresh_from_db()
            if until == "registration":
                counts["accepted"] += 1
                continue
            # Work records: most teams record regularly; some have gone quiet (overdue).
            quiet = rng.random() < 0.2
            n_records = rng.randint(1, 5)
            for i in range(n_records):
                done, problems, next_steps = WORK[i % len(WORK)]
                days_ago = (45 if quiet else 3) + (n_records - i - 1) * rng.randint(7, 20)
                record = WorkRecord.objects.create(
                    project=p,
                    date=today - timedelta(days=days_ago),
                    done=done,
                    problems=problems,
                    next_steps=next_steps,
                    created_by=p.leader,
                )
                if key and rng.random() < 0.7:
                    advisor = p.advisor_assignments.first().advisor
                    WorkRecordComment.objects.create(
                        record=record,
                        advisor=advisor,
                        text="思路清晰，注意保留试验数据。",
                        signed_off=rng.random() < 0.6,
                    )
            stage_roll = rng.random()
            if until == "work" or (stage_roll < 0.35 and not finished):
                counts["accepted"] += 1
                continue
            # The result enters the chain.
            if p.economic_benefit is None:
                Project.objects.filter(pk=p.pk).update(economic_benefit=Decimal(rng.randint(2, 80)))
            # 成果说明 without drawing from rng, so the rest of the demo stays as it was.
            Project.objects.filter(pk=p.pk).update(result_description=RESULT_TEXTS[p.pk % len(RESULT_TEXTS)])
            first = ProjectState.RESULT_WORKSHOP if participation.workshop_step_enabled else ProjectState.RESULT_TECH
            p = transition(p, first, by=p.leader, note="提交成果")
            steps = [
                (workshop, "同意。该成果已在本车间试用，效果属实。"),
                (tech, "技术方案可行，数据可信，同意推荐。"),
                (admin, "同意推荐参加单位内部评比。"),
            ]
            if first == ProjectState.RESULT_TECH:
                steps = steps[1:]
            stop_at = rng.choice([0, 1, 2, 3, 3, 3, 3]) if len(steps) == 3 else rng.choice([0, 1, 2, 2, 2])
            if finished:
                stop_at = len(steps)
            returned = False
            for i, (who, text) in enumerate(steps):
                if i == stop_at:
                    break
                if rng.random() < 0.08 and not finished:
                    with acting_on(day_in(campaign, StageKind.COLLECTION, today, unit)):
                        workflow.give_opinion(
                            project=p, by=who, decision="applicant", text="请补充效益测算依据和试用证明"
                        )
                    returned = True
                    break
                step = workflow.opinion_step(Project.objects.get(pk=p.pk))
                nxt = workflow.rules.state_after_opinion(
                    Project.objects.get(pk=p.pk).state, "approve", first == ProjectState.RESULT_WORKSHOP
                )
                p = transition(p, nxt, by=who, note=text)
                opinion = Opinion.objects.create(
                    project=p,
                    step=step,
                    text=text,
                    approved=True,
                    signer=who,
                    signer_name=who.display_name,
                    signed_on=today,
                )
                _stamp(opinion)
            p.refresh_from_db()
            if returned or p.state != ProjectState.UNIT_APPROVED:
                counts[p.state] += 1
                continue
            grade = rng.choices(["A", "B", "C"], weights=[2, 4, 4])[0]
            score = Decimal({"A": 90, "B": 80, "C": 70}[grade] + rng.randint(0, 9))
            with acting_on(day_in(campaign, StageKind.COLLECTION, today, unit)):
                workflow.evaluate(project=p, by=admin, score=score, self_grade=grade)
            if p.level == "key" and forwarded < participation.quota and (finished or rng.random() < 0.7):
                p = transition(p, ProjectState.FORWARDED, by=admin, note="上报组委会")
                Project.objects.filter(pk=p.pk).update(forwarded_at=forwarded_at, forwarded_by=admin)
                forwarded += 1
                counts["forwarded"] += 1
            else:
                counts["unit_approved"] += 1
        if forwarded and not participation.reporter_name:
            participation.reporter_name = admin.display_name
            participation.reporter_phone = unit.contact_phone or "0772-2827423"
            participation.save(update_fields=["reporter_name", "reporter_phone", "updated_at"])
    return dict(counts)


def workflow_directions(unit: Organisation, campaign, admin: User) -> None:
    from wuxiao.projects.models import Direction

    if Direction.objects.filter(campaign=campaign, unit=unit).exists():
        return
    for i, (title, description) in enumerate(DIRECTIONS, 1):
        Direction.objects.create(
            campaign=campaign,
            unit=unit,
            title=title,
            description=description,
            order=i,
            created_by=admin,
            published=True,
            published_at=timezone.now(),
        )
