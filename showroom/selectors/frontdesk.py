"""Reads of the front desk: who may do what, the store's settings and sources, shifts, visits and
calls in the user's stores, the board, and the counts of a day or a month (the daily report).

Counting rule: a visit belongs to the local day it arrived on and to the one shift it was logged
in (``counted_shift``); a handover moves an open visit's ``current_shift`` only, so the shifts'
counts always add up to the day's visits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractHour, TruncDate
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.models import (
    Call,
    Customer,
    FrontDeskReport,
    FrontDeskSettings,
    Membership,
    ReceptionShift,
    Store,
    Visit,
    VisitSource,
)
from showroom.permissions import has_role, store_ids_for
from showroom.selectors.timeline import TimelineEntry, register_timeline_source
from showroom.validators import mask_mobile

# --- who may do what ---------------------------------------------------------------------------

#: The managers who set the roster, override the order and change the front-desk settings.
ROSTER_MANAGERS = frozenset({r.SHOWROOM_MANAGER, r.SALES_SUPERVISOR, r.SALES_MANAGER, r.GENERAL_MANAGER})
#: Who works the desk: logs visits and calls, opens and closes shifts, assigns in turn.
FRONT_DESK_ROLES = frozenset({r.RECEPTIONIST}) | ROSTER_MANAGERS
#: Who may look at the board (consultants see who is next up and their walk-ins).
BOARD_READERS = FRONT_DESK_ROLES | {r.CONSULTANT, r.SALES_ASSISTANT, r.MARKETING_DIRECTOR}
#: Who reads the front-desk reports, and who receives the daily one by e-mail.
REPORT_READERS = ROSTER_MANAGERS | {r.RECEPTIONIST, r.MARKETING_DIRECTOR}
REPORT_RECIPIENTS = frozenset({r.SALES_MANAGER, r.MARKETING_DIRECTOR})
#: Who sets how campaign leads are distributed ("set by the sales manager").
DISTRIBUTION_EDITORS = frozenset({r.SALES_MANAGER, r.GENERAL_MANAGER})

MAX_ID = 2**63 - 1
#: A time typed at the desk may run this far ahead of the server's clock.
CLOCK_SKEW = dt.timedelta(minutes=5)


def frontdesk_may_work(*, user, store) -> bool:
    return has_role(user, store, FRONT_DESK_ROLES)


def frontdesk_may_read(*, user, store) -> bool:
    return has_role(user, store, BOARD_READERS)


def frontdesk_may_manage(*, user, store) -> bool:
    return has_role(user, store, ROSTER_MANAGERS)


def frontdesk_may_read_reports(*, user, store) -> bool:
    return has_role(user, store, REPORT_READERS)


def db_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None


def user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- days --------------------------------------------------------------------------------------


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now()).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware start of ``day`` and of the next day, in the current time zone (Asia/Shanghai)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    return month_bounds(day.replace(day=1) - dt.timedelta(days=1))


# --- settings and sources ----------------------------------------------------------------------


def frontdesk_settings_get(*, store: Store) -> FrontDeskSettings:
    """The store's settings, or the defaults (an unsaved row) when it has none (one query)."""
    found = FrontDeskSettings.objects.filter(store_id=store.pk).first()
    return found if found is not None else FrontDeskSettings(store=store)


def visit_sources_for(*, store: Store | int) -> list[VisitSource]:
    """The store's list of sources: the defaults, replaced by the store's own row of the same code,
    active ones only, in order (one query)."""
    store_id = store if isinstance(store, int) else store.pk
    rows = VisitSource.objects.filter(Q(store__isnull=True) | Q(store_id=store_id)).order_by("order", "code", "id")
    by_code: dict[str, VisitSource] = {}
    for source in rows:
        current = by_code.get(source.code)
        if current is None or (current.store_id is None and source.store_id is not None):
            by_code[source.code] = source
    return sorted((s for s in by_code.values() if s.is_active), key=lambda s: (s.order, s.code))


def visit_source_for(*, store: Store | int, value) -> VisitSource | None:
    """A source of the store's list by id or code; None when it is not on the list."""
    wanted_id = db_id(value) if not isinstance(value, VisitSource) else value.pk
    for source in visit_sources_for(store=store):
        if source.pk == wanted_id or (isinstance(value, str) and source.code == value):
            return source
    return None


# --- people ------------------------------------------------------------------------------------


