"""Reads of the documents engine: a record's documents, one document for a user, the timeline
source. Every read a user makes is limited to the stores the user holds a role in."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from showroom.models import Document
from showroom.permissions import store_ids_for
from showroom.registry import document_type
from showroom.selectors.timeline import TimelineEntry, _name, register_timeline_source


def document_type_label(code: str) -> str:
    """The registered label of a document type (its code when no app registers it any more)."""
    entry = document_type(code)
    return str(entry.label) if entry is not None else code


def document_download_url(document: Document) -> str:
    """The download link of a ready document; empty while it is prepared or when it failed."""
    if document.state != Document.State.READY or not document.file:
        return ""
    return reverse("documents:download", args=[document.pk])


def _base() -> QuerySet[Document]:
    return Document.objects.select_related("store", "content_type", "created_by")


def document_visible(*, user) -> QuerySet[Document]:
    """Every document version in the stores the user holds a role in."""
    return _base().filter(store_id__in=store_ids_for(user))


def document_get(*, user, pk) -> Document:
    """One document version the user may see; 404 otherwise (never confirm it exists)."""
    try:
        return document_visible(user=user).get(pk=int(pk))
    except (Document.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def documents_for(*, target: models.Model, user=None) -> QuerySet[Document]:
    """A record's documents, every version, grouped by number with the newest version first.
    With ``user``: only what that user may see."""
    ct = ContentType.objects.get_for_model(target)
    qs = _base() if user is None else document_visible(user=user)
    return _of_record(qs, content_type_id=ct.pk, object_id=target.pk)


def documents_for_key(*, user, content_type_id: int, object_id: int) -> QuerySet[Document]:
    """``documents_for`` a user, by content type id and object id (the polling partial's URL)."""
    return _of_record(document_visible(user=user), content_type_id=content_type_id, object_id=object_id)


def _of_record(qs: QuerySet[Document], *, content_type_id: int, object_id: int) -> QuerySet[Document]:
    return qs.filter(content_type_id=content_type_id, object_id=object_id).order_by("doc_type", "number", "-version")


def document_rows(documents) -> list[dict]:
    """What the documents partial shows per version: the newest version of a number first, older
    versions marked as such."""
    rows = []
    seen: set[tuple[str, str]] = set()
    for document in documents:
        key = (document.doc_type, document.number)
        rows.append(
            {
                "document": document,
                "label": document_type_label(document.doc_type),
                "url": document_download_url(document),
                "latest": key not in seen,
            }
        )
        seen.add(key)
    return rows


@register_timeline_source
def documents_source(target: models.Model, ct: ContentType) -> list[TimelineEntry]:
    """One entry per document version of the record: one query, whatever their number."""
    documents = (
        Document.objects.filter(content_type=ct, object_id=target.pk)
        .select_related("created_by")
        .order_by("created_at", "id")
    )
    entries = []
    for document in documents:
        if document.state == Document.State.READY:
            pages = document.pages or 0
            detail = ngettext("%(pages)s page", "%(pages)s pages", pages) % {"pages": pages}
        elif document.state == Document.State.PENDING:
            detail = _("Being prepared")
        else:
            detail = _("The PDF could not be prepared. It can be rendered again.")
        entries.append(
            TimelineEntry(
                at=document.created_at,
                kind="document",
                title=_("%(type)s %(number)s (version %(version)s)")
                % {
                    "type": document_type_label(document.doc_type),
                    "number": document.number,
                    "version": document.version,
                },
                detail=detail,
                actor=_name(document.created_by),
                state=document.state,
                url=document_download_url(document),
                extra={"number": document.number, "version": document.version},
            )
        )
    return entries


__all__ = [
    "document_download_url",
    "document_get",
    "document_rows",
    "document_type_label",
    "document_visible",
    "documents_for",
    "documents_for_key",
    "documents_source",
]
