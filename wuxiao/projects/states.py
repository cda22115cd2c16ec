"""Project states, their named groups and the one map of allowed transitions. Later
capabilities (review, awards) add their states here, and nowhere else.

The members of `ProjectState` are listed in workflow order. Every group that means "this
state and everything after it" is computed from that order when it is read, so a state added
after FORWARDED (in review, reviewed, awarded …) is at once counted as forwarded: by the quota,
in the unit's lists, in overviews and exports. Other modules use the groups (`state__in=
ProjectState.FORWARDED_OR_LATER`), never their own set of states."""

from django.db import models
from django.utils.functional import classproperty


class ProjectState(models.TextChoices):
    # 申报 (stage 2, or stage 4 for a direct achievement entry)
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交（待单位审核）"
    RETURNED = "returned", "退回修改"
    WITHDRAWN = "withdrawn", "已撤回"
    # Unit workflow (stages 2–4); transitions added by the unit-workflow capability
    REFUSED = "refused", "未予立项"
    ACCEPTED = "accepted", "已立项（攻关中）"
    RESULT_WORKSHOP = "result_workshop", "待（车间/分厂/科室/子公司）意见"
    RESULT_TECH = "result_tech", "待本单位技术部门意见"
    RESULT_LEAGUE = "result_league", "待本单位团组织意见"
    RESULT_RETURNED = "result_returned", "成果退回修改"
    UNIT_APPROVED = "unit_approved", "单位评审通过（待上报）"
    FORWARDED = "forwarded", "已上报组委会"
    # Review and awards add their states here, below FORWARDED, in workflow order.

    @classmethod
    def flow(cls) -> list[str]:
        """Every state in workflow order (the order of definition above)."""
        return [s.value for s in cls]

    @classmethod
    def at_or_after(cls, state: str) -> tuple[str, ...]:
        flow = cls.flow()
        return tuple(flow[flow.index(state) :])

    # --- Named groups (read at call time, so they follow the flow) ---------------------

    @classproperty
    def PRIVATE(cls) -> tuple[str, ...]:
        """Only the team sees the project: unit admins never see another person's draft."""
        return (cls.DRAFT.value,)

    @classproperty
    def EDITABLE(cls) -> tuple[str, ...]:
        """The leader may edit the 申报表: a draft, or sent back, or withdrawn."""
        return (cls.DRAFT.value, cls.RETURNED.value, cls.WITHDRAWN.value)

    @classproperty
    def NOT_REGISTERED(cls) -> tuple[str, ...]:
        """Not (or no longer) an entry of the campaign: never submitted, or withdrawn."""
        return (cls.DRAFT.value, cls.WITHDRAWN.value)

    @classproperty
    def ACCEPTED_OR_LATER(cls) -> tuple[str, ...]:
        """立项 and everything after: the team keeps work records, advisors guide."""
        return cls.at_or_after(cls.ACCEPTED)

    @classproperty
    def WORKING(cls) -> tuple[str, ...]:
        """The team works on the project: records, urging, a result to submit."""
        return (cls.ACCEPTED.value, cls.RESULT_RETURNED.value)

    @classproperty
    def OPINION_CHAIN(cls) -> tuple[str, ...]:
        """The result waits for an opinion inside the unit (附件2's opinion boxes), in order."""
        return (cls.RESULT_WORKSHOP.value, cls.RESULT_TECH.value, cls.RESULT_LEAGUE.value)

    @classproperty
    def RESULT_OR_LATER(cls) -> tuple[str, ...]:
        """A result is, or was, in the opinion chain: the unit's opinion givers see it."""
        return cls.at_or_after(cls.RESULT_WORKSHOP)

    @classproperty
    def IN_UNIT_WORK(cls) -> tuple[str, ...]:
        """Accepted and still in the unit's hands: its level may change."""
        forwarded = cls.flow().index(cls.FORWARDED)
        return tuple(s for s in cls.ACCEPTED_OR_LATER if cls.flow().index(s) < forwarded)

    @classproperty
    def ADVISABLE(cls) -> tuple[str, ...]:
        """Advisors may be assigned: waiting for 立项 (a key project needs two first) or in unit work."""
        return (cls.SUBMITTED.value, *cls.IN_UNIT_WORK)

    @classproperty
    def FORWARDED_OR_LATER(cls) -> tuple[str, ...]:
        """Forwarded to the committee, at any later stage too: counts against the unit's
        quota, stays in its lists, and its content is frozen for the unit."""
        return cls.at_or_after(cls.FORWARDED)

    @classmethod
    def shown_to_units(cls) -> list["ProjectState"]:
        """The states a unit's lists and overviews show (every state but the private ones)."""
        return [s for s in cls if s.value not in cls.PRIVATE]


