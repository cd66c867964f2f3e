"""The formal contract (签约): payment schedule and fees, the cashier's collection, the manager's
signature, the five copies, the lent ID card and seal, filing, the loan and the handover."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.models import (
    AgreementTemplate,
    Contract,
    ContractCopy,
    Custody,
    Invoice,
    PaymentLine,
    Receipt,
    Subscription,
    Unit,
)
from realestate.pricing import signing_fees
from realestate.selectors.agreements import agreement_template_current
from showroom import roles as r
from showroom.money import money, to_decimal
from showroom.services.documents import document_issue
from showroom.services.followups import notification_send
from showroom.services.transitions import TransitionConflict, transition_run

from ._common import require_role
from .cashier import receipt_take, receipts_take_back
from .projects import project_require_sellable

CONTRACT_DOC = "realestate.contract"
CUSTODY_DAYS = 3


def _parse_schedule(schedule: list[dict], *, total: Decimal) -> list[PaymentLine]:
    errors: list[str] = []
    lines = []
    for n, row in enumerate(schedule or [], start=1):
        kind = row.get("kind")
        if kind not in PaymentLine.Kind.values:
            errors.append(_("Line %(n)s: choose down payment, full payment or loan.") % {"n": n})
            continue
        try:
            amount = money(to_decimal(row.get("amount")))
        except (TypeError, ValueError):
            errors.append(_("Line %(n)s: not an amount.") % {"n": n})
            continue
        due_on = row.get("due_on")
        if isinstance(due_on, str):
            try:
                due_on = dt.date.fromisoformat(due_on)
            except ValueError:
                due_on = None
        if amount <= 0 or not isinstance(due_on, dt.date):
            errors.append(_("Line %(n)s: an amount above zero and a date.") % {"n": n})
            continue
        lines.append(PaymentLine(kind=kind, amount=amount, due_on=due_on))
    if not errors and sum((line.amount for line in lines), Decimal("0")) != total:
        errors.append(_("The payment schedule must add up to the price %(total)s.") % {"total": total})
    if errors:
        raise ValidationError({"schedule": errors})
    return lines


@transaction.atomic
def contract_create(*, user, subscription: Subscription, schedule: list[dict], loan_bank: str = "") -> Contract:
    """The sales assistant checks the unit is sellable and the amount, records the payment schedule
    and prints the contract (SC) with the schedule; the fees follow the project's rates."""
    require_role(user=user, store_id=subscription.store_id, roles=(r.SALES_ASSISTANT,))
    subscription = Subscription.objects.select_for_update().select_related("project", "unit").get(pk=subscription.pk)
    if subscription.state != Subscription.State.APPROVED:
        raise TransitionConflict(_("Only a reviewed subscription can become a contract."), state=subscription.state)
    if Contract.objects.filter(subscription=subscription).exists():
        raise TransitionConflict(_("This subscription already has a contract."), state=subscription.state)
    lines = _parse_schedule(schedule, total=subscription.total_price)
    if any(line.kind == PaymentLine.Kind.LOAN for line in lines) and not (loan_bank or "").strip():
        raise ValidationError({"loan_bank": [_("Name the lending bank.")]})
    project_require_sellable(project=subscription.project, building_id=subscription.unit.building_id)
    if subscription.unit.state != Unit.State.SUBSCRIBED:
        raise TransitionConflict(_("The unit is not held by this subscription."), state=subscription.unit.state)
    fees = signing_fees(total=subscription.total_price, project=subscription.project)
    contract = Contract.objects.create(
        store_id=subscription.store_id,
        project_id=subscription.project_id,
        subscription=subscription,
        agreement_template=agreement_template_current(
            project_id=subscription.project_id, kind=AgreementTemplate.Kind.CONTRACT
        ),
        total_price=subscription.total_price,
        loan_bank=(loan_bank or "").strip(),
        created_by=user,
        **fees,
    )
    for line in lines:
        line.contract = contract
    PaymentLine.objects.bulk_create(lines)
    ContractCopy.objects.bulk_create([ContractCopy(contract=contract, holder=h) for h in ContractCopy.Holder.values])
    document = document_issue(doc_type=CONTRACT_DOC, target=contract, store=subscription.store, user=user)
    contract.number = document.number
    contract.save(update_fields=["number"])
    return contract


