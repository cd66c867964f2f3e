"""Writes of the duty roster: a manager sets a day's consultants in order, statuses change during
the day, and walk-ins are assigned in turn (or by a manager's override, with a reason). A
returning customer goes to the consultant who owns him (to a stand-in when the owner is away),
which takes nobody's turn.

``roster_assign`` locks the day's roster, so two desks assigning at the same moment take turns and
never hand two walk-ins to the same "next" consultant. Every consultant passed over is recorded as
a skip with its reason; the signal ``visit_assigned`` is sent inside the transaction, so a
receiver's failure rolls the assignment back.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Assignment, DutyRoster, RosterEntry, Store, Visit
from showroom.permissions import has_role
from showroom.selectors.frontdesk import (
    FRONT_DESK_ROLES,
    ROSTER_MANAGERS,
    frontdesk_settings_get,
    is_store_consultant,
    local_today,
    user_label,
)
from showroom.selectors.roster import owner_duty, roster_rotation
from showroom.services.ownership import customer_owner_claim, customer_stand_in_record
from showroom.services.transitions import TransitionConflict
from showroom.signals import visit_assigned

MAX_ROSTER = 60
MAX_TEXT = 2000


def roster_entry_release(*, consultant_id: int | None, store: Store, now: dt.datetime) -> None:
    """Back to available when the consultant has no other open visit in the store today."""
    if consultant_id is None:
        return
    if Visit.objects.filter(store=store, consultant_id=consultant_id, left_at__isnull=True).exists():
        return
    RosterEntry.objects.filter(
        roster__store=store,
        roster__day=local_today(now),
        consultant_id=consultant_id,
        status=RosterEntry.Status.WITH_CUSTOMER,
    ).update(status=RosterEntry.Status.AVAILABLE, status_changed_at=now)


def roster_entry_busy(*, consultant_id: int, store: Store, now: dt.datetime) -> RosterEntry | None:
    """Mark the consultant's entry on today's roster as with a customer; the entry, if any."""
    entry = (
        RosterEntry.objects.select_for_update(of=("self",))
        .filter(roster__store=store, roster__day=local_today(now), consultant_id=consultant_id)
        .first()
    )
    if entry is not None and entry.status != RosterEntry.Status.WITH_CUSTOMER:
        entry.status = RosterEntry.Status.WITH_CUSTOMER
        entry.status_changed_at = now
        entry.save(update_fields=["status", "status_changed_at"])
    return entry


@transaction.atomic
def roster_set(*, store: Store, day: dt.date, consultants: list, user) -> DutyRoster:
    """Set the day's consultants in order (managers). Consultants who stay keep their status;
    those left out are taken off the roster (their assignments stay recorded)."""
    if not has_role(user, store, ROSTER_MANAGERS):
        raise PermissionDenied(_("Only the showroom's managers set the duty roster."))
    errors: dict[str, list[str]] = {}
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        errors["day"] = [_("Enter a date.")]
    elif day < local_today():
        errors["day"] = [_("A past day's roster cannot be changed.")]
    consultants = list(consultants or [])
    if not consultants:
        errors["consultants"] = [_("Put at least one consultant on the roster.")]
    elif len(consultants) > MAX_ROSTER:
        errors["consultants"] = [_("A roster has at most %(n)s consultants.") % {"n": MAX_ROSTER}]
    elif len({getattr(c, "pk", None) for c in consultants}) != len(consultants):
        errors["consultants"] = [_("Each consultant appears once on the roster.")]
    else:
        outsiders = [c for c in consultants if not is_store_consultant(user=c, store=store)]
        if outsiders:
            errors["consultants"] = [
                _("Not a consultant of this store: %(names)s.") % {"names": ", ".join(user_label(c) for c in outsiders)}
            ]
    if errors:
        raise ValidationError(errors)

    roster, _created = DutyRoster.objects.get_or_create(store=store, day=day)
    roster = DutyRoster.objects.select_for_update().get(pk=roster.pk)
    existing = {entry.consultant_id: entry for entry in roster.entries.select_for_update()}
    wanted = [c.pk for c in consultants]
    RosterEntry.objects.filter(roster=roster).exclude(consultant_id__in=wanted).delete()
    for position, consultant in enumerate(consultants, start=1):
        entry = existing.get(consultant.pk)
        if entry is None:
            RosterEntry.objects.create(roster=roster, consultant=consultant, position=position)
        elif entry.position != position:
            entry.position = position
            entry.save(update_fields=["position"])
    roster.updated_by = user
    roster.save(update_fields=["updated_by", "updated_at"])
    return roster


@transaction.atomic
def roster_status_set(*, entry: RosterEntry, status: str, user) -> RosterEntry:
    """Available, with a customer or away: the consultant himself, the front desk or a manager."""
    locked = RosterEntry.objects.select_for_update(of=("self",)).select_related("roster").get(pk=entry.pk)
    store_id = locked.roster.store_id
    if not (has_role(user, store_id, FRONT_DESK_ROLES) or (user is not None and user.pk == locked.consultant_id)):
        raise PermissionDenied(_("Only the consultant, the front desk or a manager may change this status."))
    if status not in RosterEntry.Status.values:
        raise ValidationError({"status": [_("Choose available, with a customer or away.")]})
    if locked.roster.day < local_today():
        raise TransitionConflict(_("This roster is for a past day."), state=locked.status)
    if locked.status != status:
        locked.status = status
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_changed_at"])
    entry.status, entry.status_changed_at = locked.status, locked.status_changed_at
    return locked


@transaction.atomic
def roster_assign(
    *,
    store: Store,
    user,
    visit: Visit | None = None,
    day: dt.date | None = None,
    consultant=None,
    reason: str = "",
) -> Assignment:
    """Give a walk-in (or, without a visit, a lead) to a consultant and return the assignment.

    Without ``consultant``: the next consultant in turn (see ``showroom.selectors.roster``); each
    one passed over is recorded as a skip with its reason; 409 when nobody can take it now. With
    ``consultant``: a manager's override of the order, which needs a reason and takes nobody's
    turn. The visit's consultant is set and the consultant is "with a customer"."""
    reason = (reason or "").strip()
    if consultant is None:
        if not has_role(user, store, FRONT_DESK_ROLES):
            raise PermissionDenied(_("Only the front desk and the showroom's managers assign walk-ins."))
    else:
        if not has_role(user, store, ROSTER_MANAGERS):
            raise PermissionDenied(_("Only a manager may override the duty order."))
        if not reason:
            raise ValidationError({"reason": [_("Say why the order is overridden.")]})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": [_("Keep the reason under 2000 characters.")]})
    now = timezone.now()
    day = day or local_today(now)

    if visit is not None:
        visit = Visit.objects.select_for_update(of=("self",)).select_related("consultant", "customer").get(pk=visit.pk)
        if visit.store_id != store.pk:
            raise ValidationError({"visit": [_("This visit belongs to another store.")]})
        if visit.left_at is not None:
            raise TransitionConflict(_("This visitor has already left."), state="left")
        if visit.consultant_id is not None and consultant is None:
            raise TransitionConflict(
                _("%(name)s already looks after this visitor; a manager may reassign with a reason.")
                % {"name": user_label(visit.consultant)},
                state="assigned",
            )
        if consultant is not None and visit.consultant_id == consultant.pk:
            raise TransitionConflict(
                _("%(name)s already looks after this visitor.") % {"name": user_label(consultant)}, state="assigned"
            )

    roster = DutyRoster.objects.select_for_update().filter(store=store, day=day).first()
    if roster is None:
        raise TransitionConflict(
            _("There is no duty roster for %(day)s; a manager sets it on the roster page.")
            % {"day": day.strftime("%Y-%m-%d")}
        )
    entries = list(roster.entries.select_related("consultant").order_by("position", "id"))

    base = {"store": store, "day": day, "visit": visit, "decided_by": user}
    duty = owner_duty(store=store, customer=visit.customer if visit is not None else None, day=day)
    if duty.owner is not None and consultant is None:
        # A returning customer: to the owner when on duty, else the next in turn stands in. Neither
        # takes a turn, so the rotation (and its fairness) counts only new customers.
        if duty.on_duty:
            chosen, kind = duty.entry, Assignment.Kind.OWNER
        else:
            chosen, _skips = roster_rotation(
                store=store, day=day, entries=entries, now=now, settings=frontdesk_settings_get(store=store)
            )
            kind = Assignment.Kind.STAND_IN
            if chosen is None:
                raise TransitionConflict(
                    _("%(owner)s owns this customer and is away, and nobody on the roster can stand in now.")
                    % {"owner": user_label(duty.owner)}
                )
        assignment = Assignment.objects.create(
            **base, roster_entry=chosen, consultant=chosen.consultant, kind=kind, counts_for_fairness=False
        )
    elif consultant is None:
        chosen, skips = roster_rotation(
            store=store, day=day, entries=entries, now=now, settings=frontdesk_settings_get(store=store)
        )
        if chosen is None:
            raise TransitionConflict(
                _(
                    "Nobody on the roster can take a walk-in now (with a customer, away or behind on "
                    "follow-ups). A manager may assign one directly."
                )
            )
        Assignment.objects.bulk_create(
            Assignment(
                **base,
                roster_entry=skip.entry,
                consultant=skip.entry.consultant,
                kind=Assignment.Kind.SKIPPED,
                reason_code=skip.code,
                details=skip.details,
                counts_for_fairness=False,
            )
            for skip in skips
        )
        assignment = Assignment.objects.create(
            **base, roster_entry=chosen, consultant=chosen.consultant, kind=Assignment.Kind.ASSIGNED
        )
    else:
        chosen = next((e for e in entries if e.consultant_id == consultant.pk), None)
        if chosen is None:
            raise ValidationError(
                {"consultant": [_("%(name)s is not on the roster of this day.") % {"name": user_label(consultant)}]}
            )
        assignment = Assignment.objects.create(
            **base,
            roster_entry=chosen,
            consultant=chosen.consultant,
            kind=Assignment.Kind.OVERRIDE,
            reason=reason,
            counts_for_fairness=False,
        )

    if visit is not None:
        previous = visit.consultant_id
        visit.consultant = chosen.consultant
        visit.save(update_fields=["consultant"])
        if visit.customer is not None:
            if assignment.kind == Assignment.Kind.STAND_IN:
                customer_stand_in_record(
                    customer=visit.customer, stand_in=chosen.consultant, by=user, visit_id=visit.pk
                )
            customer_owner_claim(customer=visit.customer, consultant=chosen.consultant, by=user, now=now)
        if day == local_today(now):
            roster_entry_busy(consultant_id=chosen.consultant_id, store=store, now=now)
        roster_entry_release(consultant_id=previous, store=store, now=now)
        visit_assigned.send(sender=Visit, visit=visit, consultant=chosen.consultant)
    return assignment


__all__ = [
    "roster_assign",
    "roster_entry_busy",
    "roster_entry_release",
    "roster_set",
    "roster_status_set",
]
