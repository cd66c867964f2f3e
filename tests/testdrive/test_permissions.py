"""The permission matrix of a test drive's steps: every transition, from both sides, for each
persona (the booking's consultant, a colleague, the store's managers, the front desk, another
store's staff, anonymous)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from showroom import roles as r
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TRANSITIONS = ["schedule", "check_in", "start", "complete", "cancel", "no_show"]
# persona → may run the booking's steps
ALLOWED = {
    "booking consultant": True,
    "colleague consultant": False,
    "showroom_manager": True,
    "sales_manager": True,
    "general_manager": True,
    "receptionist": False,
    "cashier": False,
    "warehouse_keeper": False,
    "b_consultant": False,
    "b_manager": False,
    "anonymous": False,
}


def persona(personas, name):
    if name == "booking consultant":
        return personas.consultant
    if name == "colleague consultant":
        user = UserFactory(username="a_consultant_2")
        MembershipFactory(user=user, store=personas.store_a, role_code=r.CONSULTANT)
        return user
    if name == "anonymous":
        return AnonymousUser()
    return getattr(personas, name)


@pytest.mark.parametrize("transition", TRANSITIONS)
@pytest.mark.parametrize(("who", "allowed"), list(ALLOWED.items()))
def test_who_may_run_each_step(personas, scheduled, transition, who, allowed):
    # given a booking of store A by personas.consultant, in a state the step starts from
    meta = getattr(type(scheduled), transition)._django_fsm
    source = next(iter(meta.transitions))
    # when someone asks to run the step, then only the booking's consultant and the managers may
    assert meta.has_transition_perm(scheduled, source, persona(personas, who)) is allowed
