"""The global search: one box on every page finds customers, documents and whatever the apps
register, grouped by kind and limited to the user's stores.

Each kind is a ``SearchProvider`` in the registry (``register_search_provider``); the core
registers its own kinds here (customers, documents, and the VIN slot), apps register theirs in
``ready()`` (the leads app: leads by customer and trade-in plate). Every provider costs one query
whatever the number of records; on PostgreSQL the ``LIKE '%…%'`` lookups use the trigram indexes
of migration 0007 (``bench/search.py`` measures them), on SQLite they scan. A name query of two
characters matches the start of names (``search_name_q``).
"""

import re

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from showroom.models import Customer, Document, Visit
from showroom.permissions import store_ids_for
from showroom.registry import SearchHit, SearchProvider, register_search_provider, search_providers
from showroom.roles import PERSONAL_DATA_ROLES
from showroom.selectors.documents import document_type_label
from showroom.validators import mask_mobile

MIN_QUERY_LENGTH = 2
MIN_MOBILE_DIGITS = 4
MIN_PLATE_LENGTH = 3
MIN_CONTAINS_LENGTH = 3  # a trigram: shorter "contains" patterns cannot use the trigram index

_PHONE_PUNCTUATION = re.compile(r"[\s\-+()]")
_PLATE_HINT = re.compile(r"[0-9A-Z]")
_ID_NUMBER_RE = re.compile(r"^[0-9]{4,17}[0-9X]?$")


def search_name_q(q: str, field: str = "name") -> Q:
    """Names containing ``q``; a two-character query (a surname and a given name, the usual
    Chinese full name) matches names starting with it instead: a pattern shorter than a trigram
    would scan every customer, a prefix uses the B-tree of migration 0007."""
    lookup = "icontains" if len(q) >= MIN_CONTAINS_LENGTH else "istartswith"
    return Q(**{f"{field}__{lookup}": q})


def search_mobile_digits(q: str) -> str:
    """The digits to look for in mobiles: the query when it is a (punctuated) number of at least
    four digits, else empty (a plate like 沪A12345 is not a phone number)."""
    compact = _PHONE_PUNCTUATION.sub("", q)
    if compact.startswith("86") and len(compact) == 13:
        compact = compact[2:]
    return compact if compact.isdigit() and len(compact) >= MIN_MOBILE_DIGITS else ""


def search_plate(q: str) -> str:
    """The query as plates are stored (upper case, no spaces or middle dot); empty when too short
    or when it has no Latin letter or digit (every plate has some; a Chinese name has none)."""
    plate = q.upper().replace(" ", "").replace("·", "")
    if len(plate) < MIN_PLATE_LENGTH or not _PLATE_HINT.search(plate):
        return ""
    return plate


def search_id_number(q: str) -> str:
    compact = q.upper().replace(" ", "")
    return compact if _ID_NUMBER_RE.match(compact) else ""


def customer_search_hit(customer: Customer) -> SearchHit:
    return SearchHit(
        kind="customers",
        label=customer.name,
        detail=f"{mask_mobile(customer.mobile)} · {customer.store.name}",
        url=reverse("customers:detail", args=[customer.pk]),
    )


def customer_search(*, user, q: str, store_ids: list[int], limit: int) -> list[SearchHit]:
    """Customers by name (contains; starts with for two characters), mobile (any four or more
    digits), resident ID number (only in the stores where the user may see personal data) and
    licence plate (a front-desk visit with that plate names the customer). One query, two when the
    query may be a plate."""
    condition = search_name_q(q)
    digits = search_mobile_digits(q)
    if digits:
        condition |= Q(mobile__contains=digits)
    id_number = search_id_number(q)
    if id_number:
        personal_stores = [pk for pk in store_ids_for(user, PERSONAL_DATA_ROLES) if pk in store_ids]
        if personal_stores:
            condition |= Q(id_number__contains=id_number, store_id__in=personal_stores)
    plate = search_plate(q)
    if plate:
        # A second query, so the first keeps to index scans (an OR with a sub-select would not).
        plate_customer_ids = list(
            Visit.objects.filter(store_id__in=store_ids, licence_plate__contains=plate, customer__isnull=False)
            .order_by()
            .values_list("customer_id", flat=True)
            .distinct()[: limit * 4]
        )
        if plate_customer_ids:
            condition |= Q(pk__in=plate_customer_ids)
    rows = Customer.objects.filter(condition, store_id__in=store_ids).select_related("store").order_by("name", "id")
    return [customer_search_hit(c) for c in rows[:limit]]


def document_search(*, user, q: str, store_ids: list[int], limit: int) -> list[SearchHit]:
    """Documents (quotes, orders, receipts, subscriptions…) by number: exact or prefix, the latest
    version of each number. One query."""
    number = q.strip().upper()
    rows = (
        Document.objects.filter(store_id__in=store_ids, number__istartswith=number)
        .select_related("store")
        .order_by("number", "-version", "-id")
    )
    hits: list[SearchHit] = []
    seen: set[str] = set()
    for document in rows[: limit * 3]:
        if document.number in seen:
            continue
        seen.add(document.number)
        hits.append(
            SearchHit(
                kind="documents",
                label=f"{document_type_label(document.doc_type)} {document.number}",
                detail=f"v{document.version} · {document.get_state_display()} · {document.store.name}",
                url=reverse("documents:download", args=[document.pk]),
            )
        )
        if len(hits) == limit:
            break
    return hits


def vin_search(*, user, q: str, store_ids: list[int], limit: int) -> list[SearchHit]:
    """The VIN slot: no model carries a VIN yet. The app that adds vehicles in stock (warehouse or
    orders) registers a provider under the kind "vins", which replaces this one."""
    return []


register_search_provider(SearchProvider(kind="customers", label=_("Customers"), func=customer_search, order=10))
register_search_provider(SearchProvider(kind="documents", label=_("Documents"), func=document_search, order=50))
register_search_provider(SearchProvider(kind="vins", label=_("Vehicles (VIN)"), func=vin_search, order=60))


def search_everything(*, user, q: str, limit_per_kind: int = 8) -> dict[str, list[SearchHit]]:
    """The hits of every registered provider for ``q`` among the user's stores, by kind in the
    providers' order; kinds without hits are left out. Empty for a query shorter than two
    characters or a user without stores."""
    q = (q or "").strip()
    if len(q) < MIN_QUERY_LENGTH:
        return {}
    store_ids = store_ids_for(user)
    if not store_ids:
        return {}
    results: dict[str, list[SearchHit]] = {}
    for provider in search_providers():
        hits = provider.func(user=user, q=q, store_ids=store_ids, limit=limit_per_kind)
        if hits:
            results[provider.kind] = list(hits)[:limit_per_kind]
    return results


def search_kind_labels() -> dict[str, str]:
    return {provider.kind: str(provider.label) for provider in search_providers()}
