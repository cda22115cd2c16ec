"""Input that does not parse is answered 422 in the one error shape, in Chinese."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_bad_types_name_the_field(api_as, draft, carol_applicant):
    response = api_as(carol_applicant).patch(
        f"/projects/{draft.pk}", {"version": draft.version, "economic_benefit": "十二万", "start_date": "6月1日"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "economic_benefit", "message": "economic_benefit：应为数字，例如：12.50", "code": "decimal_parsing"},
        {"field": "start_date", "message": "start_date：日期格式应为 2024-06-01", "code": "date_from_datetime_parsing"},
    ]


def test_missing_version_and_too_long_name(api_as, draft, carol_applicant):
    response = api_as(carol_applicant).patch(f"/projects/{draft.pk}", {"name": "长" * 101})
    assert {(e["field"], e["message"]) for e in response.json()["errors"]} == {
        ("version", "version：必须填写"),
        ("name", "name：最多 100 个字"),
    }


def test_nul_characters_are_refused(api_as, draft, carol_applicant):
    response = api_as(carol_applicant).patch(f"/projects/{draft.pk}", {"version": draft.version, "reason": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "reason：不能包含空字符（\\x00）"
    draft.refresh_from_db()
    assert draft.reason == ""


def test_body_that_is_not_json(api_as, draft, carol_applicant):
    api = api_as(carol_applicant)
    response = api.client.patch(
        f"/api/projects/{draft.pk}", data="{not json", content_type="application/json", **api.headers
    )
    assert response.status_code == 400
    assert json.loads(response.content)["errors"] == [
        {
            "field": None,
            "message": "请求内容无法解析：应为有效的 JSON（Content-Type: application/json）或表单",
            "code": "parse_error",
        }
    ]
