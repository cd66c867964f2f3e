"""A walk-in at the front desk, through the browser: the receptionist logs it and hands it to the
next consultant in turn; the consultant finds the customer's lead under "my leads".

Elements are found by ids, names, hrefs, roles and data-testid, not by their (translated) text.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from leads.models import Lead
from showroom import roles as r
from showroom.models import Assignment, RosterEntry, Visit
from showroom.selectors.frontdesk import local_today
from showroom.services.roster import roster_set
from tests.browser.test_customer_journey import log_in, switch_language
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser

NAME = "张伟"
MOBILE = "13912345678"

BOARD_URL = reverse("frontdesk:board")
MY_LEADS_URL = reverse("leads:mine")


def open_from_menu(page: Page, base_url: str, url: str) -> None:
    page.locator(f".side-menu a[href='{url}']").first.click()
    page.wait_for_url(f"{base_url}{url}")


def test_receptionist_logs_a_walk_in_and_the_next_consultant_sees_the_lead(
    live_server, personas, browser, page, page_problems, screenshot, assert_assets_loaded
):
    base = live_server.url
    store = personas.store_a
    first = personas.consultant
    second = UserFactory(username="a_consultant_2", first_name="李强")
    MembershipFactory(user=second, store=store, role_code=r.CONSULTANT)
    # given today's duty roster: personas.consultant first, the second consultant after him
    roster_set(store=store, day=local_today(), consultants=[first, second], user=personas.showroom_manager)

    # the receptionist logs in through the form and opens the board from the menu
    log_in(page, base, personas.receptionist.username)
    open_from_menu(page, base, BOARD_URL)
    assert_assets_loaded(page)
    expect(page.get_by_test_id("no-visits")).to_be_visible()
    next_up = page.get_by_test_id("next-up-name")
    expect(next_up).to_have_text(first.get_full_name())
    expect(page.get_by_test_id("roster").locator("li")).to_have_count(2)
    screenshot(page, "board-empty", "en")

    # she logs a walk-in: a source and "Log walk-in" (the two clicks of the quick add)
    form = page.get_by_test_id("visit-form")
    form.get_by_test_id("sources").locator("label").first.click()
    # a new customer: the mobile, the name and the visitor's consent
    form.locator("#visit_customer_mobile").fill(MOBILE)
    form.locator("#visit_customer_name").fill(NAME)
    form.locator("#visit_customer_consent").check()
    screenshot(page, "walk-in-filled", "en")
    form.get_by_test_id("log-visit").click()
    row = page.get_by_test_id("visit-row")
    expect(row).to_have_count(1)
    expect(page.get_by_test_id("visit-count")).to_have_text("1")
    visit = Visit.objects.get()
    assert (visit.store_id, visit.consultant_id, visit.logged_by_id) == (store.pk, None, personas.receptionist.pk)
    assert (visit.customer.name, visit.customer.mobile) == (NAME, f"+86{MOBILE}")
    screenshot(page, "walk-in-logged", "en")

    # and hands it to the next consultant in turn with the row's button
    assign = page.get_by_test_id(f"assign-{visit.pk}")
    expect(assign).to_be_visible()
    assign.click()
    expect(assign).to_have_count(0)
    expect(row).to_contain_text(first.get_full_name())
    # the turn moves on: the second consultant is next up now
    expect(next_up).to_have_text(second.get_full_name())
    visit.refresh_from_db()
    assert visit.consultant_id == first.pk
    assignment = Assignment.objects.get(visit=visit)
    assert (assignment.consultant_id, assignment.kind, assignment.decided_by_id) == (
        first.pk,
        Assignment.Kind.ASSIGNED,
        personas.receptionist.pk,
    )
    assert RosterEntry.objects.get(consultant=first).status == RosterEntry.Status.WITH_CUSTOMER
    screenshot(page, "walk-in-assigned", "en")

    # the board in Chinese, for the reviewer
    switch_language(page, "zh-hans")
    expect(page).to_have_url(f"{base}{BOARD_URL}")
    expect(page.get_by_test_id("visit-row")).to_contain_text(first.get_full_name())
    screenshot(page, "walk-in-assigned", "zh-hans")
    page_problems.assert_none()

    # then the consultant, in his own browser, opens "my leads"
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    page_problems.watch(context)
    try:
        mine = context.new_page()
        log_in(mine, base, first.username)
        open_from_menu(mine, base, MY_LEADS_URL)
        assert_assets_loaded(mine)
        screenshot(mine, "my-leads", "en")
        switch_language(mine, "zh-hans")
        expect(mine).to_have_url(f"{base}{MY_LEADS_URL}")
        screenshot(mine, "my-leads", "zh-hans")

        lead = Lead.objects.get(store=store, customer__mobile=f"+86{MOBILE}")
        assert (lead.consultant_id, lead.customer.name) == (first.pk, NAME)
        lead_row = mine.locator(f"[data-testid=lead-row][data-href='{reverse('leads:detail', args=[lead.pk])}']")
        expect(lead_row).to_have_count(1)
        expect(lead_row.get_by_role("link")).to_have_text(NAME)
        page_problems.assert_none()
    finally:
        context.close()
