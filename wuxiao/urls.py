from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from wuxiao.api.api import api
from wuxiao.portal.forms import LoginForm, PasswordChangeForm
from wuxiao.showcase.views import healthz


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says: point them at the served icon
    (resolved per request, so importing the URLconf never needs the static manifest)."""

    permanent = True
    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        return static("wuxiao/favicon.svg")


urlpatterns = [
    path("", include("wuxiao.showcase.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("me/", include("wuxiao.portal.urls")),
    path("console/", include("wuxiao.console.urls")),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconView.as_view()),
    path("django-admin/", admin.site.urls),
]
