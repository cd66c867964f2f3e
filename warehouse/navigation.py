"""The warehouse section of the side menu."""

from django.utils.translation import gettext_lazy as _

from showroom import roles as r
from showroom.navigation import MenuEntry, register_menu_entry

STAFF = frozenset(
    {
        r.WAREHOUSE_KEEPER,
        r.WAREHOUSE_SUPERVISOR,
        r.QC_INSPECTOR,
        r.PURCHASING,
        r.FINANCE,
        r.GENERAL_MANAGER,
        r.MARKETING_DIRECTOR,
    }
)
READERS = STAFF | {r.CONSULTANT, r.SALES_ASSISTANT, r.SALES_MANAGER, r.SHOWROOM_MANAGER, r.COUNTER_LEADER}

for entry in (
    MenuEntry("warehouse", _("Stock on hand"), "warehouse:stock", READERS, 10),
    MenuEntry("warehouse", _("Purchase orders"), "warehouse:orders", STAFF, 20),
    MenuEntry("warehouse", _("Goods receipts"), "warehouse:receipts", STAFF, 30),
    MenuEntry("warehouse", _("Transfers"), "warehouse:transfers", STAFF, 40),
    MenuEntry("warehouse", _("Other receipts"), "warehouse:other_receipts", STAFF, 50),
):
    register_menu_entry(entry)
