"""Background exports: queue one, run one. The task (tasks.py) only calls `run_export_job`."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
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


def stale_after() -> timedelta:
    """How long a job may stay 生成中 before we take its worker for dead. The longest document
    (a 200-project booklet PDF) takes about two minutes; the default leaves a wide margin."""
    return timedelta(minutes=settings.WUXIAO_EXPORT_TIMEOUT_MINUTES)


def sweep_stale_jobs(*, jobs=None, now=None) -> int:
    """Mark jobs still 生成中 long after they started as failed (their worker died: killed,
    out of memory, the server restarted), so the page stops polling and offers a retry.
    `jobs` narrows the sweep (one user's jobs, one job); returns how many were marked."""
    now = now or timezone.now()
    limit = stale_after()
    minutes = int(limit.total_seconds() // 60)
    qs = ExportJob.objects.all() if jobs is None else jobs
    return qs.filter(status=JobStatus.RUNNING, started_at__lt=now - limit).update(
        status=JobStatus.FAILED,
        finished_at=now,
        error=f"生成超时：开始后 {minutes} 分钟仍未完成，后台任务进程可能已停止。请点击“重新生成”。",
    )


def retry_export(*, job: ExportJob, by) -> ExportJob:
    """Queue a failed job's document again, as a new job, for the user who started it and
    may still export it."""
    if job.created_by_id != by.pk:
        raise PermissionDenied("只能重新生成自己发起的导出任务")
    if job.status != JobStatus.FAILED:
        raise PermissionDenied("只有失败的导出任务可以重新生成")
    exporter = get_exporter(job.exporter)
    if not exporter.may_export(by, exporter.load(job.params)):
        raise PermissionDenied(f"无权导出“{exporter.label}”")
    return start_export(by=by, exporter=job.exporter, params=job.params)


def run_export_job(*, job_id: int) -> ExportJob:
    """Render the job's document with the registered exporter and store the file. A worker
    first sweeps the jobs that a dead worker left 生成中 (see `sweep_stale_jobs`)."""
    sweep_stale_jobs()
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
    if isinstance(rendered.content, bytes):
        job.result.save(rendered.filename, ContentFile(rendered.content), save=False)
    else:
        with rendered.content as content:  # copied in chunks, never read whole
            job.result.save(rendered.filename, File(content), save=False)
    job.filename, job.content_type = rendered.filename, rendered.content_type
    job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
    job.save(update_fields=["result", "filename", "content_type", "status", "progress", "finished_at"])
    return job
