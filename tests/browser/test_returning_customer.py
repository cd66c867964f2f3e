"""A returning customer at the front desk, through the browser: the receptionist types the number
and sees who owns the customer before logging the visit; the visit goes to the owner, not to
the consultant next in turn.

Elements are found by ids, names and data-testid, not by their (translated) text.
"""

import pytest
from playwright.sync_api import expect

from showroom import roles as r
from showroom.models import Assignment, Visit
from showroom.selectors.frontdesk import local_today
from showroom.services.customers import customer_create
from showroom.services.roster import roster_set
from tests.browser.test_customer_journey import log_in
from tests.browser.test_frontdesk_journey import BOARD_URL, open_from_menu
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser


def test_the_receptionist_types_a_returning_number_and_sees_the_owner_proposed(
    live_server, personas, page, page_problems, screenshot
):
    base = live_server.url
    store = personas.store_a
    owner = personas.consultant
    next_up = UserFactory(username="a_consultant_2", first_name="李强")
    MembershipFactory(user=next_up, store=store, role_code=r.CONSULTANT)
    # given the roster puts 李强 next in turn, and 王芳 registered last week with the owner
    roster_set(store=store, day=local_today(), consultants=[next_up, owner], user=personas.showroom_manager)
    customer = customer_create(user=owner, store=store, name="王芳", mobile="13712345678", consent_given=True)

    log_in(page, base, personas.receptionist.username)
    open_from_menu(page, base, BOARD_URL)
    expect(page.get_by_test_id("next-up-name")).to_have_text(next_up.get_full_name())

    # when she types the number as the visitor says it
    form = page.get_by_test_id("visit-form")
    form.get_by_test_id("sources").locator("label").first.click()
    form.locator("#visit_customer_mobile").press_sequentially("137 1234 5678")
    # then the form shows the returning customer and proposes the owner
    proposal = page.get_by_test_id("lookup-owner")
    expect(proposal).to_be_visible()
    expect(proposal).to_contain_text(owner.get_full_name())
    expect(page.get_by_test_id("lookup-known")).to_contain_text("王芳")
    screenshot(page, "returning-customer-owner-proposed", "en")

    # and logging the visit hands it to the owner, without taking the next consultant's turn
    form.get_by_test_id("log-visit").click()
    expect(page.get_by_test_id("visit-row")).to_have_count(1)
    expect(page.get_by_test_id("visit-row")).to_contain_text(owner.get_full_name())
    expect(page.get_by_test_id("next-up-name")).to_have_text(next_up.get_full_name())
    visit = Visit.objects.get()
    assert (visit.customer_id, visit.consultant_id) == (customer.pk, owner.pk)
    assert Assignment.objects.get(visit=visit).kind == Assignment.Kind.OWNER
    assert page_problems.js_errors == []
