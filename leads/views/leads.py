"""Lead pages: my leads, all leads (filters, CSV/XLSX), the new-lead form and the lead page with
its parts. Views parse input, call one service and render; the rules are the services'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leads.forms import (
    AppraisalForm,
    ContactForm,
    CustomerLookupForm,
    GradeForm,
    LeadFieldsForm,
    LeadFilterForm,
    LostForm,
    NeedsForm,
    NewCustomerForm,
    ObjectionAnswerForm,
    ObjectionForm,
    PlanConfirmForm,
)
from leads.models import Lead, lead_may_manage_plan, lead_may_work
from leads.selectors import consultants_of_store, lead_get, lead_list, lead_my_list, vehicle_model_list
from leads.services import (
    lead_appraisal_request,
    lead_contact_record,
    lead_create,
    lead_create_for_new_customer,
    lead_grade_set,
    lead_lost_request,
    lead_objection_add,
    lead_objection_answer,
    lead_plan_confirm,
    lead_test_drive_offer,
    lead_transition,
    lead_update,
    lost_reasons_for,
    lost_request_pending,
)
from leads.services.grades import PLAN_CONFIRMERS, grade_rules_for
from leads.services.intake import LEAD_CREATORS
from leads.views import exports  # noqa: F401  (registers the rows)
from leads.views._helpers import error_text, int_or_none, is_htmx, toast
from showroom.exports import list_export
from showroom.pagination import CappedPaginator
from showroom.permissions import has_role
from showroom.selectors.customers import customer_list, customer_personal_data_visible
from showroom.selectors.timeline import timeline_for
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.validators import mask_mobile

PAGE_SIZE = 25
FORWARD_ORDER = ("contact", "visit", "drive", "quote", "win")


def _store(request):
    store = request.store
    if store is None:
        raise PermissionDenied(_("You hold no role in any store."))
    return store


# --- my leads and all leads ---------------------------------------------------------------------


@require_GET
@login_required
def lead_mine_view(request):
    store = _store(request)
    now = timezone.now()
    qs = lead_my_list(user=request.user, now=now, store_id=store.pk)
    export = list_export(request, code="leads.mine", queryset=qs)
    if export is not None:
        return export
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "leads/mine.html",
        {"page": page, "now": now, "can_add": has_role(request.user, store, LEAD_CREATORS)},
    )


def _filters(request, store):
    form = LeadFilterForm(
        request.GET or None,
        consultants=consultants_of_store(store_id=store.pk),
        models=vehicle_model_list(),
    )
    data = form.cleaned_data if form.is_valid() else {}
    return form, data


@require_GET
@login_required
def lead_all_view(request):
    store = _store(request)
    form, data = _filters(request, store)
    qs = lead_list(
        user=request.user,
        store_id=store.pk,
        state=data.get("state") or "",
        grade=data.get("grade") or "",
        consultant_id=data.get("consultant"),
        vehicle_model_id=data.get("vehicle_model"),
        created_from=data.get("created_from"),
        created_to=data.get("created_to"),
        search=data.get("q") or "",
        # the manager dashboard's drill-downs (not in the filter bar; kept in the URL)
        needs_analysis=request.GET.get("needs") == "1",
        lost_reason_id=int_or_none(request.GET.get("lost_reason")),
        competitor_model=(request.GET.get("competitor") or "")[:150],
        at_risk=request.GET.get("at_risk") == "1",
        created_by_id=int_or_none(request.GET.get("created_by")),
    )
    export = list_export(request, code="leads.all", queryset=qs)
    if export is not None:
        return export
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": form,
        "now": timezone.now(),
        "can_add": has_role(request.user, store, LEAD_CREATORS),
        "filtered": any(v for k, v in request.GET.items() if k not in ("page",)),
    }
    template = "leads/_table.html" if is_htmx(request) else "leads/list.html"
    return render(request, template, context)


# --- the new-lead form --------------------------------------------------------------------------


@login_required
def lead_create_view(request):
    """First the customer's mobile; then either one of the customers found, or a new customer
    together with the lead."""
    store = _store(request)
    if not has_role(request.user, store, LEAD_CREATORS):
        raise PermissionDenied(_("Your role in this store cannot open leads."))
    consultants = consultants_of_store(store_id=store.pk)
    data = request.POST if request.method == "POST" else None
    customer = None
    customer_id = int_or_none((data or request.GET).get("customer"))
    if customer_id:
        customer = customer_list(user=request.user, store_id=store.pk).filter(pk=customer_id).first()
    lookup = CustomerLookupForm(request.GET if "mobile" in request.GET else None)
    mobile = ""
    found = []
    if lookup.is_bound and lookup.is_valid():
        mobile = "".join(ch for ch in lookup.cleaned_data["mobile"] if ch.isdigit())
        if len(mobile) >= 4:
            found = list(customer_list(user=request.user, store_id=store.pk, search=mobile)[:10])
            open_leads = {
                lead.customer_id: lead
                for lead in Lead.objects.filter(
                    store=store, customer__in=found, state__in=Lead.OPEN_STATES
                ).select_related("consultant")
            }
            for row in found:
                row.open_lead = open_leads.get(row.pk)
    lead_form = LeadFieldsForm(data, consultants=consultants, prefix="lead")
    customer_form = NewCustomerForm(data, prefix="customer")
    status = 200
    mobile_errors: list[str] = []
    if request.method == "POST":
        mobile = request.POST.get("mobile", "")
        new_customer = customer is None
        valid = lead_form.is_valid() and (customer_form.is_valid() if new_customer else True)
        if valid:
            values = dict(lead_form.cleaned_data)
            consultant_id = values.pop("consultant")
            consultant = next((c for c in consultants if c.pk == consultant_id), None) if consultant_id else None
            model_id, trim_id = values.pop("vehicle_model"), values.pop("trim")
            lead_values = {
                **values,
                "consultant": consultant,
                "vehicle_model": _model_or_none(model_id),
                "trim": _trim_or_none(trim_id),
            }
            try:
                if new_customer:
                    lead = lead_create_for_new_customer(
                        user=request.user,
                        store=store,
                        name=customer_form.cleaned_data["name"],
                        mobile=mobile,
                        consent_given=customer_form.cleaned_data["consent_given"],
                        **lead_values,
                    )
                else:
                    lead = lead_create(user=request.user, store=store, customer=customer, **lead_values)
            except ValidationError as exc:
                mobile_errors = _split_errors(exc, lead_form=lead_form, customer_form=customer_form)
            else:
                messages.success(request, _("Lead opened for %(customer)s.") % {"customer": lead.customer.name})
                return redirect("leads:detail", pk=lead.pk)
        status = 400
    return render(
        request,
        "leads/create.html",
        {
            "lookup": lookup,
            "mobile": mobile,
            "found": found,
            "customer": customer,
            "lead_form": lead_form,
            "customer_form": customer_form,
            "searched": lookup.is_bound,
            "mobile_errors": mobile_errors,
        },
        status=status,
    )


def _split_errors(exc: ValidationError, *, lead_form, customer_form) -> list[str]:
    """Put each service error next to its field: the customer's, the lead's, or the mobile number
    (a plain input of the page); returns the mobile's."""
    mobile_errors: list[str] = []
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, texts in errors.items():
        for text in texts:
            if name == "mobile":
                mobile_errors.append(text)
            elif name in customer_form.fields:
                customer_form.add_error(name, text)
            elif name in lead_form.fields:
                lead_form.add_error(name, text)
            else:
                lead_form.add_error(None, text)
    return mobile_errors


