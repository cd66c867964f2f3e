"""Set-up edit pages (the sales manager): a unit's surveyed areas, layout and orientation while it
is available, and the project's rates. A refused edit shows the form again with field errors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from realestate import selectors, services
from realestate.models import Unit
from realestate.services.setup_edit import RATE_FIELDS
from showroom import roles as r
from showroom.permissions import has_role
from showroom.services.transitions import TransitionConflict

RATE_LABELS = {
    "deed_tax_rate": (gettext_lazy("Deed tax %"), "decimal"),
    "maintenance_fund_rate": (gettext_lazy("Maintenance fund %"), "decimal"),
    "registration_fee": (gettext_lazy("Registration fee (¥)"), "decimal"),
    "small_deposit_limit": (gettext_lazy("Small deposit below (¥)"), "decimal"),
    "small_deposit_days": (gettext_lazy("Small deposit held for days"), "numeric"),
    "sign_within_days": (gettext_lazy("Sign the contract within days"), "numeric"),
}
UNIT_LABELS = {
    "built_area": (gettext_lazy("Built-up area m²"), "decimal"),
    "inner_area": (gettext_lazy("Inner area m²"), "decimal"),
    "layout": (gettext_lazy("Layout"), "text"),
}


def _fields(labels: dict, values: dict, errors: dict) -> list[dict]:
    return [
        {"name": name, "label": label, "mode": mode, "value": values.get(name, ""), "errors": errors.get(name, [])}
        for name, (label, mode) in labels.items()
    ]


def _require_manager(user, store_id: int) -> None:
    if not has_role(user, store_id, r.SALES_MANAGER):
        raise PermissionDenied


@login_required
def project_rates(request, project_id: int):
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    _require_manager(request.user, project.store_id)
    values = {name: getattr(project, name) for name in RATE_FIELDS}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in RATE_FIELDS}
        try:
            services.project_rates_update(user=request.user, project=project, **values)
        except ValidationError as exc:
            errors, status = exc.message_dict, 400
        else:
            messages.success(request, _("The project's rates are saved."))
            return redirect("realestate:setup", project.pk)
    context = {"project": project, "fields": _fields(RATE_LABELS, values, errors), "errors": errors}
    return render(request, "realestate/project_rates.html", context, status=status)


@login_required
def unit_edit(request, unit_id: int):
    unit = selectors.unit_get_for_user(user=request.user, unit_id=unit_id)
    _require_manager(request.user, unit.store_id)
    names = ("built_area", "inner_area", "layout", "orientation")
    values = {name: getattr(unit, name) for name in names}
    errors: dict[str, list[str]] = {}
    refusal = ""
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in names}
        try:
            services.unit_survey_update(user=request.user, unit=unit, **values)
        except ValidationError as exc:
            errors, status = exc.message_dict, 400
        except TransitionConflict as exc:
            refusal, status = exc.message, 409
        else:
            messages.success(request, _("Unit %(unit)s updated.") % {"unit": unit.label})
            return redirect("realestate:grid", unit.project_id)
    context = {
        "unit": unit,
        "fields": _fields(UNIT_LABELS, values, errors),
        "orientation": values["orientation"],
        "orientation_errors": errors.get("orientation", []),
        "orientations": Unit.Orientation.choices,
        "editable": unit.state == Unit.State.AVAILABLE,
        "refusal": refusal,
    }
    return render(request, "realestate/unit_edit.html", context, status=status)
