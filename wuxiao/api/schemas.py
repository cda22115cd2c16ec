"""Input and output shapes of the API. Inputs (…In) only parse; the rules and their
messages stay in the services. Outputs (…Out) say what a caller may see: phone numbers are
masked for people who do not need them, as on the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from wuxiao.lib.phones import mask_phone
from wuxiao.people.models import Education, Gender, OrgKind, Role
from wuxiao.projects.models import EntryRoute, ProjectLevel, SelfGrade
from wuxiao.projects.permissions import is_unit_admin_for
from wuxiao.projects.states import ProjectState

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
ORDERINGS = {
    "-updated_at": ("-updated_at", "-id"),
    "updated_at": ("updated_at", "id"),
    "-submitted_at": ("-submitted_at", "-id"),
    "submitted_at": ("submitted_at", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "id": ("id",),
    "-id": ("-id",),
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
