from django.core.management.base import BaseCommand, CommandError

from wuxiao.stats import counts


class Command(BaseCommand):
    help = "Compare the statistics' kept counts with the projects (exit 1 on a difference); --rebuild counts again."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="count every campaign again from its projects")

    def handle(self, rebuild, **options):
        if rebuild:
            counts.rebuild()
            self.stdout.write("统计计数已按项目重新计算。")
        lines = counts.differences()
        if lines:
            self.stdout.write("\n".join(lines))
            raise CommandError(f"统计计数与项目不一致：{len(lines)} 行（manage.py stats_counts --rebuild 可重新计算）")
        self.stdout.write("统计计数与项目一致。")
