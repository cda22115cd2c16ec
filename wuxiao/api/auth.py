"""Who is calling: a personal API token (`Authorization: Bearer wx_…`) or the site's own
session (with its CSRF token on writes). A read-only token may not write. Writes are rate
limited per token (or signed-in user) and per address."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.throttling import BaseThrottle

from wuxiao.lib.http import client_ip
from wuxiao.people.services import authenticate_api_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    openapi_description = "个人 API 令牌：在“个人资料 → API 令牌”中创建，请求头 Authorization: Bearer wx_…"

    def authenticate(self, request: HttpRequest, token: str):
        api_token = authenticate_api_token(token)
        if api_token is None:
            return None
        if request.method not in SAFE_METHODS and not api_token.can_write:
            raise PermissionDenied(f"令牌“{api_token.name}”只有只读权限，不能修改数据；请创建读写令牌")
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class SiteSessionAuth(SessionAuth):
    """The session of the site's own pages; writes need the CSRF token (X-CSRFToken)."""

    openapi_description = "本站登录会话（Cookie）；写操作需在 X-CSRFToken 请求头中提供 CSRF 令牌"

    def _get_key(self, request: HttpRequest):
        try:
            return super()._get_key(request)
        except HttpError as exc:
            raise PermissionDenied(
                "CSRF 校验失败：使用登录会话调用写操作时，须在 X-CSRFToken 请求头中提供页面的 CSRF 令牌"
            ) from exc

    def authenticate(self, request: HttpRequest, key):
        if request.user.is_authenticated and request.user.is_active:
            request.api_token = None
            return request.user
        return None


AUTH = [TokenAuth(), SiteSessionAuth()]


PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/min" → (60, 60): requests allowed, window in seconds."""
    count, period = rate.split("/", 1)
    return int(count), PERIODS[period.strip()]


class WriteThrottle(BaseThrottle):
    """A sliding window over recent write requests, kept in Django's cache (Redis in
    production, so every worker counts together). Reads are not limited. Nothing about a
    request is kept on the instance: one instance serves every thread of a worker."""

    scope = ""
    setting = ""
    who = ""

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        if request.method in SAFE_METHODS:
            return True
        ident = self.ident(request)
        if ident is None:
            return True
        limit, seconds = parse_rate(getattr(settings, self.setting))
        key = f"api-write:{self.scope}:{ident}"
        now = time.time()
        history = [t for t in cache.get(key, []) if t > now - seconds]  # newest first
        if len(history) >= limit:
            request.throttled = (f"{self.who}每 {seconds} 秒最多 {limit} 次写操作", seconds - (now - history[-1]))
            return False
        cache.set(key, [now, *history], seconds)
        return True


class TokenWriteThrottle(WriteThrottle):
    scope = "token"
    setting = "WUXIAO_API_WRITE_RATE"
    who = "每个令牌（或登录用户）"

    def ident(self, request):
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"t{token.pk}"
        user = getattr(request, "user", None)
        return f"u{user.pk}" if user is not None and user.is_authenticated else None


class AddressWriteThrottle(WriteThrottle):
    scope = "address"
    setting = "WUXIAO_API_WRITE_RATE_PER_ADDRESS"
    who = "每个网络地址"

    def ident(self, request):
        return client_ip(request)


THROTTLES = [TokenWriteThrottle(), AddressWriteThrottle()]
