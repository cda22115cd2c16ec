"""manage.py demo_data: 评审认定 — the 2024 history fully reviewed; with --stage review the
current campaign has a round with assignments and part-finished scores."""

from io import StringIO

import pytest
from django.core.management import call_command

from wuxiao.demo import build
from wuxiao.projects.models import Opinion
from wuxiao.reviews.models import Assignment, AssignmentStatus, ExpertProfile, Review, ReviewRound

pytestmark = pytest.mark.django_db


def test_review_stage_demo_and_complete_history():
    call_command("demo_data", "--scale", "0.1", "--stage", "review", stdout=StringIO())
    assert ExpertProfile.objects.filter(user__username="expert").exists()

    history = ReviewRound.objects.get(campaign__slug=build.BASE_CAMPAIGN_SLUG)
    assigned = Assignment.objects.filter(round=history, status=AssignmentStatus.ACTIVE)
    assert assigned.count() >= 3
    assert Review.objects.filter(assignment__in=assigned, submitted_at__isnull=False).count() == assigned.count()
    assert Opinion.objects.filter(project__campaign=history.campaign, step="committee").exists()

    current = ReviewRound.objects.get(campaign__slug=build.DEMO_CAMPAIGN_SLUG)
    assigned = Assignment.objects.filter(round=current, status=AssignmentStatus.ACTIVE)
    submitted = Review.objects.filter(assignment__in=assigned, submitted_at__isnull=False).count()
    assert 0 < submitted < assigned.count()
    assert assigned.filter(expert__username="expert").exists()
    assert current.is_open_on()

    call_command("demo_data", "--reset", "--scale", "0.1", stdout=StringIO())
    assert not ReviewRound.objects.filter(campaign__slug=build.DEMO_CAMPAIGN_SLUG).exists()
