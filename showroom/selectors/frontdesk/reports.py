"""The front desk's counts of a day or a month, and the report built from them (page, PDF, XLSX)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractHour, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Call, FrontDeskReport, Store, Visit
from showroom.selectors.frontdesk.common import day_bounds, month_bounds, user_label
from showroom.selectors.frontdesk.shifts import shift_list

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
