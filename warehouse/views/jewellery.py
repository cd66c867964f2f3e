"""Pages of the jewellery counter day (tablet): the counters with today's day, the day page (trays,
steps, differences, sales), the count screens (opening, after lunch, closing), a sale and its tray
confirmation, and the lunch roster. Each post calls one service and reports refusals as
messages or field errors. Staff pages (clock-in, grooming, registrations) are in
``warehouse.views.jewellery_staff``."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from showroom.models import ChecklistItem
from showroom.permissions import has_role
from showroom.services.transitions import TransitionConflict, transitions_available
from warehouse import selectors_jewellery as sel
from warehouse.models import CounterDay, CounterSale, Station, TradeCustomerRegistration, TrayCount
from warehouse.models.jewellery import COUNTER_LEADERS, DUTY_MANAGERS
from warehouse.services import jewellery as jw
from warehouse.views.stock import member_required

COUNT_KINDS = {
    "opening": (TrayCount.Kind.OPENING, (CounterDay.State.PLANNED,)),
    "after_lunch": (TrayCount.Kind.AFTER_LUNCH, (CounterDay.State.LUNCH,)),
    "closing": (TrayCount.Kind.CLOSING, (CounterDay.State.OPENED, CounterDay.State.AFTERNOON)),
}
STEPS = {"open": jw.counter_day_open, "lunch_start": jw.counter_lunch_start, "close": jw.counter_day_close}


def refusal_messages(request, exc) -> None:
    if isinstance(exc, ValidationError):
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.error(request, str(exc) or _("You are not allowed to do this."))


def _day(request, pk: int) -> CounterDay:
    member_required(request)
    try:
        return sel.counter_day_get(user=request.user, pk=pk)
    except CounterDay.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def jewellery_view(request):
    """The counters of the user's stores, each with today's day (or a button to start it)."""
    member_required(request)
    today = timezone.localdate()
    counters = list(sel.counter_list(user=request.user))
    days = {day.counter_id: day for day in sel.counter_day_list(user=request.user, date=today)}
    for counter in counters:
        counter.today = days.get(counter.pk)
    attendance = sel.attendance_list(user=request.user, date=today)
    stores = {counter.store_id: counter.store for counter in counters}
    return render(
        request,
        "warehouse/jewellery/index.html",
        {"counters": counters, "attendance": attendance, "stores": stores.values(), "today": today},
    )


@require_POST
@login_required
def jewellery_day_start_view(request, pk: int):
    member_required(request)
    counter = sel.counter_list(user=request.user).filter(pk=pk).first()
    if counter is None:
        raise Http404
    try:
        day = jw.counter_day_start(user=request.user, counter=counter)
    except PermissionDenied as exc:
        refusal_messages(request, exc)
        return redirect("warehouse:jewellery")
    return redirect("warehouse:jewellery_day", day.pk)


@login_required
def jewellery_day_view(request, pk: int):
    day = _day(request, pk)
    trays = sel.day_trays(day=day)
    counts = list(sel.day_counts(day=day)[:50])
    available = transitions_available(instance=day, user=request.user)
    user = request.user
    context = {
        "day": day,
        "trays": trays,
        "differences": [count for count in counts if not count.matches],
        "sales": sel.day_sales(day=day)[:50],
        "steps": [
            {"name": name, "blocked": sel.day_step_blocker(day=day, step=name)} for name in available if name in STEPS
        ],
        "may_explain": has_role(user, day.store_id, DUTY_MANAGERS),
        "may_roster": has_role(user, day.store_id, COUNTER_LEADERS),
        "selling": day.state in jw.SELLING,
    }
    return render(request, "warehouse/jewellery/day.html", context)


@require_POST
@login_required
def jewellery_step_view(request, pk: int, name: str):
    day = _day(request, pk)
    try:
        if name in STEPS:
            STEPS[name](day=day, user=request.user, note=request.POST.get("note", ""))
        elif name == "explain":
            jw.counter_difference_explain(
                day=day, user=request.user, cause=request.POST.get("cause", ""), phase=request.POST.get("phase", "")
            )
        else:
            raise Http404
    except (ValidationError, TransitionConflict, PermissionDenied) as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("warehouse:jewellery_day", day.pk)


def _posted_counts(request, trays) -> list[dict]:
    return [
        {
            "tray": tray,
            "pieces": request.POST.get(f"pieces_{tray.pk}", ""),
            "weight": request.POST.get(f"weight_{tray.pk}", ""),
        }
        for tray in trays
    ]


@require_http_methods(["GET", "POST"])
@login_required
def jewellery_count_view(request, pk: int, kind: str):
    """One count screen for the opening, after-lunch and closing counts: every tray, grouped by
    station and category, pieces and grams."""
    day = _day(request, pk)
    if kind not in COUNT_KINDS:
        raise Http404
    trays = sel.day_trays(day=day)
    checklist = (
        list(ChecklistItem.objects.filter(template__code=jw.OPENING_CHECKLIST).order_by("order"))
        if kind == "opening"
        else []
    )
    errors = []
    if request.method == "POST":
        counts = _posted_counts(request, trays)
        try:
            if kind == "opening":
                jw.counter_opening_record(
                    day=day,
                    user=request.user,
                    counts=counts,
                    safe_empty=request.POST.get("safe_empty") == "on",
                    safe_closed=request.POST.get("safe_closed") == "on",
                    checklist=[int(v) for v in request.POST.getlist("checklist") if v.isdigit()],
                )
            elif kind == "after_lunch":
                jw.counter_after_lunch_record(day=day, user=request.user, counts=counts)
            else:
                jw.counter_closing_record(day=day, user=request.user, counts=counts)
        except ValidationError as exc:
            errors = [e for msgs in exc.message_dict.values() for e in msgs]
        except (TransitionConflict, PermissionDenied) as exc:
            errors = [str(exc) or _("You are not allowed to do this.")]
        else:
            messages.success(request, _("Count recorded."))
            return redirect("warehouse:jewellery_day", day.pk)
    return render(
        request,
        "warehouse/jewellery/count.html",
        {
            "day": day,
            "kind": kind,
            "kind_label": TrayCount.Kind(COUNT_KINDS[kind][0]).label,
            "trays": trays,
            "checklist": checklist,
            "errors": errors,
            "posted": request.POST,
            "allowed": day.state in COUNT_KINDS[kind][1],
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def jewellery_sale_view(request, pk: int):
    """称货 → 包货 → 出货: tray, pieces, weight, price, special requests, the trade customer."""
    day = _day(request, pk)
    trays = sel.day_trays(day=day)
    customers = list(TradeCustomerRegistration.objects.filter(store_id=day.store_id).order_by("company"))
    errors = {}
    if request.method == "POST":
        tray = next((t for t in trays if str(t.pk) == request.POST.get("tray")), None)
        customer = next((c for c in customers if str(c.pk) == request.POST.get("customer")), None)
        try:
            if tray is None:
                raise ValidationError({"tray": [_("Choose a tray.")]})
            sale = jw.counter_sale_record(
                day=day,
                user=request.user,
                tray=tray,
                pieces=request.POST.get("pieces", ""),
                weight=request.POST.get("weight", ""),
                price=request.POST.get("price", ""),
                special_requests=request.POST.get("special_requests", ""),
                customer=customer,
            )
        except ValidationError as exc:
            errors = exc.message_dict
        except (TransitionConflict, PermissionDenied) as exc:
            errors = {"__all__": [str(exc) or _("You are not allowed to do this.")]}
        else:
            messages.success(request, _("Sale recorded; count the tray now."))
            return redirect("warehouse:jewellery_confirm", sale.pk)
    return render(
        request,
        "warehouse/jewellery/sale.html",
        {"day": day, "trays": trays, "customers": customers, "errors": errors, "posted": request.POST},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def jewellery_confirm_view(request, pk: int):
    """After the sale the seller counts the tray (完成每一次销售,必须数一下)."""
    member_required(request)
    try:
        sale = sel.counter_sale_get(user=request.user, pk=pk)
    except CounterSale.DoesNotExist as exc:
        raise Http404 from exc
    errors = []
    if request.method == "POST":
        try:
            count = jw.counter_sale_confirm(
                sale=sale, user=request.user, pieces=request.POST.get("pieces", ""), weight=request.POST.get("weight")
            )
        except ValidationError as exc:
            errors = [e for msgs in exc.message_dict.values() for e in msgs]
        except (TransitionConflict, PermissionDenied) as exc:
            errors = [str(exc) or _("You are not allowed to do this.")]
        else:
            if count.matches:
                messages.success(request, _("The tray matches."))
            else:
                messages.warning(request, _("The tray does not match; the counter leader and the manager are told."))
            return redirect("warehouse:jewellery_day", sale.day_id)
    return render(
        request, "warehouse/jewellery/confirm.html", {"sale": sale, "errors": errors}, status=400 if errors else 200
    )


def _time(value) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value or "")
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@login_required
def jewellery_lunch_view(request, pk: int):
    """The day's roster by station and the lunch turns (轮流吃饭), with the counter's minimums."""
    day = _day(request, pk)
    staff = list(sel.counter_staff_choices(store_id=day.store_id))
    errors = []
    if request.method == "POST":
        by_id = {str(u.pk): u for u in staff}
        try:
            if request.POST.get("action") == "roster":
                entries = [
                    {"user": u, "station": request.POST.get(f"station_{u.pk}")}
                    for u in staff
                    if request.POST.get(f"station_{u.pk}")
                ]
                jw.counter_roster_set(day=day, user=request.user, entries=entries)
            else:
                away = [by_id[v] for v in request.POST.getlist("away") if v in by_id]
                jw.lunch_rotation_add(
                    day=day,
                    user=request.user,
                    starts_at=_time(request.POST.get("starts_at")),
                    ends_at=_time(request.POST.get("ends_at")),
                    away=away,
                )
        except ValidationError as exc:
            errors = [e for msgs in exc.message_dict.values() for e in msgs]
        except (TransitionConflict, PermissionDenied) as exc:
            errors = [str(exc) or _("You are not allowed to do this.")]
        else:
            messages.success(request, _("Saved."))
            return redirect("warehouse:jewellery_lunch", day.pk)
    roster = list(sel.day_roster(day=day))
    stations = {entry.user_id: entry.station for entry in roster}
    for user in staff:
        user.station = stations.get(user.pk, "")
    minimums = [(Station(k).label, v) for k, v in (day.counter.lunch_minimums or {}).items() if k in Station.values]
    return render(
        request,
        "warehouse/jewellery/lunch.html",
        {
            "day": day,
            "staff": staff,
            "roster": roster,
            "rotations": sel.day_rotations(day=day),
            "stations": Station.choices,
            "minimums": minimums,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def jewellery_trays_view(request):
    member_required(request)
    counters = list(sel.counter_list(user=request.user))
    counter_id = request.GET.get("counter", "")
    counter_id = int(counter_id) if counter_id.isdigit() else None
    trays = Paginator(sel.tray_list(user=request.user, counter_id=counter_id), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "warehouse/jewellery/trays.html",
        {"trays": trays, "counters": counters, "counter_id": counter_id},
    )
