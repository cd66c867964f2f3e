"""Reads of the checklists engine: templates, runs scoped to the user's stores, and the status of a
run for a phase (complete, missing items, score).

A run is complete for a phase when every *required* item of that phase is answered within its
bounds: a tick is ticked (in a scored audit, answered yes or no: the "no" costs the point, not the
completeness), a number lies within its minimum and maximum, a choice is one of the item's choices,
a photo or signature has its file. The phase ``""`` means the whole run (every item); a phase
``"before"`` / ``"at"`` / ``"after"`` means the items of that phase only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from showroom.models import ChecklistAnswer, ChecklistItem, ChecklistRun, ChecklistTemplate, Store
from showroom.permissions import store_ids_for
from showroom.selectors.timeline import TimelineEntry, register_timeline_source

HUNDRED = Decimal(100)
PHASE_ORDER = ("before", "at", "after")
MAX_ID = 2**63 - 1  # a bigint primary key; a larger number would be a database error, not a 404


def db_id(value) -> int | None:
    """``value`` as a primary key, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def number_text(value: Decimal | None) -> str:
    """A decimal without trailing zeros (``0.500`` -> ``0.5``); empty for None."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


def item_choice_options(item: ChecklistItem) -> list[tuple[str, str]]:
    """(value, label) of a choice item. Choices are stored as plain strings or as
    ``{"value", "label", "label_en"}`` objects (the label in the active language)."""
    english = (get_language() or "").startswith("en")
    options = []
    for choice in item.choices or []:
        if isinstance(choice, dict):
            value = str(choice.get("value", ""))
            label = (choice.get("label_en") if english else "") or choice.get("label") or value
            options.append((value, str(label)))
        else:
            options.append((str(choice), str(choice)))
    return [(v, label) for v, label in options if v]


def item_bounds_text(item: ChecklistItem) -> str:
    low, high = number_text(item.min_value), number_text(item.max_value)
    if low and high:
        return _("between %(min)s and %(max)s") % {"min": low, "max": high}
    if low:
        return _("at least %(min)s") % {"min": low}
    if high:
        return _("at most %(max)s") % {"max": high}
    return ""


def checklist_answer_check(
    *, item: ChecklistItem, answer: ChecklistAnswer | None, scored: bool = False
) -> tuple[bool, str]:
    """Is the item answered within its bounds? ``(True, "")`` or ``(False, why not)``."""
    if answer is None:
        return False, _("Not answered yet.")
    kind = item.kind
    if kind == ChecklistItem.Kind.TICK:
        if scored:
            return (answer.ticked is not None), ("" if answer.ticked is not None else _("Not answered yet."))
        return (True, "") if answer.ticked else (False, _("Not ticked."))
    if kind == ChecklistItem.Kind.NUMBER:
        if answer.number is None:
            return False, _("No number entered.")
        if item.min_value is not None and answer.number < item.min_value:
            return False, _("%(value)s is below the minimum of %(min)s.") % {
                "value": number_text(answer.number),
                "min": number_text(item.min_value),
            }
        if item.max_value is not None and answer.number > item.max_value:
            return False, _("%(value)s is above the maximum of %(max)s.") % {
                "value": number_text(answer.number),
                "max": number_text(item.max_value),
            }
        return True, ""
    if kind == ChecklistItem.Kind.CHOICE:
        if not answer.choice:
            return False, _("Nothing chosen.")
        if answer.choice not in {value for value, _label in item_choice_options(item)}:
            return False, _("“%(value)s” is not one of the choices.") % {"value": answer.choice}
        return True, ""
    # photo, signature
    return (True, "") if answer.file else (False, _("No file attached."))


@dataclass(frozen=True)
class ItemState:
    item: ChecklistItem
    answer: ChecklistAnswer | None
    ok: bool
    message: str

    @property
    def missing(self) -> bool:
        return self.item.required and not self.ok

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass(frozen=True)
class RunStatus:
    phase: str
    rows: list[ItemState]
    scored: bool = False
    missing: list[ItemState] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def required(self) -> int:
        return sum(1 for row in self.rows if row.item.required)

    @property
    def done(self) -> int:
        """Required items answered within their bounds (the progress counter)."""
        return self.required - len(self.missing)

    @property
    def missing_labels(self) -> list[str]:
        return [row.item.label for row in self.missing]

    @property
    def points(self) -> int:
        return sum(row.item.points for row in self.rows if row.answer is not None and row.answer.ticked)

    @property
    def points_total(self) -> int:
        return sum(row.item.points for row in self.rows)

    @property
    def score(self) -> Decimal | None:
        """Percentage of the points earned (scored audits only)."""
        if not self.scored or not self.points_total:
            return None
        return (Decimal(self.points) / Decimal(self.points_total) * HUNDRED).quantize(Decimal("0.01"))


def checklist_phases(template: ChecklistTemplate) -> list[str]:
    """The phases a template's items use, in handover order (empty: the template has none)."""
    used = {item.phase for item in template.items.all()}
    return [phase for phase in PHASE_ORDER if phase in used]


