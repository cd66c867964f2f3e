"""Pages: the grid (query counts constant from 100 to 2,000 units), the live poll, the
subscription list, the 409 of the unit panel."""

import pytest
from django.urls import reverse

from realestate.models import Building, Subscription, Unit
from tests.realestate.conftest import subscribe_through
from tests.realestate.factories import units_make

pytestmark = pytest.mark.django_db


# One page load of the grid:
#  1 session, 2 user, 3 memberships (roles) — the frame's user and store
#  then the page's own: project (scoped), price list in force, its base prices, units with
#  building and holder, totals per state, the change stamp, the permits (+ their buildings)
#  plus the frame's menu/notifications. Measured once and pinned: the same for 100 and 2,000.
def _grid_queries(web, personas, project, django_assert_max_num_queries, count_holder):
    client = web(personas.consultant)
    client.get(reverse("realestate:grid", args=[project.pk]))  # warm the caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("realestate:grid", args=[project.pk]))
    assert response.status_code == 200
    count_holder.append(len(ctx.captured_queries))


def test_grid_queries_do_not_grow_with_units(web, personas, site, django_assert_max_num_queries):
    project, _building = site["project"], site["building"]
    counts = []
    # 100 units
    units_make(project=project, building=Building.objects.create(project=project, name="2号楼"), floors=47, per_floor=2)
    assert Unit.objects.filter(project=project).count() == 100
    _grid_queries(web, personas, project, django_assert_max_num_queries, counts)
    # 2,000 units
    units_make(
        project=project, building=Building.objects.create(project=project, name="3号楼"), floors=95, per_floor=20
    )
    assert Unit.objects.filter(project=project).count() == 2000
    _grid_queries(web, personas, project, django_assert_max_num_queries, counts)
    assert counts[0] == counts[1], counts


def test_grid_page_query_count(web, personas, site, django_assert_num_queries):
    client = web(personas.consultant)
    url = reverse("realestate:grid", args=[site["project"].pk])
    client.get(url)
    # 1 session, 2 user, 3 memberships with roles, 4 project (scoped), 5 price list in force,
    # 6 its base prices, 7 units with building and holder, 8 totals per state, 9 change stamp,
    # 10 permits, 11 the permits' buildings, 12 the frame's stores
    with django_assert_num_queries(12):
        client.get(url)


def _measured(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_live_poll_answers_204_while_nothing_changed_and_the_grid_after_a_change(web, personas, site, buyer):
    client = web(personas.consultant)
    page = client.get(reverse("realestate:grid", args=[site["project"].pk]))
    stamp = page.context["stamp"]
    live = reverse("realestate:grid_live", args=[site["project"].pk])
    assert client.get(live, {"v": stamp}).status_code == 204
    subscribe_through(personas, site["units"][0], buyer, upto="issue_slip")
    changed = client.get(live, {"v": stamp})
    assert changed.status_code == 200
    assert (
        f'data-unit="{site["units"][0].pk}"\n                          data-state="subscribed"'
        in changed.content.decode()
        or ('data-state="subscribed"' in changed.content.decode())
    )


def test_subscription_list_queries_are_constant(web, personas, site, buyer, django_assert_num_queries):
    client = web(personas.sales_manager)
    url = reverse("realestate:subscriptions")
    subscribe_through(personas, site["units"][0], buyer, upto="issue_slip")
    one = _measured(client, url)
    for unit in site["units"][1:]:
        subscribe_through(personas, unit, buyer, upto="issue_slip")
    # 1 session, 2 user, 3 memberships with roles, 4 the frame's stores, 5 the page's count,
    # 6 the subscriptions joined with unit, building, customer, consultant and project
    assert one == 6
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 6


def test_subscription_list_exports_exactly_its_filtered_rows(web, personas, site, buyer):
    # given two subscriptions, one still waiting for its slip and one with the slip issued
    subscribe_through(personas, site["units"][0], buyer, upto="issue_slip")
    subscribe_through(personas, site["units"][1], buyer)
    issued = Subscription.objects.get(unit=site["units"][0])
    client = web(personas.sales_manager)
    # when the list filtered to one state is exported
    text = b"".join(
        client.get(reverse("realestate:subscriptions"), {"state": issued.state, "export": "csv"}).streaming_content
    ).decode("utf-8-sig")
    # then the file holds exactly that row
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert f"{site['units'][0].building.name}-{site['units'][0].number}" in lines[1]


def test_the_unit_panel_answers_409_naming_the_holder(web, personas, site, buyer):
    subscribe_through(personas, site["units"][0], buyer, upto="issue_slip")
    client = web(personas.consultant)
    response = client.post(
        reverse("realestate:subscribe", args=[site["units"][0].pk]),
        {"mobile": "13900001111", "name": "李娜", "consent": "on", "payment_method": "full", "deposit": "1000"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "Subscribed" in response.content.decode() or "已认购" in response.content.decode()


def test_another_stores_user_cannot_see_the_grid(web, personas, site):
    response = web(personas.b_consultant).get(reverse("realestate:grid", args=[site["project"].pk]))
    assert response.status_code == 404
