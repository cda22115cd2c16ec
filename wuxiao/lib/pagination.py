"""Pagination whose cost does not grow with the table: the count stops at a cap."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (a LIMIT inside the COUNT), so a list over 170,000
    projects costs what one over 10,000 does. Past the cap the page says "超过 10000 条"
    and pages stop at the cap: narrow the filter to see further."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        self.cap = cap or COUNT_CAP
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return super().num_pages if not self.capped else max(1, -(-self.cap // self.per_page))
