"""Writes of the front desk: receptionist shifts (open, close, hand over), walk-ins and calls,
the store's front-desk settings, and the daily and monthly reports.

A store has at most one open shift (a partial unique constraint; the services lock the store's
row before opening one). Every visit and call is counted in the shift that was open when it was
logged; logging with no open shift opens one for the person logging (every walk-in is logged). A
shift opened on an earlier day is closed before anything is logged on a new day, so a day's shifts
count exactly that day's visits. Closing a shift snapshots its counts and hands its open visits
to the next shift (``current_shift`` moves, ``counted_shift`` never does), so an open visit is
neither lost nor counted twice.
"""

from showroom.services.frontdesk.calls import CALLBACK_PLAN, call_log
from showroom.services.frontdesk.common import MAX_CALLBACK_AHEAD as MAX_CALLBACK_AHEAD
from showroom.services.frontdesk.common import MAX_PARTY as MAX_PARTY
from showroom.services.frontdesk.common import MAX_TEXT as MAX_TEXT
from showroom.services.frontdesk.common import normalise_phone as normalise_phone
from showroom.services.frontdesk.common import normalise_plate as normalise_plate
from showroom.services.frontdesk.reports import (
    frontdesk_report_daily,
    frontdesk_report_email_send,
    frontdesk_report_monthly,
)
from showroom.services.frontdesk.settings import frontdesk_settings_update
from showroom.services.frontdesk.shifts import shift_close, shift_open
from showroom.services.frontdesk.visits import visit_customer_link, visit_leave, visit_log

# As before the split: the limits and normalise_* are importable from here but not in __all__.
__all__ = [
    "CALLBACK_PLAN",
    "call_log",
    "frontdesk_report_daily",
    "frontdesk_report_email_send",
    "frontdesk_report_monthly",
    "frontdesk_settings_update",
    "shift_close",
    "shift_open",
    "visit_customer_link",
    "visit_leave",
    "visit_log",
]
