"""The drive's rules: check-in refusals (expired licence, no signature), start refused while the
readiness list is incomplete, the minimum duration, and what completion does to the lead."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leads.models import Lead
from showroom.models import Document
from showroom.selectors.timeline import timeline_for
from showroom.services.transitions import TransitionConflict
from testdrive.models import Booking, DemoVehicle, Feedback
from testdrive.services import booking_cancel, booking_complete, booking_start
from tests.testdrive.conftest import check_in, complete_checklist

FEEDBACK = {
    "handling": 5,
    "comfort": 4,
    "space": 5,
    "noise": 4,
    "features": 4,
    "overall": 9,
    "comments": "空间很大,隔音好",
    "ready_to_talk_price": "yes",
    "customer_confirmed": True,
}


def _unchanged(booking: Booking) -> None:
    fresh = Booking.objects.get(pk=booking.pk)
    assert fresh.state == Booking.State.SCHEDULED
    assert (fresh.licence_number, fresh.signed_at, bool(fresh.licence_image)) == ("", None, False)
    assert not Document.objects.exists()


def test_an_expired_licence_is_refused_and_nothing_changes(personas, scheduled, private_root):
    # given a customer whose licence expired yesterday
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    # when the consultant checks him in
    with pytest.raises(ValidationError) as exc:
        check_in(scheduled, personas.consultant, licence_expiry=yesterday)
    # then the expiry is named and nothing was recorded or stored
    assert "expired" in exc.value.message_dict["licence_expiry"][0]
    _unchanged(scheduled)
    assert not list(private_root.rglob("*.png"))


def test_a_licence_class_that_does_not_allow_cars_is_refused(personas, scheduled):
    with pytest.raises(ValidationError) as exc:
        check_in(scheduled, personas.consultant, licence_class="D")
    assert "does not allow driving a car" in exc.value.message_dict["licence_class"][0]
    _unchanged(scheduled)


def test_a_missing_signature_is_refused_and_nothing_changes(personas, scheduled):
    # when the customer neither signed on screen nor typed his name
    with pytest.raises(ValidationError) as exc:
        check_in(scheduled, personas.consultant, signed_name="", signed_confirmed=False)
    # then the agreement is named as unsigned
    assert "has not signed the agreement" in exc.value.message_dict["signature"][0]
    _unchanged(scheduled)


def test_a_typed_name_needs_the_confirming_tick(personas, scheduled):
    with pytest.raises(ValidationError) as exc:
        check_in(scheduled, personas.consultant, signed_confirmed=False)
    assert "signed_confirmed" in exc.value.message_dict
    _unchanged(scheduled)


def test_a_missing_licence_image_is_refused(personas, scheduled):
    with pytest.raises(ValidationError) as exc:
        check_in(scheduled, personas.consultant, licence_image=None)
    assert "licence_image" in exc.value.message_dict
    _unchanged(scheduled)


def test_check_in_with_a_drawn_signature_stores_it_privately_and_issues_the_agreement(
    personas, scheduled, private_root
):
    import base64

    from tests.testdrive.factories import png_bytes

    # given a signature drawn on the screen
    drawn = "data:image/png;base64," + base64.b64encode(png_bytes((300, 90))).decode()
    # when the consultant checks in
    booking = check_in(scheduled, personas.consultant, signature=drawn, signed_name="", signed_confirmed=False)
    # then the licence and the signature are stored outside the media folder, time-stamped
    assert booking.state == Booking.State.CHECKED_IN
    assert booking.signed_at is not None and booking.signed_name == ""
    stored = sorted(p.name for p in private_root.rglob("*.png"))
    assert len(stored) == 2
    with pytest.raises(ValueError):
        _ = booking.licence_image.url  # no public URL exists
    # and the agreement is numbered for the store
    document = Document.objects.get()
    assert document.doc_type == "testdrive.agreement" and document.number.startswith("TA-")


def test_an_incomplete_readiness_list_refuses_the_start_and_nothing_changes(personas, checked_in):
    # given the briefing done but the car's readiness list not complete
    complete_checklist(checked_in, personas.consultant, "testdrive.briefing")
    # when the consultant starts the drive
    with pytest.raises(TransitionConflict) as exc:
        booking_start(booking=checked_in, user=personas.consultant, odometer_km=1000)
    # then the readiness list and its missing items are named
    assert "Complete the checklist first" in exc.value.message
    assert exc.value.missing and len(exc.value.missing) == 5
    fresh = Booking.objects.get(pk=checked_in.pk)
    assert (fresh.state, fresh.started_at) == (Booking.State.CHECKED_IN, None)
    assert DemoVehicle.objects.get(pk=checked_in.vehicle_id).status == DemoVehicle.Status.AVAILABLE


def test_a_car_without_its_signage_cannot_start_a_drive(personas, checked_in):
    complete_checklist(checked_in, personas.consultant, "testdrive.readiness")
    complete_checklist(checked_in, personas.consultant, "testdrive.briefing")
    DemoVehicle.objects.filter(pk=checked_in.vehicle_id).update(signage_fitted=False)
    with pytest.raises(TransitionConflict) as exc:
        booking_start(booking=checked_in, user=personas.consultant, odometer_km=1000)
    assert "signage" in exc.value.message
    assert Booking.objects.get(pk=checked_in.pk).state == Booking.State.CHECKED_IN


def test_start_records_the_time_and_odometer_and_the_car_is_in_use(in_progress):
    assert in_progress.state == Booking.State.IN_PROGRESS
    assert in_progress.started_at is not None and in_progress.start_odometer_km == 1000
    assert DemoVehicle.objects.get(pk=in_progress.vehicle_id).status == DemoVehicle.Status.IN_USE


def _started_minutes_ago(booking, minutes):
    Booking.objects.filter(pk=booking.pk).update(started_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_a_drive_under_twenty_minutes_without_a_reason_is_refused(personas, in_progress):
    # given a drive that started 12 minutes ago
    _started_minutes_ago(in_progress, 12)
    # when the consultant completes it without a reason
    with pytest.raises(ValidationError) as exc:
        booking_complete(booking=in_progress, user=personas.consultant, odometer_km=1008, feedback=FEEDBACK)
    # then the reason is asked for and nothing changed
    assert "less than 20" in exc.value.message_dict["short_reason"][0]
    fresh = Booking.objects.get(pk=in_progress.pk)
    assert (fresh.state, fresh.ended_at) == (Booking.State.IN_PROGRESS, None)
    assert not Feedback.objects.exists()
    assert Lead.objects.get(pk=in_progress.lead_id).state != Lead.State.TEST_DRIVEN


def test_a_drive_under_twenty_minutes_with_a_reason_is_accepted_and_flagged(personas, in_progress):
    from testdrive.selectors import consultant_figures

    _started_minutes_ago(in_progress, 12)
    booking = booking_complete(
        booking=in_progress,
        user=personas.consultant,
        odometer_km=1008,
        feedback=FEEDBACK,
        short_reason="客户临时有事",
    )
    assert booking.state == Booking.State.COMPLETED
    assert (booking.short_drive, booking.short_reason) == (True, "客户临时有事")
    # and it counts in the consultant's audit figures
    start = timezone.now() - dt.timedelta(hours=1)
    figures = consultant_figures(store_ids=[booking.store_id], start=start, end=timezone.now() + dt.timedelta(hours=1))
    assert [(f["consultant_id"], f["completed"], f["short"]) for f in figures] == [(personas.consultant.pk, 1, 1)]


def test_the_minimum_is_configurable(personas, in_progress, settings):
    settings.TESTDRIVE = {"MIN_MINUTES": 10}
    _started_minutes_ago(in_progress, 12)
    booking = booking_complete(booking=in_progress, user=personas.consultant, odometer_km=1008, feedback=FEEDBACK)
    assert booking.short_drive is False


def test_completion_moves_the_lead_puts_feedback_on_its_timeline_and_raises_the_grade(personas, in_progress):
    # given a 30-minute drive of a grade B lead
    _started_minutes_ago(in_progress, 30)
    lead = Lead.objects.get(pk=in_progress.lead_id)
    assert lead.grade == "B"
    # when it completes with the customer's confirmed feedback and the consultant confirms grade A
    booking = booking_complete(
        booking=in_progress, user=personas.consultant, odometer_km=1012, feedback=FEEDBACK, grade_to="A"
    )
    # then the drive, the car, the lead and its timeline show it
    assert (booking.state, booking.short_drive, booking.end_odometer_km) == (Booking.State.COMPLETED, False, 1012)
    car = DemoVehicle.objects.get(pk=booking.vehicle_id)
    assert (car.status, car.odometer_km) == (DemoVehicle.Status.AVAILABLE, 1012)
    feedback = Feedback.objects.get(booking=booking)
    assert (feedback.overall, feedback.ready_to_talk_price, feedback.recorded_by_id) == (
        9,
        "yes",
        personas.consultant.pk,
    )
    lead.refresh_from_db()
    assert (lead.state, lead.grade) == (Lead.State.TEST_DRIVEN, "A")
    entries = [e for e in timeline_for(target=lead) if e.kind == "testdrive"]
    assert len(entries) == 1 and "空间很大" in entries[0].detail


def test_feedback_needs_the_customers_confirmation(personas, in_progress):
    _started_minutes_ago(in_progress, 30)
    with pytest.raises(ValidationError) as exc:
        booking_complete(
            booking=in_progress,
            user=personas.consultant,
            odometer_km=1012,
            feedback={**FEEDBACK, "customer_confirmed": False, "overall": 11},
        )
    assert {"customer_confirmed", "overall"} <= set(exc.value.message_dict)
    assert Booking.objects.get(pk=in_progress.pk).state == Booking.State.IN_PROGRESS


def test_the_feedback_cannot_lower_the_grade(personas, in_progress):
    _started_minutes_ago(in_progress, 30)
    with pytest.raises(ValidationError) as exc:
        booking_complete(
            booking=in_progress, user=personas.consultant, odometer_km=1012, feedback=FEEDBACK, grade_to="C"
        )
    assert "grade_to" in exc.value.message_dict


def test_another_consultant_may_not_run_the_drive_but_a_manager_may(personas, scheduled):
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="a_consultant_2")
    MembershipFactory(user=colleague, store=personas.store_a, role_code="consultant")
    with pytest.raises(PermissionDenied):
        booking_cancel(booking=scheduled, user=colleague, reason="改期")
    with pytest.raises(PermissionDenied):
        booking_cancel(booking=scheduled, user=personas.b_manager, reason="改期")
    booking = booking_cancel(booking=scheduled, user=personas.showroom_manager, reason="客户改期")
    assert (booking.state, booking.cancel_reason) == (Booking.State.CANCELLED, "客户改期")


def test_a_step_from_the_wrong_state_is_a_conflict(personas, scheduled):
    with pytest.raises(TransitionConflict):
        booking_start(booking=scheduled, user=personas.consultant, odometer_km=1000)
