"""The agreement and contract texts: the version in force and a project's versions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from realestate.models import AgreementTemplate


def agreement_template_current(*, project_id: int, kind: str, now: dt.datetime | None = None):
    """The version of ``kind`` in force: approved before ``now`` and effective on its local day;
    the newest effective date first (as for price lists). None before a first approved version."""
    now = now or timezone.now()
    return (
        AgreementTemplate.objects.filter(
            project_id=project_id,
            kind=kind,
            state=AgreementTemplate.State.APPROVED,
            approved_at__lte=now,
            effective_from__lte=timezone.localdate(now),
        )
        .order_by("-effective_from", "-version")
        .first()
    )


def agreement_templates_in_force(*, project_id: int) -> dict[str, int]:
    """{kind: pk of the version in force} for the set-up page's "in force" marks."""
    return {
        kind: template.pk
        for kind in AgreementTemplate.Kind.values
        if (template := agreement_template_current(project_id=project_id, kind=kind)) is not None
    }


def agreement_templates_for_project(*, project, kind: str = ""):
    qs = AgreementTemplate.objects.filter(project=project).select_related("created_by")
    if kind:
        qs = qs.filter(kind=kind)
    return qs
