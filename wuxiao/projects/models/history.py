"""What happened to a project: the status timeline and the frozen copy of each submission."""

from django.conf import settings
from django.db import models

from wuxiao.projects.models.project import Project
from wuxiao.projects.states import ProjectState, event_actor_role, event_verb


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
        ordering = ["project_id", "at", "id"]

    def __str__(self):
        return f"{self.project} → {self.get_to_state_display()}"

    @property
    def verb(self) -> str:
        return event_verb(self.from_state, self.to_state)

    @property
    def actor_role(self) -> str:
        return event_actor_role(self.from_state, self.to_state)


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
        ordering = ["project_id", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="project_version_unique")]

    def __str__(self):
        return f"{self.project} 第{self.number}次提交"
