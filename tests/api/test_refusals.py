"""The refusal matrix: every endpoint answers 401 to the anonymous and 404 to mallory (who
may see nothing) and to another unit's admin, and none of them changes a thing. The
exceptions are named: the published results are public (404 until published), the expert's
review endpoints refuse non-experts (403) before any lookup, and the committee's operations
(review management, the award sheet and its changes, 优秀组织奖, patents, organising salons, 成果发布) refuse everyone else
(403, the console's message) before any lookup; so does 新建组织 for anyone but the committee
and district admins."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import messages
from wuxiao.api.api import api as ninja_api
from wuxiao.audit.models import AuditEntry
from wuxiao.awards.models import AwardSheet, OrganisationAward
from wuxiao.people.models import Membership, Organisation
from wuxiao.projects.models import Opinion, Project, StoredFile, TeamMember, WorkRecord, WorkRecordComment
from wuxiao.publication.models import PublicEntry
from wuxiao.reviews.models import Assignment, DuplicateFlag, ReviewRound
from wuxiao.salons.models import Salon

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


def snapshot_state():
    return (
        sorted(Project.objects.values_list("pk", "state", "version", "name", "level")),
        TeamMember.objects.count(),
        WorkRecord.objects.count(),
        WorkRecordComment.objects.count(),
        Opinion.objects.count(),
        AuditEntry.objects.count(),
        StoredFile.objects.count(),
        ReviewRound.objects.count(),
        Assignment.objects.count(),
        DuplicateFlag.objects.count(),
        list(AwardSheet.objects.values_list("pk", "status", "version")),
        OrganisationAward.objects.count(),
        sorted(Membership.objects.values_list("pk", flat=True)),
        sorted(Organisation.objects.values_list("pk", "is_active", "name", "parent_id")),
        sorted(Salon.objects.values_list("pk", "topic", "capacity", "notes")),
        sorted(PublicEntry.objects.values_list("project_id", "visible", "summary")),
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
        # the committee's operations refuse everyone else before any lookup
        "{round_id}": 1,
        "{flag_id}": 1,
        "{award_id}": 1,
        "{case_id}": 1,
        "{file_id}": 1,
        "{user_id}": 1,
        "{attachment_id}": 1,
        "{direction_id}": 1,
        "{salon_id}": 1,
        "{invitation_id}": 1,
        "{membership_id}": Membership.objects.filter(organisation=unit_a).values_list("pk", flat=True).first(),
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


PUBLIC_TO_SIGNED_IN = {"/me", "/campaigns", "/salons"}
COMMITTEE_PARTS = (
    "/send-back",
    "/stage-extensions",
    "/review-rounds",
    "/review-experts",
    "/duplicates",
    "/award-sheet",
    "/organisation-awards",
    "/patents",
    "/outcome",
    "/public-entry",
)


def is_committee_operation(path: str) -> bool:
    return any(part in path for part in COMMITTEE_PARTS)


def is_salon_organising(method: str, path: str) -> bool:
    """The committee's salon operations: announce (POST /salons), edit (PUT /salons/{id})."""
    return (method, path) == ("post", "/salons") or (method == "put" and path.startswith("/salons/"))


MULTIPART = ("/opinions", "/result/evidence", "/certificate-design", "/attachments", "/with-files")


def multipart_body(path: str) -> dict:
    if path.endswith("/result/evidence"):
        return {"files": SimpleUploadedFile("测试报告.pdf", PDF, content_type="application/pdf")}
    if path.endswith("/with-files"):
        png = SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
        return {"date": "2024-08-01", "done": "试运行", "files": png}
    if path.endswith("/attachments"):
        return {"file": SimpleUploadedFile("说明书.pdf", PDF, content_type="application/pdf")}
    if path.endswith("/certificate-design"):
        return {"wording": "特发此证，以资鼓励。"}
    if path.endswith("/outcome"):
        return {"notes": "马洛写的纪要"}
    return {"decision": "previous", "text": "退回"}