def checklist_run_status(run: ChecklistRun, phase: str = "") -> RunStatus:
    """The run's status for ``phase`` ("" = every item). Uses ``run.template.items.all()`` and
    ``run.answers.all()``, so a run fetched by ``checklist_run_get`` costs no further query."""
    scored = run.template.scored
    answers = {answer.item_id: answer for answer in run.answers.all()}
    rows = []
    for item in run.template.items.all():
        if phase and item.phase != phase:
            continue
        answer = answers.get(item.pk)
        ok, message = checklist_answer_check(item=item, answer=answer, scored=scored)
        rows.append(ItemState(item=item, answer=answer, ok=ok, message=message))
    return RunStatus(phase=phase, rows=rows, scored=scored, missing=[row for row in rows if row.missing])


def checklist_template_status(template: ChecklistTemplate, phase: str = "") -> RunStatus:
    """The status of a run not started yet: every required item of the phase is missing."""
    rows = [
        ItemState(item=item, answer=None, ok=False, message=_("Not answered yet."))
        for item in template.items.all()
        if not phase or item.phase == phase
    ]
    return RunStatus(phase=phase, rows=rows, scored=template.scored, missing=[r for r in rows if r.missing])


# --- templates ---------------------------------------------------------------------------------


def checklist_template_list(*, include_inactive: bool = False) -> QuerySet[ChecklistTemplate]:
    qs = ChecklistTemplate.objects.prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.order_by("order"))
    ).order_by("code")
    return qs if include_inactive else qs.filter(is_active=True)


def checklist_template_by_code(*, code: str) -> ChecklistTemplate | None:
    return (
        ChecklistTemplate.objects.filter(code=code)
        .prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.order_by("order")))
        .first()
    )


# --- runs --------------------------------------------------------------------------------------


def _runs() -> QuerySet[ChecklistRun]:
    return ChecklistRun.objects.select_related("template", "store", "started_by", "content_type")


def _with_answers(qs: QuerySet[ChecklistRun]) -> QuerySet[ChecklistRun]:
    return qs.prefetch_related(
        Prefetch("template__items", queryset=ChecklistItem.objects.order_by("order")),
        Prefetch("answers", queryset=ChecklistAnswer.objects.select_related("answered_by")),
    )


def checklist_runs_visible(*, user) -> QuerySet[ChecklistRun]:
    """Runs of the stores the user holds a membership in."""
    return _runs().filter(store_id__in=store_ids_for(user))


