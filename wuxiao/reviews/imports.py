"""Importing the expert pool (专家库) from an Excel sheet (.xlsx), for the committee office.

Built on the unit import's machinery (wuxiao.campaigns.imports: the file checks, the header,
RowError, the template's example row): `preview_experts` checks every row and says what each
would do, writing nothing; `import_experts` checks the same rows again and writes them all in
one transaction, or nothing if any row has a problem. An expert is found by mobile number:
importing the same file twice updates the profiles instead of creating people twice.

A new expert gets an account (user name = mobile number, no password yet), the 评审专家 role
in the committee's organisation and a profile, so the assignment can use them at once.
"""

import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from wuxiao.audit.services import record
from wuxiao.campaigns.imports import EXAMPLE_MARK, RowError, _text, read_table
from wuxiao.lib.phones import is_mobile, normalise_phone
from wuxiao.lib.spreadsheets import append_row
from wuxiao.people.models import UNIT_KINDS, Membership, Organisation, OrgKind, Role
from wuxiao.people.permissions import admin_organisations, is_committee_admin
from wuxiao.reviews.models import ExpertProfile

MAX_ROWS = 1000

NAME, MOBILE, EMPLOYER, TITLE, CATEGORIES, CONFLICTS, EMAIL, ACTIVE = (
    "姓名",
    "手机号",
    "工作单位",
    "职称/职务",
    "擅长类别",
    "回避单位",
    "电子邮箱",
    "可参加评审",
)
COLUMNS = (NAME, MOBILE, EMPLOYER, TITLE, CATEGORIES, CONFLICTS, EMAIL, ACTIVE)
OPTIONAL_COLUMNS = frozenset({TITLE, CONFLICTS, EMAIL, ACTIVE})
TEMPLATE_FILENAME = "专家库导入模板.xlsx"
_SPLIT = re.compile(r"[、，,；;/\s]+")
YES, NO = ("是", "可", "可以", "1", "y", "yes", "true"), ("否", "不", "暂停", "0", "n", "no", "false")


class Action:
    CREATE = "新建"
    UPDATE = "更新"
    UNCHANGED = "未变化"


@dataclass
class ExpertRow:
    number: int
    name: str
    mobile: str
    employer: str
    title: str
    categories: list[str]
    conflicts: list[Organisation]
    email: str
    is_active: bool
    user: object | None = None  # the account with this mobile, if there is one
    action: str = Action.CREATE

    @property
    def conflict_names(self) -> str:
        return "、".join(o.name for o in self.conflicts)


