"""Celery tasks of the documents engine: thin, take ids, safe to run twice."""

__all__: list[str] = []
