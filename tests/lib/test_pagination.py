"""A paginator whose count stops at a cap: its cost does not grow with the table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from wuxiao.lib.pagination import CappedPaginator
from wuxiao.people.models import User

pytestmark = pytest.mark.django_db


def test_count_is_exact_under_the_cap():
    UserFactory.create_batch(7)
    paginator = CappedPaginator(User.objects.order_by("pk"), 2, cap=10)
    assert paginator.count == User.objects.count() == 7
    assert not paginator.capped and paginator.num_pages == 4


def test_count_stops_at_the_cap_and_pages_with_it():
    UserFactory.create_batch(12)
    paginator = CappedPaginator(User.objects.order_by("pk"), 2, cap=10)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 11
    assert "LIMIT 11" in queries[0]["sql"]
    assert paginator.capped and paginator.num_pages == 5
    assert [u.pk for u in paginator.get_page(5)] == list(User.objects.order_by("pk").values_list("pk", flat=True))[8:10]
    assert paginator.get_page(99).number == 5


def test_pages_past_the_cap_still_reach_every_row():
    UserFactory.create_batch(13)
    every = list(User.objects.order_by("pk").values_list("pk", flat=True))
    paginator = CappedPaginator(User.objects.order_by("pk"), 2, cap=10)
    assert paginator.capped and paginator.num_pages == 5
    seen, number = [], 1
    while True:
        page = paginator.get_page(number)
        seen += [u.pk for u in page]
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == every and number == 7
    assert [u.pk for u in paginator.get_page(7)] == every[12:]
    assert paginator.get_page(8).number == 5  # past the last row: the last counted page


def test_a_deep_page_reads_its_ids_then_only_its_rows():
    UserFactory.create_batch(9)
    paginator = CappedPaginator(User.objects.order_by("pk"), 2, cap=5)
    paginator.count  # noqa: B018 (counted once per paginator)
    with CaptureQueriesContext(connection) as queries:
        rows = list(paginator.page(4))
    assert [u.pk for u in rows] == list(User.objects.order_by("pk").values_list("pk", flat=True))[6:8]
    ids, fetch = (q["sql"] for q in queries)
    assert ids.startswith('SELECT "people_user"."id" AS "pk" FROM') and "LIMIT 3 OFFSET 6" in ids
    assert "OFFSET" not in fetch and " IN (" in fetch
