"""Input and output shapes of the API. Inputs (…In) only parse; the rules and their
messages stay in the services. Outputs (…Out) say what a caller may see: phone numbers are
masked for people who do not need them, as on the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from wuxiao.api.common import Ordering
from wuxiao.awards.models import AwardLevel, ResultStatus
from wuxiao.lib.phones import mask_phone
from wuxiao.people.models import Education, Gender, OrgKind, Role
from wuxiao.projects.models import EntryRoute, ProjectLevel, SelfGrade
from wuxiao.projects.permissions import is_unit_admin_for
from wuxiao.projects.states import ProjectState
from wuxiao.reviews.models import RoundKind

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; Django's forms refuse it too.
    if "\x00" in value:
        raise PydanticCustomError("no_nul", "不能包含空字符")
    return value


def Text(max_length: int | None = None, **kwargs):
    return Annotated[str, Field(max_length=max_length, **kwargs), AfterValidator(_no_nul)]


StateName = Literal[tuple(ProjectState.values)]
LevelName = Literal[tuple(ProjectLevel.values)]
GenderName = Literal[("", *Gender.values)]
EducationName = Literal[("", *Education.values)]
Money = Annotated[Decimal, Field(max_digits=12, decimal_places=2, allow_inf_nan=False)]


class Label(Schema):
    value: str
    label: str


# --- people and organisations ------------------------------------------------------------


class MembershipOut(Schema):
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    role: Literal[tuple(Role.values)]
    role_label: str = Field(alias="get_role_display")


class MeOut(Schema):
    id: int
    username: str
    real_name: str
    mobile: str
    memberships: list[MembershipOut]
    token_scope: Literal["read", "write", "session"]


class OrganisationOut(Schema):
    id: int
    name: str
    kind: Literal[tuple(OrgKind.values)]
    kind_label: str = Field(alias="get_kind_display")
    parent_id: int | None
    parent: str | None
    is_active: bool
    contact_name: str
    contact_phone: str = Field(description="已打码，例如 0772-***7423，与管理后台列表一致")
    allow_parent_forwarding: bool

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.name if obj.parent_id else None

    @staticmethod
    def resolve_contact_phone(obj) -> str:
        return mask_phone(obj.contact_phone)


class QuotaOut(Schema):
    campaign_id: int
    unit_id: int
    quota: int
    forwarded: int
    remaining: int
    text: str


# --- campaigns ---------------------------------------------------------------------------


class StageOut(Schema):
    number: int
    kind: str
    label: str = Field(alias="get_kind_display")
    starts_on: date
    ends_on: date
    description: str


class CampaignOut(Schema):
    id: int
    slug: str
    title: str
    year: int
    theme: str
    document_number: str
    starts_on: date
    ends_on: date
    is_current: bool
    max_age: int
    reference_date: date
    categories: list[str]
    achievement_forms: list[str]
    content_directions: list[str]
    allow_direct_achievements: bool
    stages: list[StageOut]


# --- projects ----------------------------------------------------------------------------


# ?ordering= → the order_by of the list; the id always breaks ties so pages never overlap.
# Each order of the project list, the id breaking ties; drafts (no submitted_at) come last
# either way. `-updated_at` and `-submitted_at` walk covering indexes (projects 0014).
ORDERINGS = {
    key: Ordering(key, key.lstrip("-"), descending=key.startswith("-"), nullable=key.endswith("submitted_at"))
    for key in ("-updated_at", "updated_at", "-submitted_at", "submitted_at", "name", "-name", "id", "-id")
}


class ProjectQuery(Schema):
    """Filters of a project list: the pages' FilterSet (projects.filters.ProjectFilter), plus
    the order. A unit or district the caller does not administer is refused (422)."""

    campaign: Id | None = Field(None, description="竞赛活动编号")
    state: StateName | None = Field(None, description="状态")
    unit: Id | None = Field(None, description="单位编号（您管理的单位）")
    district: Id | None = Field(None, description="县区/系统团组织编号（您管理的）")
    level: Literal[(*ProjectLevel.values, "none")] | None = Field(None, description="项目分类；none 为未分类")
    category: Text(20) | None = Field(None, description="项目类别，例如：机械")
    q: Text(100) | None = Field(None, description="项目名称包含")
    forwarded: Literal["1", "0"] | None = Field(None, description="1 已上报组委会，0 未上报")
    ordering: Literal[tuple(ORDERINGS)] | None = Field(None, description="排序，默认 -updated_at")


def _request_user(context):
    request = (context or {}).get("request")
    return getattr(request, "user", None)


class ProjectListOut(Schema):
    id: int
    name: str
    state: StateName
    state_label: str = Field(alias="get_state_display")
    version: int
    campaign_id: int
    unit_id: int
    unit: str = Field(alias="unit.name")
    leader_id: int
    leader_name: str
    category: str
    achievement_form: str
    level: Literal[("", *ProjectLevel.values)]
    entry_route: Literal[tuple(EntryRoute.values)]
    submitted_at: datetime | None
    updated_at: datetime


class TeamMemberOut(Schema):
    id: int
    name: str
    gender: Literal[tuple(Gender.values)]
    birth_date: date
    age: int
    education: Literal[tuple(Education.values)]
    order: int
    has_account: bool

    @staticmethod
    def resolve_has_account(obj) -> bool:
        return obj.user_id is not None


class EventOut(Schema):
    at: datetime
    from_state: str
    to_state: str
    note: str
    actor: str | None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.display_name if obj.actor_id else None


class ProjectOut(ProjectListOut):
    economic_benefit: Decimal | None
    start_date: date | None
    end_date: date | None
    patent_eligible: bool | None
    patent_filed: bool | None
    patent_willing: bool | None
    category_other: str
    content_direction: int | None
    reason: str
    content: str
    measures: str
    benefits: str
    leader_gender: str
    leader_birth_date: date | None
    leader_age: int | None
    leader_education: str
    leader_phone: str = Field(description="项目负责人和本单位团组织看到完整号码，其他人看到打码号码")
    is_large_research_project: bool | None
    commitment_name: str
    self_grade: Literal[("", *SelfGrade.values)]
    members: list[TeamMemberOut]
    events: list[EventOut]

    @staticmethod
    def resolve_leader_phone(obj, context) -> str:
        user = _request_user(context)
        if user is not None and (obj.leader_id == user.pk or is_unit_admin_for(user, obj)):
            return obj.leader_phone
        return mask_phone(obj.leader_phone)


class ProjectCreateIn(Schema):
    unit: Id | None = Field(None, description="申报单位编号；不填为您的第一个申报单位")
    entry_route: Literal[tuple(EntryRoute.values)] = EntryRoute.REGISTRATION
    name: Text(100) = ""


class ProjectDraftIn(Schema):
    """Every field of 附件2 the leader fills in; a draft may leave any of them out. `version`
    is the version the caller last read: a stale one is answered 409."""

    version: Id
    name: Text(100) | None = None
    economic_benefit: Money | None = None
    start_date: date | None = None
    end_date: date | None = None
    patent_eligible: bool | None = None
    leader_name: Text(50) | None = None
    leader_gender: GenderName | None = None
    leader_birth_date: date | None = None
    leader_education: EducationName | None = None
    leader_phone: Text(20) | None = None
    category: Text(20) | None = None
    category_other: Text(50) | None = None
    achievement_form: Text(20) | None = None
    content_direction: Annotated[int, Field(ge=1, le=99)] | None = None
    patent_filed: bool | None = None
    patent_willing: bool | None = None
    reason: Text(5000) | None = None
    content: Text(5000) | None = None
    measures: Text(5000) | None = None
    benefits: Text(5000) | None = None
    is_large_research_project: bool | None = None
    commitment_name: Text(50) | None = None


class VersionIn(Schema):
    version: Id = Field(description="调用方看到的版本号；已被他人修改时答 409")


class ReasonIn(Schema):
    reason: Text(2000) = Field(description="原因，例如：经济效益测算依据不足，请补充测算表")


class ClassifyIn(Schema):
    level: LevelName
    funding: Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2, allow_inf_nan=False)] | None = None
    equipment: Text(2000) = ""


class ForwardIn(Schema):
    projects: Annotated[list[Id], Field(min_length=1, max_length=500)]
    reporter_name: Text(50)
    reporter_phone: Text(20)


class ResultIn(Schema):
    economic_benefit: Money | None = None
    result_description: Text(3000, description="成果说明（可选）") | None = None


class MemberIn(Schema):
    version: Id | None = None
    name: Text(50) = ""
    gender: GenderName = ""
    birth_date: date | None = None
    education: EducationName = ""


class MemberPatchIn(Schema):
    version: Id | None = None
    name: Text(50) | None = None
    gender: GenderName | None = None
    birth_date: date | None = None
    education: EducationName | None = None


# --- work records and opinions -----------------------------------------------------------


class CommentOut(Schema):
    id: int
    advisor: str = Field(alias="advisor.display_name")
    text: str
    signed_off: bool
    created_at: datetime


class WorkRecordOut(Schema):
    id: int
    date: date
    done: str
    problems: str
    next_steps: str
    created_by: str = Field(alias="created_by.display_name")
    created_at: datetime
    files: list[str]
    comments: list[CommentOut]

    @staticmethod
    def resolve_files(obj) -> list[str]:
        return [f.original_name for f in obj.files.all()]


class WorkRecordIn(Schema):
    date: date
    done: Text(5000)
    problems: Text(5000) = ""
    next_steps: Text(5000) = ""


class CommentIn(Schema):
    text: Text(2000)
    sign_off: bool = False


class OpinionOut(Schema):
    id: int
    step: str
    step_label: str = Field(alias="get_step_display")
    text: str
    approved: bool
    signer_name: str
    signed_on: date
    has_stamp: bool

    @staticmethod
    def resolve_has_stamp(obj) -> bool:
        return bool(obj.stamp)


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


# --- 评审认定: the expert's assignments and scores ---------------------------------------

ReviewStatusName = Literal["not_started", "draft", "submitted"]


class RoundOut(Schema):
    id: int
    campaign_id: int
    number: int
    name: str
    kind: Literal[tuple(RoundKind.values)]
    kind_label: str = Field(alias="get_kind_display")
    blind: bool = Field(description="盲评：不显示申报单位、人员姓名和联系方式，文本中的名称以“〔已隐去〕”代替")
    opens_on: date
    closes_on: date


class AssignmentQuery(Schema):
    rounds: Literal["open", "all"] = Field(
        "open", description="open：今天正在评分的轮次（默认）；all：全部轮次（含未开始和已截止，只读）"
    )


class AssignmentOut(Schema):
    id: int = Field(description="评审任务编号（用于以下各接口）")
    project_id: int
    project_name: str = Field(description="盲评时其中的单位名称和人员姓名以“〔已隐去〕”代替")
    category: str
    round: RoundOut
    status: ReviewStatusName
    status_label: str
    total: Decimal | None = Field(description="加权总分（全部评分项打分后）")
    can_score: bool = Field(description="今天是否在本轮评分时间内")


class CriterionOut(Schema):
    id: int
    name: str
    weight: Decimal = Field(description="权重（%）")
    max_score: Decimal


class ScoreOut(Schema):
    criterion: int
    value: Decimal


class MyReviewOut(Schema):
    version: int = Field(description="保存时带上的版本号；已在其他窗口修改时答 409")
    scores: list[ScoreOut]
    comment: str
    total: Decimal | None
    submitted_at: datetime | None
    updated_at: datetime


class ReviewAttachmentOut(Schema):
    number: int
    name: str = Field(description="盲评时为“附件N.扩展名”")
    content_type: str
    size: int


class ReviewProjectOut(Schema):
    """The 申报表 as the round shows it. In a blind round the unit, the people and their phone
    are null, and every identifying name in the texts is replaced."""

    id: int
    name: str
    category: str
    achievement_form: str
    content_direction: str
    start_date: date | None
    end_date: date | None
    economic_benefit: Decimal | None
    reason: str
    content: str
    measures: str
    benefits: str
    unit: str | None = Field(description="盲评时为 null")
    leader_name: str | None = Field(description="盲评时为 null")
    leader_phone: str | None = Field(description="已打码；盲评时为 null")
    members: list[str] | None = Field(description="主要研究人员姓名；盲评时为 null")
    attachments: list[ReviewAttachmentOut]


class AssignmentDetailOut(AssignmentOut):
    criteria: list[CriterionOut]
    project: ReviewProjectOut
    review: MyReviewOut | None


class ScoreIn(Schema):
    criterion: Id = Field(description="评分项编号（见 criteria）")
    value: Annotated[Decimal, Field(max_digits=12, allow_inf_nan=False)] | None = Field(
        None, description="得分，0 至该项满分，最多一位小数，例如 8.5；null 为不打分（草稿）"
    )


class ReviewIn(Schema):
    """The whole review: the scores given (a criterion left out has no score), the comment, and
    whether to submit. Saving again replaces the previous scores."""

    scores: Annotated[list[ScoreIn], Field(max_length=50)] = []
    comment: Text(5000) = ""
    submit: bool = Field(False, description="true 提交评分（须全部评分项打分）；false 保存草稿")
    version: Id | None = Field(None, description="上次读到的评审版本号；已在其他窗口修改时答 409")


class DeclineIn(Schema):
    reason: Text(200) = Field(description="回避或谢绝的原因，例如：与项目负责人为同一科室同事")


# --- 评审结果: published prizes and the committee's award sheet ---------------------------

PrizeLevelName = Literal[tuple(v for v in AwardLevel.values if v != AwardLevel.NONE)]


class PublishedCampaignOut(Schema):
    id: int
    slug: str
    title: str
    year: int
    published_at: datetime | None = Field(alias="award_sheet.published_at")


class ResultsQuery(Schema):
    level: PrizeLevelName | None = Field(None, description="奖项：special 特等奖、first、second、third")


class PrizeOut(Schema):
    """A line of the published 获奖名单: what the public results page shows, nothing more."""

    project_id: int
    name: str = Field(alias="project.name")
    unit: str = Field(alias="project.unit.employer", description="单位名称（用人单位，不是其团组织）")
    category: str = Field(alias="project.category_display")
    achievement_form: str = Field(alias="project.achievement_form")
    level: PrizeLevelName
    level_label: str = Field(alias="get_level_display")
    team: list[str] = Field(description="项目负责人和主要研究人员姓名，与公开的获奖名单一致")

    @staticmethod
    def resolve_team(obj) -> list[str]:
        return [obj.project.leader_name, *[m.name for m in obj.project.public_members]]


AwardLevelName = Literal[tuple(AwardLevel.values)]


class SheetAwardOut(Schema):
    project_id: int
    project_name: str = Field(alias="project.name")
    unit: str = Field(alias="project.unit.name")
    rank: int
    score: Decimal | None
    proposed_level: AwardLevelName
    level: AwardLevelName
    level_label: str = Field(alias="get_level_display")
    adjusted: bool
    tie_note: str
    reason: str = Field(description="调整理由")
    certificate_number: str | None


class AwardSheetOut(Schema):
    """The committee's award sheet (draft, locked or published) with a page of its rows."""

    campaign_id: int
    status: Literal[tuple(ResultStatus.values)]
    status_label: str
    version: int
    basis: str
    total: int = Field(description="上报项目数 N")
    specials: int
    specials_in_caps: bool
    proposed_at: datetime | None
    locked_at: datetime | None
    published_at: datetime | None
    level_counts: dict[str, int]
    count: int
    page: int
    page_size: int
    items: list[SheetAwardOut]
