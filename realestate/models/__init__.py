"""Models of the real-estate sales site (articles 6 and 7 of the seed)."""

from realestate.models.cashier import CashierDay, Receipt
from realestate.models.projects import Building, Permit, PriceList, PriceListBuilding, Project
from realestate.models.sales import Contract, ContractCopy, Custody, PaymentLine, SmallDeposit, Subscription, VipCard
from realestate.models.units import Unit

__all__ = [
    "Building",
    "CashierDay",
    "Contract",
    "ContractCopy",
    "Custody",
    "PaymentLine",
    "Permit",
    "PriceList",
    "PriceListBuilding",
    "Project",
    "Receipt",
    "SmallDeposit",
    "Subscription",
    "Unit",
    "VipCard",
]
