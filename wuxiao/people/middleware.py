import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser

TOUCHED_KEY = "_touched"


class IdleSessionMiddleware:
    """Sessions end after SESSION_COOKIE_AGE idle seconds (30 minutes): a signed-in user's
    activity pushes the end forward. Saving the session on every request would write the
    session row (or Redis key) on every click, the busiest write of a deadline rush, so the
    end is moved at most once every WUXIAO_SESSION_TOUCH_SECONDS (60): an idle session ends
    between 29 and 30 minutes after the last click, never later.

    Sits below SessionMiddleware, so the session is saved after this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            # The session store expires sessions too (database expiry date, Redis TTL), but
            # the idle rule is checked here as well, so it holds whatever the store does.
            last = session.get(TOUCHED_KEY)
            if last is not None and int(time.time()) - last >= settings.SESSION_COOKIE_AGE:
                session.flush()
                request.user = AnonymousUser()
        response = self.get_response(request)
        # Anonymous visitors without a session cookie cost nothing here (no key, no query).
        if session is not None and session.get(SESSION_KEY):
            now = int(time.time())
            last = session.get(TOUCHED_KEY, 0)
            if session.modified or now - last >= settings.WUXIAO_SESSION_TOUCH_SECONDS:
                session[TOUCHED_KEY] = now
        return response


def mark_session_touched(sender, request, user, **kwargs):
    """Signing in saves the session anyway: note the time, so the next request does not
    write it again (connected to user_logged_in in PeopleConfig.ready)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[TOUCHED_KEY] = int(time.time())