def _model_or_none(pk):
    from leads.models import VehicleModel

    return VehicleModel.objects.filter(pk=pk).select_related("brand").first() if pk else None


def _trim_or_none(pk):
    from leads.models import Trim

    return Trim.objects.filter(pk=pk).first() if pk else None


# --- the lead page ------------------------------------------------------------------------------


def _transition_buttons(lead: Lead, names: list[str]) -> list[dict]:
    labels = {
        "contact": _("Mark contacted"),
        "visit": _("Mark visited"),
        "drive": _("Mark test driven"),
        "quote": _("Mark negotiating"),
        "win": _("Mark won"),
        "reactivate": _("Reactivate"),
    }
    forward = [name for name in FORWARD_ORDER if name in names]
    buttons = []
    for index, name in enumerate(forward):
        buttons.append({"name": name, "label": labels[name], "primary": index == 0, "confirm": name == "win"})
    if "reactivate" in names:
        buttons.append({"name": "reactivate", "label": labels["reactivate"], "primary": True, "confirm": False})
    return buttons


def _detail_context(request, lead: Lead, **forms) -> dict:
    user = request.user
    can_work = lead_may_work(lead, user) and lead.is_open
    names = transitions_available(instance=lead, user=user)
    rule = grade_rules_for(lead.store)[lead.grade]
    pending_lost = lost_request_pending(lead=lead)
    context = {
        "lead": lead,
        "customer": lead.customer,
        "mobile": mask_mobile(lead.customer.mobile),
        "may_see_customer": customer_personal_data_visible(user=user, customer=lead.customer),
        "buttons": _transition_buttons(lead, names),
        "can_work": can_work,
        "can_grade": lead.is_open and lead_may_manage_plan(lead, user),
        "can_confirm_plan": (
            lead.is_open
            and rule.needs_manager_plan
            and lead.plan_confirmed_at is None
            and has_role(user, lead.store_id, PLAN_CONFIRMERS)
        ),
        "needs_plan": rule.needs_manager_plan,
        "rule": rule,
        "pending_lost": pending_lost,
        "can_report_lost": can_work and pending_lost is None,
        "timeline": timeline_for(target=lead),
        "now": timezone.now(),
        "needs_form": forms.get("needs_form") or NeedsForm.for_lead(lead),
        "contact_form": forms.get("contact_form") or ContactForm(prefix="contact"),
        "grade_form": forms.get("grade_form") or GradeForm(initial={"grade": lead.grade}, prefix="grade"),
        "plan_form": forms.get("plan_form") or PlanConfirmForm(prefix="plan"),
        "objection_form": forms.get("objection_form") or ObjectionForm(prefix="objection"),
        "appraisal_form": forms.get("appraisal_form")
        or AppraisalForm(initial={"car_details": lead.trade_in_details}, prefix="appraisal"),
        "lost_form": forms.get("lost_form") or LostForm(reasons=lost_reasons_for(store=lead.store_id), prefix="lost"),
        "lost_open": "lost_form" in forms,
    }
    return context


