"""Each app process keeps the stage windows it has read, under the campaign's
`stages_version`: a rush does not read them on every request, and a stage or an extension
written anywhere is seen at once (the campaign row, read anew by each request, carries the
new version)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuxiao.campaigns.models import Campaign, StageKind
from wuxiao.campaigns.services import extend_stage, stage_windows, stages_changed

pytestmark = pytest.mark.django_db


def fresh(campaign):
    """The campaign as the next request reads it."""
    return Campaign.objects.get(pk=campaign.pk)


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


def test_the_windows_are_read_once_per_version(campaign, unit_a):
    one, two = fresh(campaign), fresh(campaign)  # two requests
    first, n = queries(lambda: stage_windows(one, unit_a))
    assert n == 1 and first[StageKind.REGISTRATION] == (date(2024, 6, 1), date(2024, 6, 30))
    again, n = queries(lambda: stage_windows(two, unit_a))
    assert n == 0 and again == first
    again[StageKind.REGISTRATION] = None  # a caller's copy: the kept windows are not changed
    assert stage_windows(fresh(campaign), unit_a) == first


def test_a_stage_saved_elsewhere_is_seen_by_the_next_request(campaign, unit_a):
    """Another process's cache: what it kept is under the old version, which the campaign
    row no longer carries."""
    before = fresh(campaign)
    stage_windows(before, unit_a)
    stage = campaign.stages.get(kind=StageKind.REGISTRATION)
    stage.ends_on = date(2024, 7, 15)
    stage.save()
    after = fresh(campaign)
    assert after.stages_version != before.stages_version
    assert stage_windows(after, unit_a)[StageKind.REGISTRATION] == (date(2024, 6, 1), date(2024, 7, 15))


def test_an_extension_granted_or_revoked_is_seen_at_once(campaign, unit_a, unit_a2, alice_committee):
    request_campaign = fresh(campaign)  # read before the extension, as by a request under way
    assert stage_windows(request_campaign, unit_a)[StageKind.REGISTRATION][1] == date(2024, 6, 30)
    stage = campaign.stages.get(kind=StageKind.REGISTRATION)
    ext = extend_stage(by=alice_committee, stage=stage, organisation=unit_a, until=date(2024, 7, 7), reason="检修")
    assert fresh(campaign).stages_version != request_campaign.stages_version
    assert stage_windows(request_campaign, unit_a)[StageKind.REGISTRATION][1] == date(2024, 7, 7)
    assert stage_windows(fresh(campaign), unit_a)[StageKind.REGISTRATION][1] == date(2024, 7, 7)
    assert stage_windows(fresh(campaign), unit_a2)[StageKind.REGISTRATION][1] == date(2024, 6, 30)
    version = fresh(campaign).stages_version
    ext.delete()
    assert fresh(campaign).stages_version != version
    assert stage_windows(fresh(campaign), unit_a)[StageKind.REGISTRATION][1] == date(2024, 6, 30)


def test_a_stage_deleted_changes_the_version(campaign):
    version = fresh(campaign).stages_version
    campaign.stages.get(kind=StageKind.PROMOTION).delete()
    assert fresh(campaign).stages_version != version
    assert StageKind.PROMOTION not in stage_windows(fresh(campaign))


def test_a_campaign_saved_from_an_older_object_keeps_the_new_version(campaign):
    old = fresh(campaign)
    stage = campaign.stages.get(kind=StageKind.REGISTRATION)
    stage.save()
    new_version = fresh(campaign).stages_version
    old.theme = "新主题"
    old.save()  # all fields but the version
    saved = fresh(campaign)
    assert (saved.theme, saved.stages_version) == ("新主题", new_version)


def test_stages_written_with_update_need_stages_changed(campaign, unit_a):
    """queryset.update() sends no signal: the code that uses it says so itself."""
    stage_windows(fresh(campaign), unit_a)
    campaign.stages.filter(kind=StageKind.REGISTRATION).update(ends_on=date(2024, 6, 20))
    stages_changed(campaign)
    assert stage_windows(campaign, unit_a)[StageKind.REGISTRATION][1] == date(2024, 6, 20)
    assert stage_windows(fresh(campaign), unit_a)[StageKind.REGISTRATION][1] == date(2024, 6, 20)


def test_a_new_campaign_never_shares_windows_kept_for_another(campaign, committee):
    kept = stage_windows(fresh(campaign))
    other = Campaign.objects.create(
        slug="other", title="另一届", year=2025, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    other.stages.create(
        number=1, kind=StageKind.LAUNCH, starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 1) + timedelta(days=9)
    )
    assert stage_windows(fresh(other)) == {StageKind.LAUNCH: (date(2025, 1, 1), date(2025, 1, 10))}
    assert stage_windows(fresh(campaign)) == kept
