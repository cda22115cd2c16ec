"""青年创新沙龙 in the console: the committee announces salons, sees who signed up, downloads the
attendance list, sends reminders, and records notes and photos afterwards."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wuxiao.console.helpers import current_campaign, flash_errors
from wuxiao.console.views import committee_required
from wuxiao.documents.downloads import export
from wuxiao.lib.forms import DateTimeField
from wuxiao.lib.http import get_visible_or_404
from wuxiao.salons import services
from wuxiao.salons.models import Salon
from wuxiao.salons.queries import attendance, salons_with_counts


class SalonForm(forms.ModelForm):
    class Meta:
        model = Salon
        fields = list(services.SALON_FIELDS)
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "signup_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "speakers": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"starts_at": DateTimeField, "signup_deadline": DateTimeField}


@committee_required
def salon_list(request):
    form = SalonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            salon = services.save_salon(by=request.user, campaign=current_campaign(), **form.cleaned_data)
            messages.success(request, f"已发布青年创新沙龙：{salon.topic}")
            return redirect("console:salon_detail", salon.pk)
        except ValidationError as exc:
            flash_errors(request, exc)
    return render(
        request, "console/salons/list.html", {"salons": salons_with_counts().order_by("-starts_at")[:50], "form": form}
    )


@committee_required
def salon_detail(request, pk):
    salon = get_visible_or_404(salons_with_counts(), pk=pk)
    form = SalonForm(request.POST or None, instance=salon, prefix="s")
    if request.method == "POST" and form.is_valid():
        try:
            services.save_salon(by=request.user, campaign=salon.campaign, salon=salon, **form.cleaned_data)
            messages.success(request, "已保存")
            return redirect("console:salon_detail", salon.pk)
        except ValidationError as exc:
            flash_errors(request, exc)
    return render(
        request,
        "console/salons/detail.html",
        {"salon": salon, "form": form, "people": attendance(salon)},
    )


@committee_required
@require_POST
def salon_outcome(request, pk):
    salon = get_visible_or_404(Salon.objects.all(), pk=pk)
    try:
        services.record_outcome(
            salon=salon, by=request.user, notes=request.POST.get("notes", ""), photos=request.FILES.getlist("photos")
        )
        messages.success(request, "已保存活动纪要和照片")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("console:salon_detail", salon.pk)


@committee_required
def salon_attendance(request, pk):
    salon = get_visible_or_404(Salon.objects.all(), pk=pk)
    return export(request, "salon_attendance.xlsx", salon)
