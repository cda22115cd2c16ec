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
from wuxiao.awards.models import AwardLevel, PatentStatus, ResultStatus
from wuxiao.campaigns.models import StageKind
from wuxiao.lib.phones import mask_phone
from wuxiao.people.models import Education, Gender, OrgKind, Role
from wuxiao.projects.models import EntryRoute, ProjectLevel, SelfGrade
from wuxiao.projects.permissions import is_unit_admin_for
from wuxiao.projects.states import ProjectState
from wuxiao.reviews.models import AssignmentStatus, Decision, RankingMethod, RoundKind
from wuxiao.salons.models import SignupStatus

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


class EvidenceOut(Schema):
    """A 成果证明材料 file (测试报告, 应用证明, 现场照片 …) of the result submission."""

    id: int
    name: str = Field(description="文件名（已去除不安全字符）")
    content_type: str = Field(description="按文件内容判定的类型，例如 application/pdf")
    size: int = Field(description="大小（字节）")
    uploaded_at: datetime


class AttachmentOut(Schema):
    """A file attached to the 申报表 (可另附纸)."""

    id: int
    name: str = Field(alias="original_name", description="文件名（已去除不安全字符）")
    content_type: str
    size: int
    uploaded_at: datetime


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
    result_description: str = Field(description="成果说明（提交成果时填写）")
    result_evidence: list[EvidenceOut] = Field(description="成果证明材料")
    attachments: list[AttachmentOut] = Field(description="申报表附件")

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
    files: list[str] = Field(description="附件文件名")
    attachments: list[EvidenceOut] = Field(description="附件（id 用于下载）")
    comments: list[CommentOut]

    @staticmethod
    def resolve_files(obj) -> list[str]:
        return [f.original_name for f in obj.files.all()]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return [f.stored for f in obj.files.all()]


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
    id: int = Field(description="奖项行编号（调整奖项时使用）")
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


class AwardSheetSummaryOut(Schema):
    """The committee's award sheet: its status, version and counts."""

    campaign_id: int
    status: Literal[tuple(ResultStatus.values)]
    status_label: str = Field(alias="get_status_display")
    version: int = Field(description="评定表版本号：写操作可带上，已被他人修改时答 409")
    basis: str
    total: int = Field(description="上报项目数 N")
    specials: int
    specials_in_caps: bool
    proposed_at: datetime | None
    locked_at: datetime | None
    published_at: datetime | None
    level_counts: dict[str, int]
    caps: dict[str, int] | None = Field(description="各等级的上限（N 为 0 时为 null）")

    @staticmethod
    def resolve_level_counts(obj) -> dict[str, int]:
        from wuxiao.awards.queries import level_counts

        return level_counts(obj)

    @staticmethod
    def resolve_caps(obj) -> dict[str, int] | None:
        if not obj.total:
            return None
        limits = obj.limits()
        return {level: limits.cap(level) for level in AwardLevel.values if level != AwardLevel.NONE}


class AwardSheetOut(AwardSheetSummaryOut):
    """The sheet (draft, locked or published) with a page of its rows."""

    count: int
    count_capped: bool
    page: int
    page_size: int
    items: list[SheetAwardOut]


class SheetVersionIn(Schema):
    version: Id | None = Field(None, description="上次读到的评定表版本号；已被他人修改时答 409，不带则不检查")


class ProposeIn(SheetVersionIn):
    round: Id | None = Field(None, description="依据的评审轮次编号；不填为最后一轮")
    specials: int = Field(0, ge=-32768, le=32767, description="特等奖数量（“若干”，组委会设定），例如 2")


class AdjustIn(SheetVersionIn):
    level: AwardLevelName = Field(description="special、first、second、third 或 none（未获奖）")
    reason: Text(2000) = Field(description="调整理由（必填），例如：评审小组复议，该项目推广价值突出")


class UnlockIn(SheetVersionIn):
    reason: Text(2000) = Field(description="解除锁定的理由（必填，记入审计日志）")


