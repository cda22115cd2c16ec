from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "wuxiao.reviews"
    verbose_name = "评审认定"
