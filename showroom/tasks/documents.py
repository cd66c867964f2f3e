"""Celery tasks of the documents engine: thin, take ids, safe to run twice."""

from celery import shared_task

from showroom.services.documents import document_render
from showroom.tasks.retry import DATABASE_RETRY


@shared_task(name="showroom.document_render", ignore_result=True, **DATABASE_RETRY)
def document_render_task(document_id: int) -> str | None:
    """Render one document version's PDF (a ready one is left alone). Returns its state."""
    document = document_render(document_id=document_id)
    return document.state if document is not None else None


__all__ = ["document_render_task"]
