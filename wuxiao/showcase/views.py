import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wuxiao.campaigns.models import Campaign

logger = logging.getLogger(__name__)


@require_GET
def home(request):
    campaign = Campaign.objects.current()
    today = timezone.localdate()
    stages = []
    committee = []
    if campaign:
        stages = [(stage, stage.status_on(today)) for stage in campaign.stages.all()]
        committee = list(campaign.committee_members.all())
    return render(
        request,
        "showcase/home.html",
        {
            "campaign": campaign,
            "stages": stages,
            "committee": committee,
            "today": today,
            "current_stage": campaign.stage_on(today) if campaign else None,
        },
    )


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # the point of a health check is to report, not raise
        # The details (host, user) go to the log, never to an anonymous caller.
        logger.exception("healthz: database check failed")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": database, "vendor": connection.vendor})


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
