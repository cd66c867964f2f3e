"""The store's visit sources over the API (``frontdesk-sources/``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from showroom.api.frontdesk.common import STORE_PARAM, _store_param
from showroom.models import VisitSource
from showroom.selectors.frontdesk import visit_sources_for


class VisitSourceSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    is_default = serializers.SerializerMethodField()

    class Meta:
        model = VisitSource
        fields = ["id", "code", "name", "name_en", "label", "order", "is_default"]
        read_only_fields = fields

    def get_is_default(self, obj) -> bool:
        return obj.store_id is None


class VisitSourceViewSet(viewsets.GenericViewSet):
    """The store's list of visit sources (the defaults and the store's own)."""

    serializer_class = VisitSourceSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return VisitSource.objects.none()

    @extend_schema(parameters=[STORE_PARAM], responses={200: VisitSourceSerializer(many=True)})
    def list(self, request):
        store = _store_param(request, required=True)
        return Response(VisitSourceSerializer(visit_sources_for(store=store), many=True).data)
