"""Pages and API routes of the documents engine (included by showroom/urls.py)."""

from django.urls import path

from showroom.api.documents import DocumentViewSet
from showroom.views import documents as views

page_patterns: list = [
    path("<int:pk>/download/", views.document_download_view, name="download"),
    path("for/<int:content_type_id>/<int:object_id>/", views.document_list_view, name="for_record"),
]
api_routes: list = [("documents", DocumentViewSet, "document")]  # (prefix, viewset, basename)
