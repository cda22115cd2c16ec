"""The JSON API: /api/openapi.json, interactive docs at /api/docs (Swagger UI served from
the django-ninja package, no CDN). See docs/api.md."""

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as InputError

from wuxiao.api import errors
from wuxiao.api.auth import AUTH, THROTTLES


class Api(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        """django-ninja drops what was sent from each error; a date's text is kept, so that
        2023-02-30 is answered as a day that does not exist rather than as a wrong format."""
        sent = [e.get("input") for c in error_contexts for e in c.pydantic_validation_error.errors(include_url=False)]
        exc = super().validation_error_from_error_contexts(error_contexts)
        for error, value in zip(exc.errors, sent, strict=False):
            if str(error.get("type", "")).startswith("date") and isinstance(value, str):
                error["date_text"] = value[:40]
        return exc


api = Api(
    title="五小竞赛平台 API",
    version="1",
    description=(
        "与网页相同的权限和校验提示。认证：个人 API 令牌（个人资料 → API 令牌，"
        "`Authorization: Bearer wx_…`）或本站登录会话（写操作带 X-CSRFToken）。"
        '错误统一为 `{"errors": [{"field", "message", "code"}]}`。'
    ),
    urls_namespace="api",
    auth=AUTH,
    throttle=THROTTLES,
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _respond(request, status: int, body: dict, **headers):
    response = api.create_response(request, body, status=status)
    for key, value in headers.items():
        response[key] = value
    return response


@api.exception_handler(ValidationError)
@api.exception_handler(PermissionDenied)
@api.exception_handler(Http404)
def service_error(request, exc):
    status, body = errors.status_and_body(exc)
    return _respond(request, status, body)


@api.exception_handler(InputError)
def input_error(request, exc: InputError):
    return _respond(request, 422, errors.from_pydantic_errors(exc.errors))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _respond(
        request,
        401,
        errors.body(
            (None, "请先登录，或在请求头 Authorization: Bearer <令牌> 中提供有效的 API 令牌", "not_authenticated")
        ),
        **{"WWW-Authenticate": 'Bearer realm="api"'},
    )


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    rule, wait = getattr(request, "throttled", ("写操作频率超过限制", 60))
    seconds = max(1, math.ceil(wait))
    return _respond(
        request,
        429,
        errors.body((None, f"写操作过于频繁：{rule}，请 {seconds} 秒后再试", "throttled")),
        **{"Retry-After": str(seconds)},
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400:  # django-ninja could not parse the body
        message = "请求内容无法解析：应为有效的 JSON（Content-Type: application/json）或表单"
        return _respond(request, 400, errors.body((None, message, "parse_error")))
    return _respond(request, exc.status_code, errors.body((None, str(exc), "error")))


from wuxiao.api import awards, general, people, projects, results, review_admin, reviews, salons, unit, work  # noqa: E402

api.add_router("", general.router)
api.add_router("", people.router)
api.add_router("", projects.router)
api.add_router("", work.router)
api.add_router("", unit.router)
api.add_router("", reviews.router)
api.add_router("", results.router)
api.add_router("", review_admin.router)
api.add_router("", awards.router)
api.add_router("", salons.router)
