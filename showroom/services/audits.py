"""Process audits: a manager audits one consultant's interaction with the showroom process audit
(article 1, eight sections). Items the data can answer are scored by the scorers registered per
item code (``showroom.registry.register_audit_scorer``) and marked automatic; the auditor answers
the rest, with a note each, and completes the audit, which fixes its score.

The core scores 2.2 (the walk-in logged and assigned within the store's minutes of arriving);
leads score 3.1, 4.1, 6.1 and 6.3, test drives 4.4. Quotes (5.2, the standard quote sent the same
day) and delivery (7.x the handover checklist complete, 8.x care calls on time) register theirs
when those apps land; until then those items are answered by hand.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.checklist_templates.article_1 import ARTICLE_1
from showroom.models import (
    Assignment,
    AuditAnswer,
    AuditSettings,
    ChecklistItem,
    ChecklistTemplate,
    Customer,
    ProcessAudit,
    Visit,
)
from showroom.permissions import has_role
from showroom.registry import AuditScorer, AuditVerdict, audit_scorers, register_audit_scorer
from showroom.roles import CONSULTANT
from showroom.selectors.dashboard import DASHBOARD_ROLES
from showroom.services.transitions import TransitionConflict

AUDIT_TEMPLATE = "audit.showroom"
#: The item code ("section.item") of each item of the audit template, by its order.
ITEM_CODES = {order: f"{s}.{n}" for order, (s, n) in enumerate(ARTICLE_1, start=1)}
ONE = Decimal("1")


def audit_settings_for(*, store) -> AuditSettings:
    return AuditSettings.objects.filter(store=store).first() or AuditSettings(store=store)


@transaction.atomic
def audit_settings_update(*, store, user, walkin_minutes: int, test_drive_minutes: int) -> AuditSettings:
    """The store's thresholds for the automatic audit items, set by its managers. Audits already
    completed keep their score; a new audit, or a rescore, uses the new thresholds."""
    if not has_role(user, store, DASHBOARD_ROLES):
        raise PermissionDenied(_("Only the store's managers may change the audit thresholds."))
    settings = AuditSettings.objects.select_for_update().filter(store=store).first() or AuditSettings(store=store)
    settings.walkin_minutes = walkin_minutes
    settings.test_drive_minutes = test_drive_minutes
    settings.full_clean()
    settings.save()
    return settings


# --- the core's scorer --------------------------------------------------------------------------


def score_walkin_prompt(*, audit, settings) -> AuditVerdict | None:
    """2.2 "greeted within five steps": the walk-in was logged, and handed to a consultant, within
    ``walkin_minutes`` of arriving."""
    from showroom.selectors.dashboard_core import HANDED_KINDS

    if not audit.visit_id:
        return None
    visit = Visit.objects.get(pk=audit.visit_id)
    handed = (
        Assignment.objects.filter(visit=visit, kind__in=HANDED_KINDS)
        .order_by("created_at")
        .values("created_at")
        .first()
    )
    limit = settings.walkin_minutes
    logged = (visit.created_at - visit.arrived_at).total_seconds() / 60
    if handed is None:
        return AuditVerdict(False, _("Logged after %(logged)d min; never assigned.") % {"logged": logged})
    assigned = (handed["created_at"] - visit.arrived_at).total_seconds() / 60
    return AuditVerdict(
        passed=logged <= limit and assigned <= limit,
        evidence=_("Logged after %(logged)d min, assigned after %(assigned)d min (limit %(limit)d).")
        % {"logged": logged, "assigned": assigned, "limit": limit},
    )


register_audit_scorer(
    AuditScorer("2.2", gettext_lazy("Walk-in logged and assigned within the minutes set"), score_walkin_prompt)
)


# --- the audit ----------------------------------------------------------------------------------


def _may_audit(user, store) -> bool:
    return has_role(user, store, DASHBOARD_ROLES)


def _score(audit: ProcessAudit, answers) -> None:
    audit.score = sum(
        (a.points for a in answers if a.result and a.result != AuditAnswer.Result.NOT_APPLICABLE), Decimal(0)
    )
    audit.max_score = sum(
        (a.max_points for a in answers if a.result and a.result != AuditAnswer.Result.NOT_APPLICABLE), Decimal(0)
    )


def _apply(answer: AuditAnswer, verdict: AuditVerdict | None) -> None:
    if verdict is None:
        answer.automatic, answer.evidence = False, ""
        return
    answer.automatic = True
    answer.result = AuditAnswer.Result.PASS if verdict.passed else AuditAnswer.Result.FAIL
    answer.points = answer.max_points if verdict.passed else Decimal(0)
    answer.evidence = str(verdict.evidence)[:300]


def audit_start(
    *, store, auditor, consultant, visit: Visit | None = None, customer: Customer | None = None, interaction_at=None
) -> ProcessAudit:
    """Open an audit of ``consultant``'s interaction (a walk-in, or a customer at a time) with every
    item of the template, the automatic ones already scored."""
    if not _may_audit(auditor, store):
        raise PermissionDenied(_("Only the store's managers audit consultants."))
    if not has_role(consultant, store, CONSULTANT):
        raise ValidationError({"consultant": _("Choose a consultant of this store.")})
    if visit is not None:
        if visit.store_id != store.pk:
            raise ValidationError({"visit": _("Choose a walk-in of this store.")})
        customer = customer or visit.customer
        interaction_at = interaction_at or visit.arrived_at
    if customer is not None and customer.store_id != store.pk:
        raise ValidationError({"customer": _("Choose a customer of this store.")})
    if interaction_at is None:
        raise ValidationError({"interaction_at": _("Say when the interaction took place.")})
    template = ChecklistTemplate.objects.get(code=AUDIT_TEMPLATE)
    with transaction.atomic():
        audit = ProcessAudit.objects.create(
            store=store,
            template=template,
            consultant=consultant,
            auditor=auditor,
            visit=visit,
            customer=customer,
            interaction_at=interaction_at,
        )
        items = list(ChecklistItem.objects.filter(template=template).order_by("order"))
        answers = []
        for item in items:
            code = ITEM_CODES.get(item.order, str(item.order))
            answers.append(
                AuditAnswer(
                    audit=audit,
                    item=item,
                    code=code,
                    section=int(code.split(".")[0]) if "." in code else 0,
                    max_points=Decimal(item.points or 1),
                )
            )
        _score_automatic(audit, answers)
        AuditAnswer.objects.bulk_create(answers)
        _score(audit, answers)
        audit.save(update_fields=["score", "max_score"])
    return audit


def _score_automatic(audit: ProcessAudit, answers: list[AuditAnswer]) -> None:
    scorers = audit_scorers()
    settings = audit_settings_for(store=audit.store)
    for answer in answers:
        scorer = scorers.get(answer.code)
        if scorer is not None:
            _apply(answer, scorer.func(audit=audit, settings=settings))


def audit_rescore(*, audit: ProcessAudit, user) -> ProcessAudit:
    """Run the automatic scorers again (the data may have changed since the audit was opened)."""
    if not _may_audit(user, audit.store_id):
        raise PermissionDenied(_("Only the store's managers audit consultants."))
    with transaction.atomic():
        audit = ProcessAudit.objects.select_for_update().get(pk=audit.pk)
        if audit.state != ProcessAudit.State.DRAFT:
            raise TransitionConflict(_("This audit is complete."))
        answers = list(audit.answers.all())
        was_auto = {a.pk: a.automatic for a in answers}
        _score_automatic(audit, answers)
        for answer in answers:
            if was_auto[answer.pk] and not answer.automatic:
                answer.result, answer.points = "", Decimal(0)
        AuditAnswer.objects.bulk_update(answers, ["result", "points", "automatic", "evidence"])
        _score(audit, answers)
        audit.save(update_fields=["score", "max_score"])
    return audit


def audit_answer(*, audit: ProcessAudit, user, answers: dict[int, tuple[str, str]]) -> ProcessAudit:
    """Record the auditor's answers ``{answer_id: (result, note)}``; an automatic item keeps the
    data's result (only its note changes)."""
    if not _may_audit(user, audit.store_id):
        raise PermissionDenied(_("Only the store's managers audit consultants."))
    with transaction.atomic():
        audit = ProcessAudit.objects.select_for_update().get(pk=audit.pk)
        if audit.state != ProcessAudit.State.DRAFT:
            raise TransitionConflict(_("This audit is complete."))
        rows = list(audit.answers.all())
        for row in rows:
            if row.pk not in answers:
                continue
            result, note = answers[row.pk]
            row.note = (note or "")[:500]
            if row.automatic:
                continue
            if result not in ("", *AuditAnswer.Result.values):
                raise ValidationError({"result": _("Answer yes, no or not applicable.")})
            row.result = result
            row.points = row.max_points if result == AuditAnswer.Result.PASS else Decimal(0)
        AuditAnswer.objects.bulk_update(rows, ["result", "points", "note"])
        _score(audit, rows)
        audit.save(update_fields=["score", "max_score"])
    return audit


def audit_complete(*, audit: ProcessAudit, user, note: str = "") -> ProcessAudit:
    """Fix the audit's score; every item must be answered."""
    if not _may_audit(user, audit.store_id):
        raise PermissionDenied(_("Only the store's managers audit consultants."))
    with transaction.atomic():
        audit = ProcessAudit.objects.select_for_update().get(pk=audit.pk)
        if audit.state != ProcessAudit.State.DRAFT:
            raise TransitionConflict(_("This audit is complete."))
        rows = list(audit.answers.all())
        missing = [row.code for row in rows if not row.result]
        if missing:
            raise TransitionConflict(
                _("Answer every item first: %(items)s.") % {"items": ", ".join(missing[:10])}, missing=missing
            )
        _score(audit, rows)
        audit.state, audit.completed_at, audit.note = ProcessAudit.State.DONE, timezone.now(), note[:2000]
        audit.save(update_fields=["state", "completed_at", "note", "score", "max_score"])
    return audit


__all__ = [
    "ITEM_CODES",
    "ONE",
    "audit_answer",
    "audit_complete",
    "audit_rescore",
    "audit_settings_for",
    "audit_start",
    "score_walkin_prompt",
]
