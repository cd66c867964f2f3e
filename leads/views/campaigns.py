"""Pages of the base-customer campaigns: the owners (filters, the import with its row-by-row
report), the replacement cycles, the campaigns and a campaign's page with its launch. Views parse
input, call one service and render; the rules are the services'."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from leads.forms import ServiceErrorsMixin
from leads.models import LEAD_MANAGERS, VehicleModel
from leads.selectors_campaigns import (
    campaign_get,
    campaign_list,
    campaign_overview,
    owner_get,
    owner_list,
    owner_models,
    replacement_cycle_rows,
)
from leads.services import (
    campaign_create,
    campaign_launch,
    lost_reasons_for,
    owner_mark_bought_elsewhere,
    owners_import,
    replacement_cycle_set,
)
from leads.services.campaigns import (
    CYCLE_EDITORS,
    campaign_may_manage,
    owner_open_campaign_lead,
    owners_may_import,
)
from leads.views import exports  # noqa: F401  (registers the rows)
from leads.views._helpers import error_text
from showroom.exports import list_export
from showroom.permissions import has_role
from showroom.selectors.frontdesk import frontdesk_settings_get
from showroom.services.transitions import TransitionConflict

PAGE_SIZE = 25
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _manager_store(request):
    store = request.store
    if store is None or not has_role(request.user, store, LEAD_MANAGERS):
        raise PermissionDenied(_("Only the store's managers see the base customers and campaigns."))
    return store


# --- forms --------------------------------------------------------------------------------------


class OwnerFilterForm(ServiceErrorsMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Name, phone digits or model")}),
    )
    vehicle_model = forms.TypedChoiceField(label=gettext_lazy("Model"), required=False, coerce=int, empty_value=None)
    due_from = forms.DateField(label=gettext_lazy("Replacement due from"), required=False, widget=DATE_INPUT)
    due_to = forms.DateField(label=gettext_lazy("Replacement due to"), required=False, widget=DATE_INPUT)
    bought_elsewhere = forms.ChoiceField(
        label=gettext_lazy("Bought elsewhere"),
        required=False,
        choices=[("", gettext_lazy("All")), ("no", gettext_lazy("No")), ("yes", gettext_lazy("Yes"))],
    )

    def __init__(self, *args, models=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle_model"].choices = [("", "—")] + [(m.pk, str(m)) for m in models]


class ImportForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Service data file"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or GBK) or XLSX with the columns name, mobile, model, purchase date, last service "
            "date, mileage and optionally the consultant who sold the car (Chinese headers work too: "
            "姓名, 手机, 车型, 购车日期, 最近保养日期, 里程, 销售顾问). Nothing is imported while any row is wrong."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class CampaignForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    talking_points = forms.CharField(
        label=gettext_lazy("Talking points"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Attached to every lead the campaign opens."),
    )
    due_from = forms.DateField(label=gettext_lazy("Replacement due from"), widget=DATE_INPUT)
    due_to = forms.DateField(label=gettext_lazy("Replacement due to"), widget=DATE_INPUT)
    visit_on = forms.DateField(
        label=gettext_lazy("Invited visit day"),
        widget=DATE_INPUT,
        help_text=gettext_lazy("Consultants are reminded to call the day before at 10:00."),
    )


class BoughtElsewhereForm(ServiceErrorsMixin, forms.Form):
    brand = forms.CharField(label=gettext_lazy("Brand bought"), max_length=60)
    model = forms.CharField(label=gettext_lazy("Model bought"), max_length=80)
    reason_id = forms.TypedChoiceField(
        label=gettext_lazy("Reason"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("Needed when the owner has an open campaign lead: its lost request names it."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_id"].choices = [("", "—")] + [(r.pk, r.text) for r in reasons]


# --- owners -------------------------------------------------------------------------------------


def _owners_context(request, store, *, import_form=None, report=None):
    models = list(owner_models())
    filters = OwnerFilterForm(request.GET or None, models=models)
    data = filters.cleaned_data if filters.is_valid() else {}
    bought = {"yes": True, "no": False}.get(data.get("bought_elsewhere") or "")
    qs = owner_list(
        user=request.user,
        store_id=store.pk,
        vehicle_model_id=data.get("vehicle_model"),
        due_from=data.get("due_from"),
        due_to=data.get("due_to"),
        bought_elsewhere=bought,
        search=data.get("q") or "",
    )
    return {
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "import_form": import_form or ImportForm(),
        "report": report,
        "can_import": owners_may_import(user=request.user, store=store),
    }


@require_GET
@login_required
def owner_list_view(request):
    store = _manager_store(request)
    context = _owners_context(request, store)
    export = list_export(request, code="leads.owners", queryset=context["page"].paginator.object_list)
    if export is not None:
        return export
    return render(request, "leads/campaigns/owners.html", context)


@require_POST
@login_required
def owner_import_view(request):
    """The import: a bad file shows each row's error (400) and imports nothing."""
    store = _manager_store(request)
    if not owners_may_import(user=request.user, store=store):
        raise PermissionDenied(_("Only the store's managers import owners."))
    form = ImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        report = owners_import(store=store, user=request.user, file=upload, filename=upload.name)
        if report.ok:
            messages.success(
                request,
                _("%(rows)s rows imported: %(created)s new owners, %(updated)s updated, %(customers)s new customers.")
                % {
                    "rows": report.rows,
                    "created": report.created,
                    "updated": report.updated,
                    "customers": report.customers_created,
                },
            )
            return redirect("leads:owners")
    context = _owners_context(request, store, import_form=form, report=report)
    return render(request, "leads/campaigns/owners.html", context, status=400)


