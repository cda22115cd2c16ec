"""Sign-in by username or by mobile number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

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
