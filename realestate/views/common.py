"""What the real-estate pages share: error text, a checklist's status on a record."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from showroom.models import ChecklistRun, ChecklistTemplate


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(str(m) for m in exc.messages)


def checklist_row(target, code: str) -> dict | None:
    """The checklist ``code`` on ``target``: its template, the latest run, complete or not."""
    template = ChecklistTemplate.objects.filter(code=code).first()
    if template is None:
        return None
    run = (
        ChecklistRun.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk, template=template
        )
        .order_by("-started_at", "-id")
        .first()
    )
    return {
        "code": code,
        "template": template,
        "run": run,
        "complete": bool(run and run.completed_at),
        "target_type": f"{target._meta.app_label}.{target._meta.model_name}",
        "object_id": target.pk,
    }