@dataclass
class ExpertPreview:
    errors: list[RowError] = field(default_factory=list)
    rows: list[ExpertRow] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # row numbers of the template's example
    cells: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # to confirm with
    token: str = ""  # the console's confirmation token for these cells

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self.count(Action.CREATE)

    @property
    def updated(self) -> int:
        return self.count(Action.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(Action.UNCHANGED)


def _require_committee(by) -> None:
    if not is_committee_admin(by):
        raise PermissionDenied("只有组委会办公室可以导入专家库")


def _categories() -> list[str]:
    from wuxiao.campaigns.models import Campaign

    campaign = Campaign.objects.current()
    return list(campaign.categories) if campaign else []


def _profile_fields(profile: ExpertProfile | None) -> tuple:
    if profile is None:
        return ()
    return (
        profile.employer,
        profile.title,
        list(profile.categories or []),
        profile.is_active,
        sorted(profile.declared_organisations.values_list("pk", flat=True)),
    )


def _check(cells: list[tuple[int, dict[str, str]]]) -> tuple[list[ExpertRow], list[RowError], list[int]]:
    """Check every row against the rules and the database; returns the good rows, every
    problem (by row and rule) and the row numbers of the template's example."""
    allowed = _categories()
    mobiles = {normalise_phone(_text(v.get(MOBILE))) for _, v in cells}
    users = {u.mobile: u for u in get_user_model().objects.filter(mobile__in=mobiles).select_related("expert_profile")}
    taken_usernames = set(get_user_model().objects.filter(username__in=mobiles).values_list("username", flat=True))
    orgs: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(kind__in=UNIT_KINDS):
        orgs.setdefault(org.name, []).append(org)
    experts = set(
        Membership.objects.filter(role=Role.EXPERT, user__mobile__in=mobiles).values_list("user_id", flat=True)
    )

    rows, errors, skipped = [], [], []
    seen: dict[str, int] = {}
    for number, values in cells:
        if _text(values.get(NAME)).startswith(EXAMPLE_MARK):
            skipped.append(number)
            continue
        problems: list[str] = []
        bad = problems.append

        name = _text(values.get(NAME))
        if not name:
            bad("“姓名”不能为空")
        elif len(name) > 50:
            bad(f"姓名长度为 {len(name)} 个字，超过 50 字上限")

        raw_mobile = _text(values.get(MOBILE))
        mobile = normalise_phone(raw_mobile)
        if not mobile:
            bad("“手机号”不能为空，专家以手机号识别和登录")
        elif not mobile.isdigit():
            bad(f"手机号 {raw_mobile} 只能由数字组成")
        elif len(mobile) != 11:
            bad(f"手机号 {raw_mobile} 不是 11 位")
        elif not is_mobile(mobile):
            bad(f"手机号 {raw_mobile} 格式不正确：应为 1 开头、第二位 3–9 的 11 位数字")
        elif mobile in seen:
            bad(f"手机号 {mobile} 与第 {seen[mobile]} 行重复")
        if mobile:
            seen.setdefault(mobile, number)

        employer = _text(values.get(EMPLOYER))
        if not employer:
            bad("“工作单位”不能为空")
        elif len(employer) > 100:
            bad(f"工作单位长度为 {len(employer)} 个字，超过 100 字上限")

        title = _text(values.get(TITLE))
        if len(title) > 50:
            bad(f"职称/职务长度为 {len(title)} 个字，超过 50 字上限")

        categories = [c for c in _SPLIT.split(_text(values.get(CATEGORIES))) if c]
        if not categories:
            bad(f"“擅长类别”不能为空，应为以下一项或多项（用顿号分隔）：{'、'.join(allowed)}")
        else:
            unknown = [c for c in categories if c not in allowed]
            if unknown:
                bad(f"擅长类别“{'、'.join(unknown)}”无效，应为：{'、'.join(allowed)}")
            categories = list(dict.fromkeys(categories))

        conflicts = []
        for org_name in dict.fromkeys(c for c in _SPLIT.split(_text(values.get(CONFLICTS))) if c):
            found = orgs.get(org_name, [])
            if not found:
                bad(f"回避单位“{org_name}”不存在：应填写平台中已有单位的全称")
            elif len(found) > 1:
                bad(f"回避单位“{org_name}”有 {len(found)} 个同名单位，无法确定，请在专家资料页中手工选择")
            else:
                conflicts.append(found[0])

        email = _text(values.get(EMAIL))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                bad(f"电子邮箱“{email}”格式不正确，例如 expert@example.com")

        active_text = _text(values.get(ACTIVE)).lower()
        if not active_text or active_text in YES:
            is_active = True
        elif active_text in NO:
            is_active = False
        else:
            bad(f"可参加评审“{_text(values.get(ACTIVE))}”无效，应为“是”或“否”（不填为“是”）")
            is_active = True

        user = users.get(mobile)
        if user is not None and name and user.real_name and user.real_name != name:
            bad(f"手机号 {mobile} 已属于平台用户“{user.real_name}”，与本行姓名“{name}”不一致，请核对")
        if user is None and mobile in taken_usernames:
            bad(f"用户名 {mobile} 已被其他账号使用，请先在平台中核对该账号的手机号")

        if problems:
            errors.extend(RowError(number, p) for p in problems)
            continue
        row = ExpertRow(number, name, mobile, employer, title, categories, conflicts, email, is_active, user)
        if user is not None:
            profile = ExpertProfile.objects.filter(user=user).first()
            wanted = (employer, title, categories, is_active, sorted(o.pk for o in conflicts))
            same = user.pk in experts and _profile_fields(profile) == wanted and (not email or user.email == email)
            row.action = Action.UNCHANGED if same else Action.UPDATE
        rows.append(row)
    return rows, errors, skipped


def preview_experts(*, file, by) -> ExpertPreview:
    """What importing this file would do, row by row, and every problem; writes nothing."""
    _require_committee(by)
    cells, errors = read_table(file, columns=COLUMNS, optional=OPTIONAL_COLUMNS, noun="专家", max_rows=MAX_ROWS)
    if errors:
        return ExpertPreview(errors=errors)
    rows, errors, skipped = _check(cells)
    if not rows and not errors:
        where = "从第 3 行起每行填写一位专家（模板的示例行不会导入）" if skipped else "从第 2 行起每行填写一位专家"
        errors = [RowError(None, f"文件中没有专家数据：{where}")]
    plain = [(n, {k: _text(v) for k, v in values.items()}) for n, values in cells]
    return ExpertPreview(errors=errors, rows=rows, skipped=skipped, cells=plain)


def _committee_org(by) -> Organisation:
    return next(o for o in admin_organisations(by) if o.kind == OrgKind.COMMITTEE)


def _write(row: ExpertRow, *, by, committee: Organisation) -> None:
    User = get_user_model()
    user = row.user
    if user is None:
        user = User(username=row.mobile, real_name=row.name, mobile=row.mobile, email=row.email)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    else:
        changed = []
        if not user.real_name:
            user.real_name = row.name
            changed.append("real_name")
        if row.email and user.email != row.email:
            user.email = row.email
            changed.append("email")
        if changed:
            user.save(update_fields=changed)
    if not Membership.objects.filter(user=user, role=Role.EXPERT).exists():
        Membership.objects.create(user=user, organisation=committee, role=Role.EXPERT)
    profile = ExpertProfile.objects.filter(user=user).first() or ExpertProfile(user=user)
    profile.employer, profile.title, profile.categories = row.employer, row.title, row.categories
    profile.is_active = row.is_active
    profile.full_clean(exclude=["user", "declared_organisations", "declared_people"])
    profile.save()
    profile.declared_organisations.set(row.conflicts)


def import_experts(*, cells: list[tuple[int, dict[str, str]]], by, file_name: str = "") -> ExpertPreview:
    """Write the rows a preview showed (its `cells`), checked again: all in one transaction,
    nothing if any row has a problem now (e.g. a mobile taken since the preview)."""
    _require_committee(by)
    cells = [(int(n), dict(v)) for n, v in cells]
    rows, errors, skipped = _check(cells)
    if errors or not rows:
        return ExpertPreview(errors=errors or [RowError(None, "文件中没有专家数据")], skipped=skipped)
    committee = _committee_org(by)
    try:
        with transaction.atomic():
            for row in rows:
                if row.action == Action.UNCHANGED:
                    continue
                try:
                    with transaction.atomic():
                        _write(row, by=by, committee=committee)
                except (ValidationError, IntegrityError) as exc:
                    reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else "与已有数据冲突，请重试"
                    raise _Rollback(RowError(row.number, reason)) from exc
            result = ExpertPreview(rows=rows, skipped=skipped)
            record(
                by=by,
                action="experts.import",
                target=committee,
                after={
                    "file": file_name,
                    "rows": len(rows),
                    "created": result.count(Action.CREATE),
                    "updated": result.count(Action.UPDATE),
                    "unchanged": result.count(Action.UNCHANGED),
                    "skipped": len(skipped),
                    "mobiles": [r.mobile for r in rows if r.action != Action.UNCHANGED][:200],
                },
            )
    except _Rollback as rollback:
        return ExpertPreview(errors=[rollback.error])
    return result


class _Rollback(Exception):
    def __init__(self, error: RowError):
        self.error = error


def template_workbook() -> bytes:
    """The expert import template: header, one example row (skipped) and instructions."""
    allowed = _categories()
    wb = Workbook()
    ws = wb.active
    ws.title = "专家"
    append_row(ws, COLUMNS)
    append_row(
        ws,
        [
            EXAMPLE_MARK + "覃志明",
            "13877210000",
            "柳州职业技术学院机电工程学院",
            "高级工程师",
            "机械、电子",
            "",
            "qinzm@example.com",
            "是",
        ],
    )
    for column, width in zip("ABCDEFGH", (26, 16, 32, 14, 18, 32, 24, 12), strict=True):
        ws.column_dimensions[column].width = width
    active = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    active.add("H2:H2000")
    ws.add_data_validation(active)
    ws.freeze_panes = "A2"
    ws.column_dimensions["B"].number_format = "@"  # mobiles are text, so Excel keeps every digit

    notes = wb.create_sheet("填写说明")
    for line in (
        ("列", "说明"),
        (NAME, "必填，不超过 50 字"),
        (MOBILE, "必填，11 位手机号码；专家以手机号识别，已在专家库中的手机号会更新其资料而不重复创建"),
        (EMPLOYER, "必填，例如：柳州职业技术学院机电工程学院"),
        (TITLE, "选填，例如：高级工程师"),
        (CATEGORIES, f"必填，一项或多项，用顿号分隔：{'、'.join(allowed)}"),
        (CONFLICTS, "选填，专家声明存在利益关系的单位全称，多个用顿号分隔；须是平台中已有的单位"),
        (EMAIL, "选填"),
        (ACTIVE, "选填，“是”或“否”，不填为“是”"),
        ("示例行", f"第 2 行是示例，姓名以“{EXAMPLE_MARK}”开头，导入时跳过；请从第 3 行起填写（也可删除示例行）"),
        ("导入前预览", "上传后先列出每行将新建、更新或未变化，以及每行的问题；确认后才写入"),
        ("出错时", "任何一行有误，整个文件都不导入；请按提示的行号修改后重新上传"),
    ):
        append_row(notes, line)
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -------------------------------------------------------------------------------------
# Signing in for the first time. An imported expert has an account without a password; the
# committee makes a one-time link (Django's password-reset token: it stops working once a
# password is set, and after PASSWORD_RESET_TIMEOUT) on which the expert chooses one.


def needs_activation(user) -> bool:
    return not user.has_usable_password()


def activation_link(*, by, expert, base_url: str | None = None) -> str:
    """The expert's one-time 设置密码 link, e-mailed to them if they have an address and
    returned to the committee to pass on (shown once)."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from wuxiao.notifications.services import send_email_only

    _require_committee(by)
    if not Membership.objects.filter(user=expert, role=Role.EXPERT).exists():
        raise ValidationError(f"“{expert.display_name}”不是评审专家")
    if not needs_activation(expert):
        raise ValidationError(f"专家“{expert.display_name}”已设置密码，可直接用手机号登录")
    uid = urlsafe_base64_encode(force_bytes(expert.pk))
    token = default_token_generator.make_token(expert)
    link = f"{base_url or settings.SITE_URL}{reverse('portal:expert_activate', args=[uid, token])}"
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    record(by=by, action="experts.activation_link", target=expert, after={"expert": expert.pk})
    if expert.email:
        send_email_only(
            to=expert.email,
            title="请设置五小竞赛平台的登录密码",
            body=(
                f"{expert.display_name}：您好！组委会办公室已将您加入评审专家库。\n"
                f"请在 {days} 天内打开以下链接设置密码（链接只能使用一次），之后可用手机号 {expert.mobile} 登录：\n{link}"
            ),
        )
    return link


def expert_for_activation(uidb64: str, token: str):
    """The expert a 设置密码 link opens, or a ValidationError that says why not."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        pk = None
    user = get_user_model().objects.filter(pk=pk, memberships__role=Role.EXPERT).first() if pk else None
    if user is None or not default_token_generator.check_token(user, token):
        raise ValidationError("链接无效、已使用或已过期，请联系组委会办公室重新生成")
    if not needs_activation(user):
        raise ValidationError("您已设置过密码，请直接用手机号登录")
    return user
