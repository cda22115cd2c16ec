"""The expert's pages: the projects assigned to them, the project as the round shows it
(blind or not), the score form with drafts, decline/recuse. Projects are fetched only
through reviews.queries.assignments_of: an expert sees exactly their assignments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.lib.phones import mask_phone
from wuxiao.portal.review_forms import DeclineForm, ScoreForm
from wuxiao.reviews import queries, services
from wuxiao.reviews.blind import TEXT_FIELDS, attachment_download, blind_filename, redacted


def _assignment(request, pk):
    return get_visible_or_404(queries.assignments_of(request.user), pk=pk)


@login_required
def review_list(request):
    assignments = list(queries.assignments_of(request.user).prefetch_related("project__members"))
    for a in assignments:  # a blind round's list shows names with the unit and people taken out
        a.shown_name = redacted(a.project)["name"] if a.round.blind else a.project.name
    today = timezone.localdate()
    return render(request, "portal/reviews/list.html", {"assignments": assignments, "today": today})


@login_required
def review(request, pk):
    assignment = _assignment(request, pk)
    round = assignment.round
    criteria = list(round.criteria.all())
    existing = getattr(assignment, "review", None)
    can_score = round.is_open_on()
    if request.method == "POST":
        require(can_score, f"本轮评分时间为 {round.opens_on} 至 {round.closes_on}，现在不能评分")
        form = ScoreForm(request.POST, criteria=criteria)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.save_review(
                    by=request.user,
                    assignment=assignment,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    submit=submit,
                    expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, text)
            else:
                messages.success(request, "评分已提交，截止前仍可修改" if submit else "草稿已保存")
                return redirect("portal:review", assignment.pk)
    else:
        scores = queries.scores_of(existing)
        initial = {f"c{cid}": s.value for cid, s in scores.items()}
        initial.update(comment=existing.comment if existing else "", version=existing.version if existing else None)
        form = ScoreForm(initial=initial, criteria=criteria)
    project = queries.review_page_data(assignment)
    attachments = [(i + 1, a, blind_filename(a, i + 1)) for i, a in enumerate(project.attachments.all())]
    return render(
        request,
        "portal/reviews/review.html",
        {
            "assignment": assignment,
            "round": round,
            "project": project,
            "blind": round.blind,
            "text": redacted(project) if round.blind else {f: getattr(project, f) for f in TEXT_FIELDS},
            "leader_phone": mask_phone(project.leader_phone) if project.leader_phone else "",
            "attachments": attachments,
            "form": form,
            "can_score": can_score,
            "review": existing,
            "decline_form": DeclineForm(),
        },
    )


@login_required
@require_POST
def decline(request, pk):
    assignment = _assignment(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "回避或谢绝必须填写原因")
        return redirect("portal:review", assignment.pk)
    try:
        services.decline_assignment(by=request.user, assignment=assignment, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("portal:review", assignment.pk)
    messages.success(request, "已回避该项目，组委会将另行安排专家")
    return redirect("portal:reviews")


@login_required
def attachment(request, pk, number):
    """An attachment of an assigned project; in a blind round under a neutral name."""
    assignment = _assignment(request, pk)
    return attachment_download(assignment, assignment.project.attachments.all(), number)


def activate(request, uidb64, token):
    """An imported expert's first sign-in: the one-time link the committee made, a new
    password, then their review list."""
    from django.contrib.auth import login
    from django.contrib.auth.forms import SetPasswordForm

    from wuxiao.audit.services import record
    from wuxiao.reviews.imports import expert_for_activation

    try:
        expert = expert_for_activation(uidb64, token)
    except ValidationError as exc:
        return render(request, "portal/reviews/activate_invalid.html", {"reason": exc.messages[0]}, status=400)
    form = SetPasswordForm(expert, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        record(by=user, action="experts.activate", target=user)
        login(request, user, backend="wuxiao.people.backends.UsernameOrMobileBackend")
        messages.success(request, f"密码已设置，以后可用手机号 {user.mobile} 登录")
        return redirect("portal:reviews")
    return render(request, "portal/reviews/activate.html", {"form": form, "expert": expert})
