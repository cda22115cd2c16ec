from pathlib import Path

from django.core.management.base import BaseCommand

from wuxiao.campaigns.services import DEFAULT_CAMPAIGN_FILE, load_campaign_file


class Command(BaseCommand):
    help = "Load (or refresh) a campaign from a JSON data file; default: the 2024 Liuzhou campaign."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_CAMPAIGN_FILE))

    def handle(self, path, **options):
        campaign = load_campaign_file(Path(path))
        self.stdout.write(f"已加载：{campaign.title}（{campaign.stages.count()} 个阶段）")
