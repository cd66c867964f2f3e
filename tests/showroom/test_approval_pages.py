"""Approval pages: inbox and my requests, one-click decisions, query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from showroom.models import ApprovalRequest
from showroom.services.approvals import approval_request_create
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

KIND = "realestate.exchange_larger"  # sales manager, no limit, no quota


def file_requests(personas, n, requester=None):
    out = []
    for i in range(n):
        target = CustomerFactory(store=personas.store_a, name=f"换房客户{i}")
        out.append(
            approval_request_create(
                target=target,
                kind=KIND,
                store=personas.store_a,
                requester=requester or personas.consultant,
                reason="客户申请换大户型",
                value=Decimal(0),
            )
        )
    return out


def test_inbox_page_approve_in_one_click(personas, web):
    (request,) = file_requests(personas, 1)
    client = web(personas.sales_manager)
    page = client.get(reverse("approvals:inbox"))
    assert "换房客户0" in page.content.decode()
    response = client.post(reverse("approvals:decide", args=[request.pk, "approve"]), {"next": "inbox"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "approved"


def test_reject_without_reason_is_refused_with_a_message(personas, web):
    (request,) = file_requests(personas, 1)
    client = web(personas.sales_manager)
    response = client.post(reverse("approvals:decide", args=[request.pk, "reject"]), {"note": ""}, follow=True)
    assert "Say why" in response.content.decode()
    request.refresh_from_db()
    assert request.state == "pending"


def test_consultant_cannot_approve_through_the_page(personas, web):
    (request,) = file_requests(personas, 1, requester=personas.receptionist)
    response = web(personas.consultant).post(reverse("approvals:decide", args=[request.pk, "approve"]), follow=True)
    request.refresh_from_db()
    assert request.state == "pending"
    assert response.status_code == 200


def test_detail_shows_timeline_and_only_allowed_buttons(personas, web):
    (request,) = file_requests(personas, 1)
    page = web(personas.consultant).get(reverse("approvals:detail", args=[request.pk])).content.decode()
    assert reverse("approvals:decide", args=[request.pk, "withdraw"]) in page
    assert reverse("approvals:decide", args=[request.pk, "approve"]) not in page
    assert 'data-testid="timeline"' in page


def test_other_store_gets_404(personas, web):
    (request,) = file_requests(personas, 1)
    assert web(personas.b_manager).get(reverse("approvals:detail", args=[request.pk])).status_code == 404


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "who"),
    [
        ("approvals:inbox", "sales_manager"),
        ("approvals:mine", "consultant"),
        ("approval-list", "sales_manager"),
    ],
)
def test_inbox_and_my_requests_queries_do_not_grow(personas, web, api, url_name, who, django_assert_num_queries):
    user = getattr(personas, who)
    client = api(user) if url_name == "approval-list" else web(user)
    url = reverse(url_name)
    if url_name == "approval-list":
        url += "?box=inbox"
    file_requests(personas, 3)
    client.get(url)
    few = _count(client, url)
    file_requests(personas, 30)
    many = _count(client, url)
    assert few == many
    assert ApprovalRequest.objects.count() == 33
    expected = {
        # session, user, memberships, role ids, count, page (requests with store, requester,
        # role, content type)
        "approval-list": 6,
        # + the user's stores for the switcher, and the store filter's choices
        "approvals:inbox": 8,
        # session, user, memberships, user's stores (switcher), count, page
        "approvals:mine": 6,
    }[url_name]
    with django_assert_num_queries(expected):
        client.get(url)
