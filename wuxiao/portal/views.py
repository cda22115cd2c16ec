from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wuxiao.audit.services import changes, record, snapshot
from wuxiao.campaigns.models import Campaign
from wuxiao.notifications.models import Notification
from wuxiao.notifications.services import mark_read
from wuxiao.people import services as people
from wuxiao.people.queries import memberships_of
from wuxiao.portal.forms import ProfileForm, RegisterForm


@login_required
def dashboard(request):
    return render(
        request,
        "portal/dashboard.html",
        {
            "memberships": memberships_of(request.user),
            "campaign": Campaign.objects.current(),
            "recent": Notification.objects.filter(recipient=request.user)[:5],
        },
    )


@login_required
def inbox(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request):
    ids = request.POST.getlist("id") or None
    mark_read(user=request.user, notification_ids=ids)
    return redirect("portal:inbox")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        before = snapshot(request.user, fields=ProfileForm.Meta.fields)
        user = form.save()
        old, new = changes(before, snapshot(user, fields=ProfileForm.Meta.fields))
        if new:
            record(by=user, action="user.profile", target=user, before=old, after=new)
        messages.success(request, "个人资料已保存")
        return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form})


def accept_invitation(request, token):
    try:
        invitation = people.pending_invitation(token)
    except ValidationError as exc:
        return render(request, "portal/invitation_invalid.html", {"reason": exc.messages[0]}, status=410)

    if request.user.is_authenticated:
        if request.method == "POST":
            people.accept_invitation(token=token, user=request.user)
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
            return render(request, "portal/invitation_invalid.html", {"reason": exc.messages[0]}, status=410)
        login(request, membership.user, backend="wuxiao.people.backends.UsernameOrMobileBackend")
        messages.success(request, f"注册成功，欢迎加入“{invitation.organisation.name}”")
        return redirect("portal:dashboard")
    return render(request, "portal/invitation_register.html", {"invitation": invitation, "form": form})
