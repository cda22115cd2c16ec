from django.contrib.sessions.backends import cached_db

from wuxiao.people.sessions import CompiledRead


class SessionStore(CompiledRead, cached_db.SessionStore):
    pass
