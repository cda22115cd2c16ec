"""The refusal matrix: every endpoint answers 401 to the anonymous and 404 to mallory (who
may see nothing) and to another unit's admin, and none of them changes a thing. The
exceptions are named: the published results are public (404 until published), the expert's
review endpoints refuse non-experts (403) before any lookup, and the committee's award sheet
refuses everyone else (403)."""

import pytest

from wuxiao.api.api import api as ninja_api
from wuxiao.audit.models import AuditEntry
from wuxiao.projects.models import Opinion, Project, TeamMember, WorkRecord, WorkRecordComment

pytestmark = pytest.mark.django_db


def snapshot_state():
    return (
        sorted(Project.objects.values_list("pk", "state", "version", "name", "level")),
        TeamMember.objects.count(),
        WorkRecord.objects.count(),
        WorkRecordComment.objects.count(),
        Opinion.objects.count(),
        AuditEntry.objects.count(),
    )


def every_operation(world, unit_a, campaign):
    """(method, path) of every operation in the schema, with real ids filled in."""
    record = WorkRecord.objects.create(
        project=world["accepted"], date="2024-08-01", done="样机装配", created_by=world["accepted"].leader
    )
    member = TeamMember.objects.create(
        project=world["draft"], name="韦小敏", gender="F", birth_date="1998-03-12", education="college"
    )
    ids = {
        "{project_id}": world["accepted"].pk,
        "{org_id}": unit_a.pk,
        "{campaign_id}": campaign.pk,
        "{record_id}": record.pk,
        "{member_id}": member.pk,
        "{assignment_id}": 1,  # refused by role before any lookup: no review round needed
        "{number}": 1,
    }
    operations = []
    for path, methods in ninja_api.get_openapi_schema()["paths"].items():
        for key, value in ids.items():
            path = path.replace(key, str(value))
        if "/members/" in path:
            path = path.replace(f"/projects/{world['accepted'].pk}/", f"/projects/{world['draft'].pk}/")
        operations += [(method, path) for method in methods]
    return operations


PUBLIC = {"/api/results": 200}  # and /api/results/{campaign_id}: 404 until published


def test_every_endpoint_refuses_the_anonymous(client, world, unit_a, campaign):
    operations = every_operation(world, unit_a, campaign)
    before = snapshot_state()
    for method, path in operations:
        response = getattr(client, method)(path, content_type="application/json")
        if path in PUBLIC:
            assert response.status_code == PUBLIC[path], (method, path)
        elif path == f"/api/results/{campaign.pk}":
            assert response.status_code == 404, (method, path)  # nothing published in this world
        else:
            assert response.status_code == 401, (method, path)
    assert snapshot_state() == before
    assert len(operations) >= 31


PUBLIC_TO_SIGNED_IN = {"/me", "/campaigns"}


def valid_body(method, path, world):
    """A body that parses, so the refusal is about who asks, not what they sent."""
    if method in ("get", "delete"):
        return None
    for suffix, body in (
        ("/forward", {"projects": [world["approved"].pk], "reporter_name": "马洛", "reporter_phone": "0772-2827423"}),
        ("/submit", {"version": 1}),
        ("/return", {"reason": "请补充"}),
        ("/refuse", {"reason": "不符合"}),
        ("/classify", {"level": "general"}),
        ("/result", {}),
        ("/comments", {"text": "很好"}),
        ("/work-records", {"date": "2024-08-01", "done": "试运行"}),
        ("/members", {"name": "马洛", "gender": "M", "birth_date": "1998-01-01", "education": "college"}),
        ("/opinions", {"decision": "previous", "text": "退回"}),
        ("/review", {"scores": [], "comment": "很好"}),
        ("/decline", {"reason": "与负责人同一科室"}),
    ):
        if path.endswith(suffix):
            return body
    return {"version": 1, "name": "马洛改的"}  # PATCH of a project or a team member


@pytest.mark.parametrize("who", ["mallory", "eve_other_unit_admin"])
def test_every_endpoint_shows_outsiders_nothing(request, api_as, who, world, unit_a, campaign):
    api = api_as(request.getfixturevalue(who))
    operations = every_operation(world, unit_a, campaign)
    before = snapshot_state()
    for method, path in operations:
        path = path.removeprefix("/api")
        body = valid_body(method, path, world)
        if path.endswith("/opinions") and method == "post":  # multipart, as a browser form sends it
            response = api.client.post(f"/api{path}", body, **api.headers)
        else:
            response = getattr(api, method)(path, body) if body is not None else getattr(api, method)(path)
        if method == "get" and (path in PUBLIC_TO_SIGNED_IN or path in ("/results", f"/campaigns/{campaign.pk}")):
            assert response.status_code == 200, (method, path)
        elif path.startswith("/reviews/") or path.endswith("/award-sheet"):
            assert response.status_code == 403, (method, path)  # not an expert, not the committee
        elif method == "get" and path in ("/projects", "/organisations"):
            shown = {row["id"] for row in response.json()["items"]}
            assert response.status_code == 200 and not shown & {unit_a.pk, *(p.pk for p in world.values())}
        elif (method, path) == ("post", "/projects"):
            assert response.status_code == 422, (method, path)  # not an applicant anywhere
        else:
            assert response.status_code == 404, (method, path, response.content.decode())
    assert snapshot_state() == before
