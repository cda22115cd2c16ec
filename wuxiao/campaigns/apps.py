from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wuxiao.campaigns"
    verbose_name = "竞赛活动"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from wuxiao.campaigns.models import Stage, StageExtension

        for model in (Stage, StageExtension):
            post_save.connect(
                _stages_changed, sender=model, dispatch_uid=f"wuxiao.campaigns.stages_changed.{model.__name__}"
            )
            post_delete.connect(
                _stages_changed, sender=model, dispatch_uid=f"wuxiao.campaigns.stages_changed.{model.__name__}.delete"
            )


def _stages_changed(sender, instance, **kwargs):
    """The stage windows every process keeps must be read again (services.stages_changed)."""
    from wuxiao.campaigns.models import Stage, StageExtension
    from wuxiao.campaigns.services import stages_changed

    if isinstance(instance, Stage):
        campaign_id = instance.campaign_id
    elif StageExtension.stage.is_cached(instance):
        campaign_id = instance.stage.campaign_id
    else:
        campaign_id = Stage.objects.filter(pk=instance.stage_id).values_list("campaign_id", flat=True).first()
    if campaign_id is not None:
        stages_changed(campaign_id)
