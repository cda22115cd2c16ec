from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "wuxiao.projects"
    verbose_name = "项目申报"
