"""Projects (申报, 附件2 of the notice), their teams, attachments, history and opinions.

The state machine lives in `states.py`; every change of `state` goes through
`services.transition`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from wuxiao.lib.dates import age_on
from wuxiao.people.models import Education, Gender
from wuxiao.projects.states import EDITABLE_STATES, ProjectState


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
            models.Index(fields=["campaign", "state"], name="project_campaign_state_idx"),
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
        return self.state in EDITABLE_STATES

    @property
    def content_direction_text(self) -> str:
        directions = self.campaign.content_directions
        if self.content_direction and 1 <= self.content_direction <= len(directions):
            return directions[self.content_direction - 1]
        return ""

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
        ordering = ["project", "order", "id"]

    def __str__(self):
        return self.name

    @property
    def age(self) -> int:
        return age_on(self.birth_date, self.project.campaign.reference_date)


class Attachment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="attachments/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["project", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class ProjectEvent(models.Model):
    """The status timeline: who did what when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField("原状态", max_length=24, choices=ProjectState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=24, choices=ProjectState.choices)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "项目动态"
        verbose_name_plural = "项目动态"
        ordering = ["project", "at", "id"]

    def __str__(self):
        return f"{self.project} → {self.get_to_state_display()}"


class ProjectVersion(models.Model):
    """A frozen copy of the 申报表 as it was submitted; every submission keeps one."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("第几次提交")
    data = models.JSONField("申报内容")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报版本"
        verbose_name_plural = "申报版本"
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="project_version_unique")]

    def __str__(self):
        return f"{self.project} 第{self.number}次提交"


class OpinionStep(models.TextChoices):
    """The five opinion boxes of 附件2, in order."""

    WORKSHOP = "workshop", "（车间/分厂/科室/子公司）意见"
    TECH_DEPT = "tech_dept", "本单位技术部门意见"
    LEAGUE = "league", "本单位团组织意见"
    PANEL = "panel", "竞赛评审小组意见"
    COMMITTEE = "committee", "竞赛组委会意见"


class Opinion(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="opinions")
    step = models.CharField("意见环节", max_length=16, choices=OpinionStep.choices)
    text = models.TextField("意见")
    approved = models.BooleanField("同意", default=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="签署人"
    )
    signer_name = models.CharField("签署人姓名", max_length=50)
    signed_on = models.DateField("日期")
    stamp = models.FileField("盖章（印章图片或签字页扫描件）", upload_to="stamps/%Y/%m/", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["project", "created_at", "id"]

    def __str__(self):
        return f"{self.project} · {self.get_step_display()}"


# ---------------------------------------------------------------------------------------
# Unit workflow (stages 2–4 inside a unit): directions, key-project resources, advisors,
# work records, level history. Services in `workflow.py`.


class Direction(models.Model):
    """攻关项目方向: what a unit asks its young workers to work on this year."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="directions", verbose_name="竞赛活动"
    )
    unit = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="directions", verbose_name="单位"
    )
    title = models.CharField("方向", max_length=100, help_text="例如：数控加工工序的降本增效")
    description = models.TextField("说明", blank=True, help_text="例如：围绕主轴箱加工，减少换刀时间、降低刀具损耗")
    order = models.PositiveSmallIntegerField("排序", default=0)
    published = models.BooleanField("已发布", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "攻关项目方向"
        verbose_name_plural = "攻关项目方向"
        ordering = ["campaign", "unit", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "title"], name="direction_unique_title"),
        ]

    def __str__(self):
        return self.title


class KeyResources(models.Model):
    """What a unit gives a key project: funds and equipment (its team is the 申报表's)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="resources")
    funding = models.DecimalField(
        "配给经费（万元）", max_digits=10, decimal_places=2, default=0, help_text="例如：3.50"
    )
    equipment = models.TextField("配给设备", blank=True, help_text="例如：三坐标测量仪一台（借用质检部）")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "重点项目资源"
        verbose_name_plural = "重点项目资源"
        constraints = [
            models.CheckConstraint(condition=Q(funding__gte=0), name="resources_funding_nonnegative"),
        ]

    def __str__(self):
        return f"{self.project} 资源"


class AdvisorAssignment(models.Model):
    """技术顾问: a person of the unit (or invited) who guides a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="advisor_assignments")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advising", verbose_name="技术顾问"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)

    class Meta:
        verbose_name = "技术顾问指派"
        verbose_name_plural = "技术顾问指派"
        ordering = ["project", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "advisor"], name="advisor_unique_per_project"),
        ]

    def __str__(self):
        return f"{self.advisor} → {self.project}"


class LevelChange(models.Model):
    """Key ↔ general, with the reason: the history the issue asks to keep."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="level_changes")
    from_level = models.CharField("原分类", max_length=8, choices=ProjectLevel.choices, blank=True)
    to_level = models.CharField("新分类", max_length=8, choices=ProjectLevel.choices)
    reason = models.TextField("原因", help_text="例如：项目范围缩小，改为一般项目")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "分类变更"
        verbose_name_plural = "分类变更"
        ordering = ["project", "changed_at", "id"]

    def __str__(self):
        return f"{self.project}: {self.from_level or '—'} → {self.to_level}"


class WorkRecord(models.Model):
    """工作记录 kept by the team during 项目攻关."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="work_records")
    date = models.DateField("日期", help_text="例如：2024-08-15")
    done = models.TextField("工作内容", help_text="例如：完成送料机构样机装配并试运行 2 小时")
    problems = models.TextField("存在问题", blank=True, help_text="例如：送料定位误差 0.3 mm，超出要求")
    next_steps = models.TextField("下一步计划", blank=True, help_text="例如：更换定位销，复测误差")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("填写时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作记录"
        verbose_name_plural = "工作记录"
        ordering = ["project", "-date", "-id"]
        indexes = [models.Index(fields=["project", "date"])]

    def __str__(self):
        return f"{self.project} {self.date}"


class WorkRecordFile(models.Model):
    record = models.ForeignKey(WorkRecord, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to="workrecords/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "工作记录附件"
        verbose_name_plural = "工作记录附件"
        ordering = ["record", "id"]

    def __str__(self):
        return self.original_name


class WorkRecordComment(models.Model):
    """An advisor's guidance on a work record; `signed_off` is the advisor's 签字确认."""

    record = models.ForeignKey(WorkRecord, on_delete=models.CASCADE, related_name="comments")
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("指导意见", help_text="例如：定位销改用淬火钢，注意记录复测数据")
    signed_off = models.BooleanField("签字确认", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "顾问意见"
        verbose_name_plural = "顾问意见"
        ordering = ["record", "created_at", "id"]

    def __str__(self):
        return f"{self.advisor}：{self.text[:20]}"
