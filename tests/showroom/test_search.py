"""The global search: customers by name, any four digits of the mobile, the ID number (only for the
roles that may see it) and the plate of a walk-in; leads and documents; the user's stores only;
a constant number of queries; apps add kinds through the registry."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leads.models import AppraisalRequest, Lead
from showroom.models import Customer, Document
from showroom.registry import SearchHit, SearchProvider, register_search_provider, search_providers, unregister
from showroom.selectors.search import search_everything
from tests.factories import CustomerFactory
from tests.showroom.test_frontdesk import frozen, walk_in  # noqa: F401  (frozen: autouse clock)

pytestmark = pytest.mark.django_db


def names(results, kind="customers") -> list[str]:
    return [hit.label for hit in results.get(kind, [])]


def fresh(user):
    """The user as a new request loads it (no memberships cached yet)."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_last_four_digits_of_the_mobile_find_the_customer(personas):
    # given
    CustomerFactory(store=personas.store_a, name="王小明", mobile="13812345678")
    CustomerFactory(store=personas.store_a, name="李四", mobile="13900001111")
    # when
    results = search_everything(user=personas.consultant, q="5678")
    # then
    assert names(results) == ["王小明"]
    hit = results["customers"][0]
    assert hit.detail.startswith("138****5678")
    assert "13812345678" not in hit.detail
    assert hit.url == reverse("customers:detail", args=[Customer.objects.get(name="王小明").pk])


def test_any_part_of_the_mobile_and_the_name_find_the_customer(personas):
    # given / when / then: digits anywhere in the mobile; a name by its start (two characters)
    # or anywhere (three or more)
    CustomerFactory(store=personas.store_a, name="王小明", mobile="13812345678")
    assert names(search_everything(user=personas.consultant, q="2345")) == ["王小明"]
    assert names(search_everything(user=personas.consultant, q="138 1234 5678")) == ["王小明"]
    assert names(search_everything(user=personas.consultant, q="小明")) == []  # two characters: a prefix
    assert names(search_everything(user=personas.consultant, q="王小")) == ["王小明"]
    CustomerFactory(store=personas.store_a, name="欧阳小明", mobile="13800000000")
    assert names(search_everything(user=personas.consultant, q="阳小明")) == ["欧阳小明"]  # three: contains
    assert search_everything(user=personas.consultant, q="567") == {}  # three digits are not enough


def test_the_plate_of_a_walk_in_finds_its_customer(personas):
    # given a walk-in that drove in with 沪A12345 and named the customer by mobile
    known = CustomerFactory(store=personas.store_a, name="赵六", mobile="13955550000")
    walk_in(personas, customer_mobile="13955550000", licence_plate="沪A12345")
    CustomerFactory(store=personas.store_a, name="钱七", mobile="13966660000")
    # when
    whole = search_everything(user=personas.consultant, q="沪A12345")
    part = search_everything(user=personas.consultant, q="a123")
    # then
    assert names(whole) == [known.name]
    assert names(part) == [known.name]


def test_another_stores_customer_is_never_shown(personas):
    # given the same last digits in both stores, and a walk-in plate in store B
    CustomerFactory(store=personas.store_a, name="甲店客户", mobile="13812345678")
    CustomerFactory(store=personas.store_b, name="乙店客户", mobile="13912345678", id_number="110101199003077777")
    # when / then: each store sees its own
    assert names(search_everything(user=personas.consultant, q="5678")) == ["甲店客户"]
    assert names(search_everything(user=personas.b_consultant, q="5678")) == ["乙店客户"]
    assert search_everything(user=personas.general_manager, q="乙店") == {}
    assert search_everything(user=personas.consultant, q="19900307") == {}


def test_the_api_never_shows_another_stores_customer(personas, api):
    CustomerFactory(store=personas.store_b, name="乙店客户", mobile="13912345678")
    response = api(personas.consultant).get(reverse("search-api"), {"q": "5678"})
    assert response.status_code == 200
    assert response.json() == {"q": "5678", "groups": []}
    response = api(personas.b_manager).get(reverse("search-api"), {"q": "5678"})
    assert [hit["label"] for hit in response.json()["groups"][0]["hits"]] == ["乙店客户"]


