"""The kept counts (stats/models.py) and the triggers that keep them, on PostgreSQL and SQLite.

A project counts (state is not 草稿) in one row of each table, keyed by its campaign, unit and
state, category or achievement form. On insert, delete, or an update that changes one of those
columns or the benefit, one statement a table takes its 1 (its team members, its benefit) from
the old row and adds it to the new: summed per key, so nothing is written when nothing changed,
and in key order, so two transactions moving projects between the same rows lock them in the
same order (PostgreSQL; SQLite has one writer). A draft's edits fire nothing. A team member
added to or removed from a counted project moves that project's state row by 1. Django deletes
a project's members before the project, so the project's delete finds none left.

The rows already there are counted once, after the triggers exist.
"""

from django.db import migrations, models
import django.db.models.deletion

# (table, the project's column, the table's column, [(a summed column, what one side adds)])
# `{s}` is the sign of the side (old "-", new ""), `{r}` its row (OLD or NEW).
TABLES = [
    (
        "stats_unitstatecount",
        "state",
        "state",
        [("projects", "{s}1"), ("members", "{s}(SELECT COUNT(*) FROM projects_teammember WHERE project_id = {r}.id)")],
    ),
    (
        "stats_unitcategorycount",
        "category",
        "category",
        [("projects", "{s}1"), ("benefit", "{s}COALESCE({r}.economic_benefit, 0)")],
    ),
    ("stats_unitformcount", "achievement_form", "form", [("projects", "{s}1")]),
]
WATCHED = ["campaign_id", "unit_id", "state", "category", "achievement_form", "economic_benefit"]
OLD, NEW = ("OLD", "-"), ("NEW", "")


def move(table, source, column, sums, sides):
    selects = " UNION ALL ".join(
        f"SELECT {r}.campaign_id AS campaign_id, {r}.unit_id AS unit_id, {r}.{source} AS {column}, "
        + ", ".join(f"{expr.format(s=s, r=r)} AS {name}" for name, expr in sums)
        + f" WHERE {r}.state <> 'draft'"
        for r, s in sides
    )
    names = ", ".join(name for name, _ in sums)
    return (
        f"INSERT INTO {table} (campaign_id, unit_id, {column}, {names}) "
        f"SELECT campaign_id, unit_id, {column}, "
        + ", ".join(f"SUM({n})" for n, _ in sums)
        + f" FROM ({selects}) AS d WHERE true GROUP BY campaign_id, unit_id, {column} HAVING "
        + " OR ".join(f"SUM({n}) <> 0" for n, _ in sums)
        + f" ORDER BY campaign_id, unit_id, {column} "
        f"ON CONFLICT (campaign_id, unit_id, {column}) DO UPDATE SET "
        + ", ".join(f"{n} = {table}.{n} + excluded.{n}" for n, _ in sums)
    )


def project_moves(*sides):
    return [move(*table, sides) for table in TABLES]


def member_move(r, s):
    return (
        f"UPDATE stats_unitstatecount SET members = members {'-' if s else '+'} 1 "
        "WHERE (campaign_id, unit_id, state) = "
        f"(SELECT campaign_id, unit_id, state FROM projects_project WHERE id = {r}.project_id AND state <> 'draft')"
    )


def changed(distinct):
    return f"(OLD.state <> 'draft' OR NEW.state <> 'draft') AND ({', '.join('OLD.' + c for c in WATCHED)}) {distinct} ({', '.join('NEW.' + c for c in WATCHED)})"


def sqlite_triggers():
    def trigger(name, event, table, when, statements):
        body = "; ".join(statements)
        return f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW WHEN {when} BEGIN {body}; END"

    return [
        trigger("stats_project_insert", "INSERT", "projects_project", "NEW.state <> 'draft'", project_moves(NEW)),
        trigger("stats_project_delete", "DELETE", "projects_project", "OLD.state <> 'draft'", project_moves(OLD)),
        trigger("stats_project_update", "UPDATE", "projects_project", changed("IS NOT"), project_moves(OLD, NEW)),
        trigger("stats_member_insert", "INSERT", "projects_teammember", "true", [member_move(*NEW)]),
        trigger("stats_member_delete", "DELETE", "projects_teammember", "true", [member_move(*OLD)]),
        trigger(
            "stats_member_update",
            "UPDATE",
            "projects_teammember",
            "OLD.project_id <> NEW.project_id",
            [member_move(*OLD), member_move(*NEW)],
        ),
    ]


