"""Background tasks (django-tasks). The database backend queues them in the application
database and `manage.py db_worker` runs them; see docs/documents.md."""

from django_tasks import task


@task()
def run_export(*, job_id: int) -> None:
    from wuxiao.documents.services import run_export_job

    run_export_job(job_id=job_id)
