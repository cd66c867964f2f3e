"""PDF rendering, shared by every app: a Django template under ``templates/pdf/`` rendered with
WeasyPrint in Noto Sans CJK.

A template extends ``pdf/_base.html`` (the letterhead: store name, address and phone, the document
title and number, the copy label, page numbers) and fills its ``body`` block. A multi-copy slip is
rendered once per copy label and the page sets are joined, so each copy carries its own label on
every page and its own "page X of Y".

Resources are fetched only from ``data:`` URLs and the project's static folders: a template that
shows user input can never make the renderer read another file or call the network.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

#: The font every PDF is set in (Debian ``fonts-noto-cjk``); ``showroom.checks`` warns at start-up
#: when it is missing, because WeasyPrint would otherwise print empty boxes without an error.
PDF_FONT_FAMILY = "Noto Sans CJK SC"

# WeasyPrint logs every layout step at INFO; a worker rendering all day keeps only its warnings
# (unless the logging settings name this logger themselves).
_progress = logging.getLogger("weasyprint.progress")
if _progress.level == logging.NOTSET:
    _progress.setLevel(logging.WARNING)


def pdf_language() -> str:
    """The language PDFs are printed in: the documents are handed to Chinese customers and filed
    by Chinese back offices, whatever the language of the person who issued them."""
    return getattr(settings, "SHOWROOM", {}).get("DOCUMENT_LANGUAGE", "zh-hans")


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _allowed(url: str) -> bool:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file":
        return False
    path = Path(unquote(parts.path)).resolve()
    return any(path.is_relative_to(root) for root in _static_roots())


def _url_fetcher():
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint 68+
    except ImportError:  # pragma: no cover - older WeasyPrint takes a plain function
        from weasyprint import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not _allowed(url):
                raise ValueError(f"PDF resources come from static files only, not {url}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not _allowed(url):
                raise ValueError(f"PDF resources come from static files only, not {url}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(timeout=5)


def _css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string, safe inside a ``<style>`` element."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ").replace(">", "\\3E ")
    )
    return f'"{escaped}"'


def page_number_css() -> str:
    """The CSS ``content`` of the page-number margin box, e.g. ``"第 " counter(page) " 页 / 共 "
    counter(pages) " 页"``, from the translatable "Page {page} of {pages}"."""
    label = _("Page {page} of {pages}")
    parts: list[str] = []
    rest = label
    while rest:
        cuts = [(rest.find(token), token) for token in ("{page}", "{pages}") if token in rest]
        if not cuts:
            parts.append(_css_string(rest))
            break
        at, token = min(cuts)
        if at:
            parts.append(_css_string(rest[:at]))
        parts.append("counter(pages)" if token == "{pages}" else "counter(page)")
        rest = rest[at + len(token) :]
    return mark_safe(" ".join(parts))  # every literal part went through _css_string


def _layout(html: str):
    from weasyprint import HTML

    base_url = str(_static_roots()[0]) + "/" if _static_roots() else None
    return HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher()).render()


def render_pdf_document(
    template: str, context: Mapping[str, Any] | None = None, *, copies: Iterable[str | Promise] = ()
) -> RenderedPdf:
    """Render ``template`` (a path under the template folders, e.g. ``pdf/leads/quote.html``) to a
    PDF. With ``copies``, one page set per copy label, in order, the label on every page of its
    set. Strings are translated into the PDF language (``pdf_language()``)."""
    with translation.override(pdf_language()):
        labels = [str(label) for label in copies]
        base = {
            **(context or {}),
            "pdf_font_family": PDF_FONT_FAMILY,
            "page_number_css": page_number_css(),
            "copies_total": len(labels),
        }
        rendered = []
        for index, label in enumerate(labels or [""], start=1):
            html = render_to_string(template, {**base, "copy_label": label, "copy_index": index})
            rendered.append(_layout(html))
    pages = [page for doc in rendered for page in doc.pages]
    content = rendered[0].copy(pages).write_pdf()
    return RenderedPdf(content=content, pages=len(pages))


def render_pdf(template: str, context: Mapping[str, Any] | None = None, *, copies: Iterable[str] = ()) -> bytes:
    """The PDF bytes of ``template`` rendered with ``context`` (see ``render_pdf_document``)."""
    return render_pdf_document(template, context, copies=copies).content


__all__ = [
    "PDF_FONT_FAMILY",
    "RenderedPdf",
    "page_number_css",
    "pdf_language",
    "render_pdf",
    "render_pdf_document",
]