def checklist_run_list(
    *,
    user,
    store_id: int | None = None,
    template_code: str = "",
    complete: bool | None = None,
    target_type: str = "",
    object_id: int | None = None,
) -> QuerySet[ChecklistRun]:
    qs = checklist_runs_visible(user=user)
    if store_id:
        qs = qs.filter(store_id=store_id if db_id(store_id) else -1)
    if template_code:
        qs = qs.filter(template__code=template_code)
    if complete is not None:
        qs = qs.filter(completed_at__isnull=not complete)
    if target_type:
        app_label, _dot, model = target_type.lower().partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    if object_id is not None:
        qs = qs.filter(object_id=object_id if db_id(object_id) else -1)
    return qs.order_by("-started_at", "-id")


def checklist_run_get(*, user, pk) -> ChecklistRun:
    """One run of the user's stores with its items and answers; 404 otherwise."""
    if db_id(pk) is None:
        raise Http404
    try:
        return _with_answers(checklist_runs_visible(user=user)).get(pk=db_id(pk))
    except ChecklistRun.DoesNotExist as exc:
        raise Http404 from exc


def checklist_run_reload(*, run: ChecklistRun) -> ChecklistRun:
    """The run again with its items and answers (after a write)."""
    return _with_answers(_runs()).get(pk=run.pk)


def checklist_runs_for(*, target: models.Model, template_code: str = "") -> QuerySet[ChecklistRun]:
    ct = ContentType.objects.get_for_model(target)
    qs = _with_answers(_runs().filter(content_type=ct, object_id=target.pk))
    if template_code:
        qs = qs.filter(template__code=template_code)
    return qs.order_by("-started_at", "-id")


def checklist_open_run(*, target: models.Model, template: ChecklistTemplate) -> ChecklistRun | None:
    ct = ContentType.objects.get_for_model(target)
    return (
        ChecklistRun.objects.filter(content_type=ct, object_id=target.pk, template=template, completed_at__isnull=True)
        .order_by("-started_at", "-id")
        .first()
    )


def store_of(target: models.Model) -> int | None:
    """The store a record belongs to: the store itself, or its ``store_id``."""
    if isinstance(target, Store):
        return target.pk
    return getattr(target, "store_id", None)


def checklist_target_get(*, user, target_type: str, object_id) -> models.Model:
    """The record a run is about, by ``"app_label.model"`` and id, if it belongs to one of the
    user's stores; 404 otherwise (never confirm that another store's record exists)."""
    app_label, _dot, model_name = (target_type or "").lower().partition(".")
    try:
        ct = ContentType.objects.get_by_natural_key(app_label, model_name)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    model = ct.model_class()
    if model is None:
        raise Http404
    if db_id(object_id) is None:
        raise Http404
    try:
        target = model._default_manager.get(pk=db_id(object_id))
    except (model.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc
    store_id = store_of(target)
    if store_id is None or store_id not in store_ids_for(user):
        raise Http404
    return target


# --- timeline ----------------------------------------------------------------------------------


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else _("system")


@register_timeline_source
def checklists_source(target: models.Model, ct: ContentType) -> list[TimelineEntry]:
    """Checklist runs on the record: started, and completed with the score (one query)."""
    entries = []
    runs = (
        ChecklistRun.objects.filter(content_type=ct, object_id=target.pk)
        .select_related("template", "started_by")
        .order_by("started_at")
    )
    for run in runs:
        url = reverse("checklists:run", args=[run.pk])
        entries.append(
            TimelineEntry(
                at=run.started_at,
                kind="checklist",
                title=_("Checklist started: %(title)s") % {"title": run.template.label},
                actor=_name(run.started_by),
                state="in_progress",
                url=url,
            )
        )
        if run.completed_at is not None:
            detail = _("Score %(score)s%%") % {"score": number_text(run.score)} if run.score is not None else ""
            entries.append(
                TimelineEntry(
                    at=run.completed_at,
                    kind="checklist",
                    title=_("Checklist complete: %(title)s") % {"title": run.template.label},
                    detail=detail,
                    state="completed",
                    url=url,
                    extra={"score": run.score},
                )
            )
    return entries
