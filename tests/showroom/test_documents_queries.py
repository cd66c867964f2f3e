"""Query counts of a record's documents (API list, the htmx partial) and of the record's timeline
stay flat as its documents grow."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from showroom.models import Document
from showroom.selectors.documents import documents_source
from showroom.selectors.timeline import timeline_for
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def add_documents(customer, user, n: int, start: int = 1) -> None:
    """``n`` numbers of the record, each with a ready version 1 and a pending version 2."""
    ct = ContentType.objects.get_for_model(customer)
    rows = []
    for i in range(start, start + n):
        number = f"ZZ-2026-{i:06d}"
        for version, state in ((1, Document.State.READY), (2, Document.State.PENDING)):
            rows.append(
                Document(
                    doc_type="ZZQ",
                    number=number,
                    version=version,
                    store=customer.store,
                    content_type=ct,
                    object_id=customer.pk,
                    state=state,
                    file=f"documents/2026/01/{number}-v{version}.pdf" if state == "ready" else "",
                    sha256="0" * 64,
                    pages=1,
                    created_by=user,
                )
            )
    Document.objects.bulk_create(rows)


@pytest.fixture
def customer(personas):
    return CustomerFactory(store=personas.store_a)


def test_api_list_of_a_records_documents_is_flat(personas, customer, api, django_assert_num_queries):
    client = api(personas.consultant)
    url = reverse("document-list")
    params = {"content_type": "showroom.customer", "object_id": customer.pk}
    add_documents(customer, personas.consultant, 2)
    client.get(url, params)  # warm the session and content-type caches
    few = count_queries(lambda: client.get(url, params))
    add_documents(customer, personas.consultant, 10, start=3)
    many = count_queries(lambda: client.get(url, params))
    assert few == many
    # 1 session, 2 user, 3 the user's memberships, 4 count, 5 the page of documents with their
    # store, content type and author (one join)
    with django_assert_num_queries(5):
        response = client.get(url, params)
    assert response.json()["count"] == 24


def test_documents_partial_is_flat(personas, customer, web, django_assert_num_queries):
    client = web(personas.consultant)
    ct = ContentType.objects.get_for_model(customer)
    url = reverse("documents:for_record", args=[ct.pk, customer.pk])
    add_documents(customer, personas.consultant, 2)
    client.get(url)
    few = count_queries(lambda: client.get(url))
    add_documents(customer, personas.consultant, 20, start=3)
    many = count_queries(lambda: client.get(url))
    assert few == many
    # 1 session, 2 user, 3 memberships, 4 the record's documents with store, content type and
    # author (one join)
    with django_assert_num_queries(4):
        page = client.get(url)
    assert page.content.decode().count("bi-file-earmark-pdf") == 22  # one download link per ready version


def test_timeline_documents_source_is_one_query(personas, customer, django_assert_num_queries):
    ct = ContentType.objects.get_for_model(customer)
    add_documents(customer, personas.consultant, 2)
    # 1 the record's document versions with their author (one join)
    with django_assert_num_queries(1):
        few = documents_source(customer, ct)
    add_documents(customer, personas.consultant, 25, start=3)
    with django_assert_num_queries(1):
        many = documents_source(customer, ct)
    assert (len(few), len(many)) == (4, 54)


def test_timeline_of_a_record_is_flat_with_few_and_many_documents(personas, customer):
    add_documents(customer, personas.consultant, 2)
    timeline_for(target=customer)  # warm the content-type cache
    few = count_queries(lambda: timeline_for(target=customer))
    add_documents(customer, personas.consultant, 25, start=3)
    many = count_queries(lambda: timeline_for(target=customer))
    assert few == many
    entries = [e for e in timeline_for(target=customer) if e.kind == "document"]
    assert len(entries) == 54
