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
