"""Front-desk pages: the board (today's visits and calls, quick add in two clicks, the next-up
consultant, the open shift), the shift page, the managers' roster page and the reports (with PDF
and XLSX). Views parse input, call one service and render; the rules are the services'.

The board's quick-add forms and buttons work with htmx: a form answers with itself (fresh, or
with its errors) and the board's two live parts as out-of-band swaps, so the board is kept and
refreshed in one request; without JavaScript they post and redirect back.
"""

from django.utils.translation import gettext_lazy

from showroom.navigation import MenuEntry, register_menu_entry
from showroom.selectors.frontdesk import BOARD_READERS, REPORT_READERS, ROSTER_MANAGERS
from showroom.views.frontdesk.board import (
    board_live_view,
    board_view,
    call_create_view,
    roster_status_view,
    visit_assign_view,
    visit_create_view,
    visit_leave_view,
)
from showroom.views.frontdesk.common import HTMX_ERROR_STATUSES, add_service_errors
from showroom.views.frontdesk.forms import CallQuickForm, HandoverForm, OverrideForm, SettingsForm, VisitQuickForm
from showroom.views.frontdesk.reports import report_download_view, reports_view
from showroom.views.frontdesk.roster import roster_override_view, roster_set_view, roster_view
from showroom.views.frontdesk.settings import settings_view
from showroom.views.frontdesk.shifts import shift_close_view, shift_detail_view, shift_open_view

register_menu_entry(MenuEntry("front_desk", gettext_lazy("Front desk"), "frontdesk:board", BOARD_READERS, 1))
register_menu_entry(MenuEntry("front_desk", gettext_lazy("Duty roster"), "frontdesk:roster", ROSTER_MANAGERS, 2))
register_menu_entry(MenuEntry("front_desk", gettext_lazy("Front-desk reports"), "frontdesk:reports", REPORT_READERS, 3))

__all__ = [
    "HTMX_ERROR_STATUSES",
    "CallQuickForm",
    "HandoverForm",
    "OverrideForm",
    "SettingsForm",
    "VisitQuickForm",
    "add_service_errors",
    "board_live_view",
    "board_view",
    "call_create_view",
    "report_download_view",
    "reports_view",
    "roster_override_view",
    "roster_set_view",
    "roster_status_view",
    "roster_view",
    "settings_view",
    "shift_close_view",
    "shift_detail_view",
    "shift_open_view",
    "visit_assign_view",
    "visit_create_view",
    "visit_leave_view",
]
