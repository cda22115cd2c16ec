"""Send the day-before reminders of salons (run it hourly from cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from wuxiao.salons.services import send_reminders


class Command(BaseCommand):
    help = "提醒明天参加青年创新沙龙的人（每小时运行一次即可，不会重复提醒）"

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"已提醒 {sent} 人")
