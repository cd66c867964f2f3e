"""What the test-drive app registers with the core: the checklist guards of the start, the
agreement document type, the front desk's daily report section and the dashboard cards.

The checklist templates themselves (``testdrive.readiness``, ``testdrive.briefing``) are the
core's reference data (``showroom/checklist_templates``), seeded with the article's wording.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showroom.registry import (
    ChecklistGuard,
    DashboardMetricEntry,
    DocumentType,
    ReportSectionEntry,
    register_checklist_guard,
    register_dashboard_metric,
    register_document_type,
    register_report_section,
)

BOOKING = "testdrive.booking"
READINESS = "testdrive.readiness"
BRIEFING = "testdrive.briefing"

AGREEMENT_TERMS = (
    _("1. The customer holds a valid driving licence for cars and has shown it; a copy is kept on file."),
    _("2. The customer drives only on the chosen route, obeys the traffic rules and the consultant's directions."),
    _("3. The customer is liable for fines and for damage caused by breaking the traffic rules or these terms."),
    _("4. The customer does not drive after drinking alcohol or taking medicine that affects driving."),
    _("5. The consultant may end the drive at any time for safety."),
)


def agreement_context(*, target) -> dict:
    """The agreement PDF on the core's generic slip: the customer, the car (VIN, plate), the route,
    the licence, the agreement's terms and how and when the customer signed."""
    from django.utils.translation import gettext

    booking = target
    signed_at = timezone.localtime(booking.signed_at) if booking.signed_at else None
    slot = timezone.localtime(booking.slot_start) if booking.slot_start else None
    vehicle, route = booking.vehicle, booking.route
    if booking.signature_image:
        how = gettext("signed on the screen (the signature image is kept with the booking)")
    elif booking.signed_name:
        how = gettext("signed by typing the name “%(name)s” and ticking to confirm") % {"name": booking.signed_name}
    else:
        how = gettext("not signed yet")
    fields = [
        (gettext("Customer"), booking.customer.name),
        (gettext("Driving licence"), f"{booking.licence_number} · {booking.licence_class}"),
        (gettext("Licence valid until"), booking.licence_expiry.isoformat() if booking.licence_expiry else ""),
        (gettext("Car"), f"{vehicle.vehicle_model} {vehicle.trim.name} · {vehicle.colour}" if vehicle else ""),
        (gettext("VIN"), vehicle.vin if vehicle else ""),
        (gettext("Licence plate"), vehicle.plate if vehicle else ""),
        (
            gettext("Route"),
            f"{route.name} ({route.distance_km} km, {route.expected_minutes} min)" if route else "",
        ),
        (gettext("Booked for"), f"{slot:%Y-%m-%d %H:%M}" if slot else ""),
        (gettext("Consultant"), booking.consultant.get_full_name() or booking.consultant.get_username()),
        (gettext("Signature"), how),
        (gettext("Signed at"), f"{signed_at:%Y-%m-%d %H:%M:%S}" if signed_at else ""),
    ]
    return {
        "fields": fields,
        "notes": "\n".join(str(term) for term in AGREEMENT_TERMS),
        "signatures": [gettext("Customer"), gettext("Consultant")],
        "signature_data_uri": _signature_data_uri(booking),
    }


def _signature_data_uri(booking) -> str:
    """The drawn signature as a data URI: printed in the PDF without a URL (the file is private)."""
    import base64

    if not booking.signature_image:
        return ""
    with booking.signature_image.open("rb") as image:
        return "data:image/png;base64," + base64.b64encode(image.read()).decode("ascii")


def _section(*, store, day) -> dict:
    from testdrive.selectors import testdrive_day_section

    return testdrive_day_section(store=store, day=day)


def _completed(*, store_ids, start, end):
    from testdrive.selectors import metric_completed

    return metric_completed(store_ids=store_ids, start=start, end=end)


def _short(*, store_ids, start, end):
    from testdrive.selectors import metric_short

    return metric_short(store_ids=store_ids, start=start, end=end)


def register() -> None:
    from testdrive import dashboard

    dashboard.register()  # the dashboard's funnel step and figures, the audit's 4.4 scorer
    register_checklist_guard(ChecklistGuard(model=BOOKING, transition="start", checklist_code=READINESS))
    register_checklist_guard(ChecklistGuard(model=BOOKING, transition="start", checklist_code=BRIEFING))
    register_document_type(
        DocumentType(
            code="testdrive.agreement",
            prefix="TA",
            label=_("Test-drive agreement"),
            template="testdrive/agreement.html",
            context=agreement_context,
        )
    )
    register_report_section(
        ReportSectionEntry(
            code="testdrive.day",
            title=_("Test drives"),
            template="testdrive/_report_section.html",
            func=_section,
            order=40,
        )
    )
    register_dashboard_metric(
        DashboardMetricEntry(
            code="testdrive.completed",
            label=_("Test drives completed"),
            func=_completed,
            list_url_name="testdrive:bookings",
            order=40,
            store_kinds=("car",),
        )
    )
    register_dashboard_metric(
        DashboardMetricEntry(
            code="testdrive.short",
            label=_("Test drives shorter than the minimum"),
            func=_short,
            list_url_name="testdrive:bookings",
            order=41,
            store_kinds=("car",),
        )
    )
