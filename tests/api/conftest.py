"""The API's fixtures: a JSON client signed in by a personal token (or the session), and
the projects of unit_a in the states the endpoints act on."""

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.projects.conftest import (  # noqa: F401 - fixtures shared with the service tests
    complete,
    draft,
    frank_refused_applicant,
    grace_member,
    registration_open,
    submitted,
)
from tests.reviews.conftest import (  # noqa: F401 - the review app's fixtures, for test_reviews
    assigned,
    experts,
    forwarded,
    review_open,
    round1,
)
from tests.unitflow import assign, make_project, open_stage
from wuxiao.people.services import create_api_token
from wuxiao.projects.states import ProjectState as S


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit windows live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


class ApiClient:
    """JSON in, JSON out, with `Authorization: Bearer …` for a user's token."""

    def __init__(self, token: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def _send(self, method, path, data=None, **extra):
        kwargs = {**self.headers, **extra}
        if data is not None and method != "get":
            kwargs.update(data=json.dumps(data, default=str), content_type="application/json")
        elif data is not None:
            kwargs["data"] = data
        return getattr(self.client, method)(f"/api{path}", **kwargs)

    def get(self, path, params=None, **extra):
        return self._send("get", path, params, **extra)

    def post(self, path, data=None, **extra):
        return self._send("post", path, data if data is not None else {}, **extra)

    def patch(self, path, data=None, **extra):
        return self._send("patch", path, data if data is not None else {}, **extra)

    def put(self, path, data=None, **extra):
        return self._send("put", path, data if data is not None else {}, **extra)

    def delete(self, path, **extra):
        return self._send("delete", path, **extra)


@pytest.fixture
def api_as(db):
    """api_as(user, scope="write") → an ApiClient using a fresh token of that user."""

    def _make(user, scope="write"):
        _row, token = create_api_token(user=user, name="测试", scope=scope)
        return ApiClient(token)

    return _make


@pytest.fixture
def anonymous():
    return ApiClient()


def messages(response) -> list[str]:
    return [e["message"] for e in response.json()["errors"]]


@pytest.fixture
def world(campaign, unit_a, bob_unit_admin, carol_applicant, advisors, walt_workshop, tina_tech, part_a):
    """One project of unit_a (led by carol) in each state the endpoints act on. Today is in stage 2
    (立项), where classification happens; tests of later actions open their own stage."""
    open_stage(campaign, "registration")
    p = {
        "submitted": make_project(campaign, unit_a, carol_applicant, name="待立项项目"),
        "accepted": make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key", name="攻关项目"),
        "workshop": make_project(
            campaign, unit_a, carol_applicant, state=S.RESULT_WORKSHOP, level="key", name="车间待审项目"
        ),
        "approved": make_project(
            campaign, unit_a, carol_applicant, state=S.UNIT_APPROVED, level="key", self_grade="A", name="待上报项目"
        ),
        "forwarded": make_project(
            campaign,
            unit_a,
            carol_applicant,
            state=S.FORWARDED,
            level="key",
            self_grade="A",
            name="已上报项目",
            forwarded_at=timezone.now(),
        ),
        "draft": make_project(campaign, unit_a, carol_applicant, state=S.DRAFT, name="草稿项目", submitted_at=None),
    }
    assign(p["accepted"], *advisors)
    return p
