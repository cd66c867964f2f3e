"""The real-estate dashboard page: every figure equals an independent count over the fixture data
and links to its records; a fixed number of queries for few and many rows; who may see it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from realestate import services
from realestate.models import Building, Contract, Custody, PriceListBuilding, Receipt, Subscription, Unit
from realestate.selectors.dashboard import dashboard_period
from showroom.models import ApprovalDecision, ApprovalRequest
from showroom.services.approvals import approval_approve, approval_request_create
from tests.factories import CustomerFactory, MembershipFactory
from tests.realestate.conftest import subscribe_through
from tests.realestate.factories import units_make

pytestmark = pytest.mark.django_db


def _buyer(personas, tag, n):
    return CustomerFactory(store=personas.store_a, name=f"买家{tag}{n}", mobile=f"+86136{tag:02d}{n:06d}")


def _sales(personas, site, *, tag: int, n: int, renames: int | None = None):
    """A new building of ``n`` units: each reviewed and contracted (signed now), with a rename
    approved by the sales manager for the first ``renames`` (all by default: the rename quota is
    30 % of at least 20), the ID card lent, and the first one overdue."""
    renames = n if renames is None else renames
    project = site["project"]
    building = Building.objects.create(project=project, name=f"{tag}号楼", order=tag)
    project.permits.get(kind="presale").buildings.add(building)
    PriceListBuilding.objects.create(price_list=site["price_list"], building=building, base_price_per_m2=20000)
    units = units_make(project=project, building=building, floors=n + 2, per_floor=1)
    for i, unit in enumerate(units[:n]):
        sub = subscribe_through(personas, unit, _buyer(personas, tag, i))
        contract = services.contract_create(
            user=personas.sales_assistant,
            subscription=sub,
            schedule=[{"kind": "full_payment", "amount": str(sub.total_price), "due_on": timezone.localdate()}],
        )
        Contract.objects.filter(pk=contract.pk).update(signed_at=timezone.now())
        services.custody_take(user=personas.sales_assistant, contract=contract, item=Custody.Item.ID_CARD)
        if i >= renames:
            continue
        request = approval_request_create(
            target=sub,
            kind="realestate.rename",
            store=personas.store_a,
            requester=personas.consultant,
            reason="买方更名",
            quota_scope=f"project:{project.pk}",
        )
        approval_approve(request=request, user=personas.sales_manager)
    first = Subscription.objects.filter(unit__building=building).order_by("pk").first()
    Subscription.objects.filter(pk=first.pk).update(overdue_at=timezone.now())
    # a subscription only requested, and a change waiting for the director
    sub = services.subscription_create(
        user=personas.consultant,
        unit=units[n],
        customer=_buyer(personas, tag, 99),
        payment_method="full",
        deposit="50000",
    )
    approval_request_create(
        target=sub,
        kind="realestate.exchange_smaller",
        store=personas.store_a,
        requester=personas.consultant,
        reason="换小户型",
        quota_scope=f"project:{project.pk}",
    )
    return building


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


class TestFigures:
    def test_each_figure_equals_an_independent_count(self, personas, site, web):
        building = _sales(personas, site, tag=2, n=3)
        client = web(personas.sales_manager)
        context = client.get(reverse("realestate:dashboard") + "?period=today").context
        day = timezone.localdate()
        begin = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        store = personas.store_a.pk
        # units and area per state per building
        rows = {
            (row["building_id"], row["state"]): (row["n"], row["a"])
            for row in Unit.objects.filter(store_id=store)
            .values("building_id", "state")
            .annotate(n=Count("pk"), a=Sum("built_area"))
        }
        for b in context["units"]["buildings"]:
            for code, cell in b["cells"]:
                assert (cell["count"], cell["area"]) == rows.get((b["id"], code), (0, Decimal("0")))
        subscribed = next(t for c, _l, t in context["units"]["totals"] if c == "signed")
        assert subscribed["count"] == 0  # contracts drafted, not signed: the unit stays subscribed
        assert context["units"]["count"] == Unit.objects.filter(store_id=store).count() == 6 + 5
        # the period's subscriptions, contracts and collections
        reviewed = Subscription.objects.filter(store_id=store, approved_at__gte=begin).exclude(state="cancelled")
        assert context["subscriptions"]["count"] == reviewed.count() == 3
        assert context["subscriptions"]["amount"] == sum(s.total_price for s in reviewed)
        signed = Contract.objects.filter(store_id=store, signed_at__gte=begin)
        assert context["contracts"]["count"] == signed.count() == 3
        assert context["contracts"]["amount"] == sum(c.total_price for c in signed)
        receipts = Receipt.objects.filter(store_id=store, taken_at__gte=begin)
        assert context["collections"]["count"] == receipts.count() == 3
        assert context["collections"]["amount"] == sum(r.amount for r in receipts)
        # overdue, lent, waiting
        assert context["overdue"] == Subscription.objects.filter(overdue_at__isnull=False, state="approved").count()
        assert context["overdue"] == 1
        assert context["lent"] == Custody.objects.filter(returned_at__isnull=True).count() == 3
        waiting = ApprovalRequest.objects.filter(kind__startswith="realestate.", state="pending")
        assert [w.pk for w in context["waiting"]] == [w.pk for w in waiting.order_by("created_at")]
        assert context["waiting"][0].routed_role.code == "marketing_director"
        # quota: renames approved by the sales manager against the project's subscriptions
        rename = next(q for q in context["quota"] if q["group"] == "realestate.rename")
        approved = (
            ApprovalDecision.objects.filter(
                decision="approved",
                request__state="approved",
                request__kind="realestate.rename",
                role__code="sales_manager",
            )
            .values("request_id")
            .distinct()
            .count()
        )
        population = Subscription.objects.filter(
            project=site["project"], state__in=["requested", "slip_issued", "paid", "approved", "contracted"]
        ).count()
        assert (rename["counted"], rename["population"], rename["quota"]) == (approved, population, Decimal("30"))
        assert (approved, population) == (3, 4)
        assert rename["share"] == Decimal("15.0")  # 3 of max(4, the floor of 20)
        delay = [q for q in context["quota"] if q["group"] == "realestate.delay"]
        assert {q["role"].code for q in delay} == {"sales_manager", "marketing_director", "general_manager"}
        assert all(q["population"] == 11 and q["counted"] == 0 for q in delay)
        assert building.pk in {b["id"] for b in context["units"]["buildings"]}

    def test_every_figure_links_to_the_records_it_counts(self, personas, site, web):
        building = _sales(personas, site, tag=2, n=2)
        client = web(personas.sales_manager)
        page = client.get(reverse("realestate:dashboard")).content.decode()
        day = timezone.localdate().isoformat()
        records = reverse("realestate:dashboard_records", args=["units"])
        assert f'href="{records}?building={building.pk}&state=subscribed"' in page
        listed = client.get(f"{records}?building={building.pk}&state=subscribed").context["rows"]
        assert len(listed) == Unit.objects.filter(building=building, state="subscribed").count() == 3
        contracts_url = reverse("realestate:dashboard_records", args=["contracts"]) + f"?from={day}&to={day}"
        assert len(client.get(contracts_url).context["rows"]) == 2
        receipts_url = reverse("realestate:dashboard_records", args=["receipts"]) + f"?from={day}&to={day}"
        assert len(client.get(receipts_url).context["rows"]) == Receipt.objects.count() == 2
        assert len(client.get(reverse("realestate:dashboard_records", args=["lent"])).context["rows"]) == 2
        subs = client.get(reverse("realestate:subscriptions") + "?overdue=1").context["page"].object_list
        assert len(subs) == 1
        approved_url = reverse("realestate:dashboard_records", args=["approved"])
        role = personas.sales_manager.memberships.get().role
        rows = client.get(
            f"{approved_url}?project={site['project'].pk}&group=realestate.rename&role={role.pk}"
        ).context["rows"]
        assert len(rows) == 2 and all(r.kind == "realestate.rename" for r in rows)

    def test_periods(self):
        monday = dt.date(2026, 12, 7)
        assert dashboard_period(period="week", day=monday + dt.timedelta(days=3), start=None, end=None) == (
            "week",
            monday,
            monday + dt.timedelta(days=7),
        )
        assert dashboard_period(period="month", day=monday, start=None, end=None)[1:] == (
            dt.date(2026, 12, 1),
            dt.date(2027, 1, 1),
        )
        assert dashboard_period(period="custom", day=monday, start=dt.date(2026, 12, 3), end=dt.date(2026, 12, 1)) == (
            "custom",
            dt.date(2026, 12, 1),
            dt.date(2026, 12, 4),
        )
        assert dashboard_period(period="bogus", day=monday, start=None, end=None) == (
            "today",
            monday,
            monday + dt.timedelta(days=1),
        )


class TestQueriesAndPermissions:
    def test_query_count_is_the_same_for_few_and_many_rows(self, personas, site, web):
        client = web(personas.sales_manager)
        url = reverse("realestate:dashboard") + "?period=month"
        _sales(personas, site, tag=2, n=1)
        client.get(url)
        # 1 session, 2 user, 3 memberships (dashboard stores), 4 projects, 5 subscriptions
        # reviewed, 6 contracts signed, 7 receipts, 8 approvals waiting (role, requester joined),
        # 9 overdue, 10 lent, 11 units per building and state, 12 approved decisions, 13
        # subscriptions per project, 14 units per project, 15 quota rules (role joined), 16 the
        # layout's menu roles
        few = _count(client, url)
        assert few == 16
        _sales(personas, site, tag=3, n=6, renames=2)
        assert _count(client, url) == few
        for what in ("units", "lent"):
            records = reverse("realestate:dashboard_records", args=[what])
            small = _count(client, records)
            _sales(personas, site, tag=4 if what == "units" else 5, n=3, renames=1)
            assert _count(client, records) == small

    @pytest.mark.parametrize("role", ["sales_manager", "marketing_director", "general_manager"])
    def test_the_managers_see_it(self, personas, site, web, role):
        client = web(getattr(personas, role))
        assert client.get(reverse("realestate:dashboard")).status_code == 200
        assert client.get(reverse("realestate:dashboard_records", args=["units"])).status_code == 200

    @pytest.mark.parametrize("role", ["consultant", "sales_assistant", "cashier", "receptionist"])
    def test_others_are_refused(self, personas, site, web, role):
        client = web(getattr(personas, role))
        assert client.get(reverse("realestate:dashboard")).status_code == 403
        assert client.get(reverse("realestate:dashboard_records", args=["lent"])).status_code == 403

    def test_another_store_is_404(self, personas, site, web):
        # store B's manager becomes a sales manager there: store A's figures and records are 404
        MembershipFactory(user=personas.b_manager, store=personas.store_b, role_code="sales_manager")
        client = web(personas.b_manager)
        assert client.get(reverse("realestate:dashboard")).status_code == 200
        assert client.get(reverse("realestate:dashboard") + f"?store={personas.store_a.pk}").status_code == 404
        records = reverse("realestate:dashboard_records", args=["approved"])
        url = f"{records}?project={site['project'].pk}&group=realestate.rename"
        assert client.get(url).status_code == 404
        units = client.get(reverse("realestate:dashboard_records", args=["units"])).context["rows"]
        assert units == []
        assert client.get(reverse("realestate:dashboard_records", args=["nothing"])).status_code == 404

    def test_the_menu_has_the_dashboard_for_managers_only(self, personas, site, web):
        page = web(personas.marketing_director).get(reverse("realestate:report")).content.decode()
        assert reverse("realestate:dashboard") in page
        page = web(personas.consultant).get(reverse("realestate:subscriptions")).content.decode()
        assert reverse("realestate:dashboard") not in page
