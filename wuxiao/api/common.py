"""What every endpoint shares: the error responses it may answer, paging, the committee gate."""

import base64
import json
from datetime import datetime
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from ninja import Field, Schema

from wuxiao.api.errors import ErrorOut
from wuxiao.lib.http import require
from wuxiao.lib.pagination import COUNT_CAP, count_capped, rows_in_order
from wuxiao.people.permissions import COMMITTEE_ONLY, is_committee_admin

READ_ERRORS = frozenset({400, 401, 403, 404, 422})
WRITE_ERRORS = frozenset({400, 401, 403, 404, 409, 422, 429})
MAX_PAGE_SIZE = 100


def committee_only(request) -> None:
    """The committee's operations refuse everyone else before any lookup, as the console's
    committee pages do (with their message); the services check again."""
    require(is_committee_admin(request.user), COMMITTEE_ONLY)


def user_named(field: str, pk: int):
    """The user a request body names by id (an expert, an advisor), or a 422 on that field."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=pk).first()
    if user is None:
        raise ValidationError({field: [f"用户 #{pk} 不存在"]})
    return user


def read(ok) -> dict:
    return {200: ok, READ_ERRORS: ErrorOut}


def write(ok, status: int = 200) -> dict:
    return {status: ok, WRITE_ERRORS: ErrorOut}


class PageIn(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="页码，从 1 开始")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}")


def page_of(qs: QuerySet, paging: PageIn) -> dict:
    """One page: a COUNT and one query for the rows, whatever the page number. The count
    stops at COUNT_CAP + 1 (as the pages' CappedPaginator does): `count_capped` then says
    there are more; narrow the filters to count them. (Long lists use cursor_page_of.)"""
    start = (paging.page - 1) * paging.page_size
    count = count_capped(qs, COUNT_CAP)
    return {
        "count": min(count, COUNT_CAP),
        "count_capped": count > COUNT_CAP,
        "page": paging.page,
        "page_size": paging.page_size,
        "items": list(qs[start : start + paging.page_size]),
    }


# --- keyset (cursor) pages: every row within reach at the cost of the first page -----------


class CursorPageIn(PageIn):
    cursor: str | None = Field(
        None,
        max_length=300,
        description="续页标记：上一页答复中的 next_cursor（或直接跟随 next 链接）；给出时不看 page",
    )


class Ordering:
    """A list's order as a keyset: one column (nullable ones put their NULLs last in both
    directions, as the covering indexes do), then the id. `cursor_after(row)` names the last
    row shown; `after(cursor)` is the condition for the rows that follow it."""

    def __init__(self, key: str, field: str, *, descending: bool, nullable: bool = False):
        self.key, self.field, self.descending, self.nullable = key, field, descending, nullable

    def order_by(self) -> list:
        pk = "-id" if self.descending else "id"
        if self.field == "id":
            return [pk]
        column = F(self.field).desc(nulls_last=True) if self.descending else F(self.field).asc(nulls_last=True)
        return [column if self.nullable else (f"-{self.field}" if self.descending else self.field), pk]

    def cursor_after(self, row) -> str:
        value = getattr(row, self.field)
        if isinstance(value, datetime):
            value = value.isoformat()
        raw = json.dumps([self.key, value, row.pk], ensure_ascii=False, default=str)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def read(self, cursor: str) -> tuple:
        try:
            key, value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            if key != self.key or not isinstance(pk, int):
                raise ValueError
            if value is not None and self.field in ("updated_at", "submitted_at"):
                value = datetime.fromisoformat(value)
        except (ValueError, TypeError):
            raise ValidationError(
                {"cursor": ["续页标记无效：请从第一页重新读取（排序改变后旧的续页标记不能再用）"]}
            ) from None
        return value, pk

    def after(self, value, pk) -> tuple[Q, Q | None]:
        """The rows after (value, pk): the condition for the non-NULL run and, for a nullable
        column, the one for the NULL tail that follows it (None when the cursor is in it)."""
        op = "lt" if self.descending else "gt"
        if self.field == "id":
            return Q(**{f"pk__{op}": pk}), None
        if value is None:  # already in the NULL tail
            return Q(**{f"{self.field}__isnull": True, f"pk__{op}": pk}), None
        # The redundant `<=` is what lets the index start its range at the cursor.
        q = Q(**{f"{self.field}__{op}e": value}) & (Q(**{f"{self.field}__{op}": value}) | Q(**{f"pk__{op}": pk}))
        return q, (Q(**{f"{self.field}__isnull": True}) if self.nullable else None)


def cursor_page_of(
    request, qs: QuerySet, paging: CursorPageIn, ordering: Ordering, *, count_parts: list[QuerySet] | None = None
) -> dict:
    """page_of for long lists, with keyset continuation: every answer names the row after
    its last one (`next_cursor`, and `next`, the same request continued). Numbered pages stop
    at COUNT_CAP rows (an OFFSET grows with the page); the cursor reaches every row at the
    cost of the first page. The page's ids are read first (an index-only walk of the
    order's covering index), then only its rows.

    `count_parts`: disjoint querysets whose union is qs, counted instead of qs (each stops
    at the cap) when one condition of qs would make the count walk the whole table."""
    size = paging.page_size
    qs = qs.order_by(*ordering.order_by())
    count = 0
    for part in count_parts if count_parts is not None else [qs]:
        count += count_capped(part, COUNT_CAP - count)
        if count > COUNT_CAP:
            break
    if paging.cursor:
        value, pk = ordering.read(paging.cursor)
        first, tail = ordering.after(value, pk)
        ids = list(qs.filter(first).values_list("pk", flat=True)[: size + 1])
        if tail is not None and len(ids) <= size:
            ids += list(qs.filter(tail).values_list("pk", flat=True)[: size + 1 - len(ids)])
    else:
        start = (paging.page - 1) * size
        if start >= COUNT_CAP:
            raise ValidationError(
                {"page": [f"页码只到前 {COUNT_CAP} 条：请跟随上一页答复中的 next 链接（cursor 续页）读取其后的项目"]}
            )
        ids = list(qs.values_list("pk", flat=True)[start : start + size + 1])
    items = rows_in_order(qs, ids[:size])
    next_cursor = ordering.cursor_after(items[-1]) if len(ids) > size and items else None
    next_link = None
    if next_cursor:
        query = [(k, v) for k, v in request.GET.items() if k not in ("page", "cursor")]
        next_link = f"{request.path}?{urlencode([*query, ('cursor', next_cursor)])}"
    return {
        "count": min(count, COUNT_CAP),
        "count_capped": count > COUNT_CAP,
        "page": paging.page if not paging.cursor else None,
        "page_size": size,
        "next_cursor": next_cursor,
        "next": next_link,
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


def cursor_page_schema(name: str, item) -> type[Schema]:
    annotations = {
        "count": int,
        "count_capped": bool,
        "page": int | None,
        "page_size": int,
        "next_cursor": str | None,
        "next": str | None,
        "items": list[item],
    }
    return type(name, (Schema,), {"__annotations__": annotations})
