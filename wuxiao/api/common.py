"""What every endpoint shares: the error responses it may answer, paging, the committee gate."""

from django.db.models import QuerySet
from ninja import Field, Schema

from wuxiao.api.errors import ErrorOut
from wuxiao.lib.http import require
from wuxiao.lib.pagination import COUNT_CAP
from wuxiao.people.permissions import COMMITTEE_ONLY, is_committee_admin

READ_ERRORS = frozenset({400, 401, 403, 404, 422})
WRITE_ERRORS = frozenset({400, 401, 403, 404, 409, 422, 429})
MAX_PAGE_SIZE = 100


def committee_only(request) -> None:
    """The committee's operations refuse everyone else before any lookup, as the console's
    committee pages do (with their message); the services check again."""
    require(is_committee_admin(request.user), COMMITTEE_ONLY)


def read(ok) -> dict:
    return {200: ok, READ_ERRORS: ErrorOut}


def write(ok, status: int = 200) -> dict:
    return {status: ok, WRITE_ERRORS: ErrorOut}


class PageIn(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="页码，从 1 开始")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}")


def page_of(qs: QuerySet, paging: PageIn, *, ids_first: bool = False) -> dict:
    """One page: a COUNT and one query for the rows, whatever the page number. The count
    stops at COUNT_CAP + 1 (as the pages' CappedPaginator does): `count_capped` then says
    there are more; narrow the filters to count them.

    `ids_first` (long lists of wide rows, e.g. projects): the page's ids are found first
    (an index walk over narrow rows), then only those rows are read with their relations,
    in that order, instead of joining and sorting every matching wide row."""
    start = (paging.page - 1) * paging.page_size
    count = qs.order_by()[: COUNT_CAP + 1].count()
    if ids_first:
        ids = list(qs.values_list("pk", flat=True)[start : start + paging.page_size])
        rows = qs.model._default_manager.filter(pk__in=ids)
        rows.query.select_related = qs.query.select_related
        rows = {row.pk: row for row in rows.prefetch_related(*qs._prefetch_related_lookups)}
        items = [rows[pk] for pk in ids if pk in rows]
    else:
        items = list(qs[start : start + paging.page_size])
    return {
        "count": min(count, COUNT_CAP),
        "count_capped": count > COUNT_CAP,
        "page": paging.page,
        "page_size": paging.page_size,
        "items": items,
    }


def file_answer(description: str) -> dict:
    """openapi_extra of an operation whose 200 answer is an uploaded file, with its own type."""
    from wuxiao.projects.uploads import KINDS

    types = sorted({content_type for _ext, content_type in KINDS.values()})
    content = {t: {"schema": {"type": "string", "format": "binary"}} for t in types}
    return {"responses": {200: {"description": description, "content": content}}}


def page_schema(name: str, item) -> type[Schema]:
    return type(
        name,
        (Schema,),
        {"__annotations__": {"count": int, "count_capped": bool, "page": int, "page_size": int, "items": list[item]}},
    )
