"""Page and API route of the global search (included by showroom/urls.py)."""

from django.urls import path

from showroom.api.search import SearchAPIView
from showroom.views.search import search_results_view

page_patterns: list = [path("", search_results_view, name="results")]
api_view = SearchAPIView.as_view()
