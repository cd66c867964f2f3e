"""Reads of the real-estate app: the sales-control grid, lists and figures, scoped to the user's
stores."""

from .grid import (
    buildings_with_unit_counts,
    grid_build,
    grid_unit_states,
    price_list_in_force,
    project_get_for_user,
    projects_for_user,
    unit_get_for_user,
)
from .sales import (
    contract_get_for_user,
    contracts_for_user,
    metric_collections,
    metric_contracts,
    metric_lent,
    metric_overdue,
    metric_subscriptions,
    metric_units_available,
    receipt_get_for_user,
    receipts_for_user,
    small_deposits_for_user,
    subscription_get_for_user,
    subscriptions_for_user,
    vip_cards_for_user,
)

__all__ = [
    "buildings_with_unit_counts",
    "contract_get_for_user",
    "contracts_for_user",
    "grid_build",
    "grid_unit_states",
    "metric_collections",
    "metric_contracts",
    "metric_lent",
    "metric_overdue",
    "metric_subscriptions",
    "metric_units_available",
    "price_list_in_force",
    "project_get_for_user",
    "projects_for_user",
    "receipt_get_for_user",
    "receipts_for_user",
    "small_deposits_for_user",
    "subscription_get_for_user",
    "subscriptions_for_user",
    "unit_get_for_user",
    "vip_cards_for_user",
]
