from django.urls import path

from wuxiao.console import views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisations, name="organisations"),
]
