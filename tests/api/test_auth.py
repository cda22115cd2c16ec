"""Who may call the API: personal tokens (hashed, scoped, revocable, last-used), the site's
session with CSRF on writes, nobody else; the docs and the schema are served locally."""

import hashlib
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.api.conftest import ApiClient, messages
from wuxiao.people.models import ApiToken
from wuxiao.people.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_in_chinese(anonymous, campaign):
    response = anonymous.get("/campaigns")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "errors": [
            {
                "field": None,
                "message": "请先登录，或在请求头 Authorization: Bearer <令牌> 中提供有效的 API 令牌",
                "code": "not_authenticated",
            }
        ]
    }


def test_token_is_stored_as_its_sha256_only(carol_applicant):
    row, token = create_api_token(user=carol_applicant, name="OA 同步", scope="read")
    assert token.startswith("wx_") and len(token) > 40
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.prefix == token[:8]
    assert not ApiToken.objects.filter(token_hash=token).exists()
    assert token not in str(ApiToken.objects.values_list().get())


def test_token_signs_in_and_records_last_use(carol_applicant, campaign):
    row, token = create_api_token(user=carol_applicant, name="OA 同步", scope="read")
    assert row.last_used_at is None
    response = ApiClient(token).get("/me")
    assert response.status_code == 200
    assert response.json()["username"] == "carol"
    assert response.json()["token_scope"] == "read"
    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.parametrize("token", ["wx_not-a-real-token", "not-even-the-prefix", ""])
def test_unknown_token_is_401(token, campaign):
    assert ApiClient(token).get("/campaigns").status_code == 401


def test_revoked_token_is_401(carol_applicant, campaign):
    row, token = create_api_token(user=carol_applicant, name="旧系统", scope="write")
    revoke_api_token(api_token=row, by=carol_applicant)
    assert ApiClient(token).get("/me").status_code == 401


def test_token_of_deactivated_user_is_401(carol_applicant, campaign):
    _row, token = create_api_token(user=carol_applicant, name="旧系统", scope="write")
    carol_applicant.is_active = False
    carol_applicant.save()
    assert ApiClient(token).get("/me").status_code == 401


def test_only_the_owner_revokes(carol_applicant, mallory):
    from django.core.exceptions import PermissionDenied

    row, _token = create_api_token(user=carol_applicant, name="OA", scope="read")
    with pytest.raises(PermissionDenied):
        revoke_api_token(api_token=row, by=mallory)
    row.refresh_from_db()
    assert row.revoked_at is None


def test_read_token_may_not_write(api_as, carol_applicant, registration_open):
    response = api_as(carol_applicant, scope="read").post("/projects", {"name": "只读令牌试图新建"})
    assert response.status_code == 403
    assert messages(response) == ["令牌“测试”只有只读权限，不能修改数据；请创建读写令牌"]
    assert not carol_applicant.led_projects.exists()


def test_session_reads_and_writes_with_csrf(carol_applicant, registration_open):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol_applicant, backend="wuxiao.people.backends.UsernameOrMobileBackend")
    api = ApiClient(client=client)
    assert api.get("/me").json()["token_scope"] == "session"

    refused = api.post("/projects", {"name": "没有 CSRF"})
    assert refused.status_code == 403
    assert "CSRF 校验失败" in messages(refused)[0]
    assert not carol_applicant.led_projects.exists()

    client.get("/me/profile/")  # the page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    created = api.post("/projects", {"name": "带 CSRF"}, HTTP_X_CSRFTOKEN=csrf)
    assert created.status_code == 201
    assert carol_applicant.led_projects.get().name == "带 CSRF"


def test_schema_is_served(anonymous):
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "五小竞赛平台 API"
    assert {"/api/projects", "/api/projects/{project_id}/submit", "/api/organisations/{org_id}/forward"} <= set(
        schema["paths"]
    )
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SiteSessionAuth"}


def test_docs_page_uses_only_local_assets(anonymous):
    response = anonymous.get("/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "a docs asset comes from outside the site"
    for asset in re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", html):
        assert finders.find(asset), asset
    settings_json = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    assert '"validatorUrl": null' in settings_json  # no call to the public validator either
