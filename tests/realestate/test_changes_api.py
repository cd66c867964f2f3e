"""Changes through the API and the pages: who may ask, who may carry out each step, other stores
(404), field errors, and the query counts of the change lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from realestate.models import ChangeRequest
from realestate.services import changes as ch
from showroom.models import ApprovalRequest
from showroom.services.approvals import approval_approve
from tests.factories import CustomerFactory
from tests.realestate.conftest import subscribe_through

pytestmark = pytest.mark.django_db

URL = "/api/v1/realestate/changes/"


def _payload(kind, sub, personas, site):
    other = CustomerFactory(store=personas.store_a, mobile="+8613922222222")
    return {
        "rename": {"new_customer": other.pk},
        "extra_discount": {"percent": "1"},
        "exchange": {"new_unit": site["units"][1].pk},
        "cancel": {"deductions": "0"},
        "delay": {"days": 7, "keep_discount": True},
    }[kind] | {"subscription": sub.pk, "kind": kind, "reason": "客户要求"}


@pytest.mark.parametrize("kind", [k for k, _l in ChangeRequest.Kind.choices])
@pytest.mark.parametrize(
    ("role", "status"),
    [("consultant", 201), ("cashier", 403)],
)
def test_who_may_ask_for_each_change(api, personas, site, buyer, kind, role, status):
    sub = subscribe_through(personas, site["units"][0], buyer)
    response = api(getattr(personas, role)).post(URL, _payload(kind, sub, personas, site), format="json")
    assert response.status_code == status, response.content
    assert ChangeRequest.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize("kind", [k for k, _l in ChangeRequest.Kind.choices])
def test_another_stores_subscription_is_404(api, personas, site, buyer, kind):
    sub = subscribe_through(personas, site["units"][0], buyer)
    response = api(personas.b_consultant).post(URL, _payload(kind, sub, personas, site), format="json")
    assert response.status_code == 404
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("kind", "approver", "refused"),
    [
        ("rename", "sales_manager", "consultant"),
        ("extra_discount", "sales_manager", "sales_assistant"),
        ("exchange", "sales_manager", "cashier"),
        ("cancel", "marketing_director", "sales_manager"),
        ("delay", "sales_manager", "consultant"),
    ],
)
def test_who_may_approve_each_change(api, personas, site, buyer, kind, approver, refused):
    sub = subscribe_through(personas, site["units"][0], buyer)
    created = api(personas.consultant).post(URL, _payload(kind, sub, personas, site), format="json").json()
    approval = created["approval"]
    denied = api(getattr(personas, refused)).post(
        f"/api/v1/approvals/{approval}/transitions/approve/", {}, format="json"
    )
    assert denied.status_code in (403, 404)
    approval_approve(request=ApprovalRequest.objects.get(pk=approval), user=getattr(personas, approver))
    assert ChangeRequest.objects.get().state in ("approved", "done")


def test_the_steps_after_a_cancellation_are_each_one_roles(api, personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    change = ch.change_cancel_request(user=personas.consultant, subscription=sub, reason="x")
    approval_approve(request=ApprovalRequest.objects.get(pk=change.approval_id), user=personas.marketing_director)
    base = f"{URL}{change.pk}/"
    assert api(personas.cashier).post(f"{base}bureau/", {}, format="json").status_code == 403
    assert api(personas.b_manager).post(f"{base}bureau/", {}, format="json").status_code == 404
    assert api(personas.sales_assistant).post(f"{base}compute_refund/", {}, format="json").status_code == 403
    assert api(personas.finance).post(f"{base}compute_refund/", {}, format="json").status_code == 409  # bureau first
    assert api(personas.sales_assistant).post(f"{base}bureau/", {}, format="json").status_code == 200
    assert api(personas.finance).post(f"{base}compute_refund/", {}, format="json").json()["refund_amount"] == "50000.00"
    assert api(personas.finance).post(f"{base}pay_refund/", {}, format="json").status_code == 403
    response = api(personas.cashier).post(f"{base}pay_refund/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "done"


def test_bad_input_is_400_with_fields_and_a_closed_window_409(api, personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    client = api(personas.consultant)
    bad = client.post(URL, {"subscription": sub.pk, "kind": "delay", "days": 61, "keep_discount": False, "reason": "x"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"days"}
    bad = client.post(URL, {"subscription": sub.pk, "kind": "extra_discount", "percent": "1", "reason": " "})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"reason"}
    sub_requested = subscribe_through(personas, site["units"][2], CustomerFactory(store=personas.store_a), upto="pay")
    late = client.post(URL, {"subscription": sub_requested.pk, "kind": "delay", "days": 7, "reason": "x"})
    assert late.status_code == 409


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _many_changes(personas, site, n):
    for unit in site["units"][:n]:
        sub = subscribe_through(personas, unit, CustomerFactory(store=personas.store_a), upto="create")
        ch.change_discount_request(user=personas.consultant, subscription=sub, percent="1", reason="x")


def test_the_change_lists_query_counts_are_flat(api, web, personas, site, django_assert_num_queries):
    _many_changes(personas, site, 1)
    api_client = api(personas.sales_manager)
    # session, user, the user's store ids, count, the page of changes with their joins
    with django_assert_num_queries(5):
        assert api_client.get(URL).status_code == 200
    page = web(personas.sales_manager)
    few = _count(page, "/realestate/changes/")
    _many_changes(personas, {"units": site["units"][1:]}, 5)
    with django_assert_num_queries(5):
        assert len(api_client.get(URL).json()["results"]) == 6
    assert _count(page, "/realestate/changes/") == few
    # session, user, memberships for the menu and the store switcher, the user's store ids, the changes
    with django_assert_num_queries(few):
        page.get("/realestate/changes/")


def test_the_pages_show_field_errors_and_file_the_request(web, personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    client = web(personas.consultant)
    assert client.get(f"/realestate/subscriptions/{sub.pk}/changes/").status_code == 200
    section = client.get(f"/realestate/subscriptions/{sub.pk}/changes/section/")
    assert section.status_code == 200 and b"changes-section" in section.content
    bad = client.post(f"/realestate/subscriptions/{sub.pk}/changes/extra_discount/", {"percent": "x", "reason": ""})
    assert bad.status_code == 400 and b"invalid-feedback" in bad.content
    bad = client.post(
        f"/realestate/subscriptions/{sub.pk}/changes/rename/", {"mobile": "+8613000000000", "reason": "x"}
    )
    assert bad.status_code == 400
    ok = client.post(
        f"/realestate/subscriptions/{sub.pk}/changes/delay/", {"days": "7", "keep_discount": "1", "reason": "x"}
    )
    assert ok.status_code == 302 and ChangeRequest.objects.get().kind == "delay"
    again = client.post(f"/realestate/subscriptions/{sub.pk}/changes/extra_discount/", {"percent": "1", "reason": "x"})
    assert again.status_code == 409  # one open change at a time
    assert web(personas.b_consultant).get(f"/realestate/subscriptions/{sub.pk}/changes/").status_code == 404
    assert (
        web(personas.cashier).post(f"/realestate/subscriptions/{sub.pk}/changes/delay/", {"days": "7"}).status_code
        == 403
    )
