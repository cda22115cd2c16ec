"""个人资料 → API 令牌: create (shown once), list, revoke; only one's own."""

import re

import pytest
from django.urls import reverse

from wuxiao.people.models import ApiToken
from wuxiao.people.services import create_api_token

pytestmark = pytest.mark.django_db


def test_profile_links_to_the_token_page(client_for, carol_applicant):
    html = client_for(carol_applicant).get(reverse("portal:profile")).content.decode()
    assert reverse("portal:api_tokens") in html


def test_token_is_shown_once(client_for, carol_applicant):
    client = client_for(carol_applicant)
    response = client.post(reverse("portal:api_tokens"), {"name": "单位 OA 同步", "scope": "write"})
    assert response.status_code == 200
    token = re.search(r'data-testid="token">(wx_[^<]+)<', response.content.decode()).group(1)
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.scope, row.prefix) == (carol_applicant, "单位 OA 同步", "write", token[:8])
    again = client.get(reverse("portal:api_tokens")).content.decode()
    assert token not in again and f"{token[:8]}…" in again
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()["token_scope"] == "write"


def test_name_is_required(client_for, carol_applicant):
    response = client_for(carol_applicant).post(reverse("portal:api_tokens"), {"name": "", "scope": "read"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke_own_token_only(client_for, carol_applicant, mallory):
    row, token = create_api_token(user=carol_applicant, name="OA", scope="read")
    assert client_for(mallory).post(reverse("portal:api_token_revoke", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None
    client = client_for(carol_applicant)
    response = client.post(reverse("portal:api_token_revoke", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    client.logout()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("portal:api_tokens"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
