"""District and committee views over the units below them: the district overview, the
committee's forwarding overview with send-back. Its stage-extension form posts to the one
extension flow, `console.views.extensions`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wuxiao.console import unit_forms as forms
from wuxiao.console.forms import StageExtensionForm
from wuxiao.console.helpers import PAGE_SIZE, current_campaign, flash_errors, flash_form_errors
from wuxiao.console.views import admin_required, committee_required
from wuxiao.lib.http import get_visible_or_404
from wuxiao.people.models import OrgKind
from wuxiao.people.permissions import admin_organisations
from wuxiao.people.queries import organisations_visible_to
from wuxiao.projects import workflow
from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState


@admin_required
def district_overview(request, org_id):
    """所属单位进展 is now the units table of the district's statistics dashboard."""
    org = get_visible_or_404(
        organisations_visible_to(request.user).filter(kind__in=[OrgKind.DISTRICT, OrgKind.COMMITTEE]), pk=org_id
    )
    query = request.GET.urlencode()
    return redirect(f"{reverse('console:stats', args=[org.pk])}{'?' + query if query else ''}#units")


@committee_required
def committee_overview(request):
    """已上报成果: the forwarded projects (send back one) and stage extensions. The units'
    numbers (forwarded vs quota) are the tables of the committee's statistics dashboard."""
    campaign = current_campaign()
    org = next(o for o in admin_organisations(request.user) if o.is_committee)
    forwarded = Paginator(
        Project.objects.filter(campaign=campaign, state__in=ProjectState.FORWARDED_OR_LATER)
        .select_related("unit", "leader")
        .order_by("unit__path", "forwarded_at"),
        PAGE_SIZE,
    ).get_page(request.GET.get("fpage"))
    return render(
        request,
        "console/unit/committee.html",
        {
            "campaign": campaign,
            "committee": org,
            # The one stage-extension flow (console.views.extensions) takes this form's post.
            "extend_form": StageExtensionForm(user=request.user, campaign=campaign),
            "forwarded": forwarded,
            "send_back_form": forms.SendBackForm(),
        },
    )


@committee_required
@require_POST
def committee_send_back(request, pk):
    campaign = current_campaign()
    project = get_visible_or_404(
        Project.objects.filter(campaign=campaign, state__in=ProjectState.FORWARDED_OR_LATER), pk=pk
    )
    form = forms.SendBackForm(request.POST)
    if form.is_valid():
        try:
            workflow.send_back(project=project, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, f"已将“{project}”退回{project.unit.name}")
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_form_errors(request, form)
    return redirect("console:committee_overview")