def valid_body(method, path, world, campaign):
    """A body that parses, so the refusal is about who asks, not what they sent."""
    if method in ("get", "delete"):
        return None
    if is_salon_organising(method, path):
        return {
            "topic": "马洛的沙龙",
            "starts_at": "2025-05-20T14:30:00+08:00",
            "place": "报告厅",
            "capacity": 10,
            "signup_deadline": "2025-05-18T18:00:00+08:00",
        }
    if (method, path) == ("post", "/organisations"):
        return {"name": "马洛的组织", "kind": "enterprise", "parent": world["accepted"].unit.parent_id}
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
        ("/stage-extensions", {"stage": "collection", "organisation": 1, "until": "2025-03-07", "reason": "检修"}),
        ("/active", {"active": False}),
        ("/invitations", {"role": "applicant", "real_name": "马洛"}),
        ("/headcount", {"campaign": campaign.pk, "young_workers": 100}),
        ("/directions", {"title": "数控加工工序的降本增效"}),
        ("/level", {"level": "general", "reason": "范围缩小"}),
        ("/resources", {"funding": "1.5"}),
        ("/advisors", {"advisor": 1}),
        ("/evaluate", {"self_grade": "A"}),
        ("/send-back", {"reason": "材料不全"}),
        ("/account", {"mobile": "13977200002"}),
        ("/invitation", {"mobile": "13977200002"}),
        ("/route", {"entry_route": "direct"}),
        ("/review-rounds", {"name": "初评", "opens_on": "2025-03-10", "closes_on": "2025-03-20"}),
        ("/rubric", {"criteria": [{"name": "创新性", "weight": "30", "max_score": "10"}]}),
        ("/ranking-method", {"method": "raw"}),
        ("/assign", {}),
        ("/assignments", {"project": world["forwarded"].pk, "expert": 1}),
        ("/urge", {}),
        ("/blind-check", {}),
        ("/opinions", {"step": "panel", "text": "同意评为一等奖"}),
        ("/schedule", {"seed": "20250415", "starts_at": "2025-04-15T09:00:00+08:00", "minutes": 15}),
        ("/scan", {}),
        ("/decision", {"decision": "distinct"}),
        ("/propose", {}),
        ("/adjust", {"level": "first", "reason": "评审小组复议"}),
        ("/lock", {}),
        ("/unlock", {"reason": "复核"}),
        ("/publish", {}),
        ("/organisation-awards", {"organisation": world["forwarded"].unit_id}),
        ("/advance", {"to": "coaching", "on": "2025-06-18"}),
        ("/review", {"scores": [], "comment": "很好"}),
        ("/decline", {"reason": "与负责人同一科室"}),
        ("/public-entry", {"visible": True, "summary": "马洛写的简介"}),
    ):
        if path.endswith(suffix):
            return body
    return {"version": 1, "name": "马洛改的"}  # PATCH of a project or a team member


@pytest.mark.parametrize("who", ["mallory", "eve_other_unit_admin"])
def test_every_endpoint_shows_outsiders_nothing(request, api_as, who, world, unit_a, campaign, settings):
    # More writes than a person makes in a minute; the limits have their own tests.
    settings.WUXIAO_API_WRITE_RATE = settings.WUXIAO_API_WRITE_RATE_PER_ADDRESS = "100000/min"
    api = api_as(request.getfixturevalue(who))
    operations = every_operation(world, unit_a, campaign)
    before = snapshot_state()
    for method, path in operations:
        path = path.removeprefix("/api")
        body = valid_body(method, path, world, campaign)
        if method == "post" and path.endswith(MULTIPART) and not is_committee_operation(path):
            response = api.client.post(f"/api{path}", multipart_body(path), **api.headers)  # as a form sends it
        elif path.endswith(("/certificate-design", "/outcome")):
            response = api.client.post(f"/api{path}", multipart_body(path), **api.headers)
        else:
            response = getattr(api, method)(path, body) if body is not None else getattr(api, method)(path)
        if method == "get" and (path in PUBLIC_TO_SIGNED_IN or path in ("/results", f"/campaigns/{campaign.pk}")):
            assert response.status_code == 200, (method, path)
        elif path.startswith("/reviews/"):
            assert response.status_code == 403, (method, path)  # not an expert
        elif path.endswith("/award-sheet"):
            assert response.status_code == 403, (method, path)
            assert messages(response) == ["只有组委会办公室可以查看奖项评定表"]
        elif is_committee_operation(path) or is_salon_organising(method, path):
            assert response.status_code == 403, (method, path, response.content.decode())
            assert messages(response) == ["仅组委会办公室可进行此操作"], (method, path)  # as the console
        elif method == "get" and path in ("/projects", "/organisations", "/invitations", "/memberships"):
            shown = {row["id"] for row in response.json()["items"]}
            assert response.status_code == 200 and not shown & {unit_a.pk, *(p.pk for p in world.values())}
        elif (method, path) == ("post", "/projects"):
            assert response.status_code == 422, (method, path)  # not an applicant anywhere
        elif (method, path) == ("post", "/organisations"):
            assert response.status_code == 403, (method, path)  # no committee or district role
            assert messages(response) == ["仅组委会办公室和县区/系统团组织管理员可以新建组织"]  # as the console
        else:
            assert response.status_code == 404, (method, path, response.content.decode())
    assert snapshot_state() == before
