"""Reads of the test-drive app, shared by pages and API: every query scoped to the user's stores.

The calendar costs a fixed number of queries whatever the number of cars and bookings: the cars,
then the live bookings of the shown days, laid out in Python.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leads.models import Lead
from showroom.permissions import has_role, store_ids_for
from showroom.roles import CONSULTANT
from showroom.selectors.frontdesk import day_bounds
from showroom.selectors.timeline import TimelineEntry, register_timeline_source
from testdrive.models import DRIVE_MANAGERS, Booking, DemoVehicle, Feedback, Route
from testdrive.services._common import min_drive_minutes, slot_minutes


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


# --- fleet and routes ---------------------------------------------------------------------------


def vehicle_list(*, user, store_id: int | None = None) -> QuerySet[DemoVehicle]:
    qs = DemoVehicle.objects.filter(store_id__in=store_ids_for(user)).select_related(
        "vehicle_model__brand", "trim", "colour"
    )
    return qs.filter(store_id=store_id) if store_id else qs


def vehicle_get(*, user, pk) -> DemoVehicle:
    vehicle = vehicle_list(user=user).filter(pk=_int(pk) or 0).first()
    if vehicle is None:
        raise Http404
    return vehicle


def route_list(*, user, store_id: int | None = None, active_only: bool = False) -> QuerySet[Route]:
    qs = Route.objects.filter(store_id__in=store_ids_for(user))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.filter(store_id=store_id) if store_id else qs


def route_get(*, user, pk) -> Route:
    route = route_list(user=user).filter(pk=_int(pk) or 0).first()
    if route is None:
        raise Http404
    return route


# --- bookings -----------------------------------------------------------------------------------


def booking_visible(*, user) -> QuerySet[Booking]:
    return Booking.objects.filter(store_id__in=store_ids_for(user)).select_related(
        "store", "customer", "consultant", "vehicle__vehicle_model__brand", "route", "lead"
    )


def booking_list(
    *,
    user,
    store_id: int | None = None,
    state: str = "",
    vehicle_id: int | None = None,
    consultant_id: int | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
) -> QuerySet[Booking]:
    qs = booking_visible(user=user)
    if store_id:
        qs = qs.filter(store_id=store_id)
    if state:
        qs = qs.filter(state=state)
    if vehicle_id:
        qs = qs.filter(vehicle_id=vehicle_id)
    if consultant_id:
        qs = qs.filter(consultant_id=consultant_id)
    if day_from:
        qs = qs.filter(slot_start__gte=day_bounds(day_from)[0])
    if day_to:
        qs = qs.filter(slot_start__lt=day_bounds(day_to)[1])
    return qs.order_by("-slot_start", "-id")


def booking_get(*, user, pk) -> Booking:
    booking = booking_visible(user=user).select_related("feedback").filter(pk=_int(pk) or 0).first()
    if booking is None:
        raise Http404
    return booking


def booking_may_see_licence(*, user, booking: Booking) -> bool:
    """The licence image: the booking's consultant and the store's managers only."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk == booking.consultant_id and has_role(user, booking.store_id, CONSULTANT):
        return True
    return has_role(user, booking.store_id, DRIVE_MANAGERS)


def bookable_leads(*, user, store_id: int) -> QuerySet[Lead]:
    """The open leads this user may book a drive for: their own, or every one for a manager."""
    qs = Lead.objects.filter(store_id=store_id, state__in=Lead.OPEN_STATES).select_related(
        "customer", "vehicle_model__brand"
    )
    if not has_role(user, store_id, DRIVE_MANAGERS):
        qs = qs.filter(consultant_id=user.pk)
    return qs.order_by("-created_at", "-id")


def lead_for_booking(*, user, store_id: int, pk) -> Lead:
    lead = bookable_leads(user=user, store_id=store_id).filter(pk=_int(pk) or 0).first()
    if lead is None:
        raise Http404
    return lead


# --- the calendar -------------------------------------------------------------------------------


@dataclass
class Slot:
    start: dt.datetime
    end: dt.datetime
    booking: Booking | None = None

    @property
    def free(self) -> bool:
        return self.booking is None


