"""Writes of the real-estate app (one module per area)."""

from ._common import UnitUnavailable
from .cashier import cashier_day_hand_over, cashier_day_totals, receipt_refund, receipt_take
from .contracts import (
    contract_collect,
    contract_copy_deliver,
    contract_create,
    contract_file,
    contract_hand_over,
    contract_loan_record,
    contract_sign,
    custody_overdue_job,
    custody_return,
    custody_take,
)
from .projects import (
    permit_record,
    price_list_create,
    price_list_submit,
    project_open,
    project_sale_problems,
    units_create,
)
from .subscriptions import (
    signing_deadlines_job,
    subscription_approve,
    subscription_cancel,
    subscription_create,
    subscription_issue_slip,
    subscription_pay,
)
from .units import unit_hold, unit_release

__all__ = [
    "UnitUnavailable",
    "cashier_day_hand_over",
    "cashier_day_totals",
    "contract_collect",
    "contract_copy_deliver",
    "contract_create",
    "contract_file",
    "contract_hand_over",
    "contract_loan_record",
    "contract_sign",
    "custody_overdue_job",
    "custody_return",
    "custody_take",
    "permit_record",
    "price_list_create",
    "price_list_submit",
    "project_open",
    "project_sale_problems",
    "receipt_refund",
    "receipt_take",
    "signing_deadlines_job",
    "subscription_approve",
    "subscription_cancel",
    "subscription_create",
    "subscription_issue_slip",
    "subscription_pay",
    "unit_hold",
    "unit_release",
    "units_create",
]
