from wuxiao.notifications.services import unread_count as _unread_count


def unread_count(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": _unread_count(user)}