@transaction.atomic
def contract_collect(*, user, contract: Contract) -> Contract:
    """The cashier collects the down (or full) payment, the deed tax, the maintenance fund and the
    registration fee with receipts, and takes back the deposit receipt and the agreement."""
    contract = transition_run(instance=contract, name="collect", user=user)
    sub = contract.subscription
    customer = sub.customer
    for line in contract.payment_lines.exclude(kind=PaymentLine.Kind.LOAN):
        receipt_take(
            user=user,
            project=contract.project,
            customer=customer,
            kind=line.kind,
            amount=line.amount,
            contract=contract,
        )
    for kind, amount in (
        (Receipt.Kind.DEED_TAX, contract.deed_tax),
        (Receipt.Kind.MAINTENANCE_FUND, contract.maintenance_fund),
        (Receipt.Kind.REGISTRATION_FEE, contract.registration_fee),
    ):
        if amount > 0:
            receipt_take(
                user=user, project=contract.project, customer=customer, kind=kind, amount=amount, contract=contract
            )
    receipts_take_back(receipts=sub.receipts.filter(kind=Receipt.Kind.DEPOSIT))
    return contract


@transaction.atomic
def contract_sign(*, user, contract: Contract) -> Contract:
    """The sales manager checks the paper contract equals the approved record and signs it (the
    contract-documents checklist must be complete: a guard). The unit is signed."""

    def stamp(obj):
        obj.signed_at = timezone.now()

    contract = transition_run(instance=contract, name="sign", user=user, before_save=stamp)
    transition_run(instance=contract.subscription, name="contract", user=user)
    transition_run(instance=contract.subscription.unit, name="sign", user=user)
    return contract


def contract_copy_deliver(*, user, contract: Contract, holder: str) -> ContractCopy:
    require_role(user=user, store_id=contract.store_id, roles=(r.SALES_ASSISTANT, r.SALES_MANAGER))
    copy = ContractCopy.objects.filter(contract=contract, holder=holder).first()
    if copy is None:
        raise ValidationError({"holder": [_("No such copy.")]})
    if copy.delivered_at is None:
        copy.delivered_at = timezone.now()
        copy.save(update_fields=["delivered_at"])
    return copy


def custody_take(*, user, contract: Contract, item: str) -> Custody:
    require_role(user=user, store_id=contract.store_id, roles=(r.CONSULTANT, r.SALES_ASSISTANT))
    if item not in Custody.Item.values:
        raise ValidationError({"item": [_("The ID card or the seal.")]})
    if Custody.objects.filter(contract=contract, item=item, returned_at__isnull=True).exists():
        raise TransitionConflict(_("It is already lent out."))
    return Custody.objects.create(contract=contract, item=item, taken_at=timezone.now(), taken_by=user)


def custody_return(*, user, custody: Custody) -> Custody:
    require_role(user=user, store_id=custody.contract.store_id, roles=(r.CONSULTANT, r.SALES_ASSISTANT))
    if custody.returned_at is None:
        custody.returned_at = timezone.now()
        custody.save(update_fields=["returned_at"])
    return custody


def custody_overdue_job(*, store, day: dt.date) -> None:
    """Per-store job: the buyer's ID card or seal not back after 3 days reminds who took it."""
    limit = timezone.now() - dt.timedelta(days=CUSTODY_DAYS)
    rows = Custody.objects.filter(
        contract__store=store, returned_at__isnull=True, reminded_at__isnull=True, taken_at__lte=limit
    ).select_related("contract__subscription__customer", "taken_by")
    for row in rows:
        notification_send(
            user=row.taken_by,
            key=f"realestate.custody.{row.pk}",
            title=_("Return the buyer's %(item)s") % {"item": row.get_item_display()},
            body=_("%(buyer)s's %(item)s has been out since %(day)s.")
            % {
                "buyer": row.contract.subscription.customer.name,
                "item": row.get_item_display(),
                "day": timezone.localtime(row.taken_at).date(),
            },
            url=reverse("realestate:contract", args=[row.contract_id]),
        )
        Custody.objects.filter(pk=row.pk).update(reminded_at=timezone.now())


@transaction.atomic
def contract_file(*, user, contract: Contract, filing_number: str, certificate: str) -> Contract:
    """Filed with the housing bureau; the pre-registration certificate is recorded."""
    if not (filing_number or "").strip() or not (certificate or "").strip():
        raise ValidationError({"filing_number": [_("Give the filing number and the pre-registration certificate.")]})

    def stamp(obj):
        obj.filing_number = filing_number.strip()
        obj.preregistration_certificate = certificate.strip()
        obj.filed_at = timezone.now()

    contract = transition_run(instance=contract, name="file", user=user, before_save=stamp)
    transition_run(instance=contract.subscription.unit, name="file", user=user)
    return contract


@transaction.atomic
def contract_loan_record(*, user, contract: Contract, amount, on: dt.date) -> Receipt:
    """The bank disbursed the loan into the fund-supervision account."""
    receipt = receipt_take(
        user=user,
        project=contract.project,
        customer=contract.subscription.customer,
        kind=Receipt.Kind.LOAN,
        amount=amount,
        contract=contract,
    )
    Contract.objects.filter(pk=contract.pk).update(loan_disbursed_on=on)
    return receipt


