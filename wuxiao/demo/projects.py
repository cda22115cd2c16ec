"""Demo projects (never in production): ~600 plausible 申报表 across the demo units, made
through the same services as the pages, in the states of 申报 (草稿, 已提交, 退回修改, 已撤回,
and resubmitted after a return). The demo command (wuxiao/demo) calls `build_projects`."""

import random
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from wuxiao.campaigns.models import StageKind
from wuxiao.demo.names import short_unit_name, unit_category
from wuxiao.people.models import Education, Gender, Membership, Role
from wuxiao.projects import services
from wuxiao.projects.models import EntryRoute, Project, ProjectEvent

# category → (things people improve, what they do to them, achievement forms that fit, direction)
TOPICS = {
    "机械": (
        [
            "焊装线夹具",
            "数控车床送料装置",
            "冲压模具",
            "装配线拧紧工位",
            "输送辊道",
            "减速机润滑系统",
            "AGV小车定位机构",
            "总装线吊具",
            "发动机缸盖翻转工装",
            "齿轮箱检测台",
        ],
        ["快换结构改进", "自动化改造", "防错装置设计", "寿命提升改进", "定位精度改进"],
        ["小革新", "小改造", "小设计"],
        2,
    ),
    "化工": (
        ["氯碱电解槽", "硫酸吸收塔", "污水处理加药系统", "反应釜搅拌装置", "蒸发器冷凝水", "储罐呼吸阀"],
        ["工艺参数优化", "余热回收利用", "加药量自动控制", "密封结构改进", "泄漏监测改造"],
        ["小革新", "小改造", "小建议"],
        4,
    ),
    "电子": (
        ["SMT贴片机供料器", "PCB板测试夹具", "线束导通检测仪", "控制柜散热风道", "车载控制器烧录工装"],
        ["防静电改进", "快速检测装置设计", "自动计数改造", "误插防呆设计", "测试效率提升"],
        ["小发明", "小设计", "小革新"],
        3,
    ),
    "通信": (
        ["基站蓄电池组", "光缆熔接", "机房空调", "室分系统", "应急通信车"],
        ["远程监测改造", "巡检流程优化", "节能运行改进", "故障快速定位装置", "资源台账数字化"],
        ["小革新", "小建议", "小设计"],
        5,
    ),
    "建设": (
        ["钢筋加工棚", "混凝土养护", "高支模监测", "塔吊防碰撞", "装配式构件吊装", "脚手架连墙件"],
        ["工装改进", "自动喷淋改造", "安全预警装置设计", "施工工艺优化", "定位辅助工具"],
        ["小改造", "小革新", "小发明"],
        2,
    ),
    "医药": (
        ["中药饮片炮制", "片剂包衣", "制剂车间洁净空调", "药品追溯扫码", "原料药结晶"],
        ["工艺改进", "能耗降低改造", "自动称量装置设计", "质量检测方法改进", "清场流程优化"],
        ["小革新", "小改造", "小建议"],
        3,
    ),
    "仪器": (
        ["电能表校验台", "压力表检定", "三坐标测量", "在线粒度分析仪", "温度巡检仪"],
        ["自动读数改造", "校准效率提升", "专用夹具设计", "数据自动采集", "误差补偿改进"],
        ["小发明", "小设计", "小革新"],
        1,
    ),
    "其他": (
        ["仓储物料", "班组交接班", "青年员工培训", "设备点检", "食堂能耗", "办公用纸"],
        ["管理流程优化", "数字化台账建设", "合理化建议", "看板管理改进", "节约措施"],
        ["小建议", "小革新"],
        5,
    ),
}
OTHER_KINDS = ["环保", "安全管理", "物流", "节能"]
SPECIAL_TITLES = ["锅炉给水泵变频节能改造", "空压机余热回收用于员工浴室热水", "焊接烟尘收集装置改进"]

SURNAMES = "韦覃莫黄蓝梁陆罗蒙廖谭李王张刘陈杨赵周吴"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文斌婷宇晨浩然欣怡子涵思远志鹏海燕"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def _birth(rng: random.Random, reference: date, low: int, high: int) -> date:
    return reference - timedelta(days=rng.randint(low * 365 + 1, high * 365 + 300))


