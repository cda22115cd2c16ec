from django.shortcuts import render

from wuxiao.campaigns.models import Campaign
from wuxiao.lib.http import login_and
from wuxiao.people.permissions import admin_organisations, is_committee_admin, is_org_admin
from wuxiao.people.queries import organisations_visible_to

admin_required = login_and(is_org_admin, "仅团组织管理员可进入管理后台")
committee_required = login_and(is_committee_admin, "仅组委会办公室可进行此操作")


@admin_required
def home(request):
    return render(
        request,
        "console/home.html",
        {
            "campaign": Campaign.objects.current(),
            "admin_orgs": admin_organisations(request.user),
            "is_committee": is_committee_admin(request.user),
        },
    )


@admin_required
def organisations(request):
    orgs = organisations_visible_to(request.user).order_by("path")
    return render(request, "console/organisations/list.html", {"organisations": orgs})
