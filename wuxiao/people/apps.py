from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "wuxiao.people"
    verbose_name = "人员与组织"
