from django.db import migrations, models

# Entries written before the field existed: file them under their target's organisation.
OWNERS = {
    "people.organisation": ("people", "Organisation", "path"),
    "projects.project": ("projects", "Project", "unit__path"),
    "people.membership": ("people", "Membership", "organisation__path"),
    "people.invitation": ("people", "Invitation", "organisation__path"),
    "campaigns.participation": ("campaigns", "Participation", "organisation__path"),
    "campaigns.stageextension": ("campaigns", "StageExtension", "organisation__path"),
}


def backfill(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for target_type, (app, model, path) in OWNERS.items():
        entries = list(AuditEntry.objects.filter(target_type=target_type, organisation_path=""))
        ids = {int(e.target_id) for e in entries if e.target_id.isdigit()}
        if not ids:
            continue
        paths = dict(apps.get_model(app, model).objects.filter(pk__in=ids).values_list("pk", path))
        for e in entries:
            e.organisation_path = paths.get(int(e.target_id), "") if e.target_id.isdigit() else ""
        AuditEntry.objects.bulk_update(entries, ["organisation_path"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
        ("people", "0001_initial"),
        ("projects", "0005_bench_indexes"),
        ("campaigns", "0004_participation_workshop_step"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="organisation_path",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="例如：000001.000004.",
                max_length=255,
                verbose_name="所属组织路径",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
