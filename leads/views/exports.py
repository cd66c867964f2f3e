"""How the leads app's lists export (``showroom.exports``): all leads and my leads share one row,
the base customers (owners) have theirs. The views hand over the queryset they show."""

from django.utils.translation import gettext as _

from showroom.exports import ListExport, register_list_export
from showroom.validators import mask_mobile


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def lead_headers() -> list:
    return [
        _("Number"),
        _("Customer"),
        _("Mobile"),
        _("Consultant"),
        _("Source"),
        _("Vehicle of interest"),
        _("Grade"),
        _("State"),
        _("Budget"),
        _("Purchase timeline"),
        _("Created at"),
        _("Last contact"),
        _("Next follow-up"),
    ]


def lead_row(lead) -> list:
    return [
        lead.pk,
        lead.customer.name,
        mask_mobile(lead.customer.mobile),
        _person(lead.consultant),
        lead.get_source_display(),
        str(lead.vehicle_model) if lead.vehicle_model_id else "",
        lead.grade,
        lead.get_state_display(),
        lead.budget,
        lead.get_purchase_timeline_display(),
        lead.created_at,
        lead.last_contact_at,
        lead.next_followup_at,
    ]


def owner_headers() -> list:
    return [
        _("Customer"),
        _("Mobile"),
        _("Model"),
        _("Purchase date"),
        _("Last service"),
        _("Mileage (km)"),
        _("Replacement due"),
        _("Sold by"),
        _("Bought elsewhere"),
    ]


def owner_row(owner) -> list:
    return [
        owner.customer.name,
        mask_mobile(owner.customer.mobile),
        owner.model_text,
        owner.purchase_date,
        owner.last_service_date,
        owner.mileage_km,
        owner.replacement_due,
        _person(owner.sold_by),
        _("Yes") if owner.bought_elsewhere else "",
    ]


register_list_export(ListExport(code="leads.all", basename="leads", headers=lead_headers, row=lead_row))
register_list_export(ListExport(code="leads.mine", basename="my-leads", headers=lead_headers, row=lead_row))
register_list_export(ListExport(code="leads.owners", basename="owners", headers=owner_headers, row=owner_row))
