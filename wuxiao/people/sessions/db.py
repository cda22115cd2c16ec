from django.contrib.sessions.backends import db

from wuxiao.people.sessions import CompiledRead


class SessionStore(CompiledRead, db.SessionStore):
    pass
