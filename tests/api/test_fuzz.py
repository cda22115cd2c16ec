"""A property-based run over the whole OpenAPI schema (schemathesis): every operation gets
generated valid and invalid requests, as a unit admin and as an applicant, with made-up ids
and with the ids of real projects. The expert's review operations also run as an expert
with a real assignment in an open round, and the results operations as the committee, over
a published award sheet. No answer may be a 5xx or break the schema it declares.

Bounded: FUZZ_EXAMPLES examples per operation and mode (no shrinking, no example database).
The total is printed (pytest -s) and asserted to be at least one per operation and mode."""

import os

import pytest
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.openapi import from_wsgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wuxiao.people.services import create_api_token

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 6))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _ids_for(operation, world, unit_a, campaign, assignment=None) -> dict:
    """Real ids for the path parameters this operation has."""
    from wuxiao.awards.models import Award, PatentCase
    from wuxiao.projects.models import AdvisorAssignment, Attachment, StoredFile
    from wuxiao.reviews.models import DuplicateFlag

    names = {p.name for p in operation.path_parameters}
    in_round = "/review-rounds/" in operation.path
    known = {
        "project_id": (
            world["forwarded"].pk
            if in_round
            else world["workshop"].pk
            if "opinions" in operation.path
            else world["accepted"].pk
        ),
        "org_id": unit_a.pk,
        "campaign_id": campaign.pk,
        "assignment_id": assignment.pk if assignment is not None else None,
        "number": 1,
        "round_id": assignment.round_id if assignment is not None else None,
        "award_id": Award.objects.values_list("pk", flat=True).first(),
        "case_id": PatentCase.objects.values_list("pk", flat=True).first(),
        "flag_id": DuplicateFlag.objects.values_list("pk", flat=True).first(),
        "user_id": AdvisorAssignment.objects.filter(project=world["accepted"])
        .values_list("advisor_id", flat=True)
        .first(),
        "attachment_id": Attachment.objects.values_list("pk", flat=True).first(),
        "file_id": StoredFile.objects.filter(purpose="result_evidence").values_list("pk", flat=True).first(),
    }
    if "record_id" in names:
        from wuxiao.projects.models import WorkRecord

        known["record_id"] = WorkRecord.objects.filter(project=world["accepted"]).values_list("pk", flat=True).first()
    if "member_id" in names:
        from wuxiao.projects.models import TeamMember

        known["member_id"] = TeamMember.objects.values_list("pk", flat=True).first()
    return {k: v for k, v in known.items() if k in names and v is not None}


def _reviews_and_results(world, campaign, alice_committee, dave_expert):
    """An open blind round with dave's assignment to the forwarded project, and published results."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from tests.factories import attachment, open_stage
    from wuxiao.awards import services as awards
    from wuxiao.awards.rules import Ranked
    from wuxiao.reviews import services as reviews
    from wuxiao.reviews.models import Assignment, ExpertProfile

    open_stage(campaign, "review")
    today = timezone.localdate()
    round = reviews.create_round(
        by=alice_committee,
        campaign=campaign,
        name="初评",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=5),
    )
    ExpertProfile.objects.create(user=dave_expert, categories=["机械"])
    assignment = Assignment.objects.create(round=round, project=world["forwarded"], expert=dave_expert)
    attachment(world["forwarded"], "说明书.pdf")
    from wuxiao.reviews.models import DuplicateFlag

    DuplicateFlag.objects.create(project=world["forwarded"], other=world["approved"], similarity="0.8")
    type(world["forwarded"]).objects.filter(pk=world["forwarded"].pk).update(patent_willing=True)
    awards.propose_awards(
        campaign=campaign,
        by=alice_committee,
        ranking=[Ranked(world["forwarded"].pk, Decimal("90"))],
        basis="初评",
        specials=0,
    )
    awards.lock_results(campaign=campaign, by=alice_committee)
    awards.publish_results(campaign=campaign, by=alice_committee)
    return assignment


COMMITTEE_PARTS = (
    "/stage-extensions",
    "/send-back",
    "/review-rounds",
    "/review-experts",
    "/duplicates",
    "/award-sheet",
    "/organisation-awards",
    "/patents",
    "/api/salons",
    "/public-entry",
)


def _users_for(operation, everyone: dict, expert: dict, committee: dict) -> dict:
    """The applicant and the unit admin run every operation; the expert the review ones, the
    committee its own (review management, the award sheet and its changes, salons, organisations)."""
    if operation.path.startswith("/api/reviews/"):
        return everyone | expert
    if any(part in operation.path for part in COMMITTEE_PARTS) or operation.path.startswith("/api/organisations"):
        return everyone | committee  # 新建、编辑组织 too: the committee's are the ones that succeed
    return everyone


def test_whole_schema(
    settings_override,
    world,
    campaign,
    unit_a,
    bob_unit_admin,
    carol_applicant,
    alice_committee,
    dave_expert,
    capsys,
):
    from datetime import date

    from wuxiao.projects.models import TeamMember, WorkRecord

    WorkRecord.objects.create(
        project=world["accepted"], date=date(2024, 8, 1), done="样机装配", created_by=carol_applicant
    )
    TeamMember.objects.create(
        project=world["draft"], name="韦小敏", gender="F", birth_date=date(1998, 3, 12), education="college"
    )
    assignment = _reviews_and_results(world, campaign, alice_committee, dave_expert)
    schema = from_wsgi("/api/openapi.json", get_wsgi_application())

    def token(who):
        return {who.username: create_api_token(user=who, name="fuzz", scope="write")[1]}

    everyone = token(bob_unit_admin) | token(carol_applicant)
    expert, committee = token(dave_expert), token(alice_committee)
    run = {"examples": 0, "operations": 0}

    for result in schema.get_all_operations():
        operation = result.ok()
        run["operations"] += 1
        real_ids = _ids_for(operation, world, unit_a, campaign, assignment)
        for who, token in _users_for(operation, everyone, expert, committee).items():
            headers = {"Authorization": f"Bearer {token}"}
            runs = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
            if real_ids:
                runs.append((GenerationMode.POSITIVE, real_ids))
            for mode, ids in runs:
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=ids)
                try:
                    _fuzz(strategy, headers, run)
                except Exception as exc:
                    raise AssertionError(f"{operation.label} as {who} ({mode}, ids={ids}): {exc}") from exc

    with capsys.disabled():
        print(f"\nschemathesis: {run['examples']} examples over {run['operations']} operations")
    assert run["operations"] >= 105
    assert run["examples"] >= run["operations"] * 2 * 2


def _fuzz(strategy, headers: dict, run: dict) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        run["examples"] += 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


@pytest.fixture
def settings_override(settings):
    """Limits out of the way, and the test's database connection kept open: a bare WSGI call
    (unlike Django's test client) closes "old" connections when each request ends, which on
    PostgreSQL would close the connection holding the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # The fuzz run writes far more than any person; the limits have their own tests.
    settings.WUXIAO_API_WRITE_RATE = "100000/min"
    settings.WUXIAO_API_WRITE_RATE_PER_ADDRESS = "100000/min"
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
