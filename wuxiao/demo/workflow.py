"""Demo data for the unit workflow (never loaded in production). Given the submitted projects
the submission demo creates, move a realistic share of them through classification,
advisors, work records, the opinion chain, internal evaluation and forwarding, so every unit
screen has something to show. Uses the workflow services where they do not depend on
today's date, and `services.transition` (the one state function) for the date-bound steps."""

import functools
import random
import struct
import zlib
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wuxiao.people.models import Membership, Organisation, Role, User
from wuxiao.projects import workflow
from wuxiao.projects.models import Opinion, Project, WorkRecord, WorkRecordComment
from wuxiao.projects.queries import forwarded_count
from wuxiao.projects.states import ProjectState
from wuxiao.projects.transitions import transition

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
ADVISOR_NAMES = ["覃建国", "韦志强", "蓝海涛", "莫振华", "黄永明", "梁国栋"]


def _stamp_png() -> bytes:
    """A 48×48 red square: stands in for a scanned seal."""
    width = height = 48
    raw = b"".join(b"\x00" + b"\xc8\x10\x2e" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


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
    opinion.stamp.save(f"demo-seal-{opinion.pk}.png", ContentFile(_stamp_png()), save=True)


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
            if roll < 0.12:
                workflow.refuse(project=p, reason="与本单位攻关方向不符，建议结合岗位实际重新选题", by=admin)
                counts["refused"] += 1
                continue
            if roll < 0.25:
                counts["submitted"] += 1  # still waiting for the unit
                continue
            key = rng.random() < (0.8 if finished else 0.45)
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
                    workflow.give_opinion(project=p, by=who, decision="applicant", text="请补充效益测算依据和试用证明")
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