class AwardChangeOut(Schema):
    from_level: Literal[("", *AwardLevel.values)]
    to_level: AwardLevelName
    reason: str
    by: str = Field(alias="by.display_name")
    at: datetime


class OrganisationAwardOut(Schema):
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    reason: str
    chosen_at: datetime


class OrganisationAwardIn(Schema):
    organisation: Id = Field(description="组织编号（单位或县区/系统团委）")
    reason: Text(2000) = Field("", description="评选理由，例如：参与率全市第一")


class PatentEventOut(Schema):
    from_status: str
    to_status: str
    on: date
    note: str


class PatentCaseOut(Schema):
    id: int
    project_id: int
    project_name: str = Field(alias="project.name")
    unit: str = Field(alias="project.unit.name")
    status: Literal[tuple(PatentStatus.values)]
    status_label: str = Field(alias="get_status_display")
    patent_number: str
    events: list[PatentEventOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


class PatentAdvanceIn(Schema):
    to: Literal[tuple(PatentStatus.values)] = Field(description="下一状态")
    on: date = Field(description="日期，例如 2025-06-18（2000-01-01 至今天）")
    note: Text(2000) = Field("", description="说明，例如：已受理，申请号 2025101234567")
    patent_number: Text(40) = Field("", description="专利号（已授权时必填），例如 ZL202410123456.7")


class CertificateDesignOut(Schema):
    campaign_id: int
    wording: str = Field(alias="certificate_wording")
    has_seal: bool

    @staticmethod
    def resolve_has_seal(obj) -> bool:
        return bool(obj.seal)


# --- 评审管理: the committee's rounds, rubric, assignment, ranking, 查重, 答辩 -----------------

RankingMethodName = Literal[tuple(RankingMethod.values)]
PositiveInt = Annotated[int, Field(ge=1, le=2**31 - 1)]


class RoundAdminOut(RoundOut):
    experts_per_project: int
    max_per_expert: int
    ranking: RankingMethodName
    ranking_label: str = Field(alias="get_ranking_display")
    previous_id: int | None = Field(description="复评/答辩：上一轮的编号")
    advance_count: int | None = Field(description="从上一轮进入本轮的项目数")
    assignment_seed: int | None = Field(description="上次自动分配所用的随机种子")
    lot_seed: str = Field(description="答辩抽签种子")
    assignments: int = Field(alias="n_assignments", description="评审中的分配数（不含已回避）")
    submitted: int = Field(alias="n_submitted", description="已提交的评审数")


class RoundIn(Schema):
    name: Text(50) = Field(description="名称，例如：初评；留空则用类型名")
    kind: Literal[tuple(RoundKind.values)] = Field(
        RoundKind.INITIAL, description="initial 初评、second 复评、defence 答辩"
    )
    opens_on: date = Field(description="评分开始日期，须在第五阶段（评审认定）之内，例如 2025-03-10")
    closes_on: date = Field(description="评分截止日期，须在第五阶段之内且不早于开始日期")
    blind: bool = Field(True, description="盲评：专家看不到单位、姓名和联系方式")
    experts_per_project: int = Field(3, ge=1, le=15, description="每个项目评审专家数")
    max_per_expert: int = Field(30, ge=1, le=1000, description="每位专家最多评审项目数")
    previous: Id | None = Field(None, description="复评/答辩：上一轮的编号（同一活动）")
    advance_count: PositiveInt | None = Field(None, description="从上一轮进入本轮的项目数，例如 30")


class StageWindowOut(Schema):
    starts_on: date
    ends_on: date


class ExpertProgressOut(Schema):
    expert_id: int
    expert_name: str
    assigned: int
    drafts: int
    submitted: int
    behind: int = Field(description="尚未提交的评审数（催办对象）")


class BlindFlagOut(Schema):
    project_id: int
    project_name: str = Field(alias="project.name")
    attachment_id: int | None
    where: str = Field(description="位置，例如：附件“说明书.pdf”的正文")
    found: str = Field(description="发现的信息，例如：单位名称“示例机械有限公司”")


class RoundDetailOut(RoundAdminOut):
    criteria: list[CriterionOut]
    rubric_locked: bool = Field(description="已有专家评分：评分项和权重不能再修改")
    review_stage: StageWindowOut | None = Field(description="第五阶段（评审认定）的日期")
    progress: list[ExpertProgressOut] = Field(description="每位专家的进度，未提交多的在前")
    blind_flags: list[BlindFlagOut] = Field(description="上次盲评检查发现的可能泄露身份的信息")

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_blind_flags(obj) -> list:
        return list(obj.blind_flags.select_related("project"))


class CriterionIn(Schema):
    name: Text(30) = Field(description="评分项，例如：创新性")
    weight: Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=2, allow_inf_nan=False)] = Field(
        description="权重（%），例如 30"
    )
    max_score: Annotated[Decimal, Field(ge=1, max_digits=5, decimal_places=1, allow_inf_nan=False)] = Field(
        description="满分，例如 10"
    )


