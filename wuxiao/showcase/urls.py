from django.urls import path

from wuxiao.showcase import views

app_name = "showcase"
urlpatterns = [
    path("", views.home, name="home"),
]
