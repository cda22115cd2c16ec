"""Django's database sessions (`db`, and `cached_db` when Redis keeps them in front), with
the row read compiled once per process: every request of a signed-in user reads it (or, with
Redis, every request that misses the cache). `settings.SESSION_ENGINE` names one of the two."""

from django.contrib.sessions.models import Session
from django.utils import timezone

from wuxiao.lib.compiled import Compiled

# by key alone, the expiry compared here: the compiled SQL has no "now" to bind
_SESSION_BY_KEY = Compiled(lambda key: Session.objects.filter(session_key=key).order_by())


class CompiledRead:
    """Mixed into a database session store ahead of Django's: the same answer as its
    `objects.get(session_key=…, expire_date__gt=now)` — an expired or missing row is no session."""

    def _get_session_from_db(self):
        row = _SESSION_BY_KEY.first(key=self.session_key)
        if row is None or row.expire_date <= timezone.now():
            self._session_key = None
            return None
        return row
