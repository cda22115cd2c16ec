"""The old file columns go; every file is now a StoredFile."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_stored_files_data")]

    operations = [
        migrations.AlterModelOptions(
            name="attachment",
            options={"ordering": ["project", "id"], "verbose_name": "附件", "verbose_name_plural": "附件"},
        ),
        migrations.RemoveField(model_name="attachment", name="file"),
        migrations.RemoveField(model_name="attachment", name="original_name"),
        migrations.RemoveField(model_name="attachment", name="content_type"),
        migrations.RemoveField(model_name="attachment", name="size"),
        migrations.RemoveField(model_name="attachment", name="uploaded_by"),
        migrations.RemoveField(model_name="attachment", name="uploaded_at"),
        migrations.RemoveField(model_name="workrecordfile", name="file"),
        migrations.RemoveField(model_name="workrecordfile", name="original_name"),
        migrations.RemoveField(model_name="workrecordfile", name="content_type"),
        migrations.RemoveField(model_name="workrecordfile", name="size"),
        migrations.RemoveField(model_name="opinion", name="stamp"),
        migrations.RenameField(model_name="opinion", old_name="stamp_file", new_name="stamp"),
        migrations.AlterField(
            model_name="attachment",
            name="stored",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="attachment", to="projects.storedfile"
            ),
        ),
        migrations.AlterField(
            model_name="workrecordfile",
            name="stored",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="work_record_file", to="projects.storedfile"
            ),
        ),
        migrations.AlterField(
            model_name="opinion",
            name="stamp",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="stamp_of",
                to="projects.storedfile",
                verbose_name="盖章（印章图片或签字页扫描件）",
            ),
        ),
    ]
