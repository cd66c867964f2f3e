"""seed_scale: the refusal to touch a database not meant for it, and the small data set's counts
and consistency (built in the test database, inside the test's transaction)."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery, Sum

from showroom.scale import SIZES, scale_seed

pytestmark = pytest.mark.django_db


def test_seed_scale_refuses_a_database_whose_name_lacks_scale():
    # given the default (test) database, whose name holds no "scale"
    assert "scale" not in connection.settings_dict["NAME"]
    # when seed_scale is run without --database-url, then it refuses before writing anything
    with pytest.raises(CommandError, match="refusing to seed"):
        call_command("seed_scale", "--size", "small")
    from leads.models import Lead

    assert not Lead.objects.exists()


@pytest.fixture
def small():
    size = SIZES["small"]
    scale_seed(size=size, say=lambda _line: None)
    return size


def test_the_small_size_has_the_expected_rows_per_table(small):
    from leads.models import Lead
    from realestate.models import Project, Subscription, Unit
    from showroom.models import Customer, FollowUp, Membership, Store
    from testdrive.models import Booking
    from warehouse.models import Item, StockLevel, StockMove

    # then every table holds the size's count
    assert Store.objects.filter(code__startswith="scale-").count() == 5
    assert Membership.objects.filter(store__code__startswith="scale-").count() == small.staff
    assert Lead.objects.count() == small.leads == 1_000
    assert FollowUp.objects.count() == small.followups
    assert Booking.objects.count() == small.test_drives
    assert Item.objects.filter(code__startswith="SC").count() == small.items
    assert StockMove.objects.count() == small.moves
    assert StockLevel.objects.count() == small.items
    assert Project.objects.count() == small.projects
    assert Unit.objects.count() == small.projects * small.units_per_project
    sold = Unit.objects.filter(state__in=["subscribed", "signed", "filed", "handed_over"]).count()
    assert Subscription.objects.count() == sold > 0
    assert Customer.objects.filter(store__code="scale-prop1").count() == sold
    assert Customer.objects.exclude(store__code="scale-prop1").count() == small.customers


def test_the_small_size_is_consistent(small):
    from leads.models import Lead
    from realestate.models import Subscription
    from showroom.models import Customer, FollowUp
    from testdrive.models import Booking
    from warehouse.models import BinBalance, StockLevel, StockMove

    # then each level and bin balance is the sum of its moves, and no balance went below zero
    moves = StockMove.objects.filter(item=OuterRef("item"), warehouse=OuterRef("warehouse")).values("item")
    levels = StockLevel.objects.annotate(
        moved=Subquery(moves.annotate(q=Sum("quantity")).values("q")),
        valued=Subquery(moves.annotate(v=Sum("value")).values("v")),
    )
    assert not levels.exclude(quantity=F("moved")).exists()
    assert not levels.exclude(value=F("valued")).exists()
    assert not levels.filter(quantity__lt=0).exists()
    assert BinBalance.objects.aggregate(s=Sum("quantity"))["s"] == StockMove.objects.aggregate(s=Sum("quantity"))["s"]
    # every move is worth its quantity at the item's one cost
    assert not StockMove.objects.exclude(value=F("quantity") * F("unit_cost")).exists()
    # mobiles are E.164 and one per customer in a store
    assert not Customer.objects.exclude(mobile__regex=r"^\+861[3-9]\d{9}$").exists()
    assert not Customer.objects.values("store", "mobile").annotate(n=Count("id")).filter(n__gt=1).exists()
    # one open lead per customer, leads in every state, in their customer's store
    open_states = ["new", "contacted", "visited", "test_driven", "negotiating"]
    per_customer = Lead.objects.filter(state__in=open_states).values("customer").annotate(n=Count("id"))
    assert not per_customer.filter(n__gt=1).exists()
    assert set(Lead.objects.values_list("state", flat=True)) == {s for s, _ in Lead.State.choices}
    assert not Lead.objects.exclude(store=F("customer__store")).exists()
    assert not FollowUp.objects.exclude(store=F("assignee__memberships__store")).exists()
    # bookings: in the lead's store, for its customer, completed ones with their drive times
    assert not Booking.objects.exclude(store=F("lead__store")).exists()
    assert not Booking.objects.exclude(customer=F("lead__customer")).exists()
    assert not Booking.objects.filter(state="completed", ended_at__isnull=True).exists()
    assert Booking.objects.filter(state="scheduled").count() < Booking.objects.count() / 5
    # subscriptions: one per sold unit, priced from the list price less the method's discount
    sub = Subscription.objects.order_by("pk").first()
    assert sub.total_price == (sub.list_total * (100 - sub.method_discount_pct) / 100).quantize(Decimal("0.01"))
    assert not Subscription.objects.exclude(store=F("customer__store")).exists()
