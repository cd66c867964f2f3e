"""Customers that may be one person entered twice, for a manager to merge or dismiss.

The mobile number cannot repeat in a store (a database constraint), so what slips in is a
mistyped number: the same name with a similar number, the same resident ID number, or two
customers arriving in one car (the same licence plate on their visits). Each rule is one grouped
query over the store's rows, so the page costs the same few queries at any size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from showroom.models import Customer, DuplicateDismissal, Visit
from showroom.permissions import store_ids_for
from showroom.selectors.customers import OWNERSHIP_MANAGERS
from showroom.validators import national_mobile

REASON_LABELS = {
    "name_mobile": _("Same name, similar mobile number"),
    "id_number": _("Same resident ID number"),
    "plate": _("Same licence plate"),
}
MAX_GROUP = 20  # a name shared by more customers than this is a common name, not a duplicate


@dataclass
class DuplicatePair:
    first: Customer
    second: Customer
    reasons: list[str] = field(default_factory=list)

    @property
    def customers(self) -> tuple[Customer, Customer]:
        return self.first, self.second

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[code]) for code in self.reasons]


def mobiles_similar(a: str, b: str) -> bool:
    """One or two digits differ (a slip of the finger, or two neighbouring digits swapped)."""
    a, b = national_mobile(a), national_mobile(b)
    if len(a) != len(b):
        return False
    return 1 <= sum(x != y for x, y in zip(a, b, strict=True)) <= 2


def _pairs_by(groups: dict, reason: str, found: dict, accept=None) -> None:
    for ids in groups.values():
        ids = sorted(set(ids))
        if len(ids) < 2 or len(ids) > MAX_GROUP:
            continue
        for first, second in combinations(ids, 2):
            if accept is not None and not accept(first, second):
                continue
            found.setdefault((first, second), set()).add(reason)


def customer_duplicates(*, user, store_id: int | None = None, limit: int = 200) -> list[DuplicatePair]:
    """Likely duplicates in the stores where the user manages customers (six queries)."""
    stores = store_ids_for(user, OWNERSHIP_MANAGERS)
    if store_id is not None:
        stores = [s for s in stores if s == store_id]
    if not stores:
        return []
    customers = Customer.objects.filter(store_id__in=stores)
    found: dict[tuple[int, int], set[str]] = {}

    # 1. same name, similar number
    shared_names = (
        customers.values("store_id", "name").annotate(n=Count("id")).filter(n__gt=1, n__lte=MAX_GROUP).values("name")
    )
    rows = list(customers.filter(name__in=shared_names).values_list("id", "store_id", "name", "mobile"))
    mobile_of = {pk: mobile for pk, _store, _name, mobile in rows}
    by_name: dict = defaultdict(list)
    for pk, store, name, _mobile in rows:
        by_name[(store, name)].append(pk)
    _pairs_by(by_name, "name_mobile", found, accept=lambda a, b: mobiles_similar(mobile_of[a], mobile_of[b]))

    # 2. same resident ID number
    shared_ids = (
        customers.exclude(id_number="").values("store_id", "id_number").annotate(n=Count("id")).filter(n__gt=1)
    ).values("id_number")
    by_id: dict = defaultdict(list)
    for pk, store, number in customers.filter(id_number__in=shared_ids).values_list("id", "store_id", "id_number"):
        by_id[(store, number)].append(pk)
    _pairs_by(by_id, "id_number", found)

    # 3. the same car brought by different customers
    visits = Visit.objects.filter(store_id__in=stores, customer__isnull=False).exclude(licence_plate="")
    shared_plates = (
        visits.values("store_id", "licence_plate")
        .annotate(n=Count("customer_id", distinct=True))
        .filter(n__gt=1)
        .values("licence_plate")
    )
    by_plate: dict = defaultdict(list)
    for store, plate, customer in visits.filter(licence_plate__in=shared_plates).values_list(
        "store_id", "licence_plate", "customer_id"
    ):
        by_plate[(store, plate)].append(customer)
    _pairs_by(by_plate, "plate", found)

    if not found:
        return []
    dismissed = set(DuplicateDismissal.objects.filter(store_id__in=stores).values_list("first_id", "second_id"))
    keys = sorted((k for k in found if k not in dismissed), reverse=True)[:limit]
    wanted = {pk for key in keys for pk in key}
    loaded = Customer.objects.select_related("store", "owner").in_bulk(wanted)
    return [
        DuplicatePair(first=loaded[a], second=loaded[b], reasons=sorted(found[(a, b)]))
        for a, b in keys
        if a in loaded and b in loaded
    ]
