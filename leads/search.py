"""The leads' kind of the global search: leads by their customer's name or mobile digits, and by
the plate of a trade-in appraisal. Registered when ``LeadsConfig.ready()`` imports this module."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leads.models import AppraisalRequest, Lead
from showroom.registry import SearchHit, SearchProvider, register_search_provider
from showroom.selectors.search import search_mobile_digits, search_name_q, search_plate
from showroom.validators import mask_mobile


def lead_search(*, user, q: str, store_ids: list[int], limit: int) -> list[SearchHit]:
    """One query, two when the query may be a plate (the appraisals' lead ids first)."""
    condition = search_name_q(q, "customer__name")
    digits = search_mobile_digits(q)
    if digits:
        condition |= Q(customer__mobile__contains=digits)
    plate = search_plate(q)
    if plate:
        lead_ids = list(
            AppraisalRequest.objects.filter(store_id__in=store_ids, licence_plate__contains=plate)
            .order_by()
            .values_list("lead_id", flat=True)
            .distinct()[: limit * 4]
        )
        if lead_ids:
            condition |= Q(pk__in=lead_ids)
    rows = (
        Lead.objects.filter(condition, store_id__in=store_ids)
        .select_related("customer", "store", "consultant", "vehicle_model")
        .order_by("-created_at", "-id")
    )
    return [
        SearchHit(
            kind="leads",
            label=" · ".join([lead.customer.name, lead.vehicle_model.name if lead.vehicle_model else str(_("Lead"))]),
            detail=" · ".join(
                [
                    mask_mobile(lead.customer.mobile),
                    str(lead.get_state_display()),
                    lead.consultant.get_full_name() or lead.consultant.get_username(),
                    lead.store.name,
                ]
            ),
            url=reverse("leads:detail", args=[lead.pk]),
        )
        for lead in rows[:limit]
    ]


register_search_provider(SearchProvider(kind="leads", label=_("Leads"), func=lead_search, order=20))
