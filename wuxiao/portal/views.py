from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wuxiao.audit.services import changes, record, snapshot
from wuxiao.campaigns.models import Campaign
from wuxiao.notifications.models import Notification
from wuxiao.notifications.services import mark_read
from wuxiao.people import services as people
from wuxiao.people.queries import memberships_of
from wuxiao.portal.forms import ProfileForm, RegisterForm
from wuxiao.reviews.queries import assignments_of


@login_required
def dashboard(request):
    from wuxiao.portal.projects import project_rows
    from wuxiao.projects.queries import projects_of
    from wuxiao.projects.services import applicant_units

    mine = list(projects_of(request.user)[:6])
    return render(
        request,
        "portal/dashboard.html",
        {
            "memberships": memberships_of(request.user),
            "campaign": Campaign.objects.current(),
            "recent": Notification.objects.filter(recipient=request.user)[:5],
            "review_tasks": assignments_of(request.user).count(),
            "my_rows": project_rows(request.user, mine[:5]),
            "more_projects": len(mine) > 5,
            "can_create": bool(applicant_units(request.user)),
        },
    )


@login_required
def inbox(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request):
    """Mark the listed notifications read (`id` fields), or all of them when none is listed."""
    listed = request.POST.getlist("id")
    ids = [int(value) for value in listed if value.isdigit()]
    mark_read(user=request.user, notification_ids=ids if listed else None)
    return redirect("portal:inbox")


@login_required
def open_notification(request, pk):
    """Follow a notification's link, marking it read on the way."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return redirect(note.url)
    return redirect("portal:inbox")


@login_required
def profile(request):
    # before validating: a ModelForm writes the submitted values into its instance as it validates
    before = snapshot(request.user, fields=ProfileForm.Meta.fields)
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        old, new = changes(before, snapshot(user, fields=ProfileForm.Meta.fields))
        if new:
            record(by=user, action="user.profile", target=user, before=old, after=new)
        messages.success(request, "个人资料已保存")
        return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form})


def _invalid(request, exc: ValidationError):
    return render(request, "portal/invitation_invalid.html", {"reason": exc.messages[0]}, status=410)


def accept_invitation(request, token):
    try:
        invitation = people.pending_invitation(token)
    except ValidationError as exc:
        return _invalid(request, exc)

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                people.accept_invitation(token=token, user=request.user)
            except ValidationError as exc:  # used up or revoked since the page was shown
                return _invalid(request, exc)
            messages.success(request, f"已加入“{invitation.organisation.name}”（{invitation.get_role_display()}）")
            return redirect("portal:dashboard")
        return render(request, "portal/invitation_accept.html", {"invitation": invitation})

    form = RegisterForm(
        request.POST or None,
        initial={"real_name": invitation.real_name, "mobile": invitation.mobile, "email": invitation.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = people.accept_invitation(token=token, new_user=form.new_user_fields())
        except ValidationError as exc:
            try:
                people.pending_invitation(token)
            except ValidationError as gone:  # used up, revoked or expired since the page was shown
                return _invalid(request, gone)
            form.add_error(None, exc)  # e.g. the username or mobile was taken a moment ago
        else:
            login(request, membership.user, backend="wuxiao.people.backends.UsernameOrMobileBackend")
            messages.success(request, f"注册成功，欢迎加入“{invitation.organisation.name}”")
            return redirect("portal:dashboard")
    return render(request, "portal/invitation_register.html", {"invitation": invitation, "form": form})
