"""Numbers under concurrency, on PostgreSQL with real transactions: 20 threads get 20 distinct,
consecutive numbers, also when the sequence row does not exist yet."""

import threading

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from showroom.models import Document, DocumentSequence
from showroom.registry import DocumentType, register_document_type, unregister
from showroom.services.documents import document_issue, document_number_allocate
from tests.factories import CustomerFactory, StoreFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


@pytest.fixture(autouse=True)
def fake_type():
    register_document_type(DocumentType(code="ZZRACE", prefix="ZR", label="race", template="showroom/generic.html"))
    yield
    unregister("document_types", "ZZRACE")


def run_in_threads(work) -> tuple[list, list]:
    """Run ``work()`` in THREADS threads released at once by a barrier; each thread closes its
    own database connection."""
    barrier = threading.Barrier(THREADS)
    results, errors = [], []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait(timeout=30)
            value = work()
            with lock:
                results.append(value)
        except Exception as exc:  # collected and asserted below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def test_twenty_threads_get_twenty_consecutive_numbers_from_a_missing_sequence():
    # given a store and no sequence row yet: the threads also race to create it
    store = StoreFactory()
    assert not DocumentSequence.objects.exists()

    def allocate():
        with transaction.atomic():
            return document_number_allocate(doc_type="ZZRACE", store=store)

    # when twenty threads allocate at the same moment
    numbers, errors = run_in_threads(allocate)
    # then each got its own number and together they are 1..20 without a gap
    assert errors == []
    assert len(set(numbers)) == THREADS
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, THREADS + 1))
    sequence = DocumentSequence.objects.get(doc_type="ZZRACE")
    assert (sequence.scope, sequence.last_number) == (f"store:{store.pk}", THREADS)


def test_twenty_threads_issuing_documents_with_some_rolled_back_leave_no_gap(monkeypatch):
    # given an existing sequence, and threads whose record transaction fails for every third one
    store = StoreFactory()
    customer = CustomerFactory(store=store)
    monkeypatch.setattr("showroom.services.documents._schedule_render", lambda document_id: None)
    with transaction.atomic():
        document_number_allocate(doc_type="ZZRACE", store=store)  # number 1, issued elsewhere
    counter = iter(range(THREADS))
    counter_lock = threading.Lock()

    class RolledBack(Exception):
        pass

    def issue():
        with counter_lock:
            index = next(counter)
        with transaction.atomic():
            document = document_issue(doc_type="ZZRACE", target=customer, store=store, user=None)
            if index % 3 == 0:
                raise RolledBack(document.number)
        return document.number

    # when they all issue at once
    numbers, errors = run_in_threads(issue)
    # then the committed documents hold 2..n+1 exactly: the rolled-back numbers were reused
    rolled_back = [e for e in errors if isinstance(e, RolledBack)]
    assert len(rolled_back) + len(numbers) == THREADS and len(rolled_back) == 7
    assert [e for e in errors if not isinstance(e, RolledBack)] == []
    stored = sorted(int(n.rsplit("-", 1)[1]) for n in Document.objects.values_list("number", flat=True))
    assert stored == list(range(2, len(numbers) + 2))
    assert DocumentSequence.objects.get(doc_type="ZZRACE").last_number == len(numbers) + 1


def test_allocating_outside_a_transaction_is_refused():
    # given autocommit (no transaction.atomic around the call)
    store = StoreFactory()
    # then the number is refused, because it could not commit with its record
    with pytest.raises(TransactionManagementError):
        document_number_allocate(doc_type="ZZRACE", store=store)
    assert not DocumentSequence.objects.exists()
