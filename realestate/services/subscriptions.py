"""Subscription (认购): one buyer wins a unit; slip, deposit, the manager's review (binding from
then), the agreement PDF, and the signing deadline (reminder on day 5, overdue on day 8)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.models import AgreementTemplate, PriceList, Receipt, SmallDeposit, Subscription, Unit
from realestate.models.units import SELLERS
from realestate.pricing import discounted, method_discount, permit_caps, price_list_current, unit_price
from realestate.selectors.agreements import agreement_template_current
from showroom import roles as r
from showroom.money import money, to_decimal
from showroom.services.documents import document_issue
from showroom.services.followups import notification_send
from showroom.services.transitions import TransitionConflict, transition_run

from ._common import UnitUnavailable, person, require_role
from .cashier import receipt_take
from .projects import project_require_sellable

AGREEMENT_DOC = "realestate.agreement"
SLIP_DOC = "realestate.slip"
REMIND_ON_DAY = 5


def unit_taken_message(unit: Unit) -> str:
    holder = person(unit.holder) if unit.holder_id else ""
    if holder:
        return _("Unit %(unit)s is no longer available: it is “%(state)s”, held by %(holder)s.") % {
            "unit": unit.label,
            "state": unit.get_state_display(),
            "holder": holder,
        }
    return _("Unit %(unit)s is no longer available: it is “%(state)s”.") % {
        "unit": unit.label,
        "state": unit.get_state_display(),
    }


def lock_timeout_seconds() -> float:
    return float(settings.SHOWROOM.get("REALESTATE_LOCK_TIMEOUT", 1.0))


@contextmanager
def bounded_lock_wait():
    """On an opening day many buyers choose at once: a unit row another buyer holds is waited on
    for at most the configured lock timeout, then answered with 409 (choose again). PostgreSQL
    only (``SET LOCAL lock_timeout``, reset once the lock is held); SQLite locks the whole
    database and has no such setting, so there it is a no-op."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {max(int(lock_timeout_seconds() * 1000), 1)}")
    yield
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")