@transaction.atomic
def contract_handover_notice(*, user, contract: Contract) -> Contract:
    """At completion the handover notice goes out (the consultant is told to arrange the day)."""
    require_role(user=user, store_id=contract.store_id, roles=(r.SALES_ASSISTANT, r.SALES_MANAGER))
    contract = Contract.objects.select_for_update().select_related("subscription__unit__building").get(pk=contract.pk)
    if contract.state != Contract.State.FILED:
        raise TransitionConflict(_("The handover notice goes out once the contract is filed."), state=contract.state)
    if contract.handover_notice_at is None:
        contract.handover_notice_at = timezone.now()
        contract.save(update_fields=["handover_notice_at"])
        sub = contract.subscription
        notification_send(
            user=sub.consultant,
            key=f"realestate.handover_notice.{contract.pk}",
            title=_("Handover notice sent: %(unit)s") % {"unit": sub.unit.label},
            body=_("Arrange the handover with the buyer; give the quality guarantee and the user manual."),
            url=reverse("realestate:contract", args=[contract.pk]),
        )
    return contract


@transaction.atomic
def contract_hand_over(
    *, user, contract: Contract, guarantee_given: bool = False, manual_given: bool = False
) -> Contract:
    """The handover closes the sale: after the notice, with the quality guarantee and the user
    manual given to the buyer."""
    errors = {}
    if not guarantee_given:
        errors["guarantee_given"] = [_("Give the buyer the quality guarantee.")]
    if not manual_given:
        errors["manual_given"] = [_("Give the buyer the user manual.")]
    if errors:
        raise ValidationError(errors)
    if not Contract.objects.filter(pk=contract.pk, handover_notice_at__isnull=False).exists():
        raise TransitionConflict(_("Send the handover notice first."), state=contract.state)

    def stamp(obj):
        obj.handed_over_at = timezone.now()
        obj.guarantee_given = True
        obj.manual_given = True

    contract = transition_run(instance=contract, name="hand_over", user=user, before_save=stamp)
    transition_run(instance=contract.subscription.unit, name="hand_over", user=user)
    return contract


INVOICE_RECEIPTS = {
    Invoice.Kind.DEED_TAX: [Receipt.Kind.DEED_TAX],
    Invoice.Kind.MAINTENANCE_FUND: [Receipt.Kind.MAINTENANCE_FUND],
    Invoice.Kind.PAYMENT: [Receipt.Kind.DOWN_PAYMENT, Receipt.Kind.FULL_PAYMENT],
}


@transaction.atomic
def contract_invoice_issue(*, user, contract: Contract, kind: str, number: str) -> Invoice:
    """After filing the buyer receives the deed-tax, maintenance-fund and payment invoices against
    the returned receipts (taken back now); after the loan is disbursed (or with no loan), the
    final invoice for the price. Once per kind."""
    require_role(user=user, store_id=contract.store_id, roles=(r.CASHIER, r.FINANCE))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    errors = {}
    if kind not in Invoice.Kind.values:
        errors["kind"] = [_("Choose the kind of invoice.")]
    if not (number or "").strip():
        errors["number"] = [_("Give the invoice number.")]
    if errors:
        raise ValidationError(errors)
    if contract.state not in (Contract.State.FILED, Contract.State.HANDED_OVER):
        raise TransitionConflict(_("Invoices are issued once the contract is filed."), state=contract.state)
    if contract.invoices.filter(kind=kind).exists():
        raise TransitionConflict(_("This invoice was already issued."), state=contract.state)
    if kind == Invoice.Kind.FINAL:
        has_loan = contract.payment_lines.filter(kind=PaymentLine.Kind.LOAN).exists()
        if has_loan and contract.loan_disbursed_on is None:
            raise TransitionConflict(_("The final invoice follows the loan disbursement."), state=contract.state)
        if not contract.invoices.filter(kind=Invoice.Kind.PAYMENT).exists():
            raise TransitionConflict(_("Issue the payment invoice first."), state=contract.state)
        amount = contract.total_price
    else:
        receipts = list(
            contract.receipts.filter(kind__in=INVOICE_RECEIPTS[kind], refunded_by__isnull=True).order_by("pk")
        )
        if not receipts:
            raise TransitionConflict(_("No receipt of this kind to invoice."), state=contract.state)
        amount = sum((x.amount for x in receipts), Decimal("0"))
        receipts_take_back(receipts=receipts)
    return Invoice.objects.create(
        contract=contract,
        kind=kind,
        number=number.strip()[:40],
        amount=amount,
        issued_at=timezone.now(),
        issued_by=user,
    )
