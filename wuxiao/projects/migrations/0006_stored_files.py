"""One StoredFile for every uploaded file (attachments, work-record files, opinion stamps): the new table and links."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import wuxiao.projects.models.files


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_bench_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StoredFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "purpose",
                    models.CharField(
                        choices=[("attachment", "附件"), ("work_record", "工作记录附件"), ("stamp", "盖章")],
                        max_length=16,
                        verbose_name="用途",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=200, upload_to=wuxiao.projects.models.files.stored_file_path, verbose_name="文件"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="显示和下载时使用的安全文件名，例如：现场照片1.jpg（原文件名去掉路径和控制字符）",
                        max_length=200,
                        verbose_name="文件名",
                    ),
                ),
                (
                    "content_type",
                    models.CharField(
                        help_text="按文件内容判定，例如：application/pdf", max_length=100, verbose_name="文件类型"
                    ),
                ),
                ("size", models.PositiveIntegerField(verbose_name="大小（字节）")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="上传时间")),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stored_files",
                        to="projects.project",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "上传文件",
                "verbose_name_plural": "上传文件",
                "ordering": ["project", "uploaded_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="attachment",
            name="stored",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attachment",
                to="projects.storedfile",
            ),
        ),
        migrations.AddField(
            model_name="workrecordfile",
            name="stored",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="work_record_file",
                to="projects.storedfile",
            ),
        ),
        migrations.AddField(
            model_name="opinion",
            name="stamp_file",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="stamp_of",
                to="projects.storedfile",
            ),
        ),
    ]
