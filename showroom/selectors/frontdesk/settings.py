"""The store's front-desk settings and its list of visit sources."""

from __future__ import annotations

from django.db.models import Q

from showroom.models import FrontDeskSettings, Store, VisitSource
from showroom.selectors.frontdesk.common import db_id

# --- settings and sources ----------------------------------------------------------------------


def frontdesk_settings_get(*, store: Store) -> FrontDeskSettings:
    """The store's settings, or the defaults (an unsaved row) when it has none (one query)."""
    found = FrontDeskSettings.objects.filter(store_id=store.pk).first()
    return found if found is not None else FrontDeskSettings(store=store)


def visit_sources_for(*, store: Store | int) -> list[VisitSource]:
    """The store's list of sources: the defaults, replaced by the store's own row of the same code,
    active ones only, in order (one query)."""
    store_id = store if isinstance(store, int) else store.pk
    rows = VisitSource.objects.filter(Q(store__isnull=True) | Q(store_id=store_id)).order_by("order", "code", "id")
    by_code: dict[str, VisitSource] = {}
    for source in rows:
        current = by_code.get(source.code)
        if current is None or (current.store_id is None and source.store_id is not None):
            by_code[source.code] = source
    return sorted((s for s in by_code.values() if s.is_active), key=lambda s: (s.order, s.code))


def visit_source_for(*, store: Store | int, value) -> VisitSource | None:
    """A source of the store's list by id or code; None when it is not on the list."""
    wanted_id = db_id(value) if not isinstance(value, VisitSource) else value.pk
    for source in visit_sources_for(store=store):
        if source.pk == wanted_id or (isinstance(value, str) and source.code == value):
            return source
    return None
