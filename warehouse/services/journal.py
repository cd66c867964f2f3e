"""The one write path of the journal: ``journal_post`` writes an entry only when its debits equal
its credits to the cent (a deferred database trigger refuses the commit otherwise)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from warehouse.models import Account, CustomerAccount, JournalEntry, JournalLine

ZERO = Decimal("0")
CENT = Decimal("0.01")


class JournalUnbalanced(ValueError):
    """A flow tried to post an entry whose debits and credits differ (a programming error)."""


@dataclass(frozen=True)
class Leg:
    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    customer_account: CustomerAccount | None = None


def dr(account: str, amount: Decimal, customer_account: CustomerAccount | None = None) -> Leg:
    return Leg(account=account, debit=amount, customer_account=customer_account)


def cr(account: str, amount: Decimal, customer_account: CustomerAccount | None = None) -> Leg:
    return Leg(account=account, credit=amount, customer_account=customer_account)


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_split(*, total: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """Split a VAT-inclusive amount into (net, VAT) at ``rate`` percent; net + VAT = total."""
    total = money(total)
    net = money(total / (1 + Decimal(rate) / 100))
    return net, total - net


@transaction.atomic
def journal_post(
    *,
    store_id: int,
    kind: str,
    legs: Iterable[Leg],
    source: models.Model | None = None,
    source_label: str = "",
    memo: str = "",
    user=None,
    date: dt.date | None = None,
) -> JournalEntry | None:
    """Post one entry. Zero legs are dropped; an entry with nothing left is not posted (None).
    Debits must equal credits to the cent, else ``JournalUnbalanced``."""
    rows = [leg for leg in legs if money(leg.debit) != 0 or money(leg.credit) != 0]
    for leg in rows:
        if leg.account not in Account.values or money(leg.debit) < 0 or money(leg.credit) < 0:
            raise JournalUnbalanced(f"Bad leg {leg!r}")
        if money(leg.debit) and money(leg.credit):
            raise JournalUnbalanced(f"A leg is a debit or a credit, not both: {leg!r}")
    debits = sum((money(leg.debit) for leg in rows), ZERO)
    credits = sum((money(leg.credit) for leg in rows), ZERO)
    if debits != credits:
        raise JournalUnbalanced(f"Debits {debits} ≠ credits {credits}")
    if not rows:
        return None
    entry = JournalEntry.objects.create(
        store_id=store_id,
        date=date or timezone.localdate(),
        kind=kind,
        memo=memo[:200],
        content_type=ContentType.objects.get_for_model(source) if source is not None else None,
        object_id=source.pk if source is not None else None,
        source_label=(source_label or (str(source) if source is not None else ""))[:80],
        created_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
    )
    JournalLine.objects.bulk_create(
        [
            JournalLine(
                entry=entry,
                account=leg.account,
                debit=money(leg.debit),
                credit=money(leg.credit),
                customer_account=leg.customer_account,
            )
            for leg in rows
        ]
    )
    return entry
