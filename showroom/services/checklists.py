"""Writes of the checklists engine: start a run on a record, answer its items, and the transition
guard that makes a registered transition wait for a complete run.

A run stays open until every required item of every phase is answered within its bounds; then
``completed_at`` is stamped (and, for a scored audit, the score) and its answers are final: a
second check of the same record is a new run. Each answer recomputes the run's state.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import ChecklistAnswer, ChecklistItem, ChecklistRun, ChecklistTemplate, Store
from showroom.permissions import roles_in
from showroom.registry import ChecklistGuard, registry
from showroom.selectors.checklists import (
    checklist_open_run,
    checklist_run_reload,
    checklist_run_status,
    checklist_template_by_code,
    checklist_template_status,
    db_id,
    item_choice_options,
    store_of,
)
from showroom.services.transitions import TransitionConflict, register_pre_check

MAX_FILE_BYTES = 10 * 1024 * 1024
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "gif"}
NOTE_MAX = 500
NUMBER_LIMIT = Decimal("999999999.999")  # the answer column holds 12 digits, 3 after the point


def _may_work_in(user, store_id: int) -> bool:
    return bool(roles_in(user, store_id))


@transaction.atomic
def checklist_run_start(*, template_code: str, target: models.Model, store: Store | None = None, user) -> ChecklistRun:
    """Start a run of the template on the record, or return the record's open run of it.

    The run belongs to the record's store (the store itself for a store-level list). The caller
    must hold a role there. ``run.was_created`` says whether a new run was started.
    """
    template = ChecklistTemplate.objects.select_for_update().filter(code=template_code or "", is_active=True).first()
    if template is None:
        raise ValidationError({"template": [_("There is no active checklist with this code.")]})
    target_store_id = store_of(target)
    store_id = store.pk if store is not None else target_store_id
    if store_id is None:
        raise ValidationError({"store": [_("Checklists are kept on records that belong to a store.")]})
    if target_store_id is not None and target_store_id != store_id:
        raise ValidationError({"store": [_("The record belongs to another store.")]})
    if not _may_work_in(user, store_id):
        raise PermissionDenied(_("You have no role in this store."))
    # The template row is locked above, so two tablets starting the same list get one run.
    existing = checklist_open_run(target=target, template=template)
    if existing is not None:
        existing.was_created = False
        return existing
    run = ChecklistRun.objects.create(
        template=template,
        store_id=store_id,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        target_label=str(target)[:200],
        started_by=user,
    )
    run.was_created = True
    return run


def _parse_number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip().replace(",", "").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValidationError({"number": [_("Enter a number, e.g. 0.5.")]}) from exc
    if not number.is_finite():
        raise ValidationError({"number": [_("Enter a number, e.g. 0.5.")]})
    if abs(number) > NUMBER_LIMIT:
        raise ValidationError({"number": [_("This number is too large.")]})
    return number.quantize(Decimal("0.001"))


def _check_image(file) -> None:
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in IMAGE_EXTENSIONS:
        raise ValidationError(
            {"file": [_("Attach a picture (JPEG, PNG, WebP or GIF).")]},
        )
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ValidationError({"file": [_("The picture is larger than 10 MB.")]})
    from PIL import Image

    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
    except Exception as exc:  # Pillow raises many kinds of errors for a file that is no picture
        raise ValidationError({"file": [_("This file is not a picture that can be opened.")]}) from exc
    finally:
        file.seek(0)


def _values_for(item: ChecklistItem, *, ticked, number, choice: str, file: UploadedFile | None) -> dict[str, object]:
    """The answer's columns for the item's kind, or ValidationError naming the field."""
    kind = item.kind
    values: dict[str, object] = {"ticked": None, "number": None, "choice": ""}
    if kind == ChecklistItem.Kind.TICK:
        if ticked is None:
            raise ValidationError({"ticked": [_("Say yes or no.")]})
        values["ticked"] = bool(ticked)
    elif kind == ChecklistItem.Kind.NUMBER:
        parsed = _parse_number(number)
        if parsed is None:
            raise ValidationError({"number": [_("Enter a number, e.g. 0.5.")]})
        # A number out of bounds is recorded (it is what was found) and keeps the item missing.
        values["number"] = parsed
    elif kind == ChecklistItem.Kind.CHOICE:
        options = [value for value, _label in item_choice_options(item)]
        if (choice or "") not in options:
            raise ValidationError(
                {
                    "choice": [
                        _("Choose one of: %(choices)s.")
                        % {"choices": ", ".join(label for _v, label in item_choice_options(item))}
                    ]
                }
            )
        values["choice"] = choice
    else:  # photo, signature
        if file is None:
            raise ValidationError({"file": [_("Attach the picture.")]})
        _check_image(file)
        values["file"] = file
    return values


@transaction.atomic
def checklist_answer(
    *,
    run: ChecklistRun,
    item: ChecklistItem | int,
    user,
    ticked: bool | None = None,
    number: Decimal | str | None = None,
    choice: str = "",
    file: UploadedFile | None = None,
    note: str = "",
) -> ChecklistAnswer:
    """Record (or change) the answer to one item of an open run, then recompute the run.

    Only a user with a role in the run's store may answer. An answer that does not fit the item's
    kind is refused (ValidationError naming the field); a number outside the item's bounds is
    recorded and the item stays missing. A completed run cannot change (409).
    """
    run = ChecklistRun.objects.select_for_update().get(pk=run.pk)
    if not _may_work_in(user, run.store_id):
        raise PermissionDenied(_("You have no role in this store."))
    if run.completed_at is not None:
        raise TransitionConflict(
            _("This checklist is complete and can no longer change. Start a new one to check again."),
            state="completed",
        )
    item_id = db_id(item.pk if isinstance(item, ChecklistItem) else item)
    item_obj = ChecklistItem.objects.filter(pk=item_id or 0, template_id=run.template_id).first()
    if item_obj is None:
        raise ValidationError({"item": [_("This item is not on this checklist.")]})
    note = (note or "").strip()
    errors = {}
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}]
    try:
        values = _values_for(item_obj, ticked=ticked, number=number, choice=choice, file=file)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        values = {}
    if errors:
        raise ValidationError(errors)
    answer = ChecklistAnswer.objects.filter(run=run, item=item_obj).first()
    if answer is None:
        answer = ChecklistAnswer(run=run, item=item_obj)
    answer.ticked = values["ticked"]
    answer.number = values["number"]
    answer.choice = values["choice"]
    if "file" in values:
        answer.file = values["file"]
    elif item_obj.kind not in (ChecklistItem.Kind.PHOTO, ChecklistItem.Kind.SIGNATURE):
        answer.file = ""
    answer.note = note
    answer.answered_by = user
    answer.save()
    checklist_run_refresh(run=run)
    return answer


def checklist_run_refresh(*, run: ChecklistRun) -> ChecklistRun:
    """Stamp or clear ``completed_at`` and recompute the score from the run's answers."""
    fresh = checklist_run_reload(run=run)
    status = checklist_run_status(fresh)
    completed_at = (fresh.completed_at or timezone.now()) if status.complete else None
    score = status.score
    if (completed_at, score) != (fresh.completed_at, fresh.score):
        ChecklistRun.objects.filter(pk=run.pk).update(completed_at=completed_at, score=score)
    run.completed_at, run.score = completed_at, score
    return run