def _render_detail(request, lead: Lead, status: int = 200, **forms):
    return render(request, "leads/detail.html", _detail_context(request, lead, **forms), status=status)


@require_GET
@login_required
def lead_detail_view(request, pk):
    lead = lead_get(user=request.user, pk=pk)
    return _render_detail(request, lead)


def _back(lead: Lead, anchor: str = ""):
    url = reverse("leads:detail", args=[lead.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _run(request, lead, form, service, *, success: str, anchor: str, form_name: str):
    """Validate the form, run the service; on bad input re-render the lead page with the errors
    next to the fields (400); a refused step shows its reason."""
    if not form.is_valid():
        return _render_detail(request, lead, status=400, **{form_name: form})
    try:
        service(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _render_detail(request, lead, status=400, **{form_name: form})
    except TransitionConflict as exc:
        messages.error(request, exc.message)
        return _back(lead, anchor)
    messages.success(request, success)
    return _back(lead, anchor)


@require_POST
@login_required
def lead_update_view(request, pk):
    lead = lead_get(user=request.user, pk=pk)
    form = NeedsForm.for_lead(lead, request.POST)

    def service(data):
        values = dict(data)
        values["vehicle_model"] = _model_or_none(values["vehicle_model"])
        values["trim"] = _trim_or_none(values["trim"])
        lead_update(lead=lead, user=request.user, **values)

    return _run(
        request, lead, form, service, success=_("Needs analysis saved."), anchor="needs", form_name="needs_form"
    )


@require_POST
@login_required
def lead_contact_view(request, pk):
    """Record a contact; from the page with htmx the contacts section is replaced in place."""
    lead = lead_get(user=request.user, pk=pk)
    form = ContactForm(request.POST, prefix="contact")
    if is_htmx(request):
        status, message = 200, _("Contact recorded.")
        if form.is_valid():
            try:
                lead_contact_record(
                    lead=lead,
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    summary=form.cleaned_data["summary"],
                    at=form.cleaned_data["at"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
                status, message = 400, error_text(exc)
            except TransitionConflict as exc:
                status, message = 409, exc.message
        else:
            status, message = 400, _("Please correct the errors below.")
        lead = lead_get(user=request.user, pk=pk)
        context = {
            "lead": lead,
            "can_work": lead_may_work(lead, request.user) and lead.is_open,
            "contact_form": ContactForm(prefix="contact") if status == 200 else form,
        }
        response = render(request, "leads/_contacts.html", context, status=status)
        return toast(response, message, "success" if status == 200 else "danger", leadChanged=status == 200)

    def service(data):
        lead_contact_record(lead=lead, user=request.user, kind=data["kind"], summary=data["summary"], at=data["at"])

    return _run(
        request, lead, form, service, success=_("Contact recorded."), anchor="contacts", form_name="contact_form"
    )


@require_POST
@login_required
def lead_grade_view(request, pk):
    lead = lead_get(user=request.user, pk=pk)
    form = GradeForm(request.POST, prefix="grade")

    def service(data):
        lead_grade_set(lead=lead, grade=data["grade"], user=request.user)

    return _run(
        request,
        lead,
        form,
        service,
        success=_("Grade changed; the follow-up plan is replaced."),
        anchor="summary",
        form_name="grade_form",
    )


@require_POST
@login_required
def lead_plan_confirm_view(request, pk):
    lead = lead_get(user=request.user, pk=pk)
    form = PlanConfirmForm(request.POST, prefix="plan")

    def service(data):
        lead_plan_confirm(lead=lead, user=request.user, note=data["note"])

    return _run(
        request, lead, form, service, success=_("Follow-up plan confirmed."), anchor="summary", form_name="plan_form"
    )


@require_POST
@login_required
def lead_objection_view(request, pk):
    lead = lead_get(user=request.user, pk=pk)
    form = ObjectionForm(request.POST, prefix="objection")

    def service(data):
        lead_objection_add(
            lead=lead, user=request.user, objection=data["objection"], answer=data["answer"], resolved=data["resolved"]
        )

    return _run(
        request, lead, form, service, success=_("Objection recorded."), anchor="objections", form_name="objection_form"
    )


@require_POST
@login_required
def lead_objection_answer_view(request, pk, objection_pk):
    lead = lead_get(user=request.user, pk=pk)
    objection = next((o for o in lead.objections.all() if o.pk == objection_pk), None)
    if objection is None:
        raise Http404
    form = ObjectionAnswerForm(request.POST, prefix=f"answer-{objection.pk}")
    try:
        if not form.is_valid():
            raise ValidationError(_("Please correct the errors below."))
        lead_objection_answer(
            objection=objection,
            user=request.user,
            answer=form.cleaned_data["answer"],
            resolved=form.cleaned_data["resolved"],
        )
    except (ValidationError, TransitionConflict) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Answer saved."))
    return _back(lead, "objections")


@require_POST
@login_required
def lead_test_drive_view(request, pk):
    lead = lead_get(user=request.user, pk=pk)
    answer = request.POST.get("accepted")
    if answer not in ("yes", "no"):
        messages.error(request, _("Say whether the customer accepted or declined."))
        return _back(lead, "test-drive")
    try:
        lead_test_drive_offer(lead=lead, user=request.user, accepted=answer == "yes")
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Test drive offer recorded."))
    return _back(lead, "test-drive")


@require_POST
@login_required
def lead_appraisal_view(request, pk):
    lead = lead_get(user=request.user, pk=pk)
    form = AppraisalForm(request.POST, prefix="appraisal")

    def service(data):
        lead_appraisal_request(
            lead=lead, user=request.user, car_details=data["car_details"], licence_plate=data["licence_plate"]
        )

    return _run(
        request,
        lead,
        form,
        service,
        success=_("Appraisal requested; the used-car department is told."),
        anchor="appraisal",
        form_name="appraisal_form",
    )


@require_POST
@login_required
def lead_lost_view(request, pk):
    """The "mark lost" dialog: a request to the showroom manager, never the loss itself."""
    lead = lead_get(user=request.user, pk=pk)
    form = LostForm(request.POST, reasons=lost_reasons_for(store=lead.store_id), prefix="lost")

    def service(data):
        lead_lost_request(
            lead=lead,
            user=request.user,
            competitor_brand=data["competitor_brand"],
            competitor_model=data["competitor_model"],
            reason_id=data["reason_id"],
            note=data["note"],
        )

    return _run(
        request,
        lead,
        form,
        service,
        success=_("Sent to the showroom manager; the lead is lost once it is confirmed."),
        anchor="",
        form_name="lost_form",
    )


@require_POST
@login_required
def lead_transition_view(request, pk, name):
    lead = lead_get(user=request.user, pk=pk)
    try:
        lead_transition(lead=lead, name=name, user=request.user, note=request.POST.get("note", "").strip())
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    except LookupError:
        messages.error(request, _("There is no such step."))
    else:
        messages.success(request, _("Done."))
    return _back(lead)
