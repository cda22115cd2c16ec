"""Signing up for a 青年创新沙龙 and cancelling: the public salon page posts here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from wuxiao.salons import services
from wuxiao.salons.models import Salon, Signup, SignupStatus


@login_required
@require_POST
def signup(request, pk):
    salon = get_object_or_404(Salon, pk=pk)
    try:
        entry = services.sign_up(salon=salon, user=request.user)
        if entry.status == SignupStatus.CONFIRMED:
            messages.success(request, f"报名成功：{salon.topic}")
        else:
            messages.info(
                request, f"名额已满（{salon.capacity} 人），您已进入候补名单；有人取消时按候补顺序递补并通知您"
            )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("showcase:salon", salon.pk)


@login_required
@require_POST
def cancel(request, pk):
    entry = get_object_or_404(Signup, salon_id=pk, user=request.user)
    try:
        services.cancel(signup=entry, by=request.user)
        messages.success(request, "已取消报名")
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("showcase:salon", pk)
