from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from showroom.exports import export_response
from showroom.forms import CustomerEditForm, CustomerFilterForm, CustomerForm
from showroom.pagination import CappedPaginator
from showroom.permissions import has_role
from showroom.roles import CUSTOMER_EDITORS
from showroom.selectors.customers import (
    OWNERSHIP_MANAGERS,
    customer_get,
    customer_list,
    customer_personal_data_visible,
)
from showroom.services.customers import customer_create, customer_update
from showroom.services.privacy import PRIVACY_OFFICERS, personal_data_reveal_log
from showroom.validators import mask_id_number, mask_mobile, national_mobile
from showroom.views.customer_identity import customer_ownership_context


@login_required
def customer_list_view(request):
    store = request.store
    filters = CustomerFilterForm(request.GET or None)
    q = source = ownership = ""
    if filters.is_valid():
        q, source = filters.cleaned_data["q"], filters.cleaned_data["source"]
        ownership = filters.cleaned_data["ownership"]
    qs = customer_list(user=request.user, store_id=store.pk if store else -1, search=q, ownership=ownership)
    if source:
        qs = qs.filter(source=source)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        rows = (
            [c.name, mask_mobile(c.mobile), c.get_gender_display(), c.get_source_display(), c.created_at]
            for c in qs.iterator(chunk_size=1000)
        )
        headers = [_("Name"), _("Mobile"), _("Gender"), _("Source"), _("Created at")]
        return export_response(export, "customers", headers, rows)
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "can_add": store is not None and has_role(request.user, store, CUSTOMER_EDITORS),
        "can_merge": store is not None and has_role(request.user, store, OWNERSHIP_MANAGERS),
        "query_string": request.GET.urlencode(),
    }
    template = "showroom/customers/_table.html" if request.headers.get("HX-Request") else "showroom/customers/list.html"
    return render(request, template, context)


@login_required
def customer_detail_view(request, pk):
    customer = customer_get(user=request.user, pk=pk)
    may_see = customer_personal_data_visible(user=request.user, customer=customer)
    reveal = may_see and request.GET.get("reveal") == "1"
    if reveal:
        personal_data_reveal_log(user=request.user, customer=customer, channel="page")
    context = {
        "customer": customer,
        "may_see": may_see,
        "mobile": national_mobile(customer.mobile) if reveal else mask_mobile(customer.mobile),
        "id_number": customer.id_number if reveal else mask_id_number(customer.id_number),
        "revealed": reveal,
        "can_edit": has_role(request.user, customer.store_id, CUSTOMER_EDITORS),
        "can_privacy": has_role(request.user, customer.store_id, PRIVACY_OFFICERS),
        **customer_ownership_context(request=request, customer=customer),
    }
    return render(request, "showroom/customers/detail.html", context)


@login_required
def customer_create_view(request):
    store = request.store
    if store is None or not has_role(request.user, store, CUSTOMER_EDITORS):
        raise PermissionDenied
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            customer = customer_create(user=request.user, store=store, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Customer %(name)s saved.") % {"name": customer.name})
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "showroom/customers/form.html",
        {"form": form, "title": _("New customer")},
        status=400 if form.errors else 200,
    )


@login_required
def customer_edit_view(request, pk):
    customer = customer_get(user=request.user, pk=pk)
    if not has_role(request.user, customer.store_id, CUSTOMER_EDITORS):
        raise PermissionDenied
    initial = {f: getattr(customer, f) for f in ("name", "mobile", "id_number", "gender", "source", "notes")}
    initial["mobile"] = national_mobile(customer.mobile)
    form = CustomerEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            customer = customer_update(user=request.user, customer=customer, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Customer %(name)s saved.") % {"name": customer.name})
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "showroom/customers/form.html",
        {"form": form, "title": _("Edit customer"), "customer": customer},
        status=400 if form.errors else 200,
    )