# --- the transition guard ----------------------------------------------------------------------


def _guards_for(instance: models.Model, transition: str) -> list[ChecklistGuard]:
    label = instance._meta.label_lower
    return [
        guard for guard in registry.checklist_guards if guard.model.lower() == label and guard.transition == transition
    ]


def checklist_guard_missing(*, instance: models.Model, guard: ChecklistGuard) -> tuple[str, list[str]] | None:
    """None when the record has a run of the guard's checklist complete for its phase; else the
    checklist's title and the labels of the items still missing (of the most recent run)."""
    template = checklist_template_by_code(code=guard.checklist_code)
    if template is None:
        return guard.checklist_code, [guard.checklist_code]
    ct = ContentType.objects.get_for_model(instance)
    runs = list(
        ChecklistRun.objects.filter(content_type=ct, object_id=instance.pk, template=template)
        .prefetch_related("answers")
        .order_by("-started_at", "-id")
    )
    latest = None
    for run in runs:
        run.template = template  # with its items, fetched once for every run
        status = checklist_run_status(run, guard.phase)
        if status.complete:
            return None
        latest = latest or status
    status = latest or checklist_template_status(template, guard.phase)
    return template.label, status.missing_labels


def checklist_guard_check(*, instance: models.Model, transition: str, user=None) -> None:
    """The pre-check of the transition runner: raise TransitionConflict (409) naming the missing
    items when a registered checklist guard of this transition is unmet."""
    titles: list[str] = []
    missing: list[str] = []
    for guard in _guards_for(instance, transition):
        result = checklist_guard_missing(instance=instance, guard=guard)
        if result is None:
            continue
        title, labels = result
        titles.append(title)
        missing.extend(labels)
    if titles:
        raise TransitionConflict(
            _("Complete the checklist first: %(titles)s (%(count)s items missing).")
            % {"titles": "; ".join(titles), "count": len(missing)},
            missing=missing,
            state=str(getattr(instance, "state", "") or ""),
        )


register_pre_check(checklist_guard_check)
