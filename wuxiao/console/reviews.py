"""The committee's 评审认定 pages: expert pool, rounds and rubric, assignment and progress,
ranking (raw and normalised), 查重, 答辩 schedule, and the panel/committee opinion boxes.
Every view is for the committee office only; the services check it again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from wuxiao.campaigns.models import StageKind
from wuxiao.campaigns.services import stage_window
from wuxiao.console import review_forms as forms
from wuxiao.console.helpers import PAGE_SIZE, current_campaign, flash_errors, flash_form_errors
from wuxiao.console.views import committee_required
from wuxiao.lib.http import get_visible_or_404
from wuxiao.projects.models import Project
from wuxiao.reviews import imports as expert_imports
from wuxiao.reviews import queries, services
from wuxiao.reviews.models import Assignment, BlindFlag, DuplicateFlag, ExpertProfile, ReviewRound


def _round(pk) -> ReviewRound:
    return get_visible_or_404(ReviewRound.objects.select_related("campaign", "previous"), pk=pk)


def _run(request, action, success: str) -> bool:
    try:
        result = action()
    except ValidationError as exc:
        flash_errors(request, exc)
        return False
    messages.success(request, success.format(result=result))
    return True


@committee_required
def home(request):
    campaign = current_campaign()
    form = forms.RoundForm(request.POST or None, campaign=campaign)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                round = services.create_round(by=request.user, campaign=campaign, **d)
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, f"已创建评审轮次“{round.name}”")
                return redirect("console:review_round", round.pk)
        else:
            flash_form_errors(request, form)
    return render(
        request,
        "console/reviews/home.html",
        {
            "campaign": campaign,
            "rounds": queries.rounds_of(campaign),
            "past_rounds": ReviewRound.objects.exclude(campaign=campaign)
            .select_related("campaign")
            .order_by("-campaign__year", "number")[:20],
            "form": form,
            "pool_size": len(queries.expert_pool()),
            "open_flags": DuplicateFlag.objects.filter(project__campaign=campaign, decision="").count(),
            "window": stage_window(campaign, StageKind.REVIEW),
        },
    )


@committee_required
def experts(request):
    campaign = current_campaign()
    return render(
        request,
        "console/reviews/experts.html",
        {"pool": queries.expert_pool(), "missing": queries.experts_without_profile(), "campaign": campaign},
    )


IMPORT_SESSION_KEY = "console_expert_import"


@committee_required
def experts_import(request):
    """Upload → preview (every row's action and problems; nothing written) → confirm. The
    checked cells wait in the session between the two; confirming checks them again."""
    form = forms.ExpertImportForm()
    preview = result = None
    status = 200
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get(IMPORT_SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("confirm"):
            messages.error(request, "导入预览已失效，请重新上传文件")
            return redirect("console:review_experts_import")
        result = expert_imports.import_experts(cells=pending["cells"], by=request.user, file_name=pending["name"])
        if result.errors:
            status = 422
        else:
            del request.session[IMPORT_SESSION_KEY]
            messages.success(
                request,
                f"专家库导入完成：新建 {result.created} 位，更新 {result.updated} 位，未变化 {result.unchanged} 位",
            )
            return redirect("console:review_experts")
    elif request.method == "POST":
        form = forms.ExpertImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            preview = expert_imports.preview_experts(file=upload, by=request.user)
            if preview.ok:
                import secrets

                token = secrets.token_urlsafe(16)
                request.session[IMPORT_SESSION_KEY] = {"token": token, "name": upload.name, "cells": preview.cells}
                preview.token = token
            else:
                request.session.pop(IMPORT_SESSION_KEY, None)
                status = 422
        else:
            status = 422
    return render(
        request,
        "console/reviews/experts_import.html",
        {
            "form": form,
            "preview": preview,
            "problems": (preview.errors if preview else []) or (result.errors if result else []),
        },
        status=status,
    )


@require_safe
@committee_required
def experts_import_template(request):
    response = HttpResponse(
        expert_imports.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, expert_imports.TEMPLATE_FILENAME)
    return response


@committee_required
@require_POST
def expert_activation(request, user_id):
    from django.contrib.auth import get_user_model

    user = get_visible_or_404(get_user_model().objects.filter(memberships__role="expert").distinct(), pk=user_id)
    try:
        link = expert_imports.activation_link(
            by=request.user, expert=user, base_url=request.build_absolute_uri("/")[:-1]
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        sent = f"已发送到 {user.email}；" if user.email else ""
        messages.success(request, f"专家“{user.display_name}”的设置密码链接（{sent}只显示这一次，请转交本人）：{link}")
    return redirect("console:review_experts")


@committee_required
def expert_edit(request, user_id):
    from django.contrib.auth import get_user_model

    campaign = current_campaign()
    user = get_visible_or_404(get_user_model().objects.filter(memberships__role="expert").distinct(), pk=user_id)
    profile = ExpertProfile.objects.filter(user=user).first() or ExpertProfile(user=user)
    form = forms.ExpertProfileForm(request.POST or None, instance=profile, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_expert_profile(by=request.user, expert=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存专家“{user.display_name}”的资料")
            return redirect("console:review_experts")
    return render(request, "console/reviews/expert_edit.html", {"form": form, "expert": user})


@committee_required
def round_detail(request, pk):
    round = _round(pk)
    criteria = list(round.criteria.all())
    rubric = forms.CriterionFormSet(
        initial=[{"name": c.name, "weight": c.weight, "max_score": c.max_score} for c in criteria], prefix="c"
    )
    page = Paginator(queries.round_candidates(round), PAGE_SIZE).get_page(request.GET.get("page"))
    by_project = queries.assignments_by_project(round)
    pool = queries.expert_pool()
    return render(
        request,
        "console/reviews/round.html",
        {
            "round": round,
            "criteria": criteria,
            "rubric": rubric,
            "locked": services.scoring_started(round),
            "page": page,
            "rows": [(p, by_project.get(p.pk, [])) for p in page.object_list],
            "progress": queries.progress(round),
            "assign_form": forms.AssignForm(initial={"seed": round.assignment_seed}),
            "manual_form": forms.ManualAssignForm(experts=ExpertProfile.objects.filter(pk__in=[p.pk for p in pool])),
            "flags": BlindFlag.objects.filter(round=round).select_related("project", "attachment"),
        },
    )


@committee_required
@require_POST
def round_rubric(request, pk):
    round = _round(pk)
    formset = forms.CriterionFormSet(request.POST, prefix="c")
    if formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        _run(
            request,
            lambda: services.set_rubric(by=request.user, round=round, criteria=rows),
            "评分项和权重已保存",
        )
    else:
        for f in formset.forms:
            flash_form_errors(request, f)
    return redirect("console:review_round", round.pk)


@committee_required
@require_POST
def round_assign(request, pk):
    round = _round(pk)
    form = forms.AssignForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.assign_round(by=request.user, round=round, seed=form.cleaned_data["seed"]),
            "已自动分配：新增 {result.count} 个评审任务，其中 {result.category_fit} 个类别匹配",
        )
    return redirect("console:review_round", round.pk)


@committee_required
@require_POST
def round_assign_manual(request, pk):
    round = _round(pk)
    pool = queries.expert_pool()
    form = forms.ManualAssignForm(request.POST, experts=ExpertProfile.objects.filter(pk__in=[p.pk for p in pool]))
    if form.is_valid():
        project = get_visible_or_404(queries.round_candidates(round), pk=form.cleaned_data["project"])
        expert = form.cleaned_data["expert"].user
        _run(
            request,
            lambda: services.add_assignment(by=request.user, round=round, project=project, expert=expert),
            f"已将项目“{project}”分配给{expert.display_name}",
        )
    else:
        flash_form_errors(request, form)
    return redirect("console:review_round", round.pk)


@committee_required
@require_POST
def assignment_remove(request, pk, assignment_pk):
    round = _round(pk)
    assignment = get_visible_or_404(Assignment.objects.filter(round=round), pk=assignment_pk)
    _run(request, lambda: services.remove_assignment(by=request.user, assignment=assignment), "已移除该分配")
    return redirect("console:review_round", round.pk)


@committee_required
@require_POST
def round_urge(request, pk):
    round = _round(pk)
    _run(request, lambda: services.urge_experts(by=request.user, round=round), "已向 {result} 位专家发送催办通知")
    return redirect("console:review_round", round.pk)


@committee_required
@require_POST
def round_blind_check(request, pk):
    round = _round(pk)
    _run(
        request,
        lambda: services.check_blind(by=request.user, round=round),
        "盲评检查完成：发现 {result} 处可能泄露身份的信息",
    )
    return redirect("console:review_round", round.pk)


@committee_required
def round_ranking(request, pk):
    round = _round(pk)
    if request.method == "POST":
        form = forms.RankingForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.set_ranking_method(by=request.user, round=round, method=form.cleaned_data["method"]),
                "排名依据已更新",
            )
        return redirect("console:review_ranking", round.pk)
    rows = queries.ranking(round)
    from wuxiao.projects.models import Opinion

    opinions = {}
    for o in Opinion.objects.filter(project__in=[r.project.pk for r in rows], step__in=["panel", "committee"]).order_by(
        "created_at", "id"
    ):
        opinions.setdefault(o.project_id, {})[o.step] = o
    return render(
        request,
        "console/reviews/ranking.html",
        {
            "round": round,
            "rows": [(r, opinions.get(r.project.pk, {})) for r in rows],
            "biases": queries.biases(round),
            "method_form": forms.RankingForm(initial={"method": round.ranking}),
            "opinion_form": forms.OpinionForm(),
        },
    )


@committee_required
@require_POST
def project_opinion(request, pk, project_pk):
    round = _round(pk)
    project = get_visible_or_404(Project.objects.filter(review_assignments__round=round).distinct(), pk=project_pk)
    form = forms.OpinionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _run(
            request,
            lambda: services.record_opinion(by=request.user, project=project, step=d["step"], text=d["text"]),
            f"已填写项目“{project}”的意见",
        )
    else:
        flash_form_errors(request, form)
    return redirect("console:review_ranking", round.pk)


@committee_required
def round_schedule(request, pk):
    round = _round(pk)
    form = forms.ScheduleForm(request.POST or None, initial={"seed": round.lot_seed})
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            if _run(
                request,
                lambda: services.draw_schedule(
                    by=request.user, round=round, seed=d["seed"], starts_at=d["starts_at"], minutes=d["minutes"]
                ),
                "已按抽签结果排定答辩顺序，并通知各项目负责人",
            ):
                return redirect("console:review_schedule", round.pk)
        else:
            flash_form_errors(request, form)
    slots = round.slots.select_related("project", "project__unit")
    return render(request, "console/reviews/schedule.html", {"round": round, "form": form, "slots": slots})


@committee_required
def duplicates(request):
    campaign = current_campaign()
    flags = Paginator(
        DuplicateFlag.objects.filter(project__campaign=campaign).select_related(
            "project", "project__unit", "other", "other__unit", "other__campaign", "decided_by"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "console/reviews/duplicates.html",
        {"campaign": campaign, "page": flags, "decision_form": forms.DecisionForm()},
    )


@committee_required
@require_POST
def duplicates_scan(request):
    campaign = current_campaign()
    _run(
        request,
        lambda: services.scan_duplicates(by=request.user, campaign=campaign),
        "查重完成：新增 {result} 条相似提示",
    )
    return redirect("console:review_duplicates")


@committee_required
@require_POST
def duplicate_decide(request, flag_pk):
    campaign = current_campaign()
    flag = get_visible_or_404(DuplicateFlag.objects.filter(project__campaign=campaign), pk=flag_pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _run(
            request,
            lambda: services.decide_duplicate(by=request.user, flag=flag, decision=d["decision"], note=d["note"]),
            "已记录查重认定",
        )
    else:
        flash_form_errors(request, form)
    return redirect("console:review_duplicates")