def postgresql_triggers():
    def function(name, insert, delete, update):
        def block(statements):
            return " ".join(f"{s};" for s in statements)

        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'INSERT' THEN {block(insert)} ELSIF TG_OP = 'DELETE' THEN {block(delete)} "
            f"ELSE {block(update)} END IF; RETURN NULL; END $$"
        )

    def trigger(name, event, table, when, function):
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {function}()"
        )

    return [
        function("stats_keep_project", project_moves(NEW), project_moves(OLD), project_moves(OLD, NEW)),
        function("stats_keep_member", [member_move(*NEW)], [member_move(*OLD)], [member_move(*OLD), member_move(*NEW)]),
        trigger("stats_project_insert", "INSERT", "projects_project", "NEW.state <> 'draft'", "stats_keep_project"),
        trigger("stats_project_delete", "DELETE", "projects_project", "OLD.state <> 'draft'", "stats_keep_project"),
        trigger(
            "stats_project_update", "UPDATE", "projects_project", changed("IS DISTINCT FROM"), "stats_keep_project"
        ),
        trigger("stats_member_insert", "INSERT", "projects_teammember", "true", "stats_keep_member"),
        trigger("stats_member_delete", "DELETE", "projects_teammember", "true", "stats_keep_member"),
        trigger(
            "stats_member_update",
            "UPDATE",
            "projects_teammember",
            "OLD.project_id <> NEW.project_id",
            "stats_keep_member",
        ),
    ]


COUNT_EXISTING = [
    "INSERT INTO stats_unitstatecount (campaign_id, unit_id, state, projects, members) "
    "SELECT p.campaign_id, p.unit_id, p.state, COUNT(*), COALESCE(SUM(m.n), 0) FROM projects_project p "
    "LEFT JOIN (SELECT project_id, COUNT(*) AS n FROM projects_teammember GROUP BY project_id) m ON m.project_id = p.id "
    "WHERE p.state <> 'draft' GROUP BY p.campaign_id, p.unit_id, p.state",
    "INSERT INTO stats_unitcategorycount (campaign_id, unit_id, category, projects, benefit) "
    "SELECT campaign_id, unit_id, category, COUNT(*), COALESCE(SUM(economic_benefit), 0) FROM projects_project "
    "WHERE state <> 'draft' GROUP BY campaign_id, unit_id, category",
    "INSERT INTO stats_unitformcount (campaign_id, unit_id, form, projects) "
    "SELECT campaign_id, unit_id, achievement_form, COUNT(*) FROM projects_project "
    "WHERE state <> 'draft' GROUP BY campaign_id, unit_id, achievement_form",
]
TRIGGERS = ["stats_project_insert", "stats_project_delete", "stats_project_update"]
MEMBER_TRIGGERS = ["stats_member_insert", "stats_member_delete", "stats_member_update"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = postgresql_triggers() if vendor == "postgresql" else sqlite_triggers()
    if vendor == "postgresql":  # no write between the count and the first trigger
        schema_editor.execute("LOCK TABLE projects_project, projects_teammember IN SHARE MODE")
    for sql in statements + COUNT_EXISTING:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name in TRIGGERS + MEMBER_TRIGGERS:
        table = "projects_project" if name in TRIGGERS else "projects_teammember"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        schema_editor.execute("DROP FUNCTION IF EXISTS stats_keep_project()")
        schema_editor.execute("DROP FUNCTION IF EXISTS stats_keep_member()")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0007_campaign_stages_version"),
        ("people", "0003_organisation_employer_name"),
        ("projects", "0017_order_by_parent_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnitCategoryCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("projects", models.IntegerField(default=0)),
                ("category", models.CharField(max_length=20)),
                ("benefit", models.DecimalField(decimal_places=2, default=0, max_digits=16)),
                (
                    "campaign",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="campaigns.campaign",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="people.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("campaign", "unit", "category"), name="stats_unit_category_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="UnitFormCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("projects", models.IntegerField(default=0)),
                ("form", models.CharField(max_length=20)),
                (
                    "campaign",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="campaigns.campaign",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="people.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("campaign", "unit", "form"), name="stats_unit_form_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="UnitStateCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("projects", models.IntegerField(default=0)),
                ("state", models.CharField(max_length=24)),
                ("members", models.IntegerField(default=0)),
                (
                    "campaign",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="campaigns.campaign",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="people.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("campaign", "unit", "state"), name="stats_unit_state_key")
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
