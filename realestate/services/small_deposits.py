"""The small deposit (小订, 篇7 3): below the project's limit. The consultant applies (the unit shows
"small deposit" at once), the sales assistant records it, the sales manager reviews it, the
cashier takes the money with a receipt. After the project's days the unit returns to available
unless a subscription followed (``subscription_create`` converts it)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.models import Receipt, SmallDeposit, Unit
from realestate.models.units import SELLERS
from showroom.money import format_cny
from showroom.services.followups import notification_send
from showroom.services.transitions import TransitionConflict, transition_run

from ._common import UnitUnavailable, require_role
from .cashier import receipt_take
from .projects import project_require_sellable
from .subscriptions import _lock_unit, unit_taken_message
from .vip import _amount

OPEN_STATES = (
    SmallDeposit.State.APPLIED,
    SmallDeposit.State.RECORDED,
    SmallDeposit.State.REVIEWED,
    SmallDeposit.State.PAID,
)


def small_deposit_apply(*, user, unit: Unit, customer, amount) -> SmallDeposit:
    """The consultant applies for a small deposit on an available unit: below the project's limit;
    the unit is taken at once (the same race rule as a subscription: one buyer wins)."""
    require_role(user=user, store_id=unit.store_id, roles=SELLERS)
    errors: dict[str, list[str]] = {}
    try:
        value = _amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        value = None
    if customer is None or customer.store_id != unit.store_id:
        errors["customer"] = [_("Choose a customer of this store.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock_unit(unit.pk)
        project = locked.project
        if value >= project.small_deposit_limit:
            raise ValidationError(
                {
                    "amount": [
                        _("A small deposit is below %(limit)s; take a subscription instead.")
                        % {"limit": format_cny(project.small_deposit_limit)}
                    ]
                }
            )
        if locked.state != Unit.State.AVAILABLE:
            raise UnitUnavailable(unit_taken_message(locked), state=locked.state)
        if project.state != project.State.OPEN:
            raise TransitionConflict(_("The project is not open for sale yet."), state=project.state)
        project_require_sellable(project=project, building_id=locked.building_id)

        def hold(obj):
            obj.holder = user

        transition_run(instance=locked, name="take_small_deposit", user=user, before_save=hold)
        return SmallDeposit.objects.create(
            store_id=locked.store_id,
            project=project,
            unit=locked,
            customer=customer,
            consultant=user,
            amount=value,
            expires_on=timezone.localdate() + dt.timedelta(days=project.small_deposit_days),
        )


@transaction.atomic
def small_deposit_record(*, user, deposit: SmallDeposit, note: str = "") -> SmallDeposit:
    """The sales assistant records the small deposit and issues the payment voucher."""
    return transition_run(instance=deposit, name="record", user=user, note=note)


@transaction.atomic
def small_deposit_review(*, user, deposit: SmallDeposit, note: str = "") -> SmallDeposit:
    return transition_run(instance=deposit, name="review", user=user, note=note)


@transaction.atomic
def small_deposit_pay(*, user, deposit: SmallDeposit) -> SmallDeposit:
    """The cashier takes the money with a receipt."""
    deposit = transition_run(instance=deposit, name="pay", user=user)
    receipt_take(
        user=user,
        project=deposit.project,
        customer=deposit.customer,
        kind=Receipt.Kind.SMALL_DEPOSIT,
        amount=deposit.amount,
        small_deposit=deposit,
    )
    return deposit


def small_deposit_lapse_job(*, store, day: dt.date) -> int:
    """Per-store job: a small deposit past its days without a subscription lapses and its unit is
    available again; the consultant is told (a paid deposit is then refunded by the cashier
    against its receipt). Returns how many lapsed."""
    due = SmallDeposit.objects.filter(store=store, state__in=OPEN_STATES, expires_on__lt=day).values_list(
        "pk", flat=True
    )
    lapsed = 0
    for pk in list(due):
        with transaction.atomic():
            deposit = SmallDeposit.objects.select_for_update().select_related("consultant").get(pk=pk)
            if deposit.state not in OPEN_STATES:
                continue
            transition_run(instance=deposit, name="lapse", user=None, lock=False)
            unit = _lock_unit(deposit.unit_id)
            if unit.state == Unit.State.SMALL_DEPOSIT:

                def free(obj):
                    obj.holder = None

                transition_run(instance=unit, name="lapse_small_deposit", user=None, before_save=free)
            notification_send(
                user=deposit.consultant,
                key=f"realestate.small_deposit_lapsed.{deposit.pk}",
                title=_("Small deposit lapsed: %(unit)s") % {"unit": unit.label},
                body=_("No subscription followed by %(day)s; the unit is available again.")
                % {"day": deposit.expires_on.isoformat()},
                url=reverse("realestate:unit", args=[unit.pk]),
            )
            lapsed += 1
    return lapsed
