"""The product's URLs plus the benchmark's baseline: a plain Django view with one query."""

from django.http import HttpResponse
from django.urls import path

from realestate.models import Unit
from showroom.urls import urlpatterns as product_urls


def one_query(request, unit_id: int):
    state = Unit.objects.filter(pk=unit_id).values_list("state", flat=True).first()
    return HttpResponse(state or "", content_type="text/plain")


urlpatterns = [path("bench/one-query/<int:unit_id>/", one_query), *product_urls]
