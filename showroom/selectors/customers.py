import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from showroom import roles as r
from showroom.models import Customer, CustomerMerge, FrontDeskSettings, OwnershipEvent, Store
from showroom.permissions import has_role
from showroom.roles import PERSONAL_DATA_ROLES
from showroom.selectors.stores import scope_to_user_stores
from showroom.validators import normalize_mobile

OWNERSHIP_FILTERS = ("mine", "owned", "pool")


def customer_list(*, user, store_id: int | None = None, search: str = "", ownership: str = "") -> QuerySet[Customer]:
    """The customers of the user's stores; ``ownership``: ``mine`` (owned by the user now),
    ``owned`` (by anyone now) or ``pool`` (nobody, or the protection lapsed)."""
    qs = scope_to_user_stores(Customer.objects.select_related("store", "owner"), user=user)
    if store_id:
        qs = qs.filter(store_id=store_id)
    now = timezone.now()
    if ownership == "mine":
        qs = qs.filter(owner_id=user.pk, owned_until__gt=now)
    elif ownership == "owned":
        qs = qs.filter(owner__isnull=False, owned_until__gt=now)
    elif ownership == "pool":
        qs = qs.filter(Q(owner__isnull=True) | Q(owned_until__lte=now) | Q(owned_until__isnull=True))
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


# --- identity and ownership --------------------------------------------------------------------

#: Who reassigns pool customers, merges duplicates and sees the duplicates list.
OWNERSHIP_MANAGERS = frozenset(
    {r.SHOWROOM_MANAGER, r.SALES_SUPERVISOR, r.SALES_MANAGER, r.MARKETING_DIRECTOR, r.GENERAL_MANAGER}
)
TRANSFER_KIND = "customers.ownership_transfer"
TRANSFER_KIND_PROPERTY = "customers.ownership_transfer_property"


def transfer_kind_for(*, store: Store) -> str:
    """The approval kind of an ownership transfer: decided by the showroom manager, and in a
    property store (which has none) by the sales manager."""
    return TRANSFER_KIND_PROPERTY if store.kind == Store.Kind.PROPERTY_SITE else TRANSFER_KIND


def ownership_days(*, store_id: int) -> int:
    days = FrontDeskSettings.objects.filter(store_id=store_id).values_list("ownership_days", flat=True).first()
    return days or FrontDeskSettings._meta.get_field("ownership_days").default


def customer_owner_live(*, customer: Customer, now: dt.datetime | None = None):
    """The consultant who owns the customer now, or None (nobody, or the protection lapsed)."""
    if customer.owner_id is None or customer.owned_until is None:
        return None
    if customer.owned_until <= (now or timezone.now()):
        return None
    return customer.owner


def customer_find_by_mobile(*, store: Store | int, mobile: str) -> Customer | None:
    """The store's customer with this number, however it was typed (one query; None for an
    unknown or invalid number). Every place that takes a number looks here first."""
    try:
        number = normalize_mobile(mobile)
    except ValidationError:
        return None
    store_id = store if isinstance(store, int) else store.pk
    return Customer.objects.select_related("owner").filter(store_id=store_id, mobile=number).first()


def ownership_events(*, customer: Customer) -> QuerySet[OwnershipEvent]:
    return customer.ownership_events.select_related("from_user", "to_user", "by").order_by("-at", "-id")


def customer_merges(*, customer: Customer) -> QuerySet[CustomerMerge]:
    return customer.merges.select_related("by").order_by("-at", "-id")