@pytest.mark.parametrize(
    ("role", "found"),
    [
        ("consultant", True),
        ("receptionist", True),
        ("showroom_manager", True),
        ("warehouse_keeper", False),
        ("qc_inspector", False),
        ("purchasing", False),
    ],
)
def test_the_id_number_matches_only_for_the_roles_that_may_see_it(personas, role, found):
    # given a customer whose ID number shares nothing with the name or mobile
    CustomerFactory(store=personas.store_a, name="孙八", mobile="13700000001", id_number="110101199003077777")
    # when
    results = search_everything(user=getattr(personas, role), q="199003077777")
    # then
    assert names(results) == (["孙八"] if found else [])
    # the name still finds the customer for everybody, masked
    assert names(search_everything(user=getattr(personas, role), q="孙八")) == ["孙八"]


def test_document_numbers_exact_or_prefix_in_the_users_stores(personas):
    customer = CustomerFactory(store=personas.store_a)
    content_type = ContentType.objects.get_for_model(Customer)
    for store, number, version in [
        (personas.store_a, "QT-A-2026-000123", 1),
        (personas.store_a, "QT-A-2026-000123", 2),
        (personas.store_a, "QT-A-2026-000124", 1),
        (personas.store_b, "QT-B-2026-000123", 1),
    ]:
        Document.objects.create(
            doc_type="quote", number=number, version=version, store=store, content_type=content_type, object_id=1
        )
    exact = search_everything(user=personas.consultant, q="qt-a-2026-000123")
    prefix = search_everything(user=personas.consultant, q="QT-")
    assert [hit.label.split()[-1] for hit in exact["documents"]] == ["QT-A-2026-000123"]
    assert exact["documents"][0].detail.startswith("v2 ")  # the latest version
    assert [hit.label.split()[-1] for hit in prefix["documents"]] == ["QT-A-2026-000123", "QT-A-2026-000124"]
    assert "documents" not in search_everything(user=personas.consultant, q="2026-000123")  # not a prefix
    assert customer.pk  # the documents' target exists


def test_leads_by_customer_and_trade_in_plate(personas):
    customer = CustomerFactory(store=personas.store_a, name="周九", mobile="13811112222")
    lead = Lead.objects.create(
        store=personas.store_a, customer=customer, consultant=personas.consultant, source="walk_in"
    )
    AppraisalRequest.objects.create(
        lead=lead,
        store=personas.store_a,
        car_details="大众 帕萨特 2019",
        licence_plate="京B54321",
        requested_by=personas.consultant,
    )
    other = CustomerFactory(store=personas.store_b, name="周九", mobile="13811112222")
    Lead.objects.create(store=personas.store_b, customer=other, consultant=personas.b_consultant, source="walk_in")
    by_plate = search_everything(user=personas.consultant, q="京B54321")
    by_mobile = search_everything(user=personas.consultant, q="2222")
    assert [hit.url for hit in by_plate["leads"]] == [reverse("leads:detail", args=[lead.pk])]
    assert [hit.url for hit in by_mobile["leads"]] == [reverse("leads:detail", args=[lead.pk])]
    assert "customers" not in by_plate  # the plate is the appraisal's, not a walk-in's


def _populate(personas, count: int, start: int) -> None:
    for i in range(start, start + count):
        customer = CustomerFactory(store=personas.store_a, name=f"客户{i}", mobile=f"138{i:04d}5678")
        Lead.objects.create(store=personas.store_a, customer=customer, consultant=personas.consultant, source="walk_in")


def count_queries(user, q: str) -> tuple[int, dict]:
    user = fresh(user)
    with CaptureQueriesContext(connection) as ctx:
        results = search_everything(user=user, q=q)
    return len(ctx.captured_queries), results


def test_the_search_costs_the_same_for_5_and_50_customers(personas):
    # given 5 matching customers with a lead each
    _populate(personas, 5, 0)
    # when
    five, results_five = count_queries(personas.consultant, "5678")
    _populate(personas, 45, 5)
    fifty, results_fifty = count_queries(personas.consultant, "5678")
    # then: 1 the user's memberships (store_ids_for), 2 the walk-ins' customers with a plate like
    # "5678", 3 the customers (name, mobile or those ids, with their store), 4 the appraisals' leads
    # with that plate, 5 the leads (with customer, store, consultant and vehicle model),
    # 6 the documents by number prefix
    assert five == fifty == 6
    assert len(results_five["customers"]) == 5
    assert len(results_fifty["customers"]) == len(results_fifty["leads"]) == 8  # limit per kind


