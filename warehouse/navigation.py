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

SALES = STAFF | {r.SALES_ASSISTANT, r.SALES_MANAGER, r.COUNTER_LEADER}
BOOKS = SALES | {r.CASHIER}
LEDGER = frozenset({r.FINANCE, r.WAREHOUSE_SUPERVISOR, r.GENERAL_MANAGER, r.MARKETING_DIRECTOR})

# 柜台人员 and who supplies and buys for the counter.
COUNTER = frozenset(
    {
        r.COUNTER_LEADER,
        r.SALES_ASSISTANT,
        r.CASHIER,
        r.WAREHOUSE_KEEPER,
        r.WAREHOUSE_SUPERVISOR,
        r.PURCHASING,
        r.GENERAL_MANAGER,
    }
)

for entry in (
    MenuEntry("warehouse", _("Warehouse dashboard"), "warehouse:dashboard", STAFF, 5),
    MenuEntry("warehouse", _("Stock on hand"), "warehouse:stock", READERS, 10),
    MenuEntry("warehouse", _("Purchase orders"), "warehouse:orders", STAFF, 20),
    MenuEntry("warehouse", _("Goods receipts"), "warehouse:receipts", STAFF, 30),
    MenuEntry("warehouse", _("Transfers"), "warehouse:transfers", STAFF, 40),
    MenuEntry("warehouse", _("Other receipts"), "warehouse:other_receipts", STAFF, 50),
    MenuEntry("warehouse", _("Sales orders"), "warehouse:sales_orders", SALES, 60),
    MenuEntry("warehouse", _("Sales slips"), "warehouse:slips", SALES, 70),
    MenuEntry("warehouse", _("Outbound slips"), "warehouse:outbound", SALES, 80),
    MenuEntry("warehouse", _("Customer accounts"), "warehouse:accounts", BOOKS, 90),
    MenuEntry("warehouse", _("Sales invoices"), "warehouse:invoices", BOOKS, 100),
    MenuEntry("warehouse", _("Drop-ship sales"), "warehouse:dropships", BOOKS, 110),
    MenuEntry("warehouse", _("Retail day"), "warehouse:retail", BOOKS, 120),
    MenuEntry("warehouse", _("Steel desk (spot sales)"), "warehouse:spot_sheets", BOOKS, 125),
    MenuEntry("warehouse", _("Counter till"), "warehouse:counter_till", COUNTER, 126),
    MenuEntry("warehouse", _("Counter questions"), "warehouse:counter_questions", COUNTER, 127),
    MenuEntry("warehouse", _("Counter replenishment"), "warehouse:counter_replenishment", COUNTER, 128),
    MenuEntry("warehouse", _("Journal"), "warehouse:journal", LEDGER, 130),
    MenuEntry("warehouse", _("Month-end close"), "warehouse:month_close", LEDGER, 140),
    MenuEntry("warehouse", _("Stocktakes"), "warehouse:stocktakes", STAFF, 135),
    MenuEntry("warehouse", _("Stock moves"), "warehouse:moves", STAFF, 150),
    MenuEntry("warehouse", _("Nightly stock reports"), "warehouse:reports", STAFF, 160),
):
    register_menu_entry(entry)
