"""Repair desk pages: the board by state with age, the intake form, the ticket page with its steps,
and the monthly service report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from delivery import exports as _exports  # noqa: F401  (registers the lists' exports)
from delivery import selectors, services
from delivery.models import REPAIR_STAFF, RepairTicket
from delivery.views._helpers import current_store, error_text, field_errors, int_or_none, parse_date
from showroom.exports import list_export
from showroom.permissions import has_role
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views.documents import documents_panel_context


def _repair_store(request):
    store = current_store(request)
    if not has_role(request.user, store, REPAIR_STAFF):
        raise PermissionDenied(_("Only the store's after-sales staff may use the repair desk."))
    return store


@require_GET
@login_required
def board_view(request):
    store = _repair_store(request)
    # the export holds every ticket of the store, collected ones included: the board shows the open ones
    tickets = selectors.repair_tickets_for(user=request.user, store_ids=[store.pk]).order_by("-created_at", "-id")
    if (export := list_export(request, code="delivery.repairs", queryset=tickets)) is not None:
        return export
    columns = selectors.repair_board(user=request.user, store_ids=[store.pk])
    return render(
        request,
        "delivery/repairs.html",
        {
            "columns": columns,
            "total": sum(len(c[2]) for c in columns),
            "idle_days": selectors.delivery_setting("REPAIR_IDLE_DAYS"),
        },
    )


INTAKE_FIELDS = (
    "customer_mobile",
    "customer_name",
    "contact",
    "product",
    "model",
    "serial",
    "accessories",
    "defects",
    "fault",
)


@login_required
def intake_view(request):
    store = _repair_store(request)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        months = int_or_none(values.get("declared_warranty_months"))
        try:
            ticket = services.repair_intake(
                store=store,
                user=request.user,
                consent_given=values.get("consent_given") == "on",
                declared_sale_date=parse_date(values.get("declared_sale_date")),
                declared_warranty_months=months,
                **{name: values.get(name, "") for name in INTAKE_FIELDS},
            )
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, _("Ticket %(number)s registered.") % {"number": ticket.number})
            return redirect("delivery:repair", pk=ticket.pk)
    return render(request, "delivery/intake.html", {"errors": errors, "values": values}, status=400 if errors else 200)


def _ticket(request, pk) -> RepairTicket:
    ticket = selectors.repair_tickets_for(user=request.user).filter(pk=pk).first()
    if ticket is None:
        raise Http404
    return ticket


def _context(request, ticket, **extra) -> dict:
    return {
        "ticket": ticket,
        "age_days": (timezone.now() - ticket.state_since).days,
        "transitions": transitions_available(instance=ticket, user=request.user),
        **documents_panel_context(user=request.user, target=ticket),
        **extra,
    }


@require_GET
@login_required
def ticket_view(request, pk):
    return render(request, "delivery/ticket.html", _context(request, _ticket(request, pk)))


def _run(request, ticket, name):
    post, user, note = request.POST, request.user, request.POST.get("note", "")
    if name == "send_to_vendor":
        promised = parse_date(post.get("promised_date"))
        if promised is None:
            raise ValidationError({"promised_date": [_("Enter the vendor's promised date.")]})
        return services.repair_send_to_vendor(
            ticket=ticket, user=user, vendor=post.get("vendor", ""), promised_date=promised, note=note
        )
    if name == "quote":
        return services.repair_quote_record(
            ticket=ticket, user=user, diagnosis=post.get("diagnosis", ""), price=post.get("price", ""), note=note
        )
    if name == "approve_repair":
        return services.repair_consent(ticket=ticket, user=user, agreed=post.get("agreed") == "yes", note=note)
    if name == "start_warranty_repair":
        return services.repair_start_warranty(ticket=ticket, user=user, note=note)
    if name == "receive_back":
        return services.repair_receive_back(
            ticket=ticket,
            user=user,
            accessories_ok=post.get("accessories_ok") == "on",
            serial_ok=post.get("serial_ok") == "on",
            note=note,
        )
    if name == "make_ready":
        return services.repair_make_ready(
            ticket=ticket, user=user, warranty_after_days=post.get("warranty_after_days") or None, note=note
        )
    if name == "collect":
        return services.repair_collect(ticket=ticket, user=user, note=note)
    raise Http404


@require_POST
@login_required
def ticket_action_view(request, pk, name):
    ticket = _ticket(request, pk)
    try:
        _run(request, ticket, name)
    except ValidationError as exc:
        return render(
            request,
            "delivery/ticket.html",
            _context(request, ticket, errors=field_errors(exc), failed_step=name),
            status=400,
        )
    except TransitionConflict as exc:
        return render(request, "delivery/ticket.html", _context(request, ticket, conflict=exc.message), status=409)
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
        return redirect("delivery:repair", pk=ticket.pk)
    messages.success(request, _("Saved."))
    return redirect("delivery:repair", pk=ticket.pk)


@require_GET
@login_required
def report_view(request):
    store = _repair_store(request)
    month = parse_date((request.GET.get("month") or "") + "-01") or timezone.localdate().replace(day=1)
    report = selectors.repair_month_report(store_ids=[store.pk], month=month)
    return render(
        request,
        "delivery/repair_report.html",
        {**report, "fine": selectors.FINE_PER_CASE, "bonus": selectors.BONUS_NO_COMPLAINT},
    )
