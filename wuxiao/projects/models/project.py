"""The project itself: the 申报表 (附件2 of the notice), its team and its attachments."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from wuxiao.lib.dates import age_on
from wuxiao.people.models import Education, Gender
from wuxiao.projects.states import ProjectState


class EntryRoute(models.TextChoices):
    REGISTRATION = "registration", "立项阶段申报"
    DIRECT = "direct", "成果收集阶段直接申报"


class ProjectLevel(models.TextChoices):
    KEY = "key", "重点项目"
    GENERAL = "general", "一般项目"


class SelfGrade(models.TextChoices):
    """自评等级 of the 汇总表: 特等奖和一等奖标示为“A”，二等奖“B”，三等奖“C”."""

    A = "A", "A（特等奖/一等奖）"
    B = "B", "B（二等奖）"
    C = "C", "C（三等奖）"


# What the long lists filter on besides their order (scope, state, the FilterSet's fields):
# their indexes carry these columns so a page's ids never read the wide rows.
LIST_COLUMNS = ["campaign", "unit", "state", "leader", "category", "level"]


class Project(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="projects", verbose_name="竞赛活动"
    )
    unit = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, related_name="projects", verbose_name="单位名称"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_projects", verbose_name="项目负责人"
    )
    state = models.CharField(
        "状态", max_length=24, choices=ProjectState.choices, default=ProjectState.DRAFT, db_index=True
    )
    entry_route = models.CharField(
        "申报途径", max_length=16, choices=EntryRoute.choices, default=EntryRoute.REGISTRATION
    )
    version = models.PositiveIntegerField("版本号", default=1, help_text="每次保存加 1，用于发现并发修改")

    name = models.CharField("项目名称", max_length=100, blank=True, help_text="例如：数控车床自动送料装置的改进")
    economic_benefit = models.DecimalField(
        "经济效益（万元）", max_digits=12, decimal_places=2, null=True, blank=True, help_text="例如：12.50"
    )
    start_date = models.DateField("项目开始时间", null=True, blank=True)
    end_date = models.DateField("项目结束时间", null=True, blank=True)
    patent_eligible = models.BooleanField("是否符合专利申报", null=True, blank=True)
    patent_filed = models.BooleanField("是否已经申报专利", null=True, blank=True)
    patent_willing = models.BooleanField("是否愿意申报专利", null=True, blank=True)
    category = models.CharField(
        "项目类别", max_length=20, blank=True, help_text="机械、化工、电子、通信、建设、医药、仪器、其他"
    )
    category_other = models.CharField("其他类别说明", max_length=50, blank=True, help_text="选“其他”时填写，例如：环保")
    achievement_form = models.CharField(
        "成果形式", max_length=20, blank=True, help_text="小发明、小革新、小改造、小设计、小建议"
    )
    content_direction = models.PositiveSmallIntegerField(
        "申报内容方向", null=True, blank=True, help_text="通知第五部分（二）五类内容之一，1–5"
    )
    reason = models.TextField("立项理由", blank=True)
    content = models.TextField("立项内容", blank=True)
    measures = models.TextField("立项措施", blank=True)
    benefits = models.TextField("立项效益", blank=True)
    result_description = models.TextField(
        "成果说明",
        blank=True,
        help_text="提交成果时填写：成果的内容、实际应用和效果，例如：送料装置已在 3 号线使用半年，单班产量提高 15%",
    )

    # 项目负责人 as printed on the form, prefilled from the leader's profile.
    leader_name = models.CharField("负责人姓名", max_length=50, blank=True)
    leader_gender = models.CharField("负责人性别", max_length=1, choices=Gender.choices, blank=True)
    leader_birth_date = models.DateField("负责人出生日期", null=True, blank=True)
    leader_education = models.CharField("负责人文化程度", max_length=16, choices=Education.choices, blank=True)
    leader_phone = models.CharField("负责人联系方式", max_length=20, blank=True, help_text="例如：13877212345")

    is_large_research_project = models.BooleanField(
        "已确立为单位大型科研攻关项目",
        null=True,
        blank=True,
        help_text="已经确立为单位大型科研攻关项目的不作为“五小”项目",
    )
    commitment_name = models.CharField(
        "承诺人签名", max_length=50, blank=True, help_text="输入项目负责人姓名以确认承诺"
    )
    commitment_at = models.DateTimeField("承诺时间", null=True, blank=True)

    # Unit workflow
    level = models.CharField("项目分类", max_length=8, choices=ProjectLevel.choices, blank=True)
    self_grade = models.CharField("自评等级", max_length=1, choices=SelfGrade.choices, blank=True)
    internal_score = models.DecimalField("单位内部评比得分", max_digits=5, decimal_places=2, null=True, blank=True)
    forwarded_at = models.DateTimeField("上报时间", null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="上报人",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "unit", "state"]),
            models.Index(fields=["leader", "campaign"]),
            # The console project lists' order, and the committee's counts by state.
            models.Index(fields=["-submitted_at", "-id"], name="project_submitted_idx"),
            models.Index(fields=["unit", "-submitted_at", "-id"], name="project_unit_submitted_idx"),
            # (covering the rest of LIST_COLUMNS: a list filtered by state counts from it alone)
            models.Index(
                fields=["campaign", "state"],
                name="project_campaign_state_idx",
                include=["unit", "leader", "category", "level"],
            ),
            # The API's lists filtered by state (and category) without a campaign: their count
            # reads the matching entries only, not the whole (campaign, state) index.
            models.Index(
                fields=["state", "category"],
                name="project_state_category_idx",
                include=["campaign", "unit", "leader", "level"],
            ),
            # The API's default order (newest change first: what a syncing client asks for),
            # covering what its scopes and filters read, so a page's ids (even at an OFFSET of
            # 10,000) are an index-only scan (`include` is PostgreSQL's; ignored by SQLite).
            models.Index(fields=["-updated_at", "-id"], name="project_updated_idx", include=LIST_COLUMNS),
            # PostgreSQL also has, made by migrations 0009 and 0014 only there (SQLite cannot
            # declare NULLS LAST in an index), covering LIST_COLUMNS the same way:
            # project_campaign_recent_idx (campaign, submitted_at DESC NULLS LAST, id DESC),
            # the console lists; project_unit_recent_idx (unit, submitted_at DESC NULLS LAST, id DESC), one
            # unit's; project_recent_idx (submitted_at DESC NULLS LAST, id DESC), the API's;
            # project_forwardable_idx (unit, campaign, state, level, internal_score DESC NULLS
            # LAST, submitted_at DESC, id DESC), 单位上报's candidates in their order (0016).
            # The statistics cube (wuxiao/stats/queries.py) as an index-only scan: every column
            # it groups, sums or joins on, so PostgreSQL never reads the wide project rows.
            models.Index(
                fields=["campaign", "unit", "state", "category", "achievement_form", "economic_benefit", "id"],
                name="project_stats_cube_idx",
            ),
            # The newest edit of a sent-back or withdrawn project of a campaign (part of the
            # statistics cache's version, stats/queries.py counts_version): one index probe.
            models.Index(
                fields=["campaign", "updated_at"],
                condition=Q(state__in=["returned", "withdrawn"]),
                name="project_editable_updated_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(economic_benefit__isnull=True) | Q(economic_benefit__gte=0),
                name="project_benefit_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_dates_order",
            ),
        ]

    def __str__(self):
        return self.name or f"未命名项目 #{self.pk}"

    @property
    def leader_age(self) -> int | None:
        """Full years on the campaign's reference date, derived from the birth date."""
        return age_on(self.leader_birth_date, self.campaign.reference_date) if self.leader_birth_date else None

    @property
    def is_editable(self) -> bool:
        return self.state in ProjectState.EDITABLE

    @property
    def content_direction_text(self) -> str:
        directions = self.campaign.content_directions
        if self.content_direction and 1 <= self.content_direction <= len(directions):
            return directions[self.content_direction - 1]
        return ""

    @property
    def result_evidence(self) -> list:
        """The 成果证明材料 (StoredFile) of the result submission, oldest first; prefetched by
        queries.project_page_data."""
        prefetched = getattr(self, "prefetched_evidence", None)
        if prefetched is not None:
            return prefetched
        return list(self.stored_files.filter(purpose="result_evidence").order_by("uploaded_at", "id"))

    @property
    def category_display(self) -> str:
        return f"其他（{self.category_other}）" if self.category == "其他" and self.category_other else self.category


