"""A known project (and a few around it) whose documents the tests read back.

unit_a (示例机械有限公司团委, 城中区): 数控车床自动送料装置的改进 (蔡柔, forwarded, A) and
焊接夹具快速定位改进 (forwarded, B), plus a submitted one not forwarded; unit_a2: one
forwarded; unit_b (鱼峰区): one forwarded.
"""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ProjectFactory, UserFactory, participation, stored_file
from wuxiao.projects.models import Attachment, FilePurpose, Opinion, OpinionStep, Project, TeamMember
from wuxiao.projects.states import ProjectState

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def png(color=(200, 20, 20), size=(240, 240)) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((10, 10, size[0] - 10, size[1] - 10), outline=(*color, 255), width=12)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def jpeg(color=(30, 90, 160), size=(800, 500)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def scanned_seal(size=480) -> bytes:
    """A seal as an office scans it: a JPEG, red ring and star on off-white paper."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), (248, 247, 243))
    draw = ImageDraw.Draw(img)
    draw.ellipse((20, 20, size - 20, size - 20), outline=(205, 30, 35), width=18)
    c, r = size / 2, size / 6
    points = []
    for i in range(10):
        import math

        radius = r if i % 2 == 0 else r * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append((c + radius * math.cos(angle), c - radius * math.sin(angle)))
    draw.polygon(points, fill=(205, 30, 35))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


LONG_OPINION = (
    "该项目针对生产一线送料环节的实际问题，方案切实可行，改进后效率和安全性均有明显提升，"
    "经济效益数据经财务部门核实，同意推荐申报，建议作为本单位重点项目予以支持。"
)


@pytest.fixture
def stamped_project(known_project, bob_unit_admin):
    """The known project with a long opinion and a scanned (JPEG) seal in every one of the
    five boxes: the fullest second page an office prints."""
    known_project.opinions.all().delete()
    for i, step in enumerate(OpinionStep):
        opinion = Opinion(
            project=known_project,
            step=step,
            text=LONG_OPINION,
            signer=bob_unit_admin,
            signer_name="黄工",
            signed_on=date(2024, 6, 12 + i),
        )
        opinion.stamp = stored_file(
            known_project, FilePurpose.STAMP, f"seal{i}.jpg", scanned_seal(), "image/jpeg", bob_unit_admin
        )
        opinion.save()
    return known_project


def make_project(campaign, unit, leader, *, name, forwarded=True, **fields) -> Project:
    defaults = {
        "leader_name": leader.real_name,
        "leader_gender": "M",
        "leader_birth_date": date(1995, 6, 1),
        "leader_education": "bachelor",
        "leader_phone": leader.mobile or "",
        "economic_benefit": Decimal("1.00"),
        "category": "机械",
        "achievement_form": "小革新",
        "state": ProjectState.FORWARDED if forwarded else ProjectState.SUBMITTED,
        "level": "key" if forwarded else "",
        "forwarded_at": datetime(2025, 2, 20, 9, 0, tzinfo=SHANGHAI) if forwarded else None,
        "submitted_at": datetime(2024, 6, 10, 9, 0, tzinfo=SHANGHAI),
    }
    defaults.update(fields)
    return ProjectFactory(campaign=campaign, unit=unit, leader=leader, name=name, **defaults)


@pytest.fixture
def known_project(campaign, unit_a, carol_applicant, bob_unit_admin):
    p = make_project(
        campaign,
        unit_a,
        carol_applicant,
        name="数控车床自动送料装置的改进",
        leader_name="蔡柔",
        leader_gender="F",
        leader_birth_date=date(1996, 8, 15),
        leader_education="bachelor",
        leader_phone="13877212345",
        economic_benefit=Decimal("12.50"),
        start_date=date(2024, 6, 1),
        end_date=date(2024, 12, 31),
        patent_eligible=True,
        patent_filed=False,
        patent_willing=True,
        category="其他",
        category_other="环保",
        achievement_form="小改造",
        reason="原送料方式依靠人工，效率低且存在安全隐患。",
        content="设计气动送料机构，实现棒料自动送进。",
        measures="组建攻关小组，分三步试制与验证。",
        benefits="每年节约人工成本约12.5万元。",
        commitment_name="蔡柔",
        commitment_at=datetime(2024, 6, 10, 10, 0, tzinfo=SHANGHAI),
        self_grade="A",
    )
    TeamMember.objects.create(
        project=p, name="韦小敏", gender="M", birth_date=date(1998, 3, 12), education="college", order=1
    )
    TeamMember.objects.create(
        project=p, name="覃海", gender="M", birth_date=date(1989, 5, 1), education="master", order=2
    )
    stamp = Opinion(
        project=p,
        step=OpinionStep.WORKSHOP,
        text="同意申报。",
        signer=bob_unit_admin,
        signer_name="黄工",
        signed_on=date(2024, 6, 12),
    )
    stamp.stamp = stored_file(p, FilePurpose.STAMP, "盖章.png", png(), "image/png", bob_unit_admin)
    stamp.save()
    Opinion.objects.create(
        project=p,
        step=OpinionStep.LEAGUE,
        text="同意推荐为重点项目。",
        signer=bob_unit_admin,
        signer_name="卜波",
        signed_on=date(2024, 6, 15),
    )
    for i, color in enumerate([(30, 90, 160), (20, 140, 60)], start=1):
        Attachment.objects.create(
            project=p,
            stored=stored_file(
                p, FilePurpose.ATTACHMENT, f"现场照片{i}.jpg", jpeg(color), "image/jpeg", carol_applicant
            ),
        )
    Attachment.objects.create(
        project=p,
        stored=stored_file(p, FilePurpose.ATTACHMENT, "说明.pdf", b"%PDF", "application/pdf", carol_applicant),
    )
    return p


@pytest.fixture
def city_projects(known_project, campaign, unit_a, unit_a2, unit_b, carol_applicant):
    """The known project plus: unit_a forwarded B and one not forwarded; unit_a2 and unit_b
    one forwarded each. Participations with reporters."""
    part = participation(campaign, unit_a, young_workers=230)
    part.reporter_name, part.reporter_phone = "黄小军", "13877200001"
    part.save()
    participation(campaign, unit_a2, young_workers=80)
    participation(campaign, unit_b, young_workers=120)
    other = UserFactory(username="wei", real_name="韦小敏", mobile="13877200002")
    electron = UserFactory(username="lan", real_name="蓝天", mobile="13877200003")
    chem = UserFactory(username="qin", real_name="覃雪", mobile="13877200004")
    return {
        "known": known_project,
        "a_second": make_project(
            campaign,
            unit_a,
            other,
            name="焊接夹具快速定位改进",
            economic_benefit=Decimal("3.00"),
            self_grade="B",
            forwarded_at=datetime(2025, 2, 21, 9, 0, tzinfo=SHANGHAI),
        ),
        "a_pending": make_project(
            campaign, unit_a, other, name="车间照明节能改造", forwarded=False, state=ProjectState.SUBMITTED
        ),
        "a2": make_project(campaign, unit_a2, electron, name="电路板检测工装", category="电子", self_grade="C"),
        "b": make_project(
            campaign, unit_b, chem, name="反应釜温控优化", category="化工", economic_benefit=Decimal("8.80")
        ),
    }
