"""Writes of the documents engine: numbers, issuing, re-rendering and rendering.

Numbers are gap-free per document type, scope (a store, a project, or global) and year: the
sequence row is locked and incremented in the transaction that creates the record, so a number is
issued exactly when its record commits, and a rolled-back record's number goes to the next one.
``QT-2026-000123`` for yearly types, ``VIP-000123`` for types numbered without a year.

A document is issued as version 1 in state ``pending``; after the transaction commits, a Celery
task renders its PDF (``document_render``), stores the file with its SHA-256 and marks it
``ready`` (or ``failed`` with the error). A re-render is a new version with the same number; the
old versions and their files are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Document, DocumentSequence, Store
from showroom.pdf import render_pdf_document
from showroom.permissions import roles_in
from showroom.registry import DocumentType, document_type

logger = logging.getLogger(__name__)

_CREATE_ATTEMPTS = 5


class UnknownDocumentType(LookupError):
    """No app registered a document type with this code."""


def _registered(code: str) -> DocumentType:
    entry = document_type(code)
    if entry is None:
        raise UnknownDocumentType(f"No document type {code!r} is registered (register_document_type).")
    return entry


def document_scope(*, doc_type: DocumentType, store: Store | int | None, target=None) -> str:
    """The numbering scope of a record: ``store:<id>``, the project's ``scope_of(target=…)``, or
    ``global``."""
    if doc_type.scope == "global":
        return "global"
    if doc_type.scope == "project":
        if doc_type.scope_of is None or target is None:
            raise ValueError(f"Document type {doc_type.code} is numbered per project: it needs scope_of and a target.")
        scope = str(doc_type.scope_of(target=target))
        if not scope or len(scope) > DocumentSequence._meta.get_field("scope").max_length:
            raise ValueError(f"Document type {doc_type.code}: scope_of returned an unusable scope {scope!r}.")
        return scope
    if doc_type.scope != "store":
        raise ValueError(f"Document type {doc_type.code} has an unknown scope {doc_type.scope!r}.")
    if store is None:
        raise ValueError(f"Document type {doc_type.code} is numbered per store: it needs the store.")
    return f"store:{store if isinstance(store, int) else store.pk}"


def _local_year(on: dt.datetime | dt.date | None) -> int:
    if on is None:
        on = timezone.now()
    if isinstance(on, dt.datetime):
        if timezone.is_naive(on):
            on = timezone.make_aware(on, timezone.get_default_timezone())
        return timezone.localtime(on, timezone.get_default_timezone()).year
    return on.year


def document_number_format(*, doc_type: DocumentType, year: int, n: int) -> str:
    if doc_type.yearly:
        return f"{doc_type.prefix}-{year}-{n:06d}"
    return f"{doc_type.prefix}-{n:06d}"


def _locked_sequence(*, code: str, scope: str, year: int) -> DocumentSequence:
    """The sequence row, locked until the caller's transaction ends; created when missing, safe
    against two transactions creating it at once (the loser waits on the unique key, gets an
    IntegrityError inside its savepoint, and locks the winner's row)."""
    locked = DocumentSequence.objects.select_for_update()
    for _attempt in range(_CREATE_ATTEMPTS):
        try:
            return locked.get(doc_type=code, scope=scope, year=year)
        except DocumentSequence.DoesNotExist:
            pass
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(doc_type=code, scope=scope, year=year, last_number=0)
        except IntegrityError:
            continue  # another transaction created it first: lock that one
    return locked.get(doc_type=code, scope=scope, year=year)


def document_number_allocate(
    *, doc_type: str, store: Store | int | None, target=None, on: dt.datetime | dt.date | None = None
) -> str:
    """The next number of ``doc_type`` in the record's scope and year (the local, Asia/Shanghai,
    year of ``on``, or of now). Must run inside the ``transaction.atomic()`` that creates the
    record: the sequence stays locked until it commits, and a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "document_number_allocate must run inside the transaction.atomic() that creates the record."
        )
    entry = _registered(doc_type)
    scope = document_scope(doc_type=entry, store=store, target=target)
    year = _local_year(on) if entry.yearly else 0
    sequence = _locked_sequence(code=entry.code, scope=scope, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return document_number_format(doc_type=entry, year=year, n=sequence.last_number)


def _check_store_role(*, user, store_id: int) -> None:
    """A person acts on a store's documents only with a role in that store; ``user=None`` is the
    system (a nightly job)."""
    if user is not None and not roles_in(user, store_id):
        raise PermissionDenied(_("You have no role in this store."))


def _schedule_render(document_id: int) -> None:
    from showroom.tasks.documents import document_render_task

    transaction.on_commit(lambda: document_render_task.delay(document_id))


def document_issue(*, doc_type: str, target: models.Model, store: Store, user=None) -> Document:
    """Number ``target``'s document of type ``doc_type`` and create its version 1 (pending); the
    PDF is rendered by a task after the caller's transaction commits. Call it inside the
    transaction that creates or changes the record, so both commit or neither."""
    entry = _registered(doc_type)
    if target is None or target.pk is None:
        raise ValueError("A document is issued for a saved record.")
    _check_store_role(user=user, store_id=store.pk)
    with transaction.atomic():
        number = document_number_allocate(doc_type=entry.code, store=store, target=target)
        document = Document.objects.create(
            doc_type=entry.code,
            scope=document_scope(doc_type=entry, store=store, target=target),
            number=number,
            version=1,
            store=store,
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            state=Document.State.PENDING,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        _schedule_render(document.pk)
    return document


def document_rerender(*, document: Document, user=None) -> Document:
    """A new version of ``document``'s number (pending, rendered after commit). Every earlier
    version and its file is kept."""
    _check_store_role(user=user, store_id=document.store_id)
    with transaction.atomic():
        # Lock the number's first version so two re-renders of one number take turns; the
        # highest version is read after the lock, so the second sees the first one's new row.
        same_number = Document.objects.filter(doc_type=document.doc_type, scope=document.scope, number=document.number)
        first = same_number.select_for_update().order_by("version").first()
        if first is None:
            raise Document.DoesNotExist(document.number)
        latest = same_number.aggregate(v=models.Max("version"))["v"]
        new = Document.objects.create(
            doc_type=first.doc_type,
            scope=first.scope,
            number=first.number,
            version=latest + 1,
            store_id=first.store_id,
            content_type_id=first.content_type_id,
            object_id=first.object_id,
            state=Document.State.PENDING,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        _schedule_render(new.pk)
    return new


def document_context(*, document: Document, entry: DocumentType, target) -> dict:
    """What every document template gets, plus the type's own ``context(target=…)``."""
    context = dict(entry.context(target=target)) if entry.context is not None else {}
    return {
        **context,
        "document": document,
        "target": target,
        "store": document.store,
        "title": entry.label,
        "number": document.number,
        "version": document.version,
        "issued_at": timezone.localtime(document.created_at),
    }


def document_render(*, document_id: int) -> Document | None:
    """Render one document version's PDF, store it with its SHA-256 and page count, and mark it
    ready; on an error mark it failed with the error. A ready document is left alone, so running
    this twice (a redelivered task) renders once. Returns None when the document is gone."""
    document = Document.objects.select_related("store", "content_type").filter(pk=document_id).first()
    if document is None or document.state == Document.State.READY:
        return document
    try:
        entry = _registered(document.doc_type)
        target = document.content_type.get_object_for_this_type(pk=document.object_id)
        rendered = render_pdf_document(
            f"pdf/{entry.template}",
            document_context(document=document, entry=entry, target=target),
            copies=entry.copies,
        )
    except Exception as exc:  # the record keeps the reason; the task must not retry forever
        logger.exception("Document %s (v%s) could not be rendered", document.number, document.version)
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            if locked.state != Document.State.READY:
                locked.state = Document.State.FAILED
                locked.error = f"{type(exc).__name__}: {exc}"[:4000]
                locked.save(update_fields=["state", "error"])
        return locked
    digest = hashlib.sha256(rendered.content).hexdigest()
    stored = ""
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            if locked.state == Document.State.READY:  # another run finished first
                return locked
            locked.file.save(f"{locked.number}-v{locked.version}.pdf", ContentFile(rendered.content), save=False)
            stored = locked.file.name
            locked.sha256 = digest
            locked.pages = rendered.pages
            locked.state = Document.State.READY
            locked.error = ""
            locked.rendered_at = timezone.now()
            locked.save(update_fields=["file", "sha256", "pages", "state", "error", "rendered_at"])
    except Exception:
        if stored:  # the row was not updated: do not leave its file behind
            Document._meta.get_field("file").storage.delete(stored)
        raise
    logger.info("Document %s (v%s) rendered: %s, %s pages", locked.number, locked.version, stored, rendered.pages)
    return locked


__all__ = [
    "UnknownDocumentType",
    "document_context",
    "document_issue",
    "document_number_allocate",
    "document_number_format",
    "document_render",
    "document_rerender",
    "document_scope",
]
