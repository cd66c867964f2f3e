"""Pages of the documents engine: the download of a rendered PDF, and the documents partial any
record page includes (and polls while a PDF is being prepared)."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from showroom.models import Document
from showroom.selectors.documents import document_get, document_rows, documents_for_key


def documents_panel_context(*, user, target) -> dict:
    """The context of ``showroom/documents/_list.html`` for a record page:
    ``{% include "showroom/documents/_list.html" %}`` after adding this to the page's context."""
    ct = ContentType.objects.get_for_model(target)
    return _panel(user=user, content_type_id=ct.pk, object_id=target.pk)


def _panel(*, user, content_type_id: int, object_id: int) -> dict:
    rows = document_rows(documents_for_key(user=user, content_type_id=content_type_id, object_id=object_id))
    return {
        "document_rows": rows,
        "documents_pending": any(r["document"].state == Document.State.PENDING for r in rows),
        "documents_url": reverse("documents:for_record", args=[content_type_id, object_id]),
        "documents_key": f"{content_type_id}-{object_id}",
    }


@require_GET
@login_required
def document_list_view(request, content_type_id: int, object_id: int):
    """The partial alone (htmx polls it every 2 s while a document is pending). Rendered without
    the page frame's context processors: a fragment needs no menu or store switcher."""
    context = _panel(user=request.user, content_type_id=content_type_id, object_id=object_id)
    return HttpResponse(render_to_string("showroom/documents/_list.html", context))


@require_GET
@login_required
def document_download_view(request, pk: int):
    """The PDF of one ready document version, for users with a role in its store (404 for anyone
    else, and while it is still being prepared)."""
    document = document_get(user=request.user, pk=pk)
    if document.state != Document.State.READY or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.number}-v{document.version}.pdf",
        content_type="application/pdf",
    )