class TeamMember(models.Model):
    """主要研究人员组成: a row of the team table; the leader is not repeated here."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期", help_text="例如：1998-03-12；年龄由此计算")
    education = models.CharField("文化程度", max_length=16, choices=Education.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
        verbose_name="平台账号",
        help_text="关联后该成员可查看本项目",
    )
    invitation = models.ForeignKey(
        "people.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="邀请",
        help_text="负责人邀请该成员注册；接受后自动关联账号",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "主要研究人员"
        verbose_name_plural = "主要研究人员"
        ordering = ["project_id", "order", "id"]

    def __str__(self):
        return self.name

    @property
    def age(self) -> int:
        return age_on(self.birth_date, self.project.campaign.reference_date)


class Attachment(models.Model):
    """A file attached to the 申报表 (可另附纸); the file itself is a StoredFile."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    stored = models.OneToOneField("projects.StoredFile", on_delete=models.CASCADE, related_name="attachment")

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["project_id", "id"]

    def __str__(self):
        return self.stored.name

    # What readers of an attachment use, from its stored file.
    file = property(lambda self: self.stored.file)
    original_name = property(lambda self: self.stored.name)
    content_type = property(lambda self: self.stored.content_type)
    size = property(lambda self: self.stored.size)
    uploaded_at = property(lambda self: self.stored.uploaded_at)
