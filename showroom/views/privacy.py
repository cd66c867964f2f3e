"""A customer's data on request: export (JSON or XLSX) and erasure. Rules live in
showroom.services.privacy; these views parse, call one service and answer."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from showroom.permissions import has_role
from showroom.selectors.customers import customer_get
from showroom.services.privacy import (
    PRIVACY_OFFICERS,
    customer_data_export,
    customer_data_xlsx,
    customer_erase,
    customer_open_records,
    customer_pseudonym,
)
from showroom.services.transitions import TransitionConflict


@login_required
def customer_export_view(request, pk, fmt):
    customer = customer_get(user=request.user, pk=pk)
    if fmt not in ("json", "xlsx"):
        raise Http404
    data = customer_data_export(user=request.user, customer=customer)
    basename = f"customer-{customer_pseudonym(customer=customer)}"
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=1, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(
            customer_data_xlsx(data=data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
    return response


@login_required
def customer_erase_view(request, pk):
    customer = customer_get(user=request.user, pk=pk)
    if not has_role(request.user, customer.store_id, PRIVACY_OFFICERS):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        try:
            pseudonym = customer_erase(user=request.user, customer=customer, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        except TransitionConflict as exc:
            messages.error(request, exc.message)
            status = 409
        else:
            messages.success(
                request, _("The customer's personal data was erased; records now read %(ref)s.") % {"ref": pseudonym}
            )
            return redirect("customers:detail", pk=customer.pk)
    context = {"customer": customer, "open_records": customer_open_records(customer=customer)}
    return render(request, "showroom/customers/erase.html", context, status=status)
