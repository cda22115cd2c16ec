import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from wuxiao.campaigns.models import Campaign, StageKind
from wuxiao.demo import build


class Command(BaseCommand):
    help = (
        "Build the demo city (fictional units, people, the six demo accounts and a current campaign "
        "whose dates put today in --stage). Does nothing if the demo exists; never runs in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stage",
            choices=build.STAGE_CHOICES,
            default=None,
            help=f"the stage today falls in (default {build.DEFAULT_STAGE}); on an existing demo, moves its dates",
        )
        parser.add_argument("--reset", action="store_true", help="remove the demo data and build it again")
        parser.add_argument("--scale", type=float, default=1.0, help="shrink the city, e.g. 0.25 (tests)")

    def handle(self, *, stage, reset, scale, **options):
        if settings.PRODUCTION:
            raise CommandError("生产环境（DJANGO_ENV=production）不允许生成演示数据：演示账号使用公开的密码。")
        today = timezone.localdate()
        started = time.monotonic()
        if reset:
            build.reset_demo()
            self.stdout.write("已删除原有演示数据。")
        elif build.demo_exists():
            if stage:
                self._move(stage, today)
            else:
                self.stdout.write("演示数据已存在，未做改动（重建请加 --reset，调整当前阶段请加 --stage）。")
            self._summary(today)
            return
        build.build_demo(stage=stage or build.DEFAULT_STAGE, today=today, scale=scale)
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成（用时 {time.monotonic() - started:.1f} 秒）。"))
        self._summary(today)

    def _move(self, stage: str, today):
        campaign = Campaign.objects.filter(slug=build.DEMO_CAMPAIGN_SLUG).first()
        if campaign is None:
            raise CommandError("演示数据不完整（缺少演示活动），请运行 manage.py demo_data --reset 重建。")
        with transaction.atomic():
            build.move_demo_campaign(campaign, stage=stage, today=today)
        self.stdout.write(f"已调整演示活动日期：今天处于“{StageKind(stage).label}”阶段。")

    def _summary(self, today):
        for line in build.describe_demo(today):
            self.stdout.write(line)
