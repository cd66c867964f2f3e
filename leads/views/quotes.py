"""Quote pages: the list, a new quote from a lead, the quote page (the builder while a draft — htmx:
adding or removing a line answers the builder with the new totals — the steps, the PDF, the loan
calculator and the documents the customer signs), and the appraiser's form. Views parse input,
call one service and render; the rules are the services'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leads.models import Appraisal, Quote, QuoteLine, TrimColour, appraisal_may_record, quote_may_work
from leads.selectors import lead_get
from leads.selectors_sales import (
    accepted_trade_ins,
    appraisal_get,
    appraisal_request_get,
    quote_get,
    quote_list,
    quote_versions,
    sellable_items,
)
from leads.services.appraisals import CONDITION_ITEMS, appraisal_answer, appraisal_record
from leads.services.finance import SIGNING_DOCUMENTS, loan_calculate
from leads.services.quotes import (
    car_serials_in_stock,
    discount_request_pending,
    quote_accept,
    quote_create,
    quote_line_add,
    quote_line_remove,
    quote_reject,
    quote_revise,
    quote_send,
    quote_update,
)
from leads.views._helpers import date_or_none, error_text, int_or_none, is_htmx, toast
from showroom.exports import export_response
from showroom.services.transitions import TransitionConflict
from showroom.views.documents import documents_panel_context
from warehouse.models import Item

PAGE_SIZE = 25


def _store(request):
    if request.store is None:
        raise PermissionDenied(_("You hold no role in any store."))
    return request.store


def _errors(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@require_GET
@login_required
def quote_list_view(request):
    store = _store(request)
    state = request.GET.get("state", "")
    state = state if state in Quote.State.values else ""
    qs = quote_list(
        user=request.user,
        store_id=store.pk,
        state=state,
        consultant_id=int_or_none(request.GET.get("consultant")),
        sent_from=date_or_none(request.GET.get("sent_from")),
        sent_to=date_or_none(request.GET.get("sent_to")),
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        headers = [_("Number"), _("Version"), _("Customer"), _("Vehicle"), _("State"), _("Total"), _("Valid until")]
        rows = (
            [
                q.number,
                q.version,
                q.lead.customer.name,
                str(q.trim_colour),
                q.get_state_display(),
                q.total,
                q.valid_until,
            ]
            for q in qs
        )
        return export_response(export, "quotes", headers, rows)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "leads/quotes/list.html",
        {"page": page, "state": state, "states": Quote.State.choices, "filtered": bool(state)},
    )


def _trim_colours():
    return (
        TrimColour.objects.filter(trim__is_active=True, trim__vehicle_model__is_active=True)
        .select_related("trim__vehicle_model", "colour")
        .order_by("trim__vehicle_model__name", "trim__list_price", "colour__name")
    )


@login_required
def quote_create_view(request, lead_pk):
    """GET: choose the car; POST: the draft quote, then its builder."""
    lead = lead_get(user=request.user, pk=lead_pk)
    context = {"lead": lead, "trim_colours": _trim_colours(), "errors": {}, "values": request.POST}
    if request.method == "POST":
        tc = TrimColour.objects.filter(pk=int_or_none(request.POST.get("trim_colour"))).first()
        try:
            quote = quote_create(
                lead=lead,
                user=request.user,
                trim_colour=tc,
                discount=request.POST.get("discount") or "0",
                language=request.POST.get("language") or "zh-hans",
            )
        except ValidationError as exc:
            context["errors"] = _errors(exc)
            return render(request, "leads/quotes/create.html", context, status=400)
        except TransitionConflict as exc:
            messages.error(request, exc.message)
            return redirect("leads:detail", lead.pk)
        messages.success(request, _("Draft quote created; add the lines."))
        return redirect("leads:quote", quote.pk)
    return render(request, "leads/quotes/create.html", context)


def _builder_context(request, quote: Quote, **extra) -> dict:
    today = timezone.localdate()
    can_work = quote_may_work(quote, request.user)
    return {
        "quote": quote,
        "lines": list(quote.lines.all()),
        "can_edit": can_work and quote.is_editable,
        "line_kinds": QuoteLine.Kind.choices,
        "accessories": sellable_items(kind="accessory")[:200],
        "services": sellable_items(kind="service")[:200],
        "vins": car_serials_in_stock(trim_colour=quote.trim_colour) if quote.is_editable else [],
        "trade_ins": accepted_trade_ins(lead_id=quote.lead_id, today=today) if quote.is_editable else [],
        "errors": extra.pop("errors", {}),
        **extra,
    }


def _quote_context(request, quote: Quote, **extra) -> dict:
    can_work = quote_may_work(quote, request.user)
    order = getattr(quote, "order", None) if quote.state == Quote.State.ACCEPTED else None
    return {
        **_builder_context(request, quote, **extra),
        "customer": quote.lead.customer,
        "can_work": can_work,
        "pending": discount_request_pending(quote=quote) if quote.state == Quote.State.PENDING_APPROVAL else None,
        "versions": quote_versions(quote=quote),
        "order": order,
        "signing_documents": SIGNING_DOCUMENTS,
        "loan_price": quote.total,
        **documents_panel_context(user=request.user, target=quote),
    }


@require_GET
@login_required
def quote_detail_view(request, pk):
    quote = quote_get(user=request.user, pk=pk)
    return render(request, "leads/quotes/detail.html", _quote_context(request, quote))


def _builder_response(
    request, quote: Quote, *, status: int = 200, message: str = "", level: str = "success", errors=None
):
    quote = quote_get(user=request.user, pk=quote.pk)
    if is_htmx(request):
        response = render(
            request, "leads/quotes/_builder.html", _builder_context(request, quote, errors=errors or {}), status=status
        )
        return toast(response, message, level) if message else response
    if status >= 400:  # the page again, with the messages next to the fields
        messages.error(request, message)
        context = _quote_context(request, quote, errors=errors or {})
        return render(request, "leads/quotes/detail.html", context, status=status)
    if message:
        messages.success(request, message)
    return redirect("leads:quote", quote.pk)


@require_POST
@login_required
def quote_line_add_view(request, pk):
    quote = quote_get(user=request.user, pk=pk)
    item = Item.objects.filter(pk=int_or_none(request.POST.get("item"))).first()
    try:
        quote_line_add(
            quote=quote,
            user=request.user,
            kind=request.POST.get("kind", ""),
            item=item,
            quantity=request.POST.get("quantity") or "1",
            unit_price=request.POST.get("unit_price") or None,
            description=request.POST.get("description", ""),
        )
    except ValidationError as exc:
        return _builder_response(
            request, quote, status=400, message=error_text(exc), level="danger", errors=_errors(exc)
        )
    except (TransitionConflict, PermissionDenied) as exc:
        return _builder_response(request, quote, status=409, message=error_text(exc), level="danger")
    return _builder_response(request, quote, message=_("Line added."))


@require_POST
@login_required
def quote_line_remove_view(request, pk, line_pk):
    quote = quote_get(user=request.user, pk=pk)
    try:
        quote_line_remove(quote=quote, user=request.user, line_id=line_pk)
    except (ValidationError, TransitionConflict, PermissionDenied) as exc:
        return _builder_response(request, quote, status=409, message=error_text(exc), level="danger")
    return _builder_response(request, quote, message=_("Line removed."))


@require_POST
@login_required
def quote_update_view(request, pk):
    quote = quote_get(user=request.user, pk=pk)
    values = {}
    for field in ("discount", "vin", "language", "note"):
        if field in request.POST:
            values[field] = request.POST[field]
    if "trade_in" in request.POST:
        values["trade_in"] = Appraisal.objects.filter(pk=int_or_none(request.POST["trade_in"])).first()
    for field in ("valid_until", "invoice_date"):
        if request.POST.get(field):
            values[field] = parse_date(request.POST[field])
    try:
        quote_update(quote=quote, user=request.user, **values)
    except ValidationError as exc:
        return _builder_response(
            request, quote, status=400, message=error_text(exc), level="danger", errors=_errors(exc)
        )
    except (TransitionConflict, PermissionDenied) as exc:
        return _builder_response(request, quote, status=409, message=error_text(exc), level="danger")
    return _builder_response(request, quote, message=_("Quote updated."))


ACTIONS = {
    "send": lambda q, u, p: quote_send(quote=q, user=u, reason=p.get("reason", "")),
    "accept": lambda q, u, p: quote_accept(quote=q, user=u),
    "reject": lambda q, u, p: quote_reject(quote=q, user=u, note=p.get("note", "")),
    "revise": lambda q, u, p: quote_revise(quote=q, user=u),
}


@require_POST
@login_required
def quote_action_view(request, pk, name):
    quote = quote_get(user=request.user, pk=pk)
    action = ACTIONS.get(name)
    if action is None:
        messages.error(request, _("Unknown step."))
        return redirect("leads:quote", quote.pk)
    try:
        result = action(quote, request.user, request.POST)
    except (ValidationError, TransitionConflict, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("leads:quote", quote.pk)
    if name == "accept":
        messages.success(request, _("Accepted: the order waits for its deposit."))
        return redirect("leads:order", result.pk)
    if name == "revise":
        messages.success(request, _("New version %(v)s created.") % {"v": result.version})
        return redirect("leads:quote", result.pk)
    if name == "send" and result.state == Quote.State.PENDING_APPROVAL:
        messages.info(request, _("The discount is above your limit: sent for approval."))
    else:
        messages.success(request, _("Done."))
    return redirect("leads:quote", quote.pk)


@require_GET
@login_required
def quote_loan_view(request, pk):
    """The loan calculator (htmx partial)."""
    quote = quote_get(user=request.user, pk=pk)
    params = request.GET
    context = {"quote": quote, "loan_price": params.get("price") or quote.total, "errors": {}, "result": None}
    try:
        context["result"] = loan_calculate(
            price=params.get("price") or quote.total,
            down_payment=params.get("down_payment") or None,
            down_share=params.get("down_share") or None,
            months=params.get("months") or 36,
            annual_rate=params.get("annual_rate") or "0",
            method=params.get("method") or "equal_instalment",
        )
    except ValidationError as exc:
        context["errors"] = _errors(exc)
        return render(request, "leads/quotes/_loan.html", context, status=400)
    return render(request, "leads/quotes/_loan.html", context)


# --- appraisals ---------------------------------------------------------------------------------


@login_required
def appraisal_record_view(request, request_pk):
    appraisal_request = appraisal_request_get(user=request.user, pk=request_pk)
    if not appraisal_may_record(appraisal_request.store_id, request.user):
        raise PermissionDenied(_("Only a used-car appraiser or a manager appraises."))
    context = {
        "appraisal_request": appraisal_request,
        "condition_items": CONDITION_ITEMS,
        "errors": {},
        "values": request.POST,
    }
    if request.method == "POST":
        condition = [
            {"item": item, "ok": request.POST.get(f"ok-{i}") == "on", "note": request.POST.get(f"note-{i}", "")}
            for i, item in enumerate(CONDITION_ITEMS)
        ]
        photos = request.FILES.getlist("photos")
        try:
            appraisal_record(
                request=appraisal_request,
                user=request.user,
                make=request.POST.get("make", ""),
                model=request.POST.get("model", ""),
                year=request.POST.get("year"),
                mileage_km=request.POST.get("mileage_km"),
                offer=request.POST.get("offer", ""),
                valid_days=request.POST.get("valid_days") or 7,
                vin=request.POST.get("vin", ""),
                condition=condition,
                photos=photos,
            )
        except ValidationError as exc:
            context["errors"] = _errors(exc)
            return render(request, "leads/quotes/appraisal.html", context, status=400)
        except TransitionConflict as exc:
            messages.error(request, exc.message)
            return redirect("leads:detail", appraisal_request.lead_id)
        messages.success(request, _("Appraisal recorded."))
        return redirect(reverse("leads:detail", args=[appraisal_request.lead_id]) + "#trade-in")
    return render(request, "leads/quotes/appraisal.html", context)


@require_POST
@login_required
def appraisal_answer_view(request, pk):
    appraisal = appraisal_get(user=request.user, pk=pk)
    try:
        appraisal_answer(appraisal=appraisal, user=request.user, accepted=request.POST.get("accepted") == "yes")
    except (TransitionConflict, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The customer's answer is recorded."))
    return redirect(reverse("leads:detail", args=[appraisal.lead_id]) + "#trade-in")
