"""单位上报's candidates in the page's order: a unit's 重点 projects its 团组织 approved, best
internal score first (`console.unit.forwarding`). Without it PostgreSQL read every candidate
row of the unit and sorted them for each page of 50 (a unit with 20,000 projects: ~2,000
candidates, 1.5× the time of a unit with a tenth of them); with it, the page is the first 50
entries of the index. NULLS LAST cannot be declared in an SQLite index: PostgreSQL only, as
0009 and 0014."""

from django.db import migrations

CREATE = (
    "CREATE INDEX project_forwardable_idx ON projects_project "
    "(unit_id, campaign_id, state, level, internal_score DESC NULLS LAST, submitted_at DESC, id DESC)"
)
DROP = "DROP INDEX IF EXISTS project_forwardable_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0015_project_state_category_index")]

    operations = [migrations.RunPython(forwards, backwards)]