class RubricIn(Schema):
    criteria: Annotated[list[CriterionIn], Field(max_length=50)] = Field(description="全部评分项（整体替换）")


class AssignIn(Schema):
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = Field(
        None, description="随机种子：相同种子得到相同分配；留空沿用上次"
    )


class AssignOut(Schema):
    count: int = Field(description="新增的评审任务数")
    category_fit: int = Field(description="其中类别与专家擅长类别匹配的数")
    seed: int


class AssignmentAdminOut(Schema):
    id: int
    project_id: int
    expert_id: int
    expert_name: str = Field(alias="expert.display_name")
    status: Literal[tuple(AssignmentStatus.values)]
    status_label: str = Field(alias="get_status_display")
    manual: bool = Field(description="人工调整")
    decline_reason: str
    review_status: ReviewStatusName
    total: Decimal | None

    @staticmethod
    def resolve_review_status(obj) -> str:
        review = getattr(obj, "review", None)
        return "not_started" if review is None else ("submitted" if review.is_submitted else "draft")

    @staticmethod
    def resolve_total(obj) -> Decimal | None:
        review = getattr(obj, "review", None)
        return review.total if review is not None else None


class RoundProjectOut(Schema):
    project_id: int = Field(alias="pk")
    name: str
    unit: str = Field(alias="unit.name")
    category: str = Field(alias="category_display")
    assignments: list[AssignmentAdminOut]


class ManualAssignIn(Schema):
    project: Id = Field(description="项目编号（本轮评审范围内）")
    expert: Id = Field(description="专家的用户编号（见 GET /api/review-experts）")


class CountOut(Schema):
    count: int


class BlindCheckOut(Schema):
    count: int = Field(description="发现的可能泄露身份的信息数")
    flags: list[BlindFlagOut]


class BiasOut(Schema):
    expert_id: int
    expert_name: str
    mean: Decimal = Field(description="该专家评分的平均总分")
    offset: Decimal = Field(description="与全部总分平均值之差：正为偏宽，负为偏严")
    count: int


class RankingRowOut(Schema):
    position: int
    project_id: int
    project_name: str
    unit: str
    category: str
    raw: Decimal | None = Field(description="原始平均分")
    normalised: Decimal | None = Field(description="标准化得分")
    spread: Decimal | None = Field(description="专家间最高分与最低分之差")
    count: int = Field(description="已提交的评审数")
    disputed: bool = Field(description="分歧较大，需评审小组复议")
    panel_opinion: str | None = Field(description="竞赛评审小组意见（最近一条）")
    committee_opinion: str | None = Field(description="竞赛组委会意见（最近一条）")


class RankingOut(Schema):
    round_id: int
    ranking: RankingMethodName
    ranking_label: str
    rows: list[RankingRowOut]
    biases: list[BiasOut]


class RankingMethodIn(Schema):
    method: RankingMethodName = Field(description="raw 原始平均分；normalised 标准化得分")


