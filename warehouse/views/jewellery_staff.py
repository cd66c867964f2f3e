"""Staff pages of the jewellery counter: clocking in (8.30前打卡), the grooming scores of the month
with the duty manager's daily scoring form (三、自检), and the trade customers' registration form
(客户登记单, 资料必须齐全)."""

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

from showroom import roles as r
from showroom.models import ChecklistItem, Store
from showroom.permissions import has_role
from showroom.services.transitions import TransitionConflict
from warehouse import selectors_jewellery as sel
from warehouse.models.jewellery import COUNTER_STAFF, DUTY_MANAGERS
from warehouse.services import jewellery_staff as staff
from warehouse.views.jewellery import refusal_messages
from warehouse.views.stock import member_required


def _store(request, value) -> Store:
    ids = member_required(request)
    store = Store.objects.filter(pk=int(value) if str(value).isdigit() else 0, pk__in=ids).first()
    if store is None:
        raise Http404
    return store


@require_POST
@login_required
def jewellery_clock_in_view(request):
    store = _store(request, request.POST.get("store"))
    try:
        row = staff.attendance_clock_in(user=request.user, store=store)
    except (TransitionConflict, PermissionDenied) as exc:
        refusal_messages(request, exc)
    else:
        if row.late:
            messages.warning(request, _("Clocked in late (after %(time)s).") % {"time": staff.counter_time("clock_in")})
        else:
            messages.success(request, _("Clocked in."))
    return redirect("warehouse:jewellery")


def _month(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


@require_http_methods(["GET", "POST"])
@login_required
def jewellery_grooming_view(request):
    """The month's grooming scores per person and day (summed), and the duty manager's form."""
    ids = member_required(request)
    store_ids = [i for i in ids if has_role(request.user, i, (*COUNTER_STAFF, r.GENERAL_MANAGER))]
    stores = list(Store.objects.filter(pk__in=store_ids).order_by("code"))
    month = _month(request.GET.get("month", ""))
    items = list(ChecklistItem.objects.filter(template__code=staff.GROOMING_CHECKLIST).order_by("order"))
    scoring_stores = [s for s in stores if has_role(request.user, s.pk, DUTY_MANAGERS)]
    errors = []
    if request.method == "POST":
        store = _store(request, request.POST.get("store"))
        person = sel.counter_staff_choices(store_id=store.pk).filter(pk=request.POST.get("person") or 0).first()
        try:
            if person is None:
                raise ValidationError({"person": [_("Choose a person.")]})
            staff.grooming_score_record(
                user=request.user,
                store=store,
                person=person,
                passed_items=[int(v) for v in request.POST.getlist("passed") if v.isdigit()],
            )
        except ValidationError as exc:
            errors = [e for msgs in exc.message_dict.values() for e in msgs]
        except (TransitionConflict, PermissionDenied) as exc:
            errors = [str(exc) or _("You are not allowed to do this.")]
        else:
            messages.success(request, _("Score recorded."))
            return redirect("warehouse:jewellery_grooming")
    people = {s.pk: list(sel.counter_staff_choices(store_id=s.pk)) for s in scoring_stores}
    return render(
        request,
        "warehouse/jewellery/grooming.html",
        {
            "grid": sel.grooming_month_grid(store_ids=store_ids, month=month),
            "month": month,
            "items": items,
            "scoring_stores": [(s, people[s.pk]) for s in scoring_stores],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


FIELDS = [
    ("company", _("Company")),
    ("contact", _("Contact person")),
    ("mobile", _("Mobile")),
    ("id_number", _("ID number")),
    ("address", _("Address")),
    ("licence_number", _("Business licence number")),
]


@require_http_methods(["GET", "POST"])
@login_required
def jewellery_registrations_view(request):
    ids = member_required(request)
    stores = list(Store.objects.filter(pk__in=[i for i in ids if has_role(request.user, i, COUNTER_STAFF)]))
    errors = {}
    if request.method == "POST":
        store = _store(request, request.POST.get("store"))
        try:
            staff.trade_customer_register(
                user=request.user, store=store, **{name: request.POST.get(name, "") for name, _label in FIELDS}
            )
        except ValidationError as exc:
            errors = exc.message_dict
        except PermissionDenied as exc:
            errors = {"__all__": [str(exc) or _("You are not allowed to do this.")]}
        else:
            messages.success(request, _("Trade customer registered."))
            return redirect("warehouse:jewellery_registrations")
    page = Paginator(sel.trade_customer_list(user=request.user), 25).get_page(request.GET.get("page"))
    fields = [(name, label, request.POST.get(name, ""), errors.get(name, [])) for name, label in FIELDS]
    return render(
        request,
        "warehouse/jewellery/registrations.html",
        {"page": page, "stores": stores, "fields": fields, "errors": errors.get("__all__", []), "bad": bool(errors)},
        status=400 if errors else 200,
    )
