"""Versioned subscription-agreement and contract texts (篇7: 认购书、合同文本的变更): the sales
manager drafts a version and sends it for approval through ``realestate.price_change`` (marketing
director, then general manager, the same matrix as price lists); approved, it takes effect from
its date. Subscriptions and contracts keep the version in force when they were made."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.models import AgreementTemplate, Project
from showroom import roles as r
from showroom.services.approvals import approval_request_create
from showroom.services.transitions import transition_run

from ._common import person, require_role

TEMPLATE_KIND = "realestate.price_change"


@transaction.atomic
def agreement_template_create(
    *, user, project: Project, kind: str, title: str, body: str, effective_from: dt.date | None, note: str = ""
) -> AgreementTemplate:
    """A new draft version of the project's subscription-agreement or contract text."""
    require_role(user=user, store_id=project.store_id, roles=(r.SALES_MANAGER,))
    errors: dict[str, list[str]] = {}
    if kind not in AgreementTemplate.Kind.values:
        errors["kind"] = [_("Choose the subscription agreement or the sales contract.")]
    if not (title or "").strip():
        errors["title"] = [_("Give the text a title.")]
    elif len(title.strip()) > 120:
        errors["title"] = [_("At most 120 characters.")]
    if not (body or "").strip():
        errors["body"] = [_("Write at least one clause.")]
    if effective_from is None:
        errors["effective_from"] = [_("Give the date the version takes effect.")]
    if errors:
        raise ValidationError(errors)
    # Versions are numbered per project and kind: the project row serialises two drafts at once.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    last = (
        AgreementTemplate.objects.filter(project=project, kind=kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return AgreementTemplate.objects.create(
        project=project,
        kind=kind,
        version=(last or 0) + 1,
        title=title.strip(),
        body=body.strip(),
        effective_from=effective_from,
        note=(note or "").strip(),
        created_by=user,
    )


@transaction.atomic
def agreement_template_submit(*, user, template: AgreementTemplate) -> AgreementTemplate:
    """Send the version for approval: marketing director, then general manager."""
    template = transition_run(instance=template, name="submit", user=user)
    approval_request_create(
        target=template,
        kind=TEMPLATE_KIND,
        store=template.project.store,
        requester=user,
        reason=_("%(kind)s text of %(project)s, version %(v)s from %(day)s, prepared by %(who)s")
        % {
            "kind": template.get_kind_display(),
            "project": template.project.name,
            "v": template.version,
            "day": template.effective_from.isoformat(),
            "who": person(user),
        },
    )
    return template


def agreement_change_approved(*, request) -> None:
    """Approval handler (with price lists, ``realestate.price_change``): approved now, in force
    from its date."""
    if request.content_type.model_class() is not AgreementTemplate:
        return

    def stamp(obj):
        obj.approved_at = timezone.now()

    transition_run(
        instance=AgreementTemplate.objects.get(pk=request.object_id), name="approve", user=None, before_save=stamp
    )


def agreement_change_rejected(*, request) -> None:
    if request.content_type.model_class() is not AgreementTemplate:
        return
    transition_run(instance=AgreementTemplate.objects.get(pk=request.object_id), name="reject", user=None)