@dataclass
class VehicleDay:
    day: dt.date
    slots: list[Slot] = field(default_factory=list)

    @property
    def free_count(self) -> int:
        return sum(1 for s in self.slots if s.free)


@dataclass
class VehicleRow:
    vehicle: DemoVehicle
    days: list[VehicleDay] = field(default_factory=list)


def _day_slots(store, day: dt.date, length: int) -> list[tuple[dt.datetime, dt.datetime]]:
    tz = timezone.get_current_timezone()
    opening, closing = (
        t if isinstance(t, dt.time) else dt.time.fromisoformat(str(t)) for t in (store.opening_time, store.closing_time)
    )
    start = dt.datetime.combine(day, opening, tzinfo=tz)
    close = dt.datetime.combine(day, closing, tzinfo=tz)
    step = dt.timedelta(minutes=length)
    slots = []
    while start + step <= close:
        slots.append((start, start + step))
        start += step
    return slots


def calendar(*, user, store, start_day: dt.date, days: int = 1, vehicle_id: int | None = None) -> list[VehicleRow]:
    """Each car of the store × each day × the store's slots from opening to closing, each free or
    holding the live booking that overlaps it. Two queries."""
    days = max(1, min(days, 7))
    vehicles = list(vehicle_list(user=user, store_id=store.pk).order_by("vehicle_model__name", "plate"))
    if vehicle_id:
        vehicles = [v for v in vehicles if v.pk == vehicle_id]
    range_start = day_bounds(start_day)[0]
    range_end = day_bounds(start_day + dt.timedelta(days=days - 1))[1]
    bookings: dict[int, list[Booking]] = defaultdict(list)
    if vehicles:
        for booking in (
            Booking.objects.filter(
                vehicle_id__in=[v.pk for v in vehicles],
                state__in=Booking.LIVE_STATES,
                slot_start__lt=range_end,
                slot_end__gt=range_start,
            )
            .select_related("customer", "consultant")
            .order_by("slot_start")
        ):
            bookings[booking.vehicle_id].append(booking)
    now = timezone.now()
    length = slot_minutes()
    rows = []
    for vehicle in vehicles:
        row = VehicleRow(vehicle=vehicle)
        for offset in range(days):
            day = start_day + dt.timedelta(days=offset)
            vday = VehicleDay(day=day)
            for s_start, s_end in _day_slots(store, day, length):
                holder = next((b for b in bookings[vehicle.pk] if b.slot_start < s_end and b.slot_end > s_start), None)
                if holder is None and (s_end <= now or vehicle.status == DemoVehicle.Status.OUT_OF_SERVICE):
                    continue  # a past or unusable free slot is not offered
                vday.slots.append(Slot(start=s_start, end=s_end, booking=holder))
            row.days.append(vday)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Alternative:
    vehicle: DemoVehicle
    start: dt.datetime
    end: dt.datetime
    same_model: bool


def booking_alternatives(
    *, user, store, vehicle_model_id: int | None, start: dt.datetime, end: dt.datetime, limit: int = 6
) -> list[Alternative]:
    """When the wanted car is taken: other cars free at that time (the wanted model first), then
    the wanted model's next free slots that day. Two queries."""
    vehicles = list(vehicle_list(user=user, store_id=store.pk).exclude(status=DemoVehicle.Status.OUT_OF_SERVICE))
    day = timezone.localtime(start).date()
    day_start, day_end = day_bounds(day)
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for vid, b_start, b_end in Booking.objects.filter(
        vehicle_id__in=[v.pk for v in vehicles],
        state__in=Booking.LIVE_STATES,
        slot_start__lt=max(day_end, end),
        slot_end__gt=min(day_start, start),
    ).values_list("vehicle_id", "slot_start", "slot_end"):
        busy[vid].append((b_start, b_end))

    def free(vehicle_id: int, s: dt.datetime, e: dt.datetime) -> bool:
        return all(not (b_start < e and b_end > s) for b_start, b_end in busy[vehicle_id])

    same = [v for v in vehicles if v.vehicle_model_id == vehicle_model_id]
    others = [v for v in vehicles if v.vehicle_model_id != vehicle_model_id]
    found = [Alternative(v, start, end, v in same) for v in same + others if free(v.pk, start, end)]
    length = end - start
    now = timezone.now()
    for vehicle in same:
        for s_start, _s_end in _day_slots(store, day, slot_minutes()):
            if s_start <= start or s_start < now:
                continue
            if free(vehicle.pk, s_start, s_start + length):
                found.append(Alternative(vehicle, s_start, s_start + length, True))
                break
    return found[:limit]


