"""One StoredFile for every uploaded file: attachments, work-record files and opinion stamps
move their file, name, type and size into it. Display names are made safe on the way
(work-record names were stored as typed, right-to-left override characters included)."""

import mimetypes

from django.db import migrations


def _size(field_file) -> int:
    try:
        return field_file.size
    except (OSError, ValueError):
        return 0


def forwards(apps, schema_editor):
    from wuxiao.projects.uploads import safe_display_name

    StoredFile = apps.get_model("projects", "StoredFile")
    Attachment = apps.get_model("projects", "Attachment")
    WorkRecordFile = apps.get_model("projects", "WorkRecordFile")
    Opinion = apps.get_model("projects", "Opinion")

    def extension(name: str) -> str:
        return name.rsplit(".", 1)[-1].lower() if "." in name else "bin"

    for a in Attachment.objects.all().iterator():
        stored = StoredFile.objects.create(
            project_id=a.project_id,
            purpose="attachment",
            file=a.file.name,
            name=safe_display_name(a.original_name, extension(a.file.name)),
            content_type=a.content_type,
            size=a.size,
            uploaded_by_id=a.uploaded_by_id,
        )
        StoredFile.objects.filter(pk=stored.pk).update(uploaded_at=a.uploaded_at)
        Attachment.objects.filter(pk=a.pk).update(stored=stored)
    for f in WorkRecordFile.objects.select_related("record").iterator():
        stored = StoredFile.objects.create(
            project_id=f.record.project_id,
            purpose="work_record",
            file=f.file.name,
            name=safe_display_name(f.original_name, extension(f.file.name)),
            content_type=f.content_type,
            size=f.size,
            uploaded_by_id=f.record.created_by_id,
        )
        WorkRecordFile.objects.filter(pk=f.pk).update(stored=stored)
    for o in Opinion.objects.exclude(stamp="").exclude(stamp__isnull=True).iterator():
        ext = extension(o.stamp.name)
        stored = StoredFile.objects.create(
            project_id=o.project_id,
            purpose="stamp",
            file=o.stamp.name,
            name=f"盖章-{o.signer_name or '签署人'}.{ext}",
            content_type=mimetypes.guess_type(o.stamp.name)[0] or "application/octet-stream",
            size=_size(o.stamp),
            uploaded_by_id=o.signer_id,
        )
        Opinion.objects.filter(pk=o.pk).update(stamp_file=stored)


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_stored_files")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