# from-state → {to-state: who may do it}. "leader" = the project leader; "unit_admin" =
# an admin of the project's unit (or above it); "workshop" / "tech_dept" = a person holding
# that role in the project's unit; "committee" = an admin of the organising committee.
TRANSITIONS: dict[str, dict[str, str]] = {
    ProjectState.DRAFT: {ProjectState.SUBMITTED: "leader"},
    ProjectState.SUBMITTED: {
        ProjectState.RETURNED: "unit_admin",
        ProjectState.WITHDRAWN: "leader",
        ProjectState.ACCEPTED: "unit_admin",
        ProjectState.REFUSED: "unit_admin",
    },
    ProjectState.RETURNED: {ProjectState.SUBMITTED: "leader"},
    ProjectState.WITHDRAWN: {ProjectState.SUBMITTED: "leader"},
    # Stage 4: the leader submits the result; the opinion chain of 附件2 runs inside the unit.
    ProjectState.ACCEPTED: {ProjectState.RESULT_WORKSHOP: "leader", ProjectState.RESULT_TECH: "leader"},
    ProjectState.RESULT_RETURNED: {ProjectState.RESULT_WORKSHOP: "leader", ProjectState.RESULT_TECH: "leader"},
    ProjectState.RESULT_WORKSHOP: {ProjectState.RESULT_TECH: "workshop", ProjectState.RESULT_RETURNED: "workshop"},
    ProjectState.RESULT_TECH: {
        ProjectState.RESULT_LEAGUE: "tech_dept",
        ProjectState.RESULT_WORKSHOP: "tech_dept",
        ProjectState.RESULT_RETURNED: "tech_dept",
    },
    ProjectState.RESULT_LEAGUE: {
        ProjectState.UNIT_APPROVED: "unit_admin",
        ProjectState.RESULT_TECH: "unit_admin",
        ProjectState.RESULT_RETURNED: "unit_admin",
    },
    ProjectState.UNIT_APPROVED: {ProjectState.FORWARDED: "unit_admin"},
    ProjectState.FORWARDED: {ProjectState.UNIT_APPROVED: "committee"},
}


def allowed(from_state: str, to_state: str) -> str | None:
    """Who may move a project from one state to another, or None if nobody may."""
    return TRANSITIONS.get(from_state, {}).get(to_state)


# The timeline says who did what ("韦涛勇（技术部门）提出意见：…"): the role that makes each
# move (from TRANSITIONS) and the verb for it.
ACTOR_LABELS = {
    "leader": "项目负责人",
    "unit_admin": "单位团组织",
    "workshop": "车间（分厂/科室/子公司）",
    "tech_dept": "技术部门",
    "committee": "组委会",
}
_FORWARD_STEPS = {
    (ProjectState.RESULT_WORKSHOP, ProjectState.RESULT_TECH),
    (ProjectState.RESULT_TECH, ProjectState.RESULT_LEAGUE),
    (ProjectState.RESULT_LEAGUE, ProjectState.UNIT_APPROVED),
}


def event_verb(from_state: str, to_state: str) -> str:
    """What the person did when a project moved from one state to another."""
    if not from_state:
        return "创建草稿"
    if to_state == ProjectState.SUBMITTED:
        return "提交申报" if from_state == ProjectState.DRAFT else "重新提交申报"
    if to_state in (ProjectState.RESULT_WORKSHOP, ProjectState.RESULT_TECH) and from_state in (
        ProjectState.ACCEPTED,
        ProjectState.RESULT_RETURNED,
    ):
        return "提交成果" if from_state == ProjectState.ACCEPTED else "重新提交成果"
    if (from_state, to_state) in _FORWARD_STEPS:
        return "提出意见（同意）"
    if from_state in ProjectState.OPINION_CHAIN:
        return "提出意见（退回）"
    return {
        ProjectState.RETURNED: "退回修改",
        ProjectState.WITHDRAWN: "撤回申报",
        ProjectState.ACCEPTED: "同意立项",
        ProjectState.REFUSED: "不予立项",
        ProjectState.FORWARDED: "上报组委会",
        ProjectState.UNIT_APPROVED: "退回单位（撤销上报）",
    }.get(to_state, f"变更为“{ProjectState(to_state).label}”" if to_state in ProjectState.values else "变更状态")


def event_actor_role(from_state: str, to_state: str) -> str:
    """The role, as printed, of whoever may make this move ("" when the map has none)."""
    if not from_state:
        return ACTOR_LABELS["leader"]
    return ACTOR_LABELS.get(allowed(from_state, to_state) or "", "")
