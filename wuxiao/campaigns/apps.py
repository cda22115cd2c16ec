from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wuxiao.campaigns"
    verbose_name = "竞赛活动"
