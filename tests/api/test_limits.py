"""Write endpoints are rate limited per token (or signed-in user) and per address; reads are not."""

import pytest

from tests.api.conftest import messages
from wuxiao.projects.models import Project

pytestmark = pytest.mark.django_db


def test_writes_per_token_are_limited_with_a_chinese_429(settings, api_as, registration_open, carol_applicant):
    settings.WUXIAO_API_WRITE_RATE = "2/min"
    api = api_as(carol_applicant)
    assert [api.post("/projects", {"name": f"第{i}个"}).status_code for i in range(2)] == [201, 201]
    limited = api.post("/projects", {"name": "第三个"})
    assert limited.status_code == 429
    assert limited["Retry-After"].isdigit() and 0 < int(limited["Retry-After"]) <= 60
    assert limited.json()["errors"][0]["code"] == "throttled"
    assert messages(limited)[0].startswith("写操作过于频繁：每个令牌（或登录用户）每 60 秒最多 2 次写操作，请 ")
    assert Project.objects.count() == 2
    # reads go on, and another person's token has a window of its own
    assert api.get("/projects").status_code == 200
    assert api_as(carol_applicant).post("/projects", {"name": "另一个令牌"}).status_code == 201


def test_writes_per_address_are_limited(settings, api_as, registration_open, carol_applicant, grace_member):
    settings.WUXIAO_API_WRITE_RATE_PER_ADDRESS = "3/min"
    assert api_as(carol_applicant).post("/projects", {"name": "1"}).status_code == 201
    assert api_as(carol_applicant).post("/projects", {"name": "2"}).status_code == 201
    assert api_as(grace_member).post("/projects", {"name": "3"}).status_code == 201
    limited = api_as(grace_member).post("/projects", {"name": "4"})
    assert limited.status_code == 429
    assert "每个网络地址每 60 秒最多 3 次写操作" in messages(limited)[0]
    # from another address the same person may go on
    assert api_as(grace_member).post("/projects", {"name": "5"}, REMOTE_ADDR="10.0.0.9").status_code == 201
