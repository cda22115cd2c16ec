"""What every page's layout (templates/base.html) needs besides the page's own context."""

from functools import cache

from django.urls import get_script_prefix, reverse

# The navigation bar's links: the same on every page, so reversed once per process (and
# script prefix) rather than by 13 `{% url %}` tags on each page (~0.6 ms a page).
NAV = {
    "home": "showcase:home",
    "salons": "showcase:salons",
    "certificate_check": "showcase:certificate_check",
    "dashboard": "portal:dashboard",
    "projects": "portal:projects",
    "my_work": "portal:my_work",
    "console": "console:home",
    "inbox": "portal:inbox",
    "profile": "portal:profile",
    "password_change": "password_change",
    "logout": "logout",
    "login": "login",
}


@cache
def _nav_urls(prefix: str) -> dict[str, str]:
    return {key: reverse(name) for key, name in NAV.items()}


def nav(request):
    return {"nav_urls": _nav_urls(get_script_prefix())}
