"""The one way views fetch objects for a user: 404 when the user may not see the object,
403 (with a Chinese reason) when they may see it but not do what they asked."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


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