def _is_lock_timeout(exc: OperationalError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "55P03" or getattr(cause, "pgcode", None) == "55P03"


def _lock_unit(unit_id: int) -> Unit:
    """The unit, locked. The holder is not joined: after waiting for the lock PostgreSQL returns
    the unit's new row but keeps the joined rows of the old one, so the holder is read afresh."""
    return Unit.objects.select_for_update(of=("self",)).select_related("building", "project").get(pk=unit_id)


def subscription_create(
    *, user, unit: Unit, customer, payment_method: str, deposit, now: dt.datetime | None = None
) -> Subscription:
    """The consultant takes the unit for the buyer. The unit row is locked: of two consultants at
    once one wins and the other gets a 409 naming who holds it. The price follows the price list
    in force and the payment method's standard discount, capped by the pre-sale permit."""
    require_role(user=user, store_id=unit.store_id, roles=SELLERS)
    errors: dict[str, list[str]] = {}
    if payment_method not in PriceList.Method.values:
        errors["payment_method"] = [_("Choose a payment method.")]
    try:
        deposit_value = money(to_decimal(deposit))
        if deposit_value <= 0:
            errors["deposit"] = [_("The deposit must be above zero.")]
    except (TypeError, ValueError):
        errors["deposit"] = [_("Not an amount.")]
        deposit_value = Decimal("0")
    if customer is None or customer.store_id != unit.store_id:
        errors["customer"] = [_("Choose a customer of this store.")]
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            with bounded_lock_wait():
                locked = _lock_unit(unit.pk)
            small = None
            if locked.state == Unit.State.SMALL_DEPOSIT:
                small = (
                    SmallDeposit.objects.select_for_update()
                    .filter(unit=locked, customer=customer)
                    .exclude(state__in=[SmallDeposit.State.CONVERTED, SmallDeposit.State.LAPSED])
                    .first()
                )
            if locked.state != Unit.State.AVAILABLE and small is None:
                raise UnitUnavailable(unit_taken_message(locked), state=locked.state)
            if locked.project.state != locked.project.State.OPEN:
                raise TransitionConflict(_("The project is not open for sale yet."), state=locked.project.state)
            project_require_sellable(project=locked.project, building_id=locked.building_id)
            price_list = price_list_current(project_id=locked.project_id, now=now)
            if price_list is None:
                raise TransitionConflict(_("No approved price list is in force for this project."))
            bases = {b.building_id: b.base_price_per_m2 for b in price_list.bases.all()}
            per_m2, list_total = unit_price(unit=locked, price_list=price_list, bases=bases)
            if list_total <= 0:
                raise TransitionConflict(_("The price list in force has no price for this building."))
            cap = permit_caps(project_id=locked.project_id).get(locked.building_id)
            if cap is not None and per_m2 > cap:
                raise TransitionConflict(
                    _("The list price %(price)s per m² is above the pre-sale permit's maximum %(cap)s.")
                    % {"price": per_m2, "cap": cap}
                )
            pct = method_discount(price_list=price_list, method=payment_method)
            total = discounted(total=list_total, discount_pct=pct)
            if deposit_value > total:
                raise ValidationError({"deposit": [_("The deposit cannot exceed the price.")]})

            def hold(obj):
                obj.holder = user

            transition_run(instance=locked, name="subscribe", user=user, before_save=hold)
            subscription = Subscription.objects.create(
                store_id=locked.store_id,
                project_id=locked.project_id,
                unit=locked,
                customer=customer,
                consultant=user,
                price_list=price_list,
                agreement_template=agreement_template_current(
                    project_id=locked.project_id, kind=AgreementTemplate.Kind.SUBSCRIPTION, now=now
                ),
                payment_method=payment_method,
                list_price_per_m2=per_m2,
                list_total=list_total,
                method_discount_pct=pct,
                total_price=total,
                deposit=deposit_value,
            )
            if small is not None:
                transition_run(instance=small, name="convert", user=user)
    except OperationalError as exc:
        if not _is_lock_timeout(exc):
            raise
        raise UnitUnavailable(
            _("Another buyer is taking unit %(unit)s right now; choose again or choose another unit.")
            % {"unit": unit.label},
            state="locked",
        ) from None
    except IntegrityError:
        # The partial unique index caught a second live subscription (a path without the lock).
        raise UnitUnavailable(unit_taken_message(_lock_unit(unit.pk)), state="subscribed") from None
    return subscription


@transaction.atomic
def subscription_issue_slip(*, user, subscription: Subscription) -> Subscription:
    """The sales assistant checks the unit and the conditions and issues the payment slip."""
    subscription = transition_run(instance=subscription, name="issue_slip", user=user)
    project_require_sellable(project=subscription.project, building_id=subscription.unit.building_id)
    if subscription.unit.state != Unit.State.SUBSCRIBED:
        raise TransitionConflict(unit_taken_message(subscription.unit))
    document_issue(doc_type=SLIP_DOC, target=subscription, store=subscription.store, user=user)
    return subscription


@transaction.atomic
def subscription_pay(*, user, subscription: Subscription) -> Subscription:
    """The cashier takes the deposit with a receipt."""
    subscription = transition_run(instance=subscription, name="pay", user=user)
    receipt_take(
        user=user,
        project=subscription.project,
        customer=subscription.customer,
        kind=Receipt.Kind.DEPOSIT,
        amount=subscription.deposit,
        subscription=subscription,
    )
    return subscription


@transaction.atomic
def subscription_approve(*, user, subscription: Subscription, now: dt.datetime | None = None) -> Subscription:
    """The sales manager reviews the unit and the agreement: the subscription binds from now, the
    agreement PDF is issued (SA), and the contract is due within the project's days."""
    now = now or timezone.now()

    def stamp(obj):
        obj.approved_at = now
        obj.sign_due_on = timezone.localtime(now).date() + dt.timedelta(days=obj.project.sign_within_days)

    subscription = transition_run(instance=subscription, name="approve", user=user, before_save=stamp)
    document = document_issue(doc_type=AGREEMENT_DOC, target=subscription, store=subscription.store, user=user)
    subscription.number = document.number
    subscription.save(update_fields=["number"])
    return subscription


@transaction.atomic
def subscription_cancel(*, user, subscription: Subscription, reason: str) -> Subscription:
    """Before the review a subscription can be cancelled; the unit is free again. (After the review
    a cancellation needs the marketing director's approval: part 2.)"""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason.")]})

    def note(obj):
        obj.cancel_reason = reason.strip()[:200]

    subscription = transition_run(instance=subscription, name="cancel", user=user, note=reason, before_save=note)
    unit = _lock_unit(subscription.unit_id)
    if unit.state == Unit.State.SUBSCRIBED:

        def free(obj):
            obj.holder = None

        transition_run(instance=unit, name="free", user=user, before_save=free)
    return subscription


def _managers(store_id: int):
    return (
        get_user_model()
        .objects.filter(
            memberships__store_id=store_id, memberships__role__code=r.SALES_MANAGER, memberships__is_active=True
        )
        .distinct()
    )


def signing_deadlines_job(*, store, day: dt.date) -> None:
    """Per-store job: on day 5 after the review the consultant is reminded that the contract is
    due; from day 8 (the contract not signed within 7 days) the subscription is flagged overdue
    and the consultant and the sales managers are told."""
    now = timezone.now()
    live = Subscription.objects.filter(store=store, state=Subscription.State.APPROVED).select_related(
        "unit__building", "customer", "consultant"
    )
    managers = list(_managers(store.pk))
    for sub in live.filter(reminded_at__isnull=True):
        approved_day = timezone.localtime(sub.approved_at).date()
        if (day - approved_day).days >= REMIND_ON_DAY:
            notification_send(
                user=sub.consultant,
                key=f"realestate.sign_reminder.{sub.pk}",
                title=_("Contract due by %(day)s: %(unit)s") % {"day": sub.sign_due_on, "unit": sub.unit.label},
                body=_("%(buyer)s must sign the formal contract by %(day)s.")
                % {"buyer": sub.customer.name, "day": sub.sign_due_on},
                url=reverse("realestate:subscription", args=[sub.pk]),
            )
            Subscription.objects.filter(pk=sub.pk).update(reminded_at=now)
    for sub in live.filter(overdue_at__isnull=True, sign_due_on__lt=day):
        Subscription.objects.filter(pk=sub.pk).update(overdue_at=now)
        for user in [sub.consultant, *managers]:
            notification_send(
                user=user,
                key=f"realestate.sign_overdue.{sub.pk}",
                title=_("Contract overdue: %(unit)s") % {"unit": sub.unit.label},
                body=_("%(buyer)s did not sign by %(day)s; a delay needs an approval.")
                % {"buyer": sub.customer.name, "day": sub.sign_due_on},
                url=reverse("realestate:subscription", args=[sub.pk]),
            )
