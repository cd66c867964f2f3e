from celery import shared_task

from showroom.tasks.retry import DATABASE_RETRY

__all__ = ["export_job_run_task"]


@shared_task(name="showroom.export_job_run", **DATABASE_RETRY)
def export_job_run_task(job_id: int, language: str = "zh-hans") -> None:
    from showroom.services.exports import export_job_run

    export_job_run(job_id=job_id, language=language)
