"""Celery tasks of the followups engine: thin, take ids, safe to run twice."""

__all__: list[str] = []
