# ruff: noqa: F811  (pytest fixtures imported from tests.leads.quotes_fixtures)
"""Car sales on the manager dashboard: the funnel's quotes and orders, quotes per consultant and
the days from the first visit to the order — each equal to a count made here from the records —
their drill-down lists, and the audit items 5.2 and 5.3 on both sides."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from leads.dashboard_sales import (
    days_to_order_values,
    orders_count,
    orders_url,
    quotes_count,
    quotes_url,
    quotes_values,
    score_delivery_time_told,
    score_quote_sent_same_day,
)
from leads.models import Order, Quote
from leads.services.quotes import quote_accept, quote_create, quote_send
from showroom.services.audits import audit_start
from tests.factories import CustomerFactory
from tests.leads.factories import LeadFactory
from tests.leads.quotes_fixtures import shop  # noqa: F401
from tests.showroom.dashboard_fixtures import shift, visit

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MARCH = (dt.datetime(2026, 3, 1, tzinfo=SHANGHAI), dt.datetime(2026, 4, 1, tzinfo=SHANGHAI))


def at(day, hour=10, month=3):
    return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def a_lead(personas, shop, name):
    return LeadFactory(
        store=personas.store_a,
        customer=CustomerFactory(store=personas.store_a, name=name),
        consultant=personas.consultant,
        vehicle_model=shop.model,
        state="visited",
    )


def quote_on(personas, shop, lead, *, made, sent=None, accept=False):
    with time_machine.travel(made, tick=False):
        quote = quote_create(lead=lead, user=personas.consultant, trim_colour=shop.tc, invoice_date=made.date())
    if sent is not None:
        with time_machine.travel(sent, tick=False):
            quote = quote_send(quote=quote, user=personas.consultant)
            if accept:
                quote_accept(quote=quote, user=personas.consultant)
    return quote


@pytest.fixture
def march(personas, shop):
    """Quotes sent on 3, 10 and 31 March (two accepted), one sent on 1 April, one never sent."""
    quote_on(personas, shop, shop.lead, made=at(3), sent=at(3, 11), accept=True)
    quote_on(personas, shop, a_lead(personas, shop, "甲"), made=at(10), sent=at(10, 16))
    quote_on(personas, shop, a_lead(personas, shop, "乙"), made=at(31, 9), sent=at(31, 23), accept=True)
    quote_on(personas, shop, a_lead(personas, shop, "丙"), made=at(31, 9), sent=at(1, 9, month=4))
    quote_on(personas, shop, a_lead(personas, shop, "丁"), made=at(12))


def test_the_funnel_counts_quotes_sent_and_orders_taken_in_the_period(personas, march):
    start, end = MARCH
    store_ids = [personas.store_a.pk]
    sent = [q for q in Quote.objects.all() if q.sent_at and start <= q.sent_at < end]
    taken = [o for o in Order.objects.all() if start <= o.created_at < end]
    assert quotes_count(store_ids=store_ids, start=start, end=end) == len(sent) == 3
    assert orders_count(store_ids=store_ids, start=start, end=end) == len(taken) == 2
    assert quotes_values(store_ids=store_ids, start=start, end=end) == {personas.consultant.pk: 3}
    assert quotes_count(store_ids=[personas.store_b.pk], start=start, end=end) == 0


def test_the_funnels_links_list_exactly_those_records(personas, march, web):
    start, end = MARCH
    client = web(personas.showroom_manager)
    with time_machine.travel(at(20), tick=False):
        quotes_page = client.get(quotes_url(store_ids=[personas.store_a.pk], start=start, end=end))
        orders_page = client.get(orders_url(store_ids=[personas.store_a.pk], start=start, end=end))
    assert quotes_page.status_code == orders_page.status_code == 200
    assert quotes_page.content.decode().count('data-testid="quote-row"') == 3
    assert orders_page.content.decode().count('data-testid="order-row"') == 2


def test_days_from_the_first_visit_to_the_order(personas, shop):
    # given a customer who first came on 1 March (a logged walk-in) and ordered on 11 March, and
    # one without a logged visit whose lead opened on 5 March and who ordered on 8 March
    lead_with_visit = a_lead(personas, shop, "有来店")
    desk = shift(personas.store_a, personas.receptionist)
    visit(personas.store_a, desk, personas.receptionist, arrived=at(1), customer=lead_with_visit.customer)
    quote_on(personas, shop, lead_with_visit, made=at(11), sent=at(11), accept=True)
    lead_without = a_lead(personas, shop, "无来店")
    type(lead_without).objects.filter(pk=lead_without.pk).update(created_at=at(5))
    quote_on(personas, shop, lead_without, made=at(8), sent=at(8), accept=True)
    # then the consultant's average is (10 + 3) / 2 days
    start, end = MARCH
    assert days_to_order_values(store_ids=[personas.store_a.pk], start=start, end=end) == {personas.consultant.pk: 6.5}


class TestAuditItems:
    def _audit(self, personas, customer, day):
        with time_machine.travel(at(20), tick=False):
            return audit_start(
                store=personas.store_a,
                auditor=personas.showroom_manager,
                consultant=personas.consultant,
                customer=customer,
                interaction_at=at(day),
            )

    @pytest.mark.parametrize(("sent", "passed"), [(at(3, 18), True), (at(4, 9), False), (None, False)])
    def test_5_2_the_quote_went_out_the_day_it_was_made(self, personas, shop, sent, passed):
        quote_on(personas, shop, shop.lead, made=at(3, 10), sent=sent)
        audit = self._audit(personas, shop.lead.customer, 3)
        verdict = score_quote_sent_same_day(audit=audit, settings=None)
        assert verdict.passed is passed

    def test_5_2_without_a_quote_that_day_is_left_to_the_auditor(self, personas, shop):
        quote_on(personas, shop, shop.lead, made=at(2, 10), sent=at(2, 11))
        audit = self._audit(personas, shop.lead.customer, 3)
        assert score_quote_sent_same_day(audit=audit, settings=None) is None
        assert audit.answers.get(code="5.2").automatic is False

    def test_5_3_the_quote_gives_the_estimated_delivery(self, personas, shop):
        quote = quote_on(personas, shop, shop.lead, made=at(3, 10))
        audit = self._audit(personas, shop.lead.customer, 3)
        assert quote.estimated_delivery is not None  # from the cars in stock
        assert score_delivery_time_told(audit=audit, settings=None).passed is True
        Quote.objects.filter(pk=quote.pk).update(estimated_delivery=None)
        assert score_delivery_time_told(audit=audit, settings=None).passed is False

    def test_the_audit_scores_them_automatically(self, personas, shop):
        quote_on(personas, shop, shop.lead, made=at(3, 10), sent=at(3, 12))
        audit = self._audit(personas, shop.lead.customer, 3)
        answers = {a.code: a for a in audit.answers.all()}
        assert answers["5.2"].automatic and answers["5.2"].result == "pass"
        assert answers["5.3"].automatic and answers["5.3"].result == "pass"
        assert timezone.localtime(audit.interaction_at).day == 3