class ReviewOpinionIn(Schema):
    step: Literal["panel", "committee"] = Field(description="panel 竞赛评审小组意见；committee 竞赛组委会意见")
    text: Text(2000) = Field(description="意见，例如：同意评为一等奖")


class ScheduleIn(Schema):
    seed: Text(64) = Field(description="公开抽签时现场公布的种子，例如 20250415")
    starts_at: datetime = Field(description="第一个答辩开始时间，例如 2025-04-15T09:00:00+08:00")
    minutes: int = Field(15, ge=1, le=240, description="每个项目时长（分钟）")


class SlotOut(Schema):
    order: int
    project_id: int
    project_name: str = Field(alias="project.name")
    unit: str = Field(alias="project.unit.name")
    starts_at: datetime
    minutes: int


class ScheduleOut(Schema):
    round_id: int
    seed: str
    slots: list[SlotOut]


class DuplicateOut(Schema):
    id: int
    project_id: int
    project_name: str = Field(alias="project.name")
    unit: str = Field(alias="project.unit.name")
    other_id: int
    other_name: str = Field(alias="other.name")
    other_unit: str = Field(alias="other.unit.name")
    other_campaign: str = Field(alias="other.campaign.title")
    similarity: Decimal
    decision: Literal[tuple(Decision.values)]
    decision_label: str = Field(alias="get_decision_display")
    note: str
    decided_by: str | None
    decided_at: datetime | None

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return obj.decided_by.display_name if obj.decided_by_id else None


class DuplicateDecisionIn(Schema):
    decision: Literal[Decision.DUPLICATE.value, Decision.DISTINCT.value] = Field(
        description="duplicate 认定重复；distinct 不重复"
    )
    note: Text(200) = Field("", description="说明，例如：与2023年项目为同一成果的改进版")


class ExpertOut(Schema):
    user_id: int
    name: str = Field(alias="user.display_name")
    employer: str
    title: str
    categories: list[str]
    is_active: bool
    declared_organisations: list[int]

    @staticmethod
    def resolve_declared_organisations(obj) -> list[int]:
        return [o.pk for o in obj.declared_organisations.all()]


# --- the unit's 立项/攻关/评比 actions and the applicant's attachments ----------------------


class LevelIn(Schema):
    level: LevelName = Field(description="key 重点项目；general 一般项目")
    reason: Text(2000) = Field(description="变更原因，例如：项目范围缩小，改为一般项目")


class ResourcesIn(Schema):
    funding: Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2, allow_inf_nan=False)] = Field(
        description="配给经费（万元），例如 3.50"
    )
    equipment: Text(2000) = Field("", description="配给设备，例如：三坐标测量仪使用权")


class ResourcesOut(Schema):
    funding: Decimal
    equipment: str


class PersonOut(Schema):
    user_id: int = Field(alias="pk")
    name: str = Field(alias="display_name")


class AdvisorIn(Schema):
    advisor: Id = Field(description="技术顾问的用户编号（见 …/advisor-candidates）")


class UrgeIn(Schema):
    note: Text(200) = Field("", description="附言，例如：请于本周内补记 8 月份的工作记录")


class EvaluationIn(Schema):
    score: Annotated[Decimal, Field(max_digits=5, decimal_places=2, allow_inf_nan=False)] | None = Field(
        None, description="内部评比得分 0–100（可不填）"
    )
    self_grade: Literal[tuple(SelfGrade.values)] = Field(
        description="自评等级：A（特等奖/一等奖）、B（二等奖）、C（三等奖）"
    )


class EvaluationOut(Schema):
    project_id: int = Field(alias="pk")
    internal_score: Decimal | None
    self_grade: str
    version: int


class RouteIn(Schema):
    entry_route: Literal[tuple(EntryRoute.values)] = Field(description="申报途径")
    version: Id | None = Field(None, description="上次读到的版本号；已被他人修改时答 409")


