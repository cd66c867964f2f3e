"""The roles a membership can give, with the seed documents' own terms.

Roles are reference data: ``ensure_reference_data()`` creates one ``Role`` row and one auth
``Group`` per entry here, so code can name a role by its constant and never by a database id.
"""

from django.utils.translation import gettext_lazy as _

CONSULTANT = "consultant"
SALES_ASSISTANT = "sales_assistant"
RECEPTIONIST = "receptionist"
CASHIER = "cashier"
SHOWROOM_MANAGER = "showroom_manager"
FINANCE = "finance"
SALES_SUPERVISOR = "sales_supervisor"
WAREHOUSE_KEEPER = "warehouse_keeper"
SALES_MANAGER = "sales_manager"
WAREHOUSE_SUPERVISOR = "warehouse_supervisor"
MARKETING_DIRECTOR = "marketing_director"
QC_INSPECTOR = "qc_inspector"
GENERAL_MANAGER = "general_manager"
PURCHASING = "purchasing"
APPRAISER = "appraiser"
COUNTER_LEADER = "counter_leader"
AFTER_SALES = "after_sales"
AFTER_SALES_MANAGER = "after_sales_manager"

# (code, English label, seed term, rank). Rank orders roles by authority for escalation:
# a request a role cannot decide goes to the next rank that has a rule for it.
ROLES = [
    (CONSULTANT, _("Consultant"), "销售顾问 / 置业顾问", 10),
    (SALES_ASSISTANT, _("Sales assistant"), "销售助理", 10),
    (RECEPTIONIST, _("Receptionist"), "前台 / 客服", 10),
    (CASHIER, _("Cashier"), "现场收银 / 现场财务", 10),
    (SHOWROOM_MANAGER, _("Showroom manager"), "展厅经理 / 值班经理", 30),
    (FINANCE, _("Finance"), "财务", 40),
    (SALES_SUPERVISOR, _("Sales supervisor"), "销售主管", 20),
    (WAREHOUSE_KEEPER, _("Warehouse keeper"), "仓管员", 10),
    (SALES_MANAGER, _("Sales manager"), "销售经理", 40),
    (WAREHOUSE_SUPERVISOR, _("Warehouse supervisor"), "仓库主管", 30),
    (MARKETING_DIRECTOR, _("Marketing director"), "营销总监 / 营销部总监", 60),
    (QC_INSPECTOR, _("QC inspector"), "质检", 10),
    (GENERAL_MANAGER, _("General manager"), "总经理", 90),
    (PURCHASING, _("Purchasing"), "采购", 10),
    (APPRAISER, _("Used-car appraiser"), "二手车评估", 10),
    (COUNTER_LEADER, _("Counter leader"), "柜组长", 20),
    (AFTER_SALES, _("After-sales staff"), "售后人员", 10),
    (AFTER_SALES_MANAGER, _("After-sales manager"), "售后主管", 30),
]
ROLE_CODES = [code for code, *_ in ROLES]
ROLE_LABELS = {code: label for code, label, *_ in ROLES}

MANAGERS = frozenset({SHOWROOM_MANAGER, SALES_SUPERVISOR, SALES_MANAGER, MARKETING_DIRECTOR, GENERAL_MANAGER})

# Who may read a customer's whole phone and ID number: the people who talk to and contract with
# customers. Warehouse, QC and purchasing staff see them masked.
PERSONAL_DATA_ROLES = frozenset(
    {
        CONSULTANT,
        SALES_ASSISTANT,
        RECEPTIONIST,
        CASHIER,
        SHOWROOM_MANAGER,
        FINANCE,
        SALES_SUPERVISOR,
        SALES_MANAGER,
        MARKETING_DIRECTOR,
        GENERAL_MANAGER,
        AFTER_SALES,
        AFTER_SALES_MANAGER,
        COUNTER_LEADER,
    }
)

# Who may create and edit customers.
CUSTOMER_EDITORS = PERSONAL_DATA_ROLES - {FINANCE, CASHIER}

# Model permissions each role's group carries (app_label.codename), for the admin and DRF's
# DjangoModelPermissions where an app wants them. Apps add theirs through the registry.
GROUP_PERMISSIONS = {
    code: ["showroom.view_customer", "showroom.view_store"]
    + (["showroom.add_customer", "showroom.change_customer"] if code in CUSTOMER_EDITORS else [])
    for code in ROLE_CODES
}
