"""The statistics' grouped reads are answered from their indexes (SQLite's plans; the same
columns make them index-only scans on PostgreSQL)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_cube_reads_its_index(city, campaign, committee, district):
    """The cube is answered from project_stats_cube_idx alone (SQLite's plan here; the same
    columns make it an index-only scan on PostgreSQL), for the committee and a district."""
    from django.test.utils import CaptureQueriesContext

    from wuxiao.stats import queries as q

    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's plan (PostgreSQL plans a tiny table as a sequential scan)")
    for org in (committee, district):
        scope = q.Scope(org=org, campaign=campaign)
        with CaptureQueriesContext(connection) as ctx:
            q.cube(scope, {})
        (sql,) = [x["sql"] for x in ctx.captured_queries if "economic_benefit" in x["sql"]]
        with connection.cursor() as cursor:
            plan = " ".join(str(row) for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
        assert "COVERING INDEX project_stats_cube_idx" in plan, plan


def test_the_cache_version_reads_its_index(city, campaign):
    """counts_version's newest edit of a sent-back or withdrawn project is one probe of the
    partial index project_editable_updated_idx (SQLite's plan; PostgreSQL's likewise: an
    index-only backward scan, limit 1)."""
    from django.test.utils import CaptureQueriesContext

    from wuxiao.stats import queries as q

    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's plan")
    with CaptureQueriesContext(connection) as ctx:
        q.counts_version(campaign)
    (sql,) = [x["sql"] for x in ctx.captured_queries if "updated_at" in x["sql"]]
    with connection.cursor() as cursor:
        plan = " ".join(str(row) for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
    assert "project_editable_updated_idx" in plan, plan
