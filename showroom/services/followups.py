"""Writes of the followups engine."""

from showroom.permissions import has_role
from showroom.roles import GENERAL_MANAGER, SALES_MANAGER, SHOWROOM_MANAGER


def followup_user_may_work(*, followup, user) -> bool:
    """The assignee, or a manager of the follow-up's store, may complete, reschedule, miss or
    cancel it."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk == followup.assignee_id:
        return True
    return has_role(user, followup.store_id, (SHOWROOM_MANAGER, SALES_MANAGER, GENERAL_MANAGER))
