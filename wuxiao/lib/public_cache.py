"""Caching of the public showcase pages (no sign-in, the same for everyone).

Every cached page is keyed by one generation number; whatever changes public data (results
published, a public entry edited) calls `bump()`, and every public page is rebuilt on its next
visit. With Redis configured (REDIS_URL) all app servers share the cache and the generation."""

from functools import wraps

from django.core.cache import cache

GENERATION_KEY = "showcase:generation"
TIMEOUT = 600  # seconds; a bump makes every page stale at once, this only bounds memory


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def public_page(view):
    """Cache the rendered response of a public GET for anonymous visitors (signed-in people get
    the same content uncached, since the navigation bar shows their name)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = f"showcase:{generation()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            response.render() if hasattr(response, "render") else None
            response["Cache-Control"] = "public, max-age=60"
            cache.set(key, response, TIMEOUT)
        return response

    return wrapped
