"""Background exports: queue one, run one. The task (tasks.py) only calls `run_export_job`."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wuxiao.audit.services import record
from wuxiao.documents.models import ExportJob, JobStatus
from wuxiao.documents.registry import get_exporter

logger = logging.getLogger(__name__)


def start_export(*, by, exporter: str, params: dict) -> ExportJob:
    """Queue an export for the background worker and return its job. The caller has already
    checked `may_export` for the object; the worker checks it again when it runs."""
    from wuxiao.documents.tasks import run_export

    get_exporter(exporter)  # unknown identifiers fail here, not in the worker
    job = ExportJob.objects.create(created_by=by, exporter=exporter, params=params)
    record(by=by, action="documents.export", target=job, after={"exporter": exporter, "params": params})
    # Enqueue after the job row is committed, so the worker always finds it.
    transaction.on_commit(lambda: _enqueue(job, run_export))
    return job


def _enqueue(job: ExportJob, task) -> None:
    result = task.enqueue(job_id=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def set_progress(job: ExportJob, percent: int) -> None:
    percent = max(0, min(100, int(percent)))
    if percent > job.progress:
        job.progress = percent
        ExportJob.objects.filter(pk=job.pk).update(progress=percent)


def run_export_job(*, job_id: int) -> ExportJob:
    """Render the job's document with the registered exporter and store the file."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    job.status, job.started_at, job.progress, job.error = JobStatus.RUNNING, timezone.now(), 0, ""
    job.save(update_fields=["status", "started_at", "progress", "error"])
    try:
        exporter = get_exporter(job.exporter)
        obj = exporter.load(job.params)
        if not exporter.may_export(job.created_by, obj):
            raise PermissionDenied("无权导出该文件：权限已变更")
        rendered = exporter.render(obj, user=job.created_by, params=job.params, progress=lambda p: set_progress(job, p))
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        job.status, job.error, job.finished_at = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000], timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    job.result.save(rendered.filename, ContentFile(rendered.content), save=False)
    job.filename, job.content_type = rendered.filename, rendered.content_type
    job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
    job.save(update_fields=["result", "filename", "content_type", "status", "progress", "finished_at"])
    return job
