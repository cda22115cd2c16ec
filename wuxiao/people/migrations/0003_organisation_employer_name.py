from django.db import migrations, models

UNIT_KINDS = ("enterprise", "agency", "two_new", "university")
LEAGUE_SUFFIXES = ("团工委", "团总支", "团支部", "团委")


def fill_employer_names(apps, schema_editor):
    """Existing units: the employer's name read off the league organisation's name
    ("…有限公司团委" → "…有限公司"); names that do not end like a league organisation stay blank."""
    Organisation = apps.get_model("people", "Organisation")
    for org in Organisation.objects.filter(kind__in=UNIT_KINDS, employer_name="").only("pk", "name").iterator():
        for suffix in LEAGUE_SUFFIXES:
            if org.name.endswith(suffix) and len(org.name) > len(suffix):
                Organisation.objects.filter(pk=org.pk).update(employer_name=org.name.removesuffix(suffix).strip())
                break


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_api_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="employer_name",
            field=models.CharField(
                blank=True,
                help_text="团组织所在的用人单位，申报表和汇总表的“单位名称”，例如：柳州示例机械有限公司；留空时由团组织名称推出",
                max_length=100,
                verbose_name="单位全称",
            ),
        ),
        migrations.RunPython(fill_employer_names, migrations.RunPython.noop),
    ]