class MemberLinkIn(Schema):
    mobile: Text(20) = Field(description="该成员在本单位注册时的手机号码，例如 13977200002")


class MemberInviteIn(Schema):
    mobile: Text(20) = Field("", description="手机号码（与电子邮箱至少填一项）")
    email: Text(254) = Field("", description="电子邮箱")


class InvitationLinkOut(Schema):
    link: str = Field(description="邀请链接（只显示这一次，可转发给对方）")


class DirectionIn(Schema):
    title: Text(100) = Field(description="方向，例如：数控加工工序的降本增效")
    description: Text(2000) = Field("", description="说明，例如：围绕主轴箱加工，减少换刀时间")
    order: int = Field(0, ge=0, le=32767, description="排序")


class DirectionOut(Schema):
    id: int
    title: str
    description: str
    order: int
    published: bool
    published_at: datetime | None


class StageExtensionIn(Schema):
    stage: Literal[tuple(StageKind.values)] = Field(
        description="阶段（kind，见 GET /api/campaigns/{id} 的 stages），例如 collection"
    )
    organisation: Id = Field(description="组织编号：延期对该组织及其下级组织有效")
    until: date = Field(description="延长至，须晚于该阶段原定结束日期，例如 2025-03-07")
    reason: Text(1000) = Field(description="原因，例如：该单位因生产检修，申请延长一周")


class StageExtensionOut(Schema):
    id: int
    stage: str = Field(alias="stage.kind")
    stage_label: str = Field(alias="stage.get_kind_display")
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    until: date
    reason: str
    granted_by: str = Field(alias="granted_by.display_name")
    created_at: datetime


class SalonOut(Schema):
    id: int
    campaign_id: int
    topic: str
    starts_at: datetime
    place: str
    speakers: str
    description: str
    capacity: int
    signup_deadline: datetime


class SalonIn(Schema):
    """The console's 沙龙 form (console.salons.SalonForm), which checks it; the whole salon."""

    topic: Text(100) = Field(description="主题，例如：数控加工中的降本增效小窍门")
    starts_at: datetime = Field(description="开始时间，例如：2025-05-20T14:30:00+08:00")
    place: Text(100) = Field(description="地点，例如：柳州市青少年活动中心三楼报告厅")
    speakers: Text(2000) = Field("", description="主讲嘉宾/专家，每行一位，例如：潘立新（高级工程师）")
    description: Text(5000) = Field("", description="简介")
    capacity: int = Field(ge=1, le=100_000, description="名额，例如：60")
    signup_deadline: datetime = Field(description="报名截止时间，不晚于开始时间，例如：2025-05-18T18:00:00+08:00")


class SalonDetailOut(SalonOut):
    notes: str = Field(description="活动纪要（活动结束后由组委会填写）")
    photos: list[str] = Field(description="活动照片的说明（上传时的文件名）")

    @staticmethod
    def resolve_photos(obj) -> list[str]:
        return [photo.caption for photo in obj.photos.order_by("pk")]


class PublicEntryIn(Schema):
    """成果发布 of one forwarded project (the console's publication_edit page)."""

    visible: bool = Field(description="公开展示（奖项结果锁定或发布后才能公开）")
    summary: Text(5000) = Field("", description="组委会审定的公开简介，不改动申报表")
    show_team: bool = Field(True, description="公开团队成员姓名")
    show_benefit: bool = Field(False, description="公开创造效益")
    images: Annotated[list[Id], Field(max_length=50)] = Field(
        [], description="公开图片：本项目附件中图片的编号（GET …/attachments 的 id）"
    )


class PublicEntryOut(Schema):
    project_id: int
    visible: bool
    summary: str
    show_team: bool
    show_benefit: bool
    images: list[int] = Field(description="公开图片（附件编号）")
    updated_at: datetime

    @staticmethod
    def resolve_images(obj) -> list[int]:
        return sorted(obj.images.values_list("pk", flat=True))


