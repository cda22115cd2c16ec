from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "wuxiao.people"
    verbose_name = "人员与组织"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from wuxiao.people.backends import USER_ANNOTATIONS
        from wuxiao.people.middleware import mark_session_touched
        from wuxiao.people.permissions import ADMINISTERS, administers_expression

        USER_ANNOTATIONS[ADMINISTERS] = administers_expression

        user_logged_in.connect(mark_session_touched, dispatch_uid="wuxiao.people.mark_session_touched")