# --- reports, audit figures and the lead's timeline ----------------------------------------------


def testdrive_day_section(*, store, day: dt.date) -> dict:
    """The front desk's daily report: the drives completed that day (short ones flagged), the
    day's bookings by state, and the short drives per consultant. Three queries."""
    start, end = day_bounds(day)
    completed = list(
        Booking.objects.filter(store=store, state=Booking.State.COMPLETED, ended_at__gte=start, ended_at__lt=end)
        .select_related("customer", "consultant", "vehicle__vehicle_model", "route", "feedback")
        .order_by("ended_at")
    )
    by_state = dict(
        Booking.objects.filter(store=store, slot_start__gte=start, slot_start__lt=end)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    labels = dict(Booking.State.choices)
    return {
        "completed": completed,
        "by_state": [(labels[s], by_state.get(s, 0)) for s in Booking.State.values],
        "short_count": sum(1 for b in completed if b.short_drive),
        "min_minutes": min_drive_minutes(),
        "figures": consultant_figures(store_ids=[store.pk], start=start, end=end),
    }


def consultant_figures(*, store_ids: list[int], start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Per consultant: drives completed between ``start`` and ``end`` and how many were shorter
    than the minimum (the audit figure)."""
    rows = (
        Booking.objects.filter(
            store_id__in=store_ids, state=Booking.State.COMPLETED, ended_at__gte=start, ended_at__lt=end
        )
        .values("consultant_id", "consultant__first_name", "consultant__last_name", "consultant__username")
        .annotate(completed=Count("id"), short=Count("id", filter=Q(short_drive=True)))
        .order_by("-short", "consultant__username")
    )
    return [
        {
            "consultant_id": r["consultant_id"],
            "name": f"{r['consultant__last_name']}{r['consultant__first_name']}".strip() or r["consultant__username"],
            "completed": r["completed"],
            "short": r["short"],
        }
        for r in rows
    ]


def metric_completed(*, store_ids: list[int], start, end) -> int:
    return Booking.objects.filter(
        store_id__in=store_ids, state=Booking.State.COMPLETED, ended_at__gte=start, ended_at__lt=end
    ).count()


def metric_short(*, store_ids: list[int], start, end) -> int:
    return Booking.objects.filter(
        store_id__in=store_ids, state=Booking.State.COMPLETED, short_drive=True, ended_at__gte=start, ended_at__lt=end
    ).count()


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@register_timeline_source
def lead_feedback_source(target: models.Model, ct: ContentType) -> list[TimelineEntry]:
    """On a lead's timeline: each completed test drive with the customer's feedback (one query;
    none for other records)."""
    if not isinstance(target, Lead):
        return []
    entries = []
    for feedback in (
        Feedback.objects.filter(booking__lead=target)
        .select_related("booking__vehicle__vehicle_model", "booking__route", "recorded_by")
        .order_by("customer_confirmed_at")
    ):
        booking = feedback.booking
        detail = _(
            "Handling %(handling)s, comfort %(comfort)s, space %(space)s, quietness %(noise)s, features "
            "%(features)s (of 5); overall %(overall)s/10; ready to talk about price: %(price)s."
        ) % {
            "handling": feedback.handling,
            "comfort": feedback.comfort,
            "space": feedback.space,
            "noise": feedback.noise,
            "features": feedback.features,
            "overall": feedback.overall,
            "price": feedback.get_ready_to_talk_price_display(),
        }
        if feedback.comments:
            detail = f"{detail} {feedback.comments}"
        entries.append(
            TimelineEntry(
                at=feedback.customer_confirmed_at,
                kind="testdrive",
                title=_("Test drive: %(car)s on %(route)s")
                % {"car": booking.vehicle.vehicle_model if booking.vehicle else "", "route": booking.route},
                detail=detail,
                actor=_name(feedback.recorded_by),
                state="done",
                url=reverse("testdrive:detail", args=[booking.pk]),
            )
        )
    return entries
