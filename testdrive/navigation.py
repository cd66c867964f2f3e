"""The test-drive section of the side menu."""

from django.utils.translation import gettext_lazy as _

from leads.models import LEAD_MANAGERS
from showroom import roles as r
from showroom.navigation import MenuEntry, register_menu_entry

DRIVERS = frozenset({r.CONSULTANT, *LEAD_MANAGERS})
READERS = frozenset({*DRIVERS, r.RECEPTIONIST, r.SALES_ASSISTANT})

for entry in (
    MenuEntry("testdrive", _("Test-drive calendar"), "testdrive:calendar", READERS, 10),
    MenuEntry("testdrive", _("Test-drive bookings"), "testdrive:bookings", READERS, 20),
    MenuEntry("testdrive", _("Demo fleet and routes"), "testdrive:fleet", READERS, 30),
):
    register_menu_entry(entry)
