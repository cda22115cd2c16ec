"""The console: organisation admins at every level, the committee office included.

Every view is scoped to the admin's subtree: objects outside it answer 404, actions the
admin may see but not take answer 403 (wuxiao.lib.http).
"""

import base64
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from wuxiao.audit.filters import AuditFilter
from wuxiao.audit.models import AuditEntry
from wuxiao.audit.services import snapshot
from wuxiao.campaigns import imports
from wuxiao.campaigns.models import Campaign, Participation, StageExtension
from wuxiao.campaigns.services import extend_stage, set_headcount
from wuxiao.console import forms
from wuxiao.console.labels import action_label, audit_rows
from wuxiao.lib.http import get_visible_or_404, login_and, require
from wuxiao.people import services as people
from wuxiao.people.filters import InvitationFilter, MemberFilter
from wuxiao.people.models import UNIT_KINDS, Organisation, OrgKind
from wuxiao.people.permissions import (
    COMMITTEE_ONLY,
    admin_organisations,
    can_import_units,
    can_manage_organisation,
    can_read_audit_log,
    can_restructure_organisation,
    can_revoke_role,
    can_set_headcount,
    is_committee_admin,
    is_org_admin,
)
from wuxiao.people.queries import (
    invitations_visible_to,
    memberships_visible_to,
    organisations_visible_to,
    people_visible_to,
)
from wuxiao.projects.queries import unit_todo_counts

admin_required = login_and(is_org_admin, "仅团组织管理员可进入管理后台")
committee_required = login_and(is_committee_admin, COMMITTEE_ONLY)
importer_required = login_and(can_import_units, "仅组委会办公室和县区/系统团组织管理员可以导入单位")
audit_reader_required = login_and(can_read_audit_log, "仅组委会办公室和县区/系统团组织管理员可查看审计日志")
body_admin_required = login_and(can_import_units, "仅组委会办公室和县区/系统团组织管理员可以新建组织")

