"""Reactions to the core's front-desk events (connected in ``LeadsConfig.ready``).

Written against the signal's documented keyword arguments only: ``visit`` (with ``customer``,
``store_id``, ``consultant``, ``arrived_at``) and ``consultant``. The core sends them inside its
service's transaction, so a failure here rolls the front-desk step back with it.
"""

from showroom.signals import visit_assigned


def on_visit_assigned(sender, *, visit, consultant=None, **kwargs) -> None:
    """A walk-in handed to a consultant: the customer's open lead in the store moves on to visited,
    or a new lead opens for the consultant; an anonymous visit (no customer) changes nothing."""
    from leads.services import lead_from_visit

    customer = getattr(visit, "customer", None)
    if customer is None:
        return
    lead_from_visit(
        customer=customer,
        store_id=visit.store_id,
        consultant=consultant or getattr(visit, "consultant", None),
        arrived_at=getattr(visit, "arrived_at", None),
    )


def connect() -> None:
    visit_assigned.connect(on_visit_assigned, dispatch_uid="leads.visit_assigned")
