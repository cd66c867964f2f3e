"""Open, close and hand over the receptionist's shifts; the shift a visit or call is counted in."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import ReceptionShift, Store, Visit
from showroom.permissions import has_role
from showroom.selectors.frontdesk import FRONT_DESK_ROLES, frontdesk_settings_get, local_today, shift_counts, user_label
from showroom.services.frontdesk.common import MAX_TEXT, _lock_store, _require_front_desk
from showroom.services.transitions import TransitionConflict

# --- shifts ------------------------------------------------------------------------------------


def _open_locked(*, store: Store, user, now: dt.datetime) -> ReceptionShift:
    """Open a shift (the store is locked and has no open shift) and adopt the open visits that
    closed shifts left behind."""
    planned = frontdesk_settings_get(store=store).shift_minutes
    try:
        with transaction.atomic():
            shift = ReceptionShift.objects.create(
                store=store, receptionist=user, opened_at=now, planned_minutes=planned
            )
    except IntegrityError as exc:  # another desk opened one between our check and our insert
        raise TransitionConflict(_("Another shift was opened at the same time. Reload the board.")) from exc
    left_behind = Visit.objects.filter(store=store, left_at__isnull=True, current_shift__closed_at__isnull=False)
    previous = set(left_behind.values_list("current_shift_id", flat=True))
    if previous:
        left_behind.update(current_shift=shift)
        ReceptionShift.objects.filter(pk__in=previous, handed_to__isnull=True).update(handed_to=shift)
    return shift


def _close_locked(*, shift: ReceptionShift, user, now: dt.datetime, note: str = "") -> dict:
    counts = shift_counts(shift=shift)
    shift.closed_at = max(now, shift.opened_at)
    shift.closed_by = user
    shift.counts = counts
    shift.handover_note = note
    shift.save(update_fields=["closed_at", "closed_by", "counts", "handover_note"])
    return counts


def _is_stale(shift: ReceptionShift, now: dt.datetime) -> bool:
    return timezone.localtime(shift.opened_at).date() < local_today(now)


def _shift_for_logging(*, store: Store, user, now: dt.datetime) -> ReceptionShift:
    """The open shift a visit or call is counted in: today's open shift, or a new one for
    ``user`` (closing a shift left open since an earlier day first)."""
    shift = ReceptionShift.objects.select_for_update().filter(store=store, closed_at__isnull=True).first()
    if shift is not None and not _is_stale(shift, now):
        return shift
    _lock_store(store)
    shift = ReceptionShift.objects.select_for_update().filter(store=store, closed_at__isnull=True).first()
    if shift is not None:
        if not _is_stale(shift, now):
            return shift
        _close_locked(shift=shift, user=None, now=now, note=_("Closed automatically: still open on a new day."))
    return _open_locked(store=store, user=user, now=now)


@transaction.atomic
def shift_open(*, store: Store, user) -> ReceptionShift:
    """Open a shift for ``user`` at the store's desk. A shift still open from an earlier day is
    closed first; one open today must be closed or handed over instead (409)."""
    _require_front_desk(user, store)
    now = timezone.now()
    _lock_store(store)
    current = ReceptionShift.objects.select_for_update().filter(store=store, closed_at__isnull=True).first()
    if current is not None:
        if not _is_stale(current, now):
            raise TransitionConflict(
                _("%(name)s's shift is open since %(time)s; close it or have it handed over to you.")
                % {
                    "name": user_label(current.receptionist),
                    "time": timezone.localtime(current.opened_at).strftime("%H:%M"),
                }
            )
        _close_locked(shift=current, user=None, now=now, note=_("Closed automatically: still open on a new day."))
    return _open_locked(store=store, user=user, now=now)


@transaction.atomic
def shift_close(*, shift: ReceptionShift, user, next_receptionist=None, note: str = "") -> dict:
    """Close the shift and return its counts. Its open visits go to the next shift: the one opened
    now for ``next_receptionist`` when given, else the next one opened. Nothing is counted twice:
    a visit stays counted in the shift it was logged in."""
    _require_front_desk(user, shift.store)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if next_receptionist is not None and (
        not getattr(next_receptionist, "is_active", False)
        or not has_role(next_receptionist, shift.store_id, FRONT_DESK_ROLES)
    ):
        errors["next_receptionist"] = [_("Hand over to someone who works the desk in this store.")]
    if len(note) > MAX_TEXT:
        errors["note"] = [_("Keep the handover note under 2000 characters.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    _lock_store(shift.store)
    locked = ReceptionShift.objects.select_for_update().select_related("store").get(pk=shift.pk)
    if locked.closed_at is not None:
        raise TransitionConflict(_("This shift is already closed."), state="closed")
    counts = _close_locked(shift=locked, user=user, now=now, note=note)
    if next_receptionist is not None:
        following = _open_locked(store=locked.store, user=next_receptionist, now=now)
        counts["handed_to"] = following.pk
    shift.closed_at, shift.counts, shift.closed_by = locked.closed_at, locked.counts, user
    return counts
