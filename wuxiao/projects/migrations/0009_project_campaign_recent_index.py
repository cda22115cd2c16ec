"""The console project lists show one campaign, newest submission first
(ORDER BY submitted_at DESC NULLS LAST, id DESC). PostgreSQL puts NULLs first in a DESC
index, so without NULLS LAST every page walked past all drafts first. SQLite cannot
declare NULLS LAST in an index (and needs none at its scale): PostgreSQL only."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS project_campaign_recent_idx ON projects_project "
    "(campaign_id, submitted_at DESC NULLS LAST, id DESC)"
)
DROP = "DROP INDEX IF EXISTS project_campaign_recent_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_stored_files_only")]

    operations = [migrations.RunPython(forwards, backwards)]
