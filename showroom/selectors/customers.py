from django.db.models import Q, QuerySet
from django.http import Http404

from showroom.models import Customer
from showroom.permissions import has_role
from showroom.roles import PERSONAL_DATA_ROLES
from showroom.selectors.stores import scope_to_user_stores


def customer_list(*, user, store_id: int | None = None, search: str = "") -> QuerySet[Customer]:
    qs = scope_to_user_stores(Customer.objects.select_related("store"), user=user)
    if store_id:
        qs = qs.filter(store_id=store_id)
    search = (search or "").strip()
    if search:
        digits = "".join(ch for ch in search if ch.isdigit())
        condition = Q(name__icontains=search)
        if len(digits) >= 4:
            condition |= Q(mobile__contains=digits)
        qs = qs.filter(condition)
    return qs.order_by("-created_at", "-id")


def customer_get(*, user, pk) -> Customer:
    try:
        return customer_list(user=user).get(pk=int(pk))
    except (Customer.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def customer_personal_data_visible(*, user, customer: Customer) -> bool:
    return has_role(user, customer.store_id, PERSONAL_DATA_ROLES)
