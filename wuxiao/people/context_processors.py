from wuxiao.people.permissions import ADMINISTERS, is_org_admin


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Read with the user (people.backends) unless the page has read the user's roles anyway.
    known = getattr(user, ADMINISTERS, None)
    if known is not None and not hasattr(user, "_memberships_cache"):
        return {"nav_is_admin": known}
    return {"nav_is_admin": is_org_admin(user)}
