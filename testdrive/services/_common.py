"""Helpers the test-drive services share: locking, the state-then-permission pre-check, settings."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_fsm import has_transition_perm

from showroom.services.transitions import TransitionConflict, transition_method
from testdrive.models import Booking

DEFAULT_MIN_MINUTES = 20
DEFAULT_SLOT_MINUTES = 60


def testdrive_setting(name: str, default):
    return getattr(settings, "TESTDRIVE", {}).get(name, default)


def min_drive_minutes() -> int:
    """A drive shorter than this completes only with a reason (``TESTDRIVE["MIN_MINUTES"]``)."""
    return int(testdrive_setting("MIN_MINUTES", DEFAULT_MIN_MINUTES))


def slot_minutes() -> int:
    """The calendar's slot length and a booking's default length (``TESTDRIVE["SLOT_MINUTES"]``)."""
    return int(testdrive_setting("SLOT_MINUTES", DEFAULT_SLOT_MINUTES))


def booking_lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("store", "customer", "consultant", "lead", "vehicle__vehicle_model", "route")
        .get(pk=booking.pk)
    )


def precheck(booking: Booking, name: str, user) -> None:
    """The transition runner's first two answers, before a service validates its input: a step
    that cannot run from this state is a 409 for everyone, then who may run it (403). So a
    refused input never hides a wrong state, and nothing is validated for nobody."""
    method = transition_method(booking, name)
    sources = {t.source for t in method._django_fsm.transitions.values()}
    if booking.state not in sources:
        raise TransitionConflict(
            _("This step is not possible from the state “%(state)s”.") % {"state": booking.get_state_display()},
            state=booking.state,
        )
    if not has_transition_perm(method, user):
        raise PermissionDenied(_("Only the booking's consultant or a manager of the store may do this."))
