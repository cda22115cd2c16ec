"""The one way views fetch objects for a user: 404 when the user may not see the object,
403 (with a Chinese reason) when they may see it but not do what they asked."""

import ipaddress
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def client_ip(request) -> str | None:
    """The address of the person making the request.

    Behind `WUXIAO_TRUSTED_PROXIES` reverse proxies (nginx: 1) each of which appends the
    address it saw to X-Forwarded-For, the client is that many entries from the right; what
    the client itself put further left is never believed. With no proxies configured the
    header is ignored, since anyone could send one to dodge the sign-in lockout.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "WUXIAO_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


def get_visible_or_404(visible_queryset, **lookup):
    return get_object_or_404(visible_queryset, **lookup)


def require(allowed: bool, reason: str) -> None:
    if not allowed:
        raise PermissionDenied(reason)


def login_and(predicate, reason: str):
    """Decorator: signed in (else the login page) and predicate(user) (else 403)."""
    from django.contrib.auth.decorators import login_required

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(predicate(request.user), reason)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