def _members(store: Store | int, roles) -> QuerySet:
    store_id = store if isinstance(store, int) else store.pk
    ids = Membership.objects.filter(
        store_id=store_id, role__code__in=list(roles), is_active=True, user__is_active=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("first_name", "username")


def store_consultants(*, store: Store | int) -> QuerySet:
    """The active users holding the consultant role in the store."""
    return _members(store, {r.CONSULTANT})


def store_front_desk_staff(*, store: Store | int) -> QuerySet:
    """Who may take over the desk at a handover."""
    return _members(store, FRONT_DESK_ROLES)


def is_store_consultant(*, user, store: Store | int) -> bool:
    store_id = store if isinstance(store, int) else store.pk
    return (
        user is not None
        and user.is_active
        and Membership.objects.filter(store_id=store_id, user=user, role__code=r.CONSULTANT, is_active=True).exists()
    )


def report_recipients(*, store: Store) -> list:
    """The sales managers and marketing directors of the store with an e-mail address."""
    return [u for u in _members(store, REPORT_RECIPIENTS) if u.email]


# --- shifts ------------------------------------------------------------------------------------


def shift_open_get(*, store: Store | int) -> ReceptionShift | None:
    store_id = store if isinstance(store, int) else store.pk
    return (
        ReceptionShift.objects.select_related("receptionist").filter(store_id=store_id, closed_at__isnull=True).first()
    )


def shift_visible(*, user, readable_only: bool = False) -> QuerySet[ReceptionShift]:
    """Shifts of the stores the user holds a role in (anything else answers 404); with
    ``readable_only``, of the stores where he may read the front desk."""
    return ReceptionShift.objects.select_related(
        "store", "receptionist", "closed_by", "handed_to__receptionist"
    ).filter(store_id__in=store_ids_for(user, BOARD_READERS if readable_only else None))


def shift_get(*, user, pk) -> ReceptionShift:
    number = db_id(pk)
    found = shift_visible(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


def shift_list(*, store: Store, day: dt.date) -> QuerySet[ReceptionShift]:
    start, end = day_bounds(day)
    return (
        ReceptionShift.objects.select_related("receptionist", "handed_to__receptionist")
        .filter(store=store, opened_at__gte=start, opened_at__lt=end)
        .order_by("opened_at", "id")
    )


def shift_counts(*, shift: ReceptionShift) -> dict:
    """What a shift counted: the visits and calls logged in it (first/return, people), the open
    visits it looks after now, and those it received from the shift before (two queries)."""
    visits = Visit.objects.filter(Q(counted_shift=shift) | Q(current_shift=shift)).aggregate(
        visits=Count("id", filter=Q(counted_shift=shift)),
        first=Count("id", filter=Q(counted_shift=shift, first_visit=True)),
        people=Coalesce(Sum("party_size", filter=Q(counted_shift=shift)), 0),
        open=Count("id", filter=Q(current_shift=shift, left_at__isnull=True)),
        received=Count("id", filter=Q(current_shift=shift) & ~Q(counted_shift=shift)),
    )
    visits["return"] = visits["visits"] - visits["first"]
    visits["calls"] = Call.objects.filter(counted_shift=shift).count()
    return visits


def shift_visits(*, shift: ReceptionShift) -> QuerySet[Visit]:
    """The visits counted in the shift and those it received at a handover."""
    return _visit_base().filter(Q(counted_shift=shift) | Q(current_shift=shift)).order_by("arrived_at", "id")


# --- visits and calls --------------------------------------------------------------------------


def _visit_base() -> QuerySet[Visit]:
    return Visit.objects.select_related("store", "source", "consultant", "customer", "logged_by")


def visit_visible(*, user) -> QuerySet[Visit]:
    """Visits of the stores the user holds a role in (anything else answers 404)."""
    return _visit_base().filter(store_id__in=store_ids_for(user))


def visit_list(
    *, user, store: Store | None = None, day: dt.date | None = None, open_only: bool = False
) -> QuerySet[Visit]:
    qs = _visit_base().filter(store_id__in=store_ids_for(user, BOARD_READERS))
    if store is not None:
        qs = qs.filter(store=store)
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(arrived_at__gte=start, arrived_at__lt=end)
    if open_only:
        qs = qs.filter(left_at__isnull=True)
    return qs.order_by("-arrived_at", "-id")


def visit_get(*, user, pk) -> Visit:
    number = db_id(pk)
    found = visit_visible(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


def _call_base() -> QuerySet[Call]:
    return Call.objects.select_related("store", "consultant", "customer", "logged_by")


def call_visible(*, user) -> QuerySet[Call]:
    return _call_base().filter(store_id__in=store_ids_for(user))


def call_list(*, user, store: Store | None = None, day: dt.date | None = None) -> QuerySet[Call]:
    qs = _call_base().filter(store_id__in=store_ids_for(user, BOARD_READERS))
    if store is not None:
        qs = qs.filter(store=store)
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(at__gte=start, at__lt=end)
    return qs.order_by("-at", "-id")


def call_get(*, user, pk) -> Call:
    number = db_id(pk)
    found = call_visible(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


def customer_for_store(*, store: Store, pk) -> Customer | None:
    number = db_id(pk)
    return Customer.objects.filter(store=store, pk=number).first() if number else None


# --- the board ---------------------------------------------------------------------------------


@dataclass
class FrontDeskBoard:
    store: Store
    day: dt.date
    is_today: bool
    settings: FrontDeskSettings
    shift: ReceptionShift | None
    visits: list[Visit]
    calls: list[Call]
    sources: list[VisitSource]
    roster: object | None = None
    entries: list = field(default_factory=list)
    next_up: object | None = None
    skips: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def open_visits(self) -> list[Visit]:
        return [v for v in self.visits if v.left_at is None]

    @property
    def shift_ends_at(self) -> dt.datetime | None:
        if self.shift is None:
            return None
        return self.shift.opened_at + dt.timedelta(minutes=self.shift.planned_minutes)

    @property
    def shift_overrun(self) -> bool:
        ends = self.shift_ends_at
        return ends is not None and timezone.now() > ends


def frontdesk_board(*, store: Store, day: dt.date | None = None, now: dt.datetime | None = None) -> FrontDeskBoard:
    """Everything the front-desk board shows, in a fixed number of queries whatever the day's
    traffic: the settings, the open shift, the day's visits (and, today, visits still open from
    earlier days), the day's calls, the store's sources, the roster with who is next up."""
    from showroom.selectors.roster import roster_get, roster_rotation

    now = now or timezone.now()
    today = local_today(now)
    day = day or today
    settings = frontdesk_settings_get(store=store)  # 1
    shift = shift_open_get(store=store)  # 2
    start, end = day_bounds(day)
    in_day = Q(arrived_at__gte=start, arrived_at__lt=end)
    if day == today:
        in_day |= Q(left_at__isnull=True, arrived_at__lt=start)
    visits = list(Visit.objects.select_related("source", "consultant", "customer").filter(in_day, store=store))  # 3
    visits.sort(key=lambda v: (v.left_at is not None, -v.arrived_at.timestamp(), -v.pk))
    calls = list(
        Call.objects.select_related("consultant", "customer").filter(store=store, at__gte=start, at__lt=end)
    )  # 4
    sources = visit_sources_for(store=store)  # 5
    roster = roster_get(store=store, day=day)  # 6 (with its entries: 7)
    entries = list(roster.entries.all()) if roster is not None else []
    next_up, skips = (None, [])
    if roster is not None and day == today:
        next_up, skips = roster_rotation(store=store, day=day, entries=entries, now=now, settings=settings)  # 8, 9
    day_visits = [v for v in visits if start <= v.arrived_at < end]
    counts = {
        "visits": len(day_visits),
        "people": sum(v.party_size for v in day_visits),
        "first": sum(1 for v in day_visits if v.first_visit),
        "return": sum(1 for v in day_visits if not v.first_visit),
        "open": sum(1 for v in visits if v.left_at is None),
        "calls": len(calls),
        "callbacks": sum(1 for c in calls if c.callback_agreed_at),
    }
    return FrontDeskBoard(
        store=store,
        day=day,
        is_today=day == today,
        settings=settings,
        shift=shift,
        visits=visits,
        calls=calls,
        sources=sources,
        roster=roster,
        entries=entries,
        next_up=next_up,
        skips=skips,
        counts=counts,
    )


# --- counts and the report ---------------------------------------------------------------------


def _as_time(value) -> dt.time:
    # A store created in this process keeps the field's default as given ("09:00").
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def _hours_shown(store: Store, busy: set[int]) -> list[int]:
    opening, closing = _as_time(store.opening_time), _as_time(store.closing_time)
    first = opening.hour
    last = closing.hour - (1 if closing.minute == 0 else 0)
    hours = set(range(first, max(first, last) + 1)) | busy
    return sorted(hours)


def frontdesk_period_counts(*, store: Store, start: dt.date, end: dt.date) -> dict:
    """The front desk's counts from ``start`` to ``end`` (local days, both included), as plain JSON
    values: visits, people, first/return, still open, average stay, calls and callbacks; by source,
    by purpose, by consultant, by hour; by day when the period is longer than a day. A fixed
    number of queries (eleven, twelve with the days)."""
    lo, hi = day_bounds(start)[0], day_bounds(end)[1]
    visits = Visit.objects.filter(store=store, arrived_at__gte=lo, arrived_at__lt=hi)
    calls = Call.objects.filter(store=store, at__gte=lo, at__lt=hi)
    totals = visits.aggregate(
        visits=Count("id"),
        people=Coalesce(Sum("party_size"), 0),
        first=Count("id", filter=Q(first_visit=True)),
        open=Count("id", filter=Q(left_at__isnull=True)),
        stay=Avg(F("left_at") - F("arrived_at"), filter=Q(left_at__isnull=False)),
    )
    stay = totals.pop("stay")
    totals["return"] = totals["visits"] - totals["first"]
    totals["average_stay_minutes"] = round(stay.total_seconds() / 60) if stay else None
    totals.update(calls.aggregate(calls=Count("id"), callbacks=Count("id", filter=Q(callback_agreed_at__isnull=False))))

    by_source = [
        {
            "code": row["source__code"],
            "name": row["source__name"],
            "name_en": row["source__name_en"],
            "visits": row["n"],
            "first": row["first"],
        }
        for row in visits.values("source__code", "source__name", "source__name_en")
        .annotate(n=Count("id"), first=Count("id", filter=Q(first_visit=True)))
        .order_by("-n", "source__code")
    ]
    purposes = dict(
        visits.values("purpose").annotate(n=Count("id")).values_list("purpose", "n")  # type: ignore[arg-type]
    )
    by_purpose = [{"code": code, "visits": purposes.get(code, 0)} for code in Visit.Purpose.values]

    people: dict[int | None, dict] = {}
    for row in visits.values(
        "consultant_id", "consultant__first_name", "consultant__last_name", "consultant__username"
    ).annotate(n=Count("id"), first=Count("id", filter=Q(first_visit=True))):
        people[row["consultant_id"]] = {
            "id": row["consultant_id"],
            "name": _row_name(row),
            "visits": row["n"],
            "first": row["first"],
            "calls": 0,
        }
    for row in calls.values(
        "consultant_id", "consultant__first_name", "consultant__last_name", "consultant__username"
    ).annotate(n=Count("id")):
        entry = people.setdefault(
            row["consultant_id"],
            {"id": row["consultant_id"], "name": _row_name(row), "visits": 0, "first": 0, "calls": 0},
        )
        entry["calls"] = row["n"]
    by_consultant = sorted(people.values(), key=lambda e: (e["id"] is None, -e["visits"], -e["calls"], e["name"]))

    visit_hours = dict(
        visits.annotate(h=ExtractHour("arrived_at")).values("h").annotate(n=Count("id")).values_list("h", "n")
    )
    call_hours = dict(calls.annotate(h=ExtractHour("at")).values("h").annotate(n=Count("id")).values_list("h", "n"))
    by_hour = [
        {"hour": hour, "visits": visit_hours.get(hour, 0), "calls": call_hours.get(hour, 0)}
        for hour in _hours_shown(store, set(visit_hours) | set(call_hours))
    ]
    data = {
        "store": store.pk,
        "start": start.isoformat(),
        "end": end.isoformat(),
        **totals,
        "by_source": by_source,
        "by_purpose": by_purpose,
        "by_consultant": by_consultant,
        "by_hour": by_hour,
    }
    if end > start:
        visit_days = {
            row["d"]: row
            for row in visits.annotate(d=TruncDate("arrived_at"))
            .values("d")
            .annotate(n=Count("id"), first=Count("id", filter=Q(first_visit=True)))
        }
        call_days = dict(calls.annotate(d=TruncDate("at")).values("d").annotate(n=Count("id")).values_list("d", "n"))
        days = []
        current = start
        while current <= end:
            row = visit_days.get(current, {})
            days.append(
                {
                    "day": current.isoformat(),
                    "visits": row.get("n", 0),
                    "first": row.get("first", 0),
                    "calls": call_days.get(current, 0),
                }
            )
            current += dt.timedelta(days=1)
        data["by_day"] = days
    return data


def _row_name(row: dict) -> str:
    if row["consultant_id"] is None:
        return ""
    full = f"{row['consultant__first_name'] or ''} {row['consultant__last_name'] or ''}".strip()
    return full or row["consultant__username"]


def frontdesk_day_counts(*, store: Store, day: dt.date) -> dict:
    """One day's counts (see ``frontdesk_period_counts``) and the day's shifts with what each
    counted, so the shifts can be seen to add up to the day."""
    data = frontdesk_period_counts(store=store, start=day, end=day)
    data["day"] = day.isoformat()
    data["shifts"] = _shift_rows(store=store, day=day)
    return data


def _shift_rows(*, store: Store, day: dt.date) -> list[dict]:
    shifts = list(
        shift_list(store=store, day=day).annotate(
            n_visits=Count("counted_visits", distinct=True), n_calls=Count("counted_calls", distinct=True)
        )
    )
    return [
        {
            "id": s.pk,
            "receptionist": user_label(s.receptionist),
            "opened_at": timezone.localtime(s.opened_at).isoformat(),
            "closed_at": timezone.localtime(s.closed_at).isoformat() if s.closed_at else None,
            "visits": s.n_visits,
            "calls": s.n_calls,
            "handed_over": (s.counts or {}).get("open", 0) if s.closed_at else None,
        }
        for s in shifts
    ]


def frontdesk_month_counts(*, store: Store, day: dt.date) -> dict:
    """The counts of ``day``'s month, with one row per day."""
    first, last = month_bounds(day)
    data = frontdesk_period_counts(store=store, start=first, end=last)
    data["month"] = first.strftime("%Y-%m")
    return data


def frontdesk_section_traffic(*, store: Store, day: dt.date) -> dict:
    """The context of the "visits and calls" section of a store's daily report."""
    return {"counts": report_rows(frontdesk_day_counts(store=store, day=day))}


def report_rows(data: dict) -> dict:
    """A copy of stored counts with labels in the active language: each source's name, each
    purpose's label, "not assigned" for visits without a consultant."""
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    purposes = dict(Visit.Purpose.choices)
    rows = dict(data)
    rows["by_source"] = [
        {**row, "label": (row.get("name_en") if english and row.get("name_en") else row.get("name", ""))}
        for row in data.get("by_source", [])
    ]
    rows["by_purpose"] = [
        {**row, "label": str(purposes.get(row.get("code"), row.get("code")))} for row in data.get("by_purpose", [])
    ]
    rows["by_consultant"] = [
        {**row, "label": row.get("name") or _("Not assigned")} for row in data.get("by_consultant", [])
    ]
    rows["shifts"] = [
        {
            **row,
            "opened": _clock(row.get("opened_at")),
            "closed": _clock(row.get("closed_at")),
        }
        for row in data.get("shifts", [])
    ]
    rows["shift_total"] = sum(row.get("visits", 0) for row in data.get("shifts", []))
    return rows


def _clock(value: str | None) -> str:
    if not value:
        return ""
    return timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%H:%M")


def report_stored(*, store: Store, kind: str, day: dt.date) -> FrontDeskReport | None:
    return FrontDeskReport.objects.filter(store=store, kind=kind, day=day).first()


def report_list(*, store: Store, limit: int = 30) -> list[FrontDeskReport]:
    """The store's latest stored reports (what the jobs computed and sent)."""
    return list(FrontDeskReport.objects.filter(store=store).order_by("-day", "kind")[:limit])


def report_period_label(*, kind: str, day: dt.date) -> str:
    return f"{day:%Y-%m}" if kind == FrontDeskReport.Kind.MONTHLY else f"{day:%Y-%m-%d}"


def report_title(*, kind: str) -> str:
    if kind == FrontDeskReport.Kind.MONTHLY:
        return _("Front-desk monthly summary")
    return _("Front-desk daily report")


def report_context(*, store: Store, kind: str, day: dt.date, data: dict) -> dict:
    """What the report page, its PDF and its XLSX show for a day or a month."""
    from showroom.selectors.roster import roster_section

    context = {
        "store": store,
        "kind": kind,
        "day": day,
        "title": report_title(kind=kind),
        "number": report_period_label(kind=kind, day=day),
        "counts": report_rows(data),
    }
    if kind == FrontDeskReport.Kind.DAILY:
        context.update(roster_section(store=store, day=day))
    return context


def report_pdf_bytes(*, store: Store, kind: str, day: dt.date, data: dict) -> bytes:
    from django.utils import translation

    from showroom.pdf import pdf_language, render_pdf

    with translation.override(pdf_language()):
        context = report_context(store=store, kind=kind, day=day, data=data)
    return render_pdf("pdf/showroom/frontdesk_report.html", context)


def report_xlsx_bytes(*, store: Store, kind: str, day: dt.date, data: dict) -> bytes:
    """The report as a workbook: a summary sheet and one sheet per breakdown."""
    from io import BytesIO

    from openpyxl import Workbook

    context = report_context(store=store, kind=kind, day=day, data=data)
    counts = context["counts"]
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    summary.append([str(context["title"]), store.name, context["number"]])
    for label, key in (
        (_("Visits"), "visits"),
        (_("People"), "people"),
        (_("First visits"), "first"),
        (_("Return visits"), "return"),
        (_("Still in the showroom"), "open"),
        (_("Average stay (minutes)"), "average_stay_minutes"),
        (_("Calls"), "calls"),
        (_("Callbacks agreed"), "callbacks"),
    ):
        summary.append([str(label), counts.get(key)])

    def sheet(title, headers, rows):
        ws = book.create_sheet(str(title)[:31])
        ws.append([str(h) for h in headers])
        for row in rows:
            ws.append(list(row))

    sheet(
        _("By source"),
        [_("Source"), _("Visits"), _("First visits")],
        [(r["label"], r["visits"], r["first"]) for r in counts["by_source"]],
    )
    sheet(_("By purpose"), [_("Purpose"), _("Visits")], [(r["label"], r["visits"]) for r in counts["by_purpose"]])
    sheet(
        _("By consultant"),
        [_("Consultant"), _("Visits"), _("First visits"), _("Calls")],
        [(r["label"], r["visits"], r["first"], r["calls"]) for r in counts["by_consultant"]],
    )
    sheet(
        _("By hour"),
        [_("Hour"), _("Visits"), _("Calls")],
        [(f"{r['hour']:02d}:00", r["visits"], r["calls"]) for r in counts["by_hour"]],
    )
    if "by_day" in counts:
        sheet(
            _("By day"),
            [_("Day"), _("Visits"), _("First visits"), _("Calls")],
            [(r["day"], r["visits"], r["first"], r["calls"]) for r in counts["by_day"]],
        )
    if counts.get("shifts"):
        sheet(
            _("Shifts"),
            [_("Receptionist"), _("Opened"), _("Closed"), _("Visits"), _("Calls")],
            [(r["receptionist"], r["opened"], r["closed"], r["visits"], r["calls"]) for r in counts["shifts"]],
        )
    if "fairness" in context:
        sheet(
            _("Assignments"),
            [_("Consultant"), _("In turn"), _("Override"), _("Asked for"), _("Skipped")],
            [(r.name, r.assigned, r.override, r.requested, r.skipped) for r in context["fairness"]["rows"]],
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- a customer's timeline ---------------------------------------------------------------------


@register_timeline_source
def frontdesk_source(target: models.Model, ct: ContentType) -> list[TimelineEntry]:
    """A customer's visits and calls at the front desk (no query for any other record)."""
    if not isinstance(target, Customer):
        return []
    entries: list[TimelineEntry] = []
    for visit in Visit.objects.filter(customer=target).select_related("consultant", "logged_by", "source"):
        detail = _("%(n)s people · %(purpose)s · %(source)s") % {
            "n": visit.party_size,
            "purpose": visit.get_purpose_display(),
            "source": visit.source.label,
        }
        if visit.consultant_id:
            detail += " · " + _("with %(name)s") % {"name": user_label(visit.consultant)}
        entries.append(
            TimelineEntry(
                at=visit.arrived_at,
                kind="visit",
                title=_("Visited the showroom") if not visit.first_visit else _("First visit to the showroom"),
                detail=detail,
                actor=user_label(visit.logged_by),
                url=reverse("frontdesk:board") + f"?day={timezone.localtime(visit.arrived_at).date():%Y-%m-%d}",
            )
        )
    for call in Call.objects.filter(customer=target).select_related("logged_by"):
        entries.append(
            TimelineEntry(
                at=call.at,
                kind="call",
                title=_("Called the front desk from %(number)s") % {"number": mask_mobile(call.number)},
                detail=call.question,
                actor=user_label(call.logged_by),
            )
        )
    return entries