def test_a_name_search_skips_the_plate_queries(personas):
    _populate(personas, 5, 0)
    # 1 memberships, 2 customers, 3 leads, 4 documents: a Chinese name cannot be a plate
    assert count_queries(personas.consultant, "客户")[0] == 4


def test_the_api_costs_the_same_for_5_and_50_customers(personas, api, django_assert_num_queries):
    client = api(personas.consultant)
    _populate(personas, 5, 0)
    url = reverse("search-api")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"q": "5678"}).status_code == 200
    five = len(ctx.captured_queries)
    _populate(personas, 45, 5)
    # the session and the user, then the six queries of the search
    with django_assert_num_queries(five):
        response = client.get(url, {"q": "5678"})
    assert five == 8
    groups = {group["kind"]: group for group in response.json()["groups"]}
    assert len(groups["customers"]["hits"]) == 8
    assert set(groups["customers"]["hits"][0]) == {"kind", "label", "detail", "url"}


@pytest.mark.parametrize("q", ["", "a", " 5 "])
def test_the_api_refuses_a_query_shorter_than_two_characters(personas, api, q):
    response = api(personas.consultant).get(reverse("search-api"), {"q": q})
    assert response.status_code == 400
    assert "q" in response.json()["fields"]


def test_the_api_needs_a_login(api):
    assert api().get(reverse("search-api"), {"q": "5678"}).status_code in (401, 403)


def test_a_registered_provider_appears_and_is_gone_once_unregistered(personas, api):
    # given an app's fake kind
    seen = {}

    def fake_search(*, user, q, store_ids, limit):
        seen.update(user=user, store_ids=store_ids, limit=limit)
        return [SearchHit(kind="fake", label=f"VIN {q}", detail="test", url="/fake/")]

    register_search_provider(SearchProvider(kind="fake", label="Fake", func=fake_search, order=1))
    try:
        # when
        results = search_everything(user=personas.b_consultant, q="LSVAB1234", limit_per_kind=3)
        body = api(personas.consultant).get(reverse("search-api"), {"q": "LSVAB1234"}).json()
    finally:
        unregister("search_providers", "fake")
    # then it came first (order 1), with the user's stores and the limit
    assert list(results) == ["fake"]
    assert results["fake"][0].label == "VIN LSVAB1234"
    assert seen["store_ids"] == [personas.store_a.pk]  # the last call: the API's consultant of A
    assert seen["limit"] == 8
    assert body["groups"][0] == {
        "kind": "fake",
        "label": "Fake",
        "hits": [{"kind": "fake", "label": "VIN LSVAB1234", "detail": "test", "url": "/fake/"}],
    }
    assert "fake" not in {p.kind for p in search_providers()}
    assert search_everything(user=personas.consultant, q="LSVAB1234") == {}


def test_the_page_groups_the_hits_by_kind(personas, web):
    customer = CustomerFactory(store=personas.store_a, name="王小明", mobile="13812345678")
    Lead.objects.create(store=personas.store_a, customer=customer, consultant=personas.consultant, source="walk_in")
    response = web(personas.consultant).get(reverse("search:results"), {"q": "5678"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="search-group-customers"' in html
    assert 'data-testid="search-group-leads"' in html
    assert html.index("search-group-customers") < html.index("search-group-leads")
    assert "王小明" in html and "138****5678" in html and "13812345678" not in html


def test_the_page_has_an_empty_state_and_asks_for_two_characters(personas, web):
    client = web(personas.consultant)
    empty = client.get(reverse("search:results"), {"q": "没有这个人"}).content.decode()
    short = client.get(reverse("search:results"), {"q": "王"}).content.decode()
    assert 'data-testid="search-empty"' in empty
    assert 'data-testid="search-too-short"' in short


def test_every_page_has_the_search_box(personas, web):
    html = web(personas.consultant).get(reverse("home")).content.decode()
    assert 'id="global-search"' in html
    assert f'action="{reverse("search:results")}"' in html


def test_the_page_needs_a_login(client):
    response = client.get(reverse("search:results"), {"q": "5678"})
    assert response.status_code == 302
