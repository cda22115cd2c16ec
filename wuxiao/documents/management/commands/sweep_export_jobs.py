"""Mark export jobs left 生成中 by a dead worker as failed (run it from cron, e.g. every 10
minutes; workers also sweep before each job and the job pages before they show a job)."""

from django.core.management.base import BaseCommand

from wuxiao.documents.services import stale_after, sweep_stale_jobs


class Command(BaseCommand):
    help = "将后台进程已停止、长时间停留在“生成中”的导出任务标记为失败"

    def handle(self, *args, **options):
        count = sweep_stale_jobs()
        minutes = int(stale_after().total_seconds() // 60)
        self.stdout.write(f"已将 {count} 个超过 {minutes} 分钟未完成的导出任务标记为失败")