def _contents(rng: random.Random, thing: str, action: str, category: str) -> dict:
    minutes = rng.choice([15, 20, 30, 40, 45, 60])
    after = max(3, minutes // rng.choice([3, 4, 5]))
    saving = rng.choice([3, 5, 8, 12, 15, 20, 30])
    return {
        "reason": (
            f"{thing}在日常生产中存在效率低、故障多的问题，平均每次处理需 {minutes} 分钟，"
            f"影响生产节拍和安全。班组青年在岗位实践中发现改进空间，提出本项目。"
        ),
        "content": f"针对{thing}开展{action}，明确改进目标：处理时间降至 {after} 分钟以内，故障率下降一半以上。",
        "measures": (
            "1. 现场调研，统计近三个月的故障与耗时数据；2. 提出方案并经技术部门评审；"
            "3. 制作样件或试点运行；4. 总结经验，形成作业指导书并推广。"
        ),
        "benefits": (
            f"预计年节约成本约 {saving} 万元，减少停机时间，改善劳动强度，"
            f"{'降低能耗和物料消耗' if category in ('化工', '其他') else '提高产品质量和一次合格率'}。"
        ),
    }


def _applicants_by_unit(units, people) -> dict:
    """people may be {unit: [users]} or any iterable of users (their applicant roles decide)."""
    units = list(units)
    if isinstance(people, Mapping):
        return {u.pk: list(people.get(u, people.get(u.pk, []))) for u in units}
    users = {u.pk: u for u in people}
    out: dict[int, list] = {u.pk: [] for u in units}
    for m in Membership.objects.filter(user_id__in=users, organisation__in=units, role=Role.APPLICANT):
        out[m.organisation_id].append(users[m.user_id])
    return out


def _unit_admin(unit):
    """Someone who may return the unit's projects: an admin of the unit or above it."""
    ancestors = [unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "."]
    m = (
        Membership.objects.filter(role=Role.ADMIN, organisation__path__in=ancestors)
        .select_related("user")
        .order_by("-organisation__path")
        .first()
    )
    return m.user if m else None


def _date_submission(project: Project, day: date | None) -> None:
    """A campaign that is already over (the 2024 history) is submitted on its own dates, so
    the 承诺 and the timeline come before the opinions that follow them, as on paper."""
    if day is None or day >= timezone.localdate():
        return
    at = timezone.make_aware(datetime.combine(day, time(9, 30)))
    Project.objects.filter(pk=project.pk).update(commitment_at=at, submitted_at=at)
    ProjectEvent.objects.filter(project=project, at__gt=at).update(at=at)
    project.commitment_at = project.submitted_at = at


def build_projects(campaign, units: Iterable, people, *, count: int = 600, seed: int = 2024) -> list[Project]:
    """Create about `count` projects spread over `units`, led by the applicants in `people`
    (a {unit: [users]} mapping, or users whose applicant memberships place them), in
    realistic 申报 states. Deterministic for a given seed. Returns the projects."""
    rng = random.Random(seed)
    by_unit = {pk: users for pk, users in _applicants_by_unit(units, people).items() if users}
    if not by_unit:
        return []
    unit_objs = {u.pk: u for u in units if u.pk in by_unit}
    admins = {pk: _unit_admin(u) for pk, u in unit_objs.items()}
    reference = campaign.reference_date
    registration = campaign.stages.filter(kind=StageKind.REGISTRATION).first()
    collection = campaign.stages.filter(kind=StageKind.COLLECTION).first()
    reg_day = registration.starts_on + timedelta(days=5) if registration else None
    col_day = collection.starts_on + timedelta(days=5) if collection else None

    created = []
    titles_used = set(Project.objects.filter(campaign=campaign).values_list("name", flat=True))
    unit_ids = sorted(by_unit)
    for i in range(count):
        unit = unit_objs[unit_ids[i % len(unit_ids)]]
        leader = rng.choice(by_unit[unit.pk])
        # Projects fit their unit (a law firm does not submit a tablet coater): the unit's own
        # trade mostly, now and then a management suggestion, which fits anywhere.
        own = unit_category(unit.name)
        if own is None:
            category = rng.choices(list(TOPICS), weights=[24, 10, 14, 6, 10, 6, 8, 8])[0]
        else:
            category = own if rng.random() < 0.85 else "其他"
        things, actions, forms, direction = TOPICS[category]
        thing, action = rng.choice(things), rng.choice(actions)
        special = i < len(SPECIAL_TITLES) and SPECIAL_TITLES[i] not in titles_used
        title = SPECIAL_TITLES[i] if special else f"{thing}{action}"
        if special:
            thing, action = title[:-4], title[-4:]
        if title in titles_used:
            short = short_unit_name(unit.name)
            title = f"{title}（{short}）" if f"{title}（{short}）" not in titles_used else f"{title}（{short}二期）"
            if title in titles_used:
                title = f"{thing}{action}（{short}第{i}项）"
        titles_used.add(title)
        direct = col_day is not None and campaign.allow_direct_achievements and rng.random() < 0.05
        project = services.create_project(
            campaign=campaign,
            leader=leader,
            unit=unit,
            entry_route=EntryRoute.DIRECT if direct else EntryRoute.REGISTRATION,
            name=title,
        )
        roll = rng.random()
        complete = roll >= 0.08  # 8% stay half-filled drafts
        data = {"name": title}
        if complete:
            start = date(campaign.year, 6, 1) + timedelta(days=rng.randint(0, 25))
            data |= {
                "economic_benefit": Decimal(rng.choice([0, 1, 2, 3, 5, 8, 10, 12, 15, 20, 35, 50, 80]))
                + Decimal(rng.choice(["0", "0.5", "0.25"])),
                "start_date": start,
                "end_date": start + timedelta(days=rng.randint(90, 200)),
                "patent_eligible": rng.random() < 0.35,
                "patent_filed": rng.random() < 0.1,
                "patent_willing": rng.random() < 0.6,
                "category": category,
                "category_other": rng.choice(OTHER_KINDS) if category == "其他" else "",
                "achievement_form": rng.choice(forms),
                "content_direction": direction if rng.random() < 0.7 else rng.randint(1, 5),
                "is_large_research_project": False,
                "leader_name": project.leader_name or leader.display_name,
                "leader_gender": project.leader_gender or rng.choice(Gender.values),
                "leader_birth_date": project.leader_birth_date or _birth(rng, reference, 22, 34),
                "leader_education": project.leader_education or rng.choice(Education.values[1:5]),
                "leader_phone": project.leader_phone or f"138{rng.randint(0, 99999999):08d}",
                **_contents(rng, thing, action, category),
            }
            data["commitment_name"] = data["leader_name"]
        else:
            data |= {"category": category, "reason": _contents(rng, thing, action, category)["reason"]}
        project = services.save_draft(project=project, data=data, by=leader, expected_version=project.version)
        for _ in range(rng.choice([0, 0, 1, 2, 2, 3, 4])):
            services.add_member(
                project=project,
                by=leader,
                name=_name(rng),
                gender=rng.choice(Gender.values),
                birth_date=_birth(rng, reference, 21, 38),
                education=rng.choice(Education.values[1:5]),
            )
            project.refresh_from_db()
        created.append(project)
        if not complete:
            continue
        day = col_day if direct else reg_day
        try:
            project = services.submit_project(project=project, by=leader, expected_version=project.version, today=day)
        except ValidationError:
            continue  # e.g. a team over the age limit: stays a draft, as in real life
        admin = admins.get(unit.pk)
        if roll < 0.14:
            services.withdraw_project(project=project, by=leader)
        elif roll < 0.30 and admin is not None:
            project = services.return_project(
                project=project,
                by=admin,
                reason=rng.choice(
                    [
                        "经济效益测算依据不足，请补充财务部门出具的测算说明",
                        "立项措施过于简略，请细化实施步骤和时间安排",
                        "请补充现场照片等证明材料",
                        "项目类别选择有误，请核对后修改",
                    ]
                ),
            )
            if roll < 0.22:  # revised and sent again
                project = services.save_draft(
                    project=project,
                    data={"measures": data["measures"] + "4. 每月复盘一次，记录改进前后的数据对比。"},
                    by=leader,
                    expected_version=project.version,
                )
                project = services.submit_project(
                    project=project, by=leader, expected_version=project.version, today=day
                )
        _date_submission(project, day)
        created[-1] = project
    return created
