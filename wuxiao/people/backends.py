"""Sign-in by username or by mobile number; the signed-in user read once a request, with
what every page shows of them."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from wuxiao.lib.compiled import CompiledGet
from wuxiao.lib.phones import is_mobile, normalise_phone


def find_user(login: str):
    User = get_user_model()
    login = (login or "").strip()
    if is_mobile(login):
        user = User.objects.filter(mobile=normalise_phone(login)).first()
        if user:
            return user
    return User.objects.filter(username__iexact=login).first()


def axes_username(request, credentials):
    """The lockout key: the account a login names, whether typed as username or mobile,
    so five tries split between the two still lock the one account."""
    login = (credentials or {}).get("username") or request.POST.get("username", "")
    user = find_user(login)
    return user.username.lower() if user else (login or "").strip().lower()


# What every page shows of the signed-in user besides their row (the notifications' unread
# count, whether they administer an organisation), read in the same query as the user: name → a function giving the expression. Apps
# add theirs in AppConfig.ready; the value is then an attribute of request.user.
USER_ANNOTATIONS: dict[str, Callable] = {}


def _signed_in_users():
    users = get_user_model()._default_manager
    return users.annotate(**{name: expression() for name, expression in USER_ANNOTATIONS.items()})


# Compiled on the first request, once every app's ready() has added its annotation.
SIGNED_IN_USER = CompiledGet(_signed_in_users)


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            get_user_model()().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        user = SIGNED_IN_USER.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
