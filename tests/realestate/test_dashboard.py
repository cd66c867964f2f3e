"""The dashboard's real-estate figures: each registered, each counting its records and linking to
a page that lists them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from realestate.models import Subscription
from showroom.registry import dashboard_metrics
from tests.realestate.conftest import subscribe_through

pytestmark = pytest.mark.django_db


def test_figures_count_their_records(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    Subscription.objects.filter(pk=sub.pk).update(overdue_at=timezone.now())
    metrics = {m.code: m for m in dashboard_metrics() if m.code.startswith("realestate.")}
    start = timezone.now() - dt.timedelta(days=1)
    end = timezone.now() + dt.timedelta(days=1)
    values = {code: m.func(store_ids=[personas.store_a.pk], start=start, end=end) for code, m in metrics.items()}
    assert values["realestate.available"] == 5  # six units, one subscribed
    assert values["realestate.subscriptions"] == 1
    assert values["realestate.overdue"] == 1
    assert values["realestate.lent"] == 0
    assert values["realestate.collections"] == sub.deposit
    # another store sees none of it
    assert metrics["realestate.overdue"].func(store_ids=[personas.store_b.pk], start=start, end=end) == 0
    for metric in metrics.values():
        assert reverse(metric.list_url_name)
