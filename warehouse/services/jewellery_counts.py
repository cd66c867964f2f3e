"""Counting helpers of the jewellery counter day: parsing a count of every tray (pieces and
grams), recording it against the book, the latest count per tray, and telling the leaders about a
difference (core notifications)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from showroom.models import Membership
from showroom.services.followups import notification_send
from warehouse.models import CounterDay, Tray, TrayCount
from warehouse.models.jewellery import COUNTER_LEADERS

GRAM = Decimal("0.001")


def _grams(value, *, field: str, allow_none: bool = False) -> Decimal | None:
    if allow_none and value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError({field: [_("Enter a weight in grams, e.g. 12.345.")]}) from exc
    if not number.is_finite() or number < 0 or number != number.quantize(GRAM):
        raise ValidationError({field: [_("Enter a weight in grams, e.g. 12.345.")]})
    return number.quantize(GRAM)


def _pieces(value, *, field: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: [_("Enter a whole number of pieces.")]}) from exc
    if number < 0 or number > 1_000_000:
        raise ValidationError({field: [_("Enter a whole number of pieces.")]})
    return number


def _parse_counts(*, trays: list[Tray], counts: list[dict], weight_required: bool = True) -> list[tuple]:
    """(tray, pieces, weight) for every tray exactly once, or 400 naming what is wrong."""
    by_id = {tray.pk: tray for tray in trays}
    seen: dict[int, tuple] = {}
    errors = []
    for n, row in enumerate(counts or [], start=1):
        tray = row.get("tray")
        tray_id = getattr(tray, "pk", tray)
        if tray_id not in by_id:
            errors.append(_("Line %(n)s: this tray is not on this counter.") % {"n": n})
            continue
        if tray_id in seen:
            errors.append(_("Line %(n)s: tray %(tray)s is counted twice.") % {"n": n, "tray": by_id[tray_id].code})
            continue
        try:
            pieces = _pieces(row.get("pieces"), field="pieces")
            weight = _grams(row.get("weight"), field="weight", allow_none=not weight_required)
        except ValidationError as exc:
            errors.append(
                _("Tray %(tray)s: %(error)s") % {"tray": by_id[tray_id].code, "error": " ".join(exc.messages)}
            )
            continue
        seen[tray_id] = (by_id[tray_id], pieces, weight)
    missing = [tray.code for tray in trays if tray.pk not in seen]
    if missing:
        errors.append(_("Count every tray; missing: %(trays)s.") % {"trays": ", ".join(missing)})
    if errors:
        raise ValidationError({"counts": errors})
    return [seen[tray.pk] for tray in trays]


def _last_closing(trays: list[Tray]) -> dict[int, TrayCount]:
    latest = TrayCount.objects.filter(tray=OuterRef("tray_id"), kind=TrayCount.Kind.CLOSING).order_by(
        "-counted_at", "-id"
    )
    rows = TrayCount.objects.filter(tray__in=trays, kind=TrayCount.Kind.CLOSING, pk=Subquery(latest.values("pk")[:1]))
    return {row.tray_id: row for row in rows}


def _record(*, day, user, kind, rows, expected: dict[int, tuple[int, Decimal]], sale=None) -> list[TrayCount]:
    return TrayCount.objects.bulk_create(
        [
            TrayCount(
                day=day,
                tray=tray,
                kind=kind,
                pieces=pieces,
                weight=weight,
                expected_pieces=expected[tray.pk][0],
                expected_weight=expected[tray.pk][1],
                counted_by=user,
                sale=sale,
            )
            for tray, pieces, weight in rows
        ]
    )


def _notify_leaders(*, day: CounterDay, key: str, title: str, body: str, roles=COUNTER_LEADERS) -> None:
    """Tell the store's counter leaders and duty managers (core notifications)."""
    url = reverse("warehouse:jewellery_day", args=[day.pk])
    user_ids = set(
        Membership.objects.filter(store_id=day.store_id, is_active=True, role__code__in=roles).values_list(
            "user_id", flat=True
        )
    )
    for recipient in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        notification_send(user=recipient, key=key, title=title, body=body, url=url)


def _differences_text(counts: list[TrayCount]) -> str:
    return "; ".join(
        _("%(tray)s: counted %(pieces)s pcs / %(weight)s g, book %(ep)s pcs / %(ew)s g")
        % {
            "tray": count.tray.code,
            "pieces": count.pieces,
            "weight": count.weight if count.weight is not None else "—",
            "ep": count.expected_pieces,
            "ew": count.expected_weight,
        }
        for count in counts
        if not count.matches
    )
