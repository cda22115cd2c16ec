import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def count_queries():
    """count_queries(fn) → how many queries fn() ran; fn must return a 200 response."""

    def _count(fn):
        with CaptureQueriesContext(connection) as ctx:
            response = fn()
        assert response.status_code == 200
        return len(ctx.captured_queries)

    return _count
