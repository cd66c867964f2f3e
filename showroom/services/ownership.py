"""Who owns a customer: the consultant who first registered them, for a protection period that
each recorded contact renews. The record settles disputes: a colleague who wants the customer asks
a manager (an approval), a lapsed customer returns to the pool for a manager to reassign.

"Live" ownership is ``owner`` with ``owned_until`` in the future; the nightly lapse job clears
the rest so lists and reports read the columns as they are.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.models import ApprovalRequest, Customer, OwnershipEvent, Store
from showroom.permissions import has_role
from showroom.selectors.customers import (
    OWNERSHIP_MANAGERS,
    customer_owner_live,
    ownership_days,
    transfer_kind_for,
)
from showroom.selectors.frontdesk import user_label
from showroom.services.approvals import approval_request_create
from showroom.services.followups import notification_send
from showroom.services.transitions import TransitionConflict


def _lock(customer: Customer) -> Customer:
    return Customer.objects.select_for_update(of=("self",)).select_related("owner").get(pk=customer.pk)


def _protect_until(*, store_id: int, at: dt.datetime) -> dt.datetime:
    return at + dt.timedelta(days=ownership_days(store_id=store_id))


def _set_owner(customer: Customer, *, owner, at: dt.datetime) -> None:
    customer.owner = owner
    customer.owned_until = _protect_until(store_id=customer.store_id, at=at) if owner is not None else None
    customer.save(update_fields=["owner", "owned_until", "updated_at"])


def _is_consultant(user, store_id: int) -> bool:
    return user is not None and has_role(user, store_id, r.CONSULTANT)


def customer_owner_claim(*, customer: Customer, consultant, by=None, now: dt.datetime | None = None) -> bool:
    """``consultant`` becomes the owner when nobody owns the customer now (the first consultant to
    register or take them). Returns whether he owns them afterwards. Callers hold the transaction."""
    now = now or timezone.now()
    if not _is_consultant(consultant, customer.store_id):
        return False
    locked = _lock(customer)
    live = customer_owner_live(customer=locked, now=now)
    if live is not None:
        return live.pk == consultant.pk
    _set_owner(locked, owner=consultant, at=now)
    OwnershipEvent.objects.create(customer=locked, kind=OwnershipEvent.Kind.CLAIMED, to_user=consultant, by=by, at=now)
    customer.owner, customer.owned_until = locked.owner, locked.owned_until
    return True


def customer_contact_record(*, customer: Customer | int, by=None, at: dt.datetime | None = None) -> None:
    """A recorded contact (a visit, a call, a lead's contact): it renews a live protection period,
    and a customer nobody owns is claimed by the consultant who made the contact."""
    at = at or timezone.now()
    customer_id = customer if isinstance(customer, int) else customer.pk
    locked = _lock(Customer(pk=customer_id))
    update = ["last_contact_at", "updated_at"]
    if locked.last_contact_at is None or at > locked.last_contact_at:
        locked.last_contact_at = at
    if customer_owner_live(customer=locked, now=at) is not None:
        locked.owned_until = max(locked.owned_until, _protect_until(store_id=locked.store_id, at=at))
        update.append("owned_until")
    locked.save(update_fields=update)
    if not isinstance(customer, int):
        customer.last_contact_at, customer.owned_until = locked.last_contact_at, locked.owned_until
    if by is not None and customer_owner_live(customer=locked, now=at) is None:
        customer_owner_claim(customer=locked, consultant=by, by=by, now=at)


def customer_stand_in_record(*, customer: Customer, stand_in, by, visit_id: int | None = None) -> None:
    """The owner is away and a colleague serves the customer: recorded, and the owner is told.
    Ownership stays with the owner."""
    owner = customer_owner_live(customer=customer)
    if owner is None or owner.pk == stand_in.pk:
        return
    OwnershipEvent.objects.create(
        customer=customer, kind=OwnershipEvent.Kind.STAND_IN, from_user=owner, to_user=stand_in, by=by
    )
    url = reverse("customers:detail", args=[customer.pk])
    transaction.on_commit(
        lambda: notification_send(
            user=owner,
            key=f"customers.stand_in:{customer.pk}:{visit_id or timezone.now().timestamp()}",
            title=_("%(customer)s came in while you were away") % {"customer": customer.name},
            body=_("%(stand_in)s is looking after your customer %(customer)s.")
            % {"stand_in": user_label(stand_in), "customer": customer.name},
            url=url,
        )
    )


@transaction.atomic
def customer_owner_assign(*, customer: Customer, user, consultant, reason: str) -> Customer:
    """A manager gives a customer to a consultant: a pool customer after the protection lapsed,
    or (with a reason) a customer someone else owns."""
    if not has_role(user, customer.store_id, OWNERSHIP_MANAGERS):
        raise PermissionDenied(_("Only a manager of this store may reassign customers."))
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not _is_consultant(consultant, customer.store_id):
        errors["consultant"] = [_("Choose a consultant of this store.")]
    if not reason:
        errors["reason"] = [_("Say why the customer is reassigned.")]
    if errors:
        raise ValidationError(errors)
    locked = _lock(customer)
    now = timezone.now()
    previous = customer_owner_live(customer=locked, now=now)
    if previous is not None and previous.pk == consultant.pk:
        raise TransitionConflict(_("%(name)s already owns this customer.") % {"name": user_label(consultant)})
    _set_owner(locked, owner=consultant, at=now)
    OwnershipEvent.objects.create(
        customer=locked,
        kind=OwnershipEvent.Kind.REASSIGNED,
        from_user=previous,
        to_user=consultant,
        by=user,
        note=reason,
        at=now,
    )
    _tell_owners(customer=locked, previous=previous, new=consultant, key=f"reassigned:{now.timestamp()}")
    return locked


def _tell_owners(*, customer: Customer, previous, new, key: str) -> None:
    url = reverse("customers:detail", args=[customer.pk])

    def send() -> None:
        notification_send(
            user=new,
            key=f"customers.owner:{customer.pk}:{key}",
            title=_("%(customer)s is now your customer") % {"customer": customer.name},
            body=_("You own this customer for the store's protection period, renewed by each contact."),
            url=url,
        )
        if previous is not None:
            notification_send(
                user=previous,
                key=f"customers.owner_lost:{customer.pk}:{key}",
                title=_("%(customer)s now belongs to %(name)s") % {"customer": customer.name, "name": user_label(new)},
                body=_("Ownership of your customer was transferred."),
                url=url,
            )

    transaction.on_commit(send)


@transaction.atomic
def customer_transfer_request(*, customer: Customer, user, reason: str) -> ApprovalRequest:
    """A consultant asks for a customer a colleague owns. Decided by the showroom manager (in a
    property store, the sales manager); on approval the requester owns the customer."""
    if not _is_consultant(user, customer.store_id):
        raise PermissionDenied(_("Only a consultant of this store may ask for a customer."))
    locked = _lock(customer)
    owner = customer_owner_live(customer=locked)
    if owner is None:
        raise TransitionConflict(_("Nobody owns this customer now: open a lead and the customer is yours."))
    if owner.pk == user.pk:
        raise TransitionConflict(_("You already own this customer."))
    kind = transfer_kind_for(store=locked.store)
    pending = ApprovalRequest.objects.filter(
        kind=kind, object_id=locked.pk, requester=user, state=ApprovalRequest.State.PENDING
    ).exists()
    if pending:
        raise TransitionConflict(_("You already asked for this customer; the request is waiting for a manager."))
    return approval_request_create(
        target=locked,
        kind=kind,
        store=locked.store,
        requester=user,
        reason=reason,
        payload={"from_user": owner.pk, "from_name": user_label(owner)},
    )


def customer_transfer_approved(*, request: ApprovalRequest) -> None:
    """Approval handler: the requester owns the customer from now (inside the approval's
    transaction, so a failure rolls the approval back)."""
    locked = _lock(Customer(pk=request.object_id))
    now = timezone.now()
    previous = locked.owner if customer_owner_live(customer=locked, now=now) is not None else None
    decision = request.decisions.order_by("-decided_at", "-id").first()
    _set_owner(locked, owner=request.requester, at=now)
    OwnershipEvent.objects.create(
        customer=locked,
        kind=OwnershipEvent.Kind.TRANSFERRED,
        from_user=previous,
        to_user=request.requester,
        by=decision.decider if decision is not None else None,
        note=request.reason,
        at=now,
    )
    _tell_owners(customer=locked, previous=previous, new=request.requester, key=f"transfer:{request.pk}")


def customers_ownership_lapse(*, store: Store, now: dt.datetime | None = None) -> int:
    """Return every customer whose protection ran out without contact to the store's pool (the
    per-store nightly job; safe to run twice). The former owners are told, one notice each."""
    now = now or timezone.now()
    lapsed: dict[int, list[Customer]] = {}
    with transaction.atomic():
        expired = list(
            Customer.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner")
            .filter(store=store, owner__isnull=False, owned_until__lte=now)
            .order_by("pk")
        )
        events = []
        for customer in expired:
            lapsed.setdefault(customer.owner_id, []).append(customer)
            events.append(
                OwnershipEvent(
                    customer=customer, kind=OwnershipEvent.Kind.LAPSED, from_user_id=customer.owner_id, at=now
                )
            )
        Customer.objects.filter(pk__in=[c.pk for c in expired]).update(owner=None, owned_until=None, updated_at=now)
        OwnershipEvent.objects.bulk_create(events)
        day = timezone.localdate(now).isoformat()
        for customers in lapsed.values():
            owner = customers[0].owner
            names = ", ".join(c.name for c in customers[:5]) + ("…" if len(customers) > 5 else "")
            notification_send(
                user=owner,
                key=f"customers.lapsed:{store.pk}:{day}",
                title=_("%(count)s of your customers returned to the pool") % {"count": len(customers)},
                body=_("No contact within the protection period: %(names)s. A manager may reassign them.")
                % {"names": names},
                url=reverse("customers:list") + "?ownership=pool",
            )
    return len(expired)


def customers_ownership_lapse_job(*, store: Store, day: dt.date) -> None:
    customers_ownership_lapse(store=store)


__all__ = [
    "customer_contact_record",
    "customer_owner_assign",
    "customer_owner_claim",
    "customer_stand_in_record",
    "customer_transfer_approved",
    "customer_transfer_request",
    "customers_ownership_lapse",
    "customers_ownership_lapse_job",
]