class SignupOut(Schema):
    salon_id: int
    status: Literal[tuple(SignupStatus.values)]
    status_label: str = Field(alias="get_status_display", description="已报名、候补或已取消")


class InvitationIn(Schema):
    role: Literal[tuple(Role.values)] = Field(description="角色，例如 applicant 申报人、advisor 技术顾问")
    real_name: Text(50) = Field(description="姓名，例如：韦小敏")
    mobile: Text(11) = Field("", description="手机号码（选填），例如 13877212345")
    email: Text(254) = Field("", description="电子邮箱（选填；填写后系统会把邀请链接发到该邮箱）")


class InvitationOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    role: Literal[tuple(Role.values)]
    role_label: str = Field(alias="get_role_display")
    real_name: str
    mobile: str = Field(description="已打码")
    email: str
    status: str = Field(description="待接受、已接受、已撤销或已过期")
    created_at: datetime
    expires_at: datetime

    @staticmethod
    def resolve_mobile(obj) -> str:
        return mask_phone(obj.mobile) if obj.mobile else ""


class InvitationCreatedOut(InvitationOut):
    link: str = Field(description="邀请链接（只显示这一次，可转发给对方）")


class HeadcountIn(Schema):
    campaign: Id = Field(description="竞赛活动编号")
    young_workers: int = Field(ge=0, le=10_000_000, description="35岁以下青工人数，例如 230；上报名额按此计算")


class HeadcountOut(Schema):
    campaign_id: int
    organisation_id: int
    young_workers: int
    quota: int = Field(description="上报名额")


class MemberRoleOut(Schema):
    id: int
    user_id: int
    user_name: str = Field(alias="user.display_name")
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    role: Literal[tuple(Role.values)]
    role_label: str = Field(alias="get_role_display")


class ActiveIn(Schema):
    active: bool = Field(description="true 启用；false 停用（其下级组织须先停用）")


class OrganisationIn(Schema):
    """The console's 新建组织 form (console.forms.OrganisationForm), which checks it."""

    name: Text(100) = Field(description="名称，例如：柳州示例机械有限公司团委")
    kind: Literal[tuple(OrgKind.values)] = Field(description="类型：县区/系统团组织（仅组委会办公室）或一种基层单位")
    parent: Id = Field(description="上级组织编号（组委会或县区/系统团组织）")
    credit_code: Text(30) = Field("", description="统一社会信用代码（18 位，可不填），例如：91450200MA5L7XXXX0")
    contact_name: Text(50) = Field("", description="联系人，例如：莫飘")
    contact_phone: Text(30) = Field("", description="联系电话，例如：0772-2827423")
    allow_parent_forwarding: bool = Field(False, description="允许上级组织代为上报")


class OrganisationPatchIn(Schema):
    """The console's 编辑组织 form: only the fields given change. Kind and parent are the
    level above's to change."""

    name: Text(100) | None = Field(None, description="名称")
    kind: Literal[tuple(OrgKind.values)] | None = Field(None, description="类型（由上级组织管理员调整）")
    parent: Id | None = Field(None, description="上级组织编号（由上级组织管理员调整）")
    credit_code: Text(30) | None = Field(None, description="统一社会信用代码")
    contact_name: Text(50) | None = Field(None, description="联系人")
    contact_phone: Text(30) | None = Field(None, description="联系电话")
    allow_parent_forwarding: bool | None = Field(None, description="允许上级组织代为上报")


class ExpertProfileIn(Schema):
    employer: Text(100) = Field("", description="工作单位，例如：柳州职业技术学院机电工程学院")
    title: Text(50) = Field("", description="职称/职务，例如：高级工程师")
    categories: Annotated[list[Text(30)], Field(max_length=30)] = Field(
        [], description="擅长类别（本届活动的项目类别），例如：机械、电子"
    )
    is_active: bool = Field(True, description="可参加评审")
    declared_organisations: Annotated[list[Id], Field(max_length=200)] = Field(
        [], description="声明回避的单位编号（含其下级）"
    )
