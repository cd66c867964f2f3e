"""Models of the real-estate sales site (articles 6 and 7 of the seed)."""

from realestate.models.agreements import AgreementTemplate
from realestate.models.cashier import CashierDay, Receipt
from realestate.models.changes import ChangeRequest
from realestate.models.projects import Building, Permit, PriceList, PriceListBuilding, Project
from realestate.models.sales import (
    Contract,
    ContractCopy,
    Custody,
    Invoice,
    PaymentLine,
    SmallDeposit,
    Subscription,
    VipCard,
)
from realestate.models.units import Unit
from realestate.models.visitors import CallerAssignment, Intention, SpotCheck, WorkLog

__all__ = [
    "AgreementTemplate",
    "Building",
    "CallerAssignment",
    "CashierDay",
    "ChangeRequest",
    "Contract",
    "ContractCopy",
    "Custody",
    "Intention",
    "Invoice",
    "PaymentLine",
    "Permit",
    "PriceList",
    "PriceListBuilding",
    "Project",
    "Receipt",
    "SmallDeposit",
    "SpotCheck",
    "Subscription",
    "Unit",
    "VipCard",
    "WorkLog",
]
