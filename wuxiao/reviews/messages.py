"""The messages of 评审认定, one function per kind (as notifications/messages.py)."""

from django.urls import reverse

from wuxiao.notifications.services import deliver


def review_urged(expert, *, round, count: int) -> None:
    deliver(
        recipients=[expert],
        kind="review.urged",
        title=f"催办：{round.name}还有 {count} 个项目未提交评分",
        body=f"{round.name}的评分截止日期为 {round.closes_on:%Y年%-m月%-d日}，请尽快完成评分。",
        url=reverse("portal:reviews"),
    )


def defence_scheduled(project, *, slot, round) -> None:
    from django.utils import timezone

    at = timezone.localtime(slot.starts_at)
    deliver(
        recipients=[project.leader],
        kind="review.defence_scheduled",
        title=f"答辩安排：“{project.name}”第 {slot.order} 个答辩",
        body=(
            f"经公开抽签（种子：{round.lot_seed or '见组委会公告'}），项目“{project.name}”在{round.name}中"
            f"第 {slot.order} 个答辩，时间 {at:%Y年%-m月%-d日 %H:%M}，时长 {slot.minutes} 分钟。"
        ),
        url=reverse("portal:dashboard"),
    )
