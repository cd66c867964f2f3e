"""The drive itself: check-in (licence and signed agreement), start, and completion with the
customer's feedback.

Check-in stores the licence image and the signature in the private storage (never under a public
URL) and issues the agreement PDF through the core's documents engine. Start needs the car's
readiness checklist and the briefing complete on the booking (checklist guards registered in
``testdrive/apps.py``). Completion records the feedback the customer confirmed, flags a drive
shorter than the minimum (which then needs a reason), frees the car, moves the lead to "test
driven" and, when the consultant confirms it, raises the lead's grade.
"""

import base64
import binascii
import datetime as dt
import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leads.services import lead_event, lead_grade_set
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict, transition_run
from testdrive.models import Booking, DemoVehicle, Feedback
from testdrive.services._common import booking_lock, min_drive_minutes, precheck
from testdrive.validators import licence_number_normalise, licence_problems

AGREEMENT = "testdrive.agreement"
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_SIGNATURE_BYTES = 1024 * 1024
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}
GRADE_RANK = {"C": 0, "B": 1, "A": 2, "H": 3}
RATINGS = ("handling", "comfort", "space", "noise", "features")


def _image_ok(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds of errors for a file that is no picture
        return False
    return True


def _licence_image_problem(file) -> str:
    if file is None:
        return _("Take or attach a picture of the driving licence.")
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in IMAGE_EXTENSIONS:
        return _("Attach a picture (JPEG, PNG or WebP).")
    if (getattr(file, "size", 0) or 0) > MAX_IMAGE_BYTES:
        return _("The picture is larger than 10 MB.")
    file.seek(0)
    data = file.read()
    file.seek(0)
    if not _image_ok(data):
        return _("This file is not a picture that can be opened.")
    return ""


def signature_decode(data_url: str) -> bytes | None:
    """The PNG bytes of a signature drawn on screen (``data:image/png;base64,…``), or None."""
    prefix = "data:image/png;base64,"
    if not data_url or not data_url.startswith(prefix):
        return None
    try:
        data = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        return None
    if not data or len(data) > MAX_SIGNATURE_BYTES or not _image_ok(data):
        return None
    return data


@transaction.atomic
def booking_check_in(
    *,
    booking: Booking,
    user,
    licence_number: str,
    licence_class: str,
    licence_expiry: dt.date | None,
    licence_image,
    signature: str = "",
    signed_name: str = "",
    signed_confirmed: bool = False,
    note: str = "",
) -> Booking:
    """The customer shows a valid car licence (number, class, expiry, a picture kept privately)
    and signs the agreement: drawn on screen (``signature``, a PNG data URL) or typed
    (``signed_name`` with ``signed_confirmed``). Issues the agreement PDF. Refused with field
    messages, changing nothing, when any of it is missing or the licence is expired."""
    booking = booking_lock(booking)
    precheck(booking, "check_in", user)
    today = timezone.localdate()
    number = licence_number_normalise(licence_number)
    errors = licence_problems(number=number, licence_class=licence_class or "", expiry=licence_expiry, today=today)
    image_problem = _licence_image_problem(licence_image)
    if image_problem:
        errors["licence_image"] = [image_problem]
    drawn = signature_decode(signature) if signature else None
    typed = (signed_name or "").strip()
    if signature and drawn is None:
        errors["signature"] = [_("The signature could not be read: ask the customer to sign again.")]
    elif drawn is None and not typed:
        errors["signature"] = [
            _("The customer has not signed the agreement: sign on the screen, or type the name and tick to confirm.")
        ]
    elif drawn is None and not signed_confirmed:
        errors["signed_confirmed"] = [_("Tick to confirm the customer typed the name as the signature.")]
    elif len(typed) > 60:
        errors["signature"] = [_("Keep the typed name under 60 characters.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()

    def fill(obj: Booking) -> None:
        obj.licence_number, obj.licence_class, obj.licence_expiry = number, licence_class, licence_expiry
        extension = (licence_image.name.rsplit(".", 1)[-1] or "jpg").lower()
        licence_image.seek(0)
        obj.licence_image.save(f"{obj.pk}-{uuid.uuid4().hex}.{extension}", licence_image, save=False)
        if drawn is not None:
            obj.signature_image.save(f"{obj.pk}-{uuid.uuid4().hex}.png", ContentFile(drawn), save=False)
            obj.signed_name = ""
        else:
            obj.signed_name = typed
        obj.signed_at = now
        obj.checked_in_at = now

    storage = Booking._meta.get_field("licence_image").storage
    written: list[str] = []
    try:
        booking = transition_run(
            instance=booking,
            name="check_in",
            user=user,
            note=note,
            lock=False,
            before_save=lambda obj: (
                fill(obj),
                written.extend(f.name for f in (obj.licence_image, obj.signature_image) if f),
            ),
        )
        document_issue(doc_type=AGREEMENT, target=booking, store=booking.store, user=user)
    except Exception:
        for name in written:  # the row did not change: do not keep its files
            storage.delete(name)
        raise
    return booking


@transaction.atomic
def booking_start(*, booking: Booking, user, odometer_km: int | None, note: str = "") -> Booking:
    """The customer sets off: the time and the odometer are recorded and the car is in use. Needs
    an available car with its signage, and the readiness and briefing checklists complete on
    this booking (the transition runner's checklist guards)."""
    booking = booking_lock(booking)
    precheck(booking, "start", user)
    vehicle = DemoVehicle.objects.select_for_update().get(pk=booking.vehicle_id)
    if vehicle.status != DemoVehicle.Status.AVAILABLE:
        raise TransitionConflict(
            _("The car is “%(status)s”: a drive starts only with an available car.")
            % {"status": vehicle.get_status_display()},
            state=booking.state,
        )
    if not vehicle.signage_fitted:
        raise TransitionConflict(
            _("The test-drive signage is not fitted on this car: fit it before the drive."), state=booking.state
        )
    if odometer_km is None:
        raise ValidationError({"odometer_km": [_("Read the odometer before the drive.")]})
    if odometer_km < vehicle.odometer_km:
        raise ValidationError(
            {
                "odometer_km": [
                    _("The odometer cannot be below the car's last reading, %(km)s km.") % {"km": vehicle.odometer_km}
                ]
            }
        )
    now = timezone.now()

    def fill(obj: Booking) -> None:
        obj.started_at, obj.start_odometer_km = now, odometer_km

    booking = transition_run(instance=booking, name="start", user=user, note=note, lock=False, before_save=fill)
    vehicle.status, vehicle.odometer_km = DemoVehicle.Status.IN_USE, odometer_km
    vehicle.save(update_fields=["status", "odometer_km"])
    return booking


def _feedback_values(feedback: dict) -> tuple[dict, dict[str, list]]:
    values: dict = {}
    errors: dict[str, list] = {}
    for name in RATINGS:
        raw = feedback.get(name)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            errors[name] = [_("Rate from 1 to 5.")]
        values[name] = value
    try:
        overall = int(feedback.get("overall"))
    except (TypeError, ValueError):
        overall = 0
    if not 1 <= overall <= 10:
        errors["overall"] = [_("Give an overall score from 1 to 10.")]
    values["overall"] = overall
    price = feedback.get("ready_to_talk_price") or ""
    if price not in Feedback.PriceTalk.values:
        errors["ready_to_talk_price"] = [_("Ask whether the customer is ready to talk about the price.")]
    values["ready_to_talk_price"] = price
    comments = (feedback.get("comments") or "").strip()
    if len(comments) > 4000:
        errors["comments"] = [_("Keep the comments under 4000 characters.")]
    values["comments"] = comments
    if not feedback.get("customer_confirmed"):
        errors["customer_confirmed"] = [_("The customer confirms the feedback form: tick when they have.")]
    return values, errors


def suggested_grade(*, current: str, ready_to_talk_price: str) -> str:
    """The grade the feedback suggests (one step up when the customer is ready to talk about the
    price today); the consultant confirms it. Empty when no change is suggested."""
    if ready_to_talk_price != Feedback.PriceTalk.YES:
        return ""
    order = ["C", "B", "A", "H"]
    index = order.index(current) if current in order else 1
    return order[index + 1] if index + 1 < len(order) else ""


@transaction.atomic
def booking_complete(
    *,
    booking: Booking,
    user,
    odometer_km: int | None,
    feedback: dict,
    short_reason: str = "",
    grade_to: str = "",
    note: str = "",
) -> Booking:
    """End the drive with the customer's confirmed feedback. A drive shorter than the minimum
    (``TESTDRIVE["MIN_MINUTES"]``, 20) needs a reason and is flagged for the consultant's audit
    figures. The car is available again, the lead is "test driven", and ``grade_to`` (the
    consultant's confirmation) raises the lead's grade."""
    booking = booking_lock(booking)
    precheck(booking, "complete", user)
    now = timezone.now()
    values, errors = _feedback_values(feedback or {})
    if odometer_km is None:
        errors["odometer_km"] = [_("Read the odometer after the drive.")]
    elif booking.start_odometer_km is not None and odometer_km < booking.start_odometer_km:
        errors["odometer_km"] = [
            _("The odometer cannot be below the reading at the start, %(km)s km.") % {"km": booking.start_odometer_km}
        ]
    minutes = (now - booking.started_at).total_seconds() / 60 if booking.started_at else 0
    minimum = min_drive_minutes()
    short = minutes < minimum
    reason = (short_reason or "").strip()
    if short and not reason:
        errors["short_reason"] = [
            _("The drive took %(minutes)s minutes, less than %(minimum)s: say why it was shorter.")
            % {"minutes": int(minutes), "minimum": minimum}
        ]
    if len(reason) > 300:
        errors["short_reason"] = [_("Keep the reason under 300 characters.")]
    lead = booking.lead
    if grade_to and (grade_to not in GRADE_RANK or GRADE_RANK[grade_to] <= GRADE_RANK.get(lead.grade, 0)):
        errors["grade_to"] = [
            _("The feedback can only raise the lead's grade (now %(grade)s).") % {"grade": lead.grade}
        ]
    if errors:
        raise ValidationError(errors)

    def fill(obj: Booking) -> None:
        obj.ended_at, obj.end_odometer_km = now, odometer_km
        obj.short_drive, obj.short_reason = short, reason if short else ""

    booking = transition_run(instance=booking, name="complete", user=user, note=note, lock=False, before_save=fill)
    Feedback.objects.create(booking=booking, customer_confirmed_at=now, recorded_by=user, **values)
    vehicle = DemoVehicle.objects.select_for_update().get(pk=booking.vehicle_id)
    vehicle.status = DemoVehicle.Status.AVAILABLE
    vehicle.odometer_km = max(vehicle.odometer_km, odometer_km)
    vehicle.save(update_fields=["status", "odometer_km"])
    lead_event(lead=lead, event="test_driven", user=user, at=now)
    if grade_to:
        lead_grade_set(lead=lead, grade=grade_to, user=user)
    return booking
