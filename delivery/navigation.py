"""The delivery and after-sales sections of the side menu."""

from django.utils.translation import gettext_lazy as _

from delivery.models import DELIVERY_MANAGERS, REPAIR_STAFF
from showroom import roles as r
from showroom.navigation import MenuEntry, register_menu_entry

DELIVERY_READERS = frozenset({r.CONSULTANT, r.RECEPTIONIST, r.SALES_ASSISTANT, *DELIVERY_MANAGERS})

for entry in (
    MenuEntry("delivery", _("Delivery calendar"), "delivery:calendar", DELIVERY_READERS, 10),
    MenuEntry("delivery", _("All deliveries"), "delivery:list", DELIVERY_READERS, 15),
    MenuEntry("delivery", _("Owner care calls"), "delivery:care", DELIVERY_READERS, 20),
    MenuEntry("after_sales", _("Repair desk"), "delivery:repairs", frozenset(REPAIR_STAFF), 10),
    MenuEntry("after_sales", _("Monthly service report"), "delivery:repair_report", frozenset(REPAIR_STAFF), 20),
):
    register_menu_entry(entry)
