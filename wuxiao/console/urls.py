from django.urls import path

from wuxiao.console import projects, views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisations, name="organisations"),
    # 申报: the unit's submitted projects
    path("projects/", projects.project_list, name="projects"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/return/", projects.project_return, name="project_return"),
]
