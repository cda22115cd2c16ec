"""The team's side of 项目攻关 and 成果收集: work records, the advisors' comments and
sign-offs, and the leader's result submission."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wuxiao.lib.forms import DateField
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.projects import permissions, workflow
from wuxiao.projects.models import (
    FilePurpose,
    Project,
    StoredFile,
    WorkRecord,
    WorkRecordComment,
    WorkRecordFile,
)
from wuxiao.projects.queries import projects_visible_to
from wuxiao.projects.states import ProjectState


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class WorkRecordForm(forms.Form):
    date = DateField(
        label="日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), help_text="例如：2024-08-15"
    )
    done = forms.CharField(
        label="工作内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：完成送料机构样机装配并试运行 2 小时",
    )
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label="下一步计划", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label="附件", required=False, help_text="PNG、JPG 图片或 PDF，每个不超过 20 MB")


class CommentForm(forms.Form):
    text = forms.CharField(label="指导意见", widget=forms.Textarea(attrs={"rows": 2}))
    sign_off = forms.BooleanField(label="签字确认该记录", required=False)


class ResultForm(forms.Form):
    economic_benefit = forms.DecimalField(
        label="创造效益（万元）", min_value=0, max_digits=12, decimal_places=2, help_text="汇总表必填，例如：12.50"
    )
    result_description = forms.CharField(
        label="成果说明",
        required=False,
        max_length=workflow.MAX_RESULT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="成果的内容、实际应用和效果，例如：送料装置已在 3 号线使用半年，单班产量提高 15%、年节约成本 12.5 万元",
    )
    evidence = MultipleFileField(
        label="成果证明材料",
        required=False,
        help_text=(
            f"测试报告、应用证明、现场照片等，最多 {workflow.MAX_EVIDENCE_FILES} 个；"
            "PDF、图片（JPG/PNG）、Word 或 Excel，按文件内容检查"
        ),
    )


def _work_projects(user):
    return projects_visible_to(user).filter(state__in=ProjectState.ACCEPTED_OR_LATER)


def _fetch(request, pk) -> Project:
    """Team members, advisors and the unit's admins see the work; nobody else."""
    return get_visible_or_404(_work_projects(request.user), pk=pk)


@login_required
def my_work(request):
    user = request.user
    qs = (
        Project.objects.filter(state__in=ProjectState.ACCEPTED_OR_LATER)
        .filter(Q(leader=user) | Q(members__user=user) | Q(advisor_assignments__advisor=user))
        .distinct()
        .select_related("unit", "leader", "campaign")
        .order_by("-updated_at", "-id")
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    advising = set(
        user.advising.filter(project__in=[p.pk for p in page.object_list]).values_list("project_id", flat=True)
    )
    return render(request, "portal/work/list.html", {"page": page, "advising": advising})


def _page(request, project, *, record_form=None, result_form=None, status=200):
    user = request.user
    team, advisor = permissions.is_team(user, project), permissions.is_advisor(user, project)
    records = project.work_records.select_related("created_by").prefetch_related(
        Prefetch("files", queryset=WorkRecordFile.objects.select_related("stored")),
        Prefetch("comments", queryset=WorkRecordComment.objects.select_related("advisor")),
    )
    page = Paginator(records, 20).get_page(request.GET.get("page"))
    working = project.state in ProjectState.WORKING
    return render(
        request,
        "portal/work/detail.html",
        {
            "project": project,
            "page": page,
            "is_team": team,
            "is_advisor": advisor,
            "is_leader": permissions.is_leader(user, project),
            "working": working,
            "record_form": record_form or WorkRecordForm(initial={"date": timezone.localdate()}),
            "comment_form": CommentForm(),
            "result_form": result_form
            or ResultForm(
                initial={"economic_benefit": project.economic_benefit, "result_description": project.result_description}
            ),
            "evidence": project.result_evidence,
            "advisors": project.advisor_assignments.select_related("advisor"),
            "opinions": project.opinions.select_related("signer"),
        },
        status=status,
    )


@login_required
def work(request, pk):
    project = _fetch(request, pk)
    if request.method != "POST":
        return _page(request, project)
    require(permissions.is_team(request.user, project), "只有项目组成员可以填写工作记录")
    form = WorkRecordForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            workflow.add_work_record(
                project=project,
                by=request.user,
                on=d["date"],
                done=d["done"],
                problems=d["problems"],
                next_steps=d["next_steps"],
                files=d["files"],
            )
            messages.success(request, "工作记录已保存，技术顾问会收到通知")
            return redirect("portal:work", project.pk)
        except ValidationError as exc:
            for text in exc.messages:
                form.add_error(None, text)
    return _page(request, project, record_form=form, status=400)


@login_required
@require_POST
def comment(request, pk, record_pk):
    project = _fetch(request, pk)
    work_record = get_visible_or_404(WorkRecord.objects.filter(project=project), pk=record_pk)
    require(permissions.is_advisor(request.user, project), "只有该项目的技术顾问可以填写指导意见")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            workflow.comment_work_record(
                work=work_record,
                by=request.user,
                text=form.cleaned_data["text"],
                sign_off=form.cleaned_data["sign_off"],
            )
            messages.success(request, "指导意见已保存" + ("并签字确认" if form.cleaned_data["sign_off"] else ""))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    else:
        messages.error(request, "指导意见必须填写")
    return redirect("portal:work", project.pk)


@login_required
@require_POST
def submit_result(request, pk):
    project = _fetch(request, pk)
    require(permissions.can_submit_result(request.user, project), "只有项目负责人可以提交成果")
    form = ResultForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            workflow.submit_result(
                project=project,
                by=request.user,
                economic_benefit=d["economic_benefit"],
                result_description=d["result_description"],
                evidence=d["evidence"],
            )
            messages.success(request, "成果已提交，进入单位审核")
            return redirect("portal:work", project.pk)
        except ValidationError as exc:
            for text in exc.messages:
                form.add_error(None, text)
    return _page(request, project, result_form=form, status=400)


@login_required
@require_POST
def remove_evidence(request, pk, file_pk):
    project = _fetch(request, pk)
    require(permissions.can_submit_result(request.user, project), "只有项目负责人可以删除成果证明材料")
    stored = get_visible_or_404(
        StoredFile.objects.filter(project=project, purpose=FilePurpose.RESULT_EVIDENCE), pk=file_pk
    )
    try:
        workflow.remove_result_evidence(project=project, by=request.user, stored=stored)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"已删除成果证明材料“{stored.name}”")
    return redirect("portal:work", project.pk)
