"""Counts kept up to date by the database: what the dashboards and the 数据大屏 read instead
of grouping every project of a campaign on each change.

Three tables of counted projects (every state but 草稿) per campaign and unit: by state (with
the team members of those projects), by category (with their economic benefit) and by
achievement form. Database triggers (migration 0001, the same rules on PostgreSQL and SQLite)
move a project's 1 from its old row to its new one whenever its campaign, unit, state,
category, form or benefit changes, and a team member's 1 when a member of a counted project is
added or removed; a draft's edits never fire them. Every writer is covered, the ORM's bulk
updates and raw SQL included, and a count changes in the transaction that changes the project,
so a dashboard is never behind and a rolled-back change is never counted.

A row's size is bounded by units × states (or categories, forms), not by projects: the
committee's dashboard reads a few thousand rows whether the campaign has 20,000 projects or
200,000. `manage.py stats_counts` compares them with the projects and rebuilds them.

The columns are plain ids (no foreign key constraint): a trigger may touch a row of a campaign
or unit in the same transaction that deletes it.
"""

from django.db import models


class KeptCount(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    unit = models.ForeignKey("people.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    projects = models.IntegerField(default=0)

    key = ""  # the column a row counts by, besides campaign and unit

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.campaign_id}/{self.unit_id}/{getattr(self, self.key)}: {self.projects}"


class UnitStateCount(KeptCount):
    """Counted projects of a unit in one state, and their team members (the leader not among them)."""

    state = models.CharField(max_length=24)
    members = models.IntegerField(default=0)

    key = "state"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "state"], name="stats_unit_state_key")]


class UnitCategoryCount(KeptCount):
    """Counted projects of a unit in one category ("" for none), and their economic benefit."""

    category = models.CharField(max_length=20)
    benefit = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    key = "category"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "category"], name="stats_unit_category_key")]


class UnitFormCount(KeptCount):
    """Counted projects of a unit of one achievement form ("" for none)."""

    form = models.CharField(max_length=20)

    key = "form"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "form"], name="stats_unit_form_key")]
