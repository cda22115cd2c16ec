"""Small pieces every console view module shares: the current campaign, errors as messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from wuxiao.campaigns.models import Campaign

PAGE_SIZE = 20


def current_campaign() -> Campaign:
    campaign = Campaign.objects.current()
    if campaign is None:
        raise Http404("没有进行中的竞赛活动")
    return campaign


def flash_errors(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def flash_form_errors(request, form) -> None:
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}：{e}" if label else e)
