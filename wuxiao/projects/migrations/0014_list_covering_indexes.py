"""The long project lists' indexes carry what the lists filter on (campaign, unit, state,
leader, category, level: Project.LIST_COLUMNS), so a page's ids are an index-only scan in
the list's order, however deep the page: the rows themselves are read for that page only.

- project_updated_idx (updated_at DESC, id DESC): the API's default order.
- project_campaign_state_idx (campaign, state): a list filtered by state counts from it.
- project_campaign_recent_idx (campaign, submitted_at DESC NULLS LAST, id DESC): the console
  lists (one campaign, newest submission first); it replaces 0009's narrow one.
- project_unit_recent_idx (unit, submitted_at DESC NULLS LAST, id DESC): one unit's list
  (立项管理, the API's `?unit=`), which walked the whole campaign's index for its unit's rows.
- project_recent_idx (submitted_at DESC NULLS LAST, id DESC): the API's `-submitted_at`.

NULLS LAST cannot be declared in an SQLite index (nor is one needed at its scale): the last
three are PostgreSQL only, like 0009."""

from django.db import migrations, models

INCLUDE = "INCLUDE (campaign_id, unit_id, state, leader_id, category, level)"
CREATE = [
    "DROP INDEX IF EXISTS project_campaign_recent_idx",
    "CREATE INDEX project_campaign_recent_idx ON projects_project "
    f"(campaign_id, submitted_at DESC NULLS LAST, id DESC) {INCLUDE}",
    "CREATE INDEX project_unit_recent_idx ON projects_project "
    f"(unit_id, submitted_at DESC NULLS LAST, id DESC) {INCLUDE}",
    f"CREATE INDEX project_recent_idx ON projects_project (submitted_at DESC NULLS LAST, id DESC) {INCLUDE}",
]
DROP = [
    "DROP INDEX IF EXISTS project_recent_idx",
    "DROP INDEX IF EXISTS project_unit_recent_idx",
    "DROP INDEX IF EXISTS project_campaign_recent_idx",
    "CREATE INDEX project_campaign_recent_idx ON projects_project (campaign_id, submitted_at DESC NULLS LAST, id DESC)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("projects", "0013_project_updated_index")]

    operations = [
        migrations.RemoveIndex(model_name="project", name="project_updated_idx"),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["-updated_at", "-id"],
                include=("campaign", "unit", "state", "leader", "category", "level"),
                name="project_updated_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="project", name="project_campaign_state_idx"),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["campaign", "state"],
                include=("unit", "leader", "category", "level"),
                name="project_campaign_state_idx",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
