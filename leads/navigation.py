"""The leads section of the side menu."""

from django.utils.translation import gettext_lazy as _

from leads.models import LEAD_MANAGERS
from showroom import roles as r
from showroom.navigation import MenuEntry, register_menu_entry

LEAD_READERS = frozenset(
    {r.CONSULTANT, r.SALES_ASSISTANT, r.RECEPTIONIST, r.MARKETING_DIRECTOR, r.APPRAISER, *LEAD_MANAGERS}
)
MANAGERS = frozenset(LEAD_MANAGERS)

for entry in (
    MenuEntry("leads", _("My leads"), "leads:mine", frozenset({r.CONSULTANT}), 10),
    MenuEntry("leads", _("All leads"), "leads:all", LEAD_READERS, 20),
    MenuEntry("leads", _("Vehicle catalogue"), "leads:catalogue", frozenset(r.ROLE_CODES), 30),
    MenuEntry("leads", _("Plans to confirm"), "leads:plans", frozenset({r.SHOWROOM_MANAGER, r.GENERAL_MANAGER}), 40),
    MenuEntry("leads", _("Lost-lead confirmations"), "leads:lost_confirmations", MANAGERS, 50),
    MenuEntry("leads", _("Created vs assigned"), "leads:check", MANAGERS, 60),
    MenuEntry("leads", _("Today's unrecorded contacts"), "leads:unrecorded", MANAGERS, 70),
):
    register_menu_entry(entry)

# Base-customer campaigns (the owners, their replacement cycles and the campaigns).
for entry in (
    MenuEntry("leads", _("Base customers"), "leads:owners", MANAGERS, 80),
    MenuEntry("leads", _("Replacement cycles"), "leads:cycles", MANAGERS, 85),
    MenuEntry("leads", _("Campaigns"), "leads:campaigns", MANAGERS, 90),
):
    register_menu_entry(entry)