@login_required
def owner_bought_elsewhere_view(request, pk):
    store = _manager_store(request)
    owner = owner_get(user=request.user, pk=pk)
    if owner.store_id != store.pk:
        raise PermissionDenied(_("Switch to the owner's store first."))
    lead = owner_open_campaign_lead(owner=owner)
    reasons = list(lost_reasons_for(store=store))
    form = BoughtElsewhereForm(request.POST if request.method == "POST" else None, reasons=reasons)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                owner_mark_bought_elsewhere(
                    owner=owner,
                    user=request.user,
                    brand=form.cleaned_data["brand"],
                    model=form.cleaned_data["model"],
                    reason_id=form.cleaned_data.get("reason_id"),
                    note=form.cleaned_data.get("note") or "",
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except TransitionConflict as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request, _("%(owner)s is marked as bought elsewhere.") % {"owner": owner.customer.name}
                )
                return redirect("leads:owners")
        status = 400
    return render(
        request,
        "leads/campaigns/bought_elsewhere.html",
        {"owner": owner, "lead": lead, "form": form},
        status=status,
    )


# --- replacement cycles -------------------------------------------------------------------------


@login_required
def cycle_list_view(request):
    """Each segment's replacement cycle; the sales manager changes them."""
    store = _manager_store(request)
    can_edit = has_role(request.user, store, CYCLE_EDITORS)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only the sales manager changes the replacement cycles."))
        segment = request.POST.get("segment", "")
        try:
            replacement_cycle_set(store=store, user=request.user, segment=segment, months=request.POST.get("months"))
        except ValidationError as exc:
            errors = {segment: [m for messages_ in exc.message_dict.values() for m in messages_]}
            status = 400
        else:
            labels = dict(VehicleModel.Segment.choices)
            messages.success(
                request,
                _("The cycle of %(segment)s is changed; its owners' replacement dates follow.")
                % {"segment": labels.get(segment, segment)},
            )
            return redirect("leads:cycles")
    rows = replacement_cycle_rows(store=store)
    for row in rows:
        row.errors = errors.get(row.segment, [])
    return render(
        request,
        "leads/campaigns/cycles.html",
        {"rows": rows, "can_edit": can_edit},
        status=status,
    )


# --- campaigns ----------------------------------------------------------------------------------


@require_GET
@login_required
def campaign_list_view(request):
    store = _manager_store(request)
    campaigns = list(campaign_list(user=request.user, store_id=store.pk))
    return render(
        request,
        "leads/campaigns/list.html",
        {
            "campaigns": campaigns,
            "can_create": campaign_may_manage(user=request.user, store=store),
            "rule": frontdesk_settings_get(store=store).get_distribution_rule_display(),
        },
    )


@login_required
def campaign_create_view(request):
    store = _manager_store(request)
    if not campaign_may_manage(user=request.user, store=store):
        raise PermissionDenied(_("Only the showroom or sales manager creates campaigns."))
    form = CampaignForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = campaign_create(store=store, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Campaign created. Check the owners it selects, then launch it."))
                return redirect("leads:campaign", pk=campaign.pk)
        status = 400
    return render(
        request,
        "leads/campaigns/form.html",
        {"form": form, "rule": frontdesk_settings_get(store=store).get_distribution_rule_display()},
        status=status,
    )


@require_GET
@login_required
def campaign_detail_view(request, pk):
    _manager_store(request)
    campaign = campaign_get(user=request.user, pk=pk)
    return render(
        request,
        "leads/campaigns/detail.html",
        {
            "campaign": campaign,
            "overview": campaign_overview(campaign=campaign),
            "can_launch": campaign_may_manage(user=request.user, store=campaign.store_id),
        },
    )


@require_POST
@login_required
def campaign_launch_view(request, pk):
    _manager_store(request)
    campaign = campaign_get(user=request.user, pk=pk)
    try:
        result = campaign_launch(campaign=campaign, user=request.user)
    except (ValidationError, TransitionConflict) as exc:
        messages.error(request, error_text(exc))
        return redirect("leads:campaign", pk=campaign.pk)
    if result.created:
        messages.success(
            request,
            _("%(n)s leads opened and distributed; each consultant is reminded the day before the visit.")
            % {"n": len(result.created)},
        )
    else:
        messages.info(request, _("No owner is left to invite: every owner due has a lead already."))
    return redirect("leads:campaign", pk=campaign.pk)
