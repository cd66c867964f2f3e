"""Trade-in appraisal: the appraiser records the car and an offer valid for some days on a
requested appraisal; the customer accepts (it can then be the trade-in credit on a quote) or
declines. At delivery the used car is taken into stock by a trade-in receipt (the warehouse's
``other_receipt_create(kind="trade_in")``, run by the delivery workflow)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leads.models import Appraisal, AppraisalRequest, appraisal_may_record, quote_may_work
from leads.services._common import require
from leads.services.quotes import _amount
from showroom.services.transitions import TransitionConflict

MAX_PHOTO_BYTES = 10 * 1024 * 1024
CONDITION_ITEMS = ["车身外观", "漆面", "内饰", "发动机", "变速箱", "底盘", "电气系统", "轮胎", "事故痕迹", "泡水火烧"]


@transaction.atomic
def appraisal_record(
    *,
    request: AppraisalRequest,
    user,
    make: str,
    model: str,
    year,
    mileage_km,
    offer,
    valid_days=7,
    vin: str = "",
    condition: list | None = None,
    photos: list | None = None,
) -> Appraisal:
    """``photos``: uploaded pictures, stored under ``appraisals/<request id>/``."""
    request = AppraisalRequest.objects.select_for_update().select_related("lead").get(pk=request.pk)
    require(appraisal_may_record(request.store_id, user), _("Only a used-car appraiser or a manager appraises."))
    if request.state != AppraisalRequest.State.REQUESTED:
        raise TransitionConflict(_("This appraisal has already been done or declined."), state=request.state)
    errors: dict[str, list[str]] = {}
    make, model = (make or "").strip(), (model or "").strip()
    if not make:
        errors["make"] = [_("Give the make.")]
    if not model:
        errors["model"] = [_("Give the model.")]
    this_year = timezone.localdate().year
    try:
        year = int(year)
        if not 1950 <= year <= this_year + 1:
            errors["year"] = [_("Give a year between 1950 and next year.")]
    except (TypeError, ValueError):
        errors["year"] = [_("Give the year.")]
    try:
        mileage_km = int(mileage_km)
        if not 0 <= mileage_km <= 3_000_000:
            errors["mileage_km"] = [_("Give the mileage in km.")]
    except (TypeError, ValueError):
        errors["mileage_km"] = [_("Give the mileage in km.")]
    try:
        valid_days = int(valid_days)
        if not 1 <= valid_days <= 90:
            errors["valid_days"] = [_("An offer is valid for 1 to 90 days.")]
    except (TypeError, ValueError):
        errors["valid_days"] = [_("Give the days the offer is valid.")]
    amount = _amount(offer, field="offer", errors=errors, allow_zero=False)
    items = []
    for entry in condition or []:
        if not isinstance(entry, dict) or not str(entry.get("item", "")).strip():
            errors["condition"] = [_("Each condition item needs its name.")]
            break
        items.append(
            {"item": str(entry["item"])[:60], "ok": bool(entry.get("ok")), "note": str(entry.get("note", ""))[:200]}
        )
    uploads = list(photos or [])
    if len(uploads) > 20:
        errors["photos"] = [_("Up to 20 photos.")]
    for upload in uploads:
        if not (getattr(upload, "content_type", "") or "").startswith("image/") or upload.size > MAX_PHOTO_BYTES:
            errors["photos"] = [_("Photos are pictures of up to 10 MB each.")]
    if errors:
        raise ValidationError(errors)
    stored = [default_storage.save(f"appraisals/{request.pk}/{upload.name}", upload) for upload in uploads]
    appraisal = Appraisal.objects.create(
        request=request,
        lead=request.lead,
        store_id=request.store_id,
        make=make[:60],
        model=model[:80],
        year=year,
        mileage_km=mileage_km,
        vin=(vin or "").strip().upper()[:17],
        condition=items,
        photos=stored,
        offer=amount,
        valid_until=timezone.localdate() + dt.timedelta(days=valid_days),
        appraiser=user,
    )
    request.state = AppraisalRequest.State.DONE
    request.save(update_fields=["state"])
    return appraisal


@transaction.atomic
def appraisal_answer(*, appraisal: Appraisal, user, accepted: bool) -> Appraisal:
    """The customer's answer to the offer, recorded by the consultant."""
    appraisal = Appraisal.objects.select_for_update().select_related("lead").get(pk=appraisal.pk)
    require(quote_may_work(appraisal.lead, user), _("Only the lead's consultant or a manager records the answer."))
    if appraisal.state != Appraisal.State.OFFERED:
        raise TransitionConflict(_("The customer has already answered this offer."), state=appraisal.state)
    if accepted and appraisal.valid_until < timezone.localdate():
        raise TransitionConflict(_("The offer has expired; ask for a new appraisal."), state=appraisal.state)
    appraisal.state = Appraisal.State.ACCEPTED if accepted else Appraisal.State.DECLINED
    appraisal.save(update_fields=["state"])
    return appraisal


__all__ = ["CONDITION_ITEMS", "appraisal_answer", "appraisal_record"]