PAGE_SIZE = 50
ORG_PAGE_SIZE = 100
LINK_SESSION_KEY = "console_invitation_links"
# The checked file of a unit import between its preview and the confirmation.
UNIT_IMPORT_SESSION_KEY = "console_unit_import"


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _safe_next(request) -> str | None:
    """Where a form posted from another page (e.g. the committee overview) goes back to."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


def _query_without_page(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


# ---------------------------------------------------------------- home


@require_safe
@admin_required
def home(request):
    orgs = organisations_visible_to(request.user)
    campaign = Campaign.objects.current()
    admin_orgs = admin_organisations(request.user)
    units = [o for o in admin_orgs if o.is_unit]
    todo = unit_todo_counts(units, campaign, today=timezone.localdate()) if campaign and units else {}
    return render(
        request,
        "console/home.html",
        {
            "campaign": campaign,
            "stage": campaign.stage_on() if campaign else None,
            "admin_orgs": admin_orgs,
            "unit_todos": [(u, todo[u.pk]) for u in units if u.pk in todo],
            "is_committee": is_committee_admin(request.user),
            "counts": {
                "organisations": orgs.filter(is_active=True).count(),
                "units": orgs.filter(is_active=True, kind__in=UNIT_KINDS).count(),
                "people": people_visible_to(request.user).count(),
                "invitations": invitations_visible_to(request.user).pending().count(),
            },
        },
    )


# ---------------------------------------------------------------- organisations


def _visible_org(request, pk) -> Organisation:
    return get_visible_or_404(organisations_visible_to(request.user), pk=pk)


@require_safe
@admin_required
def organisations(request):
    campaign = Campaign.objects.current()
    orgs = (
        organisations_visible_to(request.user)
        .annotate(member_count=Count("memberships"))
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(campaign=campaign).select_related("campaign"),
                to_attr="current_participations",
            )
        )
        .order_by("path")
    )
    q = request.GET.get("q", "").strip()
    if q:
        orgs = orgs.filter(name__icontains=q)
    return render(
        request,
        "console/organisations/list.html",
        {
            "page": _page(request, orgs, ORG_PAGE_SIZE),
            "q": q,
            "query": _query_without_page(request),
            "campaign": campaign,
        },
    )


@require_safe
@admin_required
def organisation_detail(request, pk):
    org = _visible_org(request, pk)
    members = org.memberships.select_related("user").order_by("user__real_name", "role")
    campaigns = Campaign.objects.prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.filter(organisation=org),
            to_attr="this_org",
        )
    ).order_by("-starts_on")
    rows = [(c, c.this_org[0] if c.this_org else None) for c in campaigns]
    may_set_headcount = can_set_headcount(request.user, org)
    return render(
        request,
        "console/organisations/detail.html",
        {
            "org": org,
            "page": _page(request, members),
            "children": org.children.order_by("name"),
            "participations": rows,
            "headcount_form": forms.HeadcountForm(initial={"campaign": Campaign.objects.current()})
            if may_set_headcount
            else None,
            "may_edit": can_manage_organisation(request.user, org),
            "may_restructure": can_restructure_organisation(request.user, org),
            "may_add_child": org.is_active and not org.is_unit,
        },
    )


@body_admin_required
def organisation_create(request):
    parent = None
    if request.GET.get("parent", "").isdigit():
        parent = organisations_visible_to(request.user).filter(pk=request.GET["parent"]).first()
    form = forms.OrganisationForm(request.POST or None, user=request.user, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = people.create_organisation(
                by=request.user,
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                credit_code=data["credit_code"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                allow_parent_forwarding=data["allow_parent_forwarding"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:  # the service's own check (e.g. a district by a unit admin)
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已新建“{org.name}”")
            return redirect("console:organisation_detail", org.pk)
    return render(request, "console/organisations/form.html", {"form": form, "org": None})


@admin_required
def organisation_edit(request, pk):
    org = _visible_org(request, pk)
    require(can_manage_organisation(request.user, org), "无权修改该组织")
    before = snapshot(org)
    form = forms.OrganisationForm(request.POST or None, instance=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            people.update_organisation(by=request.user, org=form.instance, before=before)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:  # the service's own check (e.g. a district by a unit admin)
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存“{org.name}”")
            return redirect("console:organisation_detail", org.pk)
    return render(request, "console/organisations/form.html", {"form": form, "org": org})


@require_POST
@admin_required
def organisation_set_active(request, pk):
    org = _visible_org(request, pk)
    active = request.POST.get("active") == "1"
    require(can_restructure_organisation(request.user, org), "只有上级组织的管理员可以启用或停用该组织")
    try:
        people.set_organisation_active(by=request.user, org=org, active=active)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已{'启用' if active else '停用'}“{org.name}”")
    return redirect("console:organisation_detail", org.pk)


@require_POST
@admin_required
def organisation_headcount(request, pk):
    org = _visible_org(request, pk)
    require(can_set_headcount(request.user, org), "青工人数由上级组织的管理员填写")
    form = forms.HeadcountForm(request.POST)
    if form.is_valid():
        participation = set_headcount(
            by=request.user,
            campaign=form.cleaned_data["campaign"],
            organisation=org,
            young_workers=form.cleaned_data["young_workers"],
        )
        messages.success(
            request,
            f"已保存：{participation.campaign.year} 年青工 {participation.young_workers} 人，"
            f"上报名额 {participation.quota} 项",
        )
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("console:organisation_detail", org.pk)


# ---------------------------------------------------------------- import


@importer_required
def import_units(request):
    """Upload → preview (what would be created, updated, left unchanged; nothing written) →
    confirm. The file waits in the session between the two; confirming checks it again."""
    form = forms.ImportForm(
        request.POST or None, request.FILES or None, initial={"campaign": Campaign.objects.current()}
    )
    preview = result = None
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get(UNIT_IMPORT_SESSION_KEY)
        if not pending or pending.get("token") != request.POST["confirm"]:
            messages.error(request, "导入预览已失效，请重新上传文件")
            return redirect("console:import_units")
        campaign = Campaign.objects.get(pk=pending["campaign"])
        upload = SimpleUploadedFile(pending["name"], base64.b64decode(pending["data"]))
        result = imports.import_units(campaign=campaign, file=upload, by=request.user)
        form = forms.ImportForm(initial={"campaign": campaign})
        if result.ok:
            del request.session[UNIT_IMPORT_SESSION_KEY]
            messages.success(
                request,
                f"导入完成：新建 {len(result.created)} 个单位，更新 {len(result.updated)} 个，"
                f"未变化 {len(result.unchanged)} 个"
                + (f"；模板示例行（第 {'、'.join(map(str, result.skipped))} 行）已跳过" if result.skipped else ""),
            )
    elif request.method == "POST" and form.is_valid():
        upload, campaign = form.cleaned_data["file"], form.cleaned_data["campaign"]
        data = upload.read()
        upload.seek(0)
        preview = imports.import_units(campaign=campaign, file=upload, by=request.user, dry_run=True)
        if preview.ok:
            token = secrets.token_urlsafe(16)
            request.session[UNIT_IMPORT_SESSION_KEY] = {
                "token": token,
                "name": upload.name,
                "campaign": campaign.pk,
                "data": base64.b64encode(data).decode(),
            }
            preview.token = token
        else:
            request.session.pop(UNIT_IMPORT_SESSION_KEY, None)
    failed = next((r for r in (preview, result) if r is not None and not r.ok), None)
    return render(
        request,
        "console/import.html",
        {"form": form, "preview": preview if preview and preview.ok else None, "result": result, "failed": failed},
        status=422 if failed else 200,
    )


@require_safe
@importer_required
def import_template(request):
    response = HttpResponse(
        imports.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, imports.TEMPLATE_FILENAME)
    return response


# ---------------------------------------------------------------- invitations


@require_safe
@admin_required
def invitations(request):
    filters = InvitationFilter(request.GET or None, invitations_visible_to(request.user))
    queryset = filters.qs.order_by("-created_at", "-pk")
    return render(
        request,
        "console/invitations/list.html",
        {
            "page": _page(request, queryset),
            "filters": filters.form,
            "query": _query_without_page(request),
        },
    )


@admin_required
def invitation_create(request):
    org_id = request.GET.get("organisation", "")
    org = organisations_visible_to(request.user).filter(pk=org_id).first() if org_id.isdigit() else None
    form = forms.InvitationForm(request.POST or None, user=request.user, initial={"organisation": org})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation, link = people.invite(
            by=request.user,
            organisation=data["organisation"],
            role=data["role"],
            real_name=data["real_name"],
            mobile=data["mobile"],
            email=data["email"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        # The link exists only now (the database keeps its hash): hand it to the next page once.
        links = request.session.get(LINK_SESSION_KEY, {})
        links[str(invitation.pk)] = link
        request.session[LINK_SESSION_KEY] = links
        return redirect("console:invitation_created", invitation.pk)
    return render(
        request,
        "console/invitations/form.html",
        {
            "form": form,
            "invitation_days": settings.WUXIAO_INVITATION_DAYS,
        },
    )


@require_safe
@admin_required
def invitation_created(request, pk):
    invitation = get_visible_or_404(invitations_visible_to(request.user), pk=pk)
    links = request.session.get(LINK_SESSION_KEY, {})
    link = links.pop(str(pk), None)
    request.session[LINK_SESSION_KEY] = links
    return render(request, "console/invitations/created.html", {"invitation": invitation, "link": link})


@require_POST
@admin_required
def invitation_revoke(request, pk):
    invitation = get_visible_or_404(invitations_visible_to(request.user), pk=pk)
    try:
        people.revoke_invitation(by=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已撤销对 {invitation.real_name} 的邀请")
    return redirect("console:invitations")


# ---------------------------------------------------------------- members


@require_safe
@admin_required
def members(request):
    filters = MemberFilter(request.GET or None, memberships_visible_to(request.user), user=request.user)
    queryset = filters.qs.order_by("organisation__path", "user__real_name", "role", "pk")
    return render(
        request,
        "console/members/list.html",
        {
            "page": _page(request, queryset),
            "filters": filters.form,
            "query": _query_without_page(request),
        },
    )


@require_POST
@admin_required
def member_revoke(request, pk):
    membership = get_visible_or_404(memberships_visible_to(request.user), pk=pk)
    require(can_revoke_role(request.user, membership), "不能撤销自己的管理员角色，请由上级组织管理员操作")
    people.revoke_role(by=request.user, membership=membership)
    messages.success(
        request,
        f"已撤销 {membership.user.display_name} 在“{membership.organisation.name}”的"
        f"“{membership.get_role_display()}”角色",
    )
    return redirect(request.POST.get("next") or "console:members")


# ---------------------------------------------------------------- audit log (committee and districts, read-only)


def audit_entries_visible_to(user):
    """The committee reads every entry; a district admin those filed under its subtree."""
    if is_committee_admin(user):
        return AuditEntry.objects.all()
    scope = Q(pk__in=[])
    for org in admin_organisations(user):
        if org.kind == OrgKind.DISTRICT:
            scope |= Q(organisation_path__startswith=org.path)
    return AuditEntry.objects.filter(scope)


@require_safe
@audit_reader_required
def audit_log(request):
    visible = audit_entries_visible_to(request.user)
    actions = visible.order_by("action").values_list("action", flat=True).distinct()
    choices = sorted(((a, action_label(a)) for a in actions), key=lambda c: (c[1] == c[0], c[1]))
    filters = AuditFilter(request.GET or None, visible, actions=choices)
    page = _page(request, filters.qs.order_by("-created_at", "-id"))
    return render(
        request,
        "console/audit/list.html",
        {
            "page": page,
            "rows": audit_rows(page.object_list),
            "filters": filters.form,
            "query": _query_without_page(request),
        },
    )


# ---------------------------------------------------------------- stage extensions (committee)


@committee_required
def extensions(request):
    campaign = Campaign.objects.current()
    form = forms.StageExtensionForm(request.POST or None, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ext = extend_stage(
                by=request.user,
                stage=data["stage"],
                organisation=data["organisation"],
                until=data["until"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"已将“{ext.organisation.name}”的{ext.stage.get_kind_display()}阶段延长至 {ext.until}"
            )
            return redirect(_safe_next(request) or "console:extensions")
    queryset = (
        StageExtension.objects.filter(stage__campaign=campaign)
        .select_related("stage", "organisation", "granted_by")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "console/extensions.html",
        {
            "campaign": campaign,
            "form": form,
            "page": _page(request, queryset),
        },
    )
