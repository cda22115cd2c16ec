"""Pagination whose cost does not grow with the table: the count stops at a cap, and a page
finds its ids before it reads its rows."""

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def rows_in_order(qs: QuerySet, ids: list) -> list:
    """The rows of `qs` with these primary keys (found by `qs` itself), in the order of
    `ids`: one query over a handful of keys, keeping qs's select_related, prefetches and
    annotations but not its filter (a scope such as `id IN (UNION …)` would be evaluated
    again in full)."""
    rows = qs.order_by()
    rows.query.where = WhereNode()
    rows = {row.pk: row for row in rows.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def count_capped(qs: QuerySet, cap: int = COUNT_CAP) -> int:
    """min(rows, cap + 1), reading at most cap + 1 index entries. Without the list's order
    and annotations: a sliced count keeps both, so PostgreSQL walked the order's index and
    ran each row's annotation subquery 10,001 times instead of counting a matching index."""
    return qs.order_by().values("pk")[: cap + 1].count()


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (a LIMIT inside the COUNT), so a list over 170,000
    projects costs what one over 10,000 does. Past the cap the page says "超过 10000 条" and
    still pages on ("下一页") to the last row: nothing is out of reach.

    A page reads its ids first (for the lists' covering indexes, an index-only scan that
    skips an OFFSET's rows without reading them), then only its own rows, so page 500 costs
    about what page 1 does."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        self.cap = cap or COUNT_CAP
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        return count_capped(self.object_list, self.cap)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        """Pages known to exist: past the cap, the pages up to it (more may follow)."""
        return super().num_pages if not self.capped else max(1, -(-self.cap // self.per_page))

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)  # raises PageNotAnInteger
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number  # past the cap a page is valid while it has rows (see page())

    def get_page(self, number):
        page = super().get_page(number)
        if not page.object_list and page.number > 1:
            return super().get_page(self.num_pages)  # past the last row: the last known page
        return page

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page + 1])
        more = len(ids) > self.per_page
        return CappedPage(rows_in_order(self.object_list, ids[: self.per_page]), number, self, more=more)
