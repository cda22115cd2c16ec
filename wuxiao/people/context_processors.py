from wuxiao.people.permissions import is_org_admin


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_is_admin": is_org_admin(user)}
