"""Background list exports: start a job for a filtered list, and run it (the Celery task)."""

from __future__ import annotations

import pickle
import tempfile

from django.apps import apps
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from showroom.exports import list_export_entry
from showroom.models import ExportJob


def export_job_start(*, user, code: str, fmt: str, queryset) -> ExportJob:
    """Record the filtered list's query and queue the job after the commit."""
    from showroom.tasks.exports import export_job_run_task

    job = ExportJob.objects.create(
        user=user,
        code=code,
        fmt=fmt,
        model=queryset.model._meta.label_lower,
        query=pickle.dumps(queryset.query),
        total=queryset.count(),
        state=ExportJob.State.PENDING,
    )
    language = translation.get_language() or "zh-hans"
    transaction.on_commit(lambda: export_job_run_task.delay(job.pk, language))
    return job


def export_job_run(*, job_id: int, language: str = "zh-hans") -> ExportJob:
    """Write the file of a pending job; a job already done or running is left alone (idempotent)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.state != ExportJob.State.PENDING:
            return job
        job.state = ExportJob.State.RUNNING
        job.save(update_fields=["state"])
    entry = list_export_entry(job.code)
    queryset = apps.get_model(job.model).objects.all()
    queryset.query = pickle.loads(bytes(job.query))

    def progress(count: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done_rows=count)

    try:
        with translation.override(language), tempfile.TemporaryFile() as handle:
            from showroom.exports import export_write

            rows = (entry.row(obj) for obj in queryset.iterator(chunk_size=1000))
            count = export_write(job.fmt, entry.basename, entry.headers(), rows, handle, progress)
            handle.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            job.file.save(f"{entry.basename}-{stamp}.{job.fmt}", File(handle), save=False)
    except Exception as exc:  # the job records the failure; the reader sees it on the progress page
        job.state, job.error, job.finished_at = ExportJob.State.FAILED, str(exc)[:300], timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
        raise
    job.state, job.done_rows, job.total, job.finished_at = ExportJob.State.DONE, count, count, timezone.now()
    job.save(update_fields=["state", "done_rows", "total", "finished_at", "file"])
    return job
