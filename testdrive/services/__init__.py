"""Every write of the test-drive app (one module per part; import from here)."""

from testdrive.services._common import min_drive_minutes, slot_minutes
from testdrive.services.bookings import (
    EXCLUSION_CONSTRAINT,
    booking_book,
    booking_cancel,
    booking_holder,
    booking_no_show,
    booking_request,
    booking_schedule,
)
from testdrive.services.drive import (
    AGREEMENT,
    booking_check_in,
    booking_complete,
    booking_start,
    signature_decode,
    suggested_grade,
)
from testdrive.services.fleet import route_create, vehicle_create, vehicle_update

__all__ = [
    "AGREEMENT",
    "EXCLUSION_CONSTRAINT",
    "booking_book",
    "booking_cancel",
    "booking_check_in",
    "booking_complete",
    "booking_holder",
    "booking_no_show",
    "booking_request",
    "booking_schedule",
    "booking_start",
    "min_drive_minutes",
    "route_create",
    "signature_decode",
    "slot_minutes",
    "suggested_grade",
    "vehicle_create",
    "vehicle_update",
]
