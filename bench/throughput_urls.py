"""The product's URLs plus ``/bench/plain/``: a plain DRF list of 50 rows of one table, the baseline
the lead list API's throughput is compared with."""

from django.urls import path
from rest_framework import generics, serializers

from showroom.models import Customer
from showroom.urls import urlpatterns as product_urlpatterns


class PlainCustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "mobile", "source", "created_at"]


class PlainList(generics.ListAPIView):
    serializer_class = PlainCustomerSerializer
    pagination_class = None

    def get_queryset(self):
        return Customer.objects.order_by("id")[:50]


urlpatterns = [path("bench/plain/", PlainList.as_view()), *product_urlpatterns]
