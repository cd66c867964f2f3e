"""``GET /api/v1/core/search/?q=…``: the global search, grouped by kind (the same selector as the
page). 400 with a field message for a query shorter than two characters."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from showroom.selectors.search import MIN_QUERY_LENGTH, search_everything, search_kind_labels


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=MIN_QUERY_LENGTH,
        max_length=100,
        trim_whitespace=True,
        error_messages={
            "min_length": _("Type at least two characters."),
            "blank": _("Type at least two characters."),
            "required": _("Type at least two characters."),
        },
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, default=8)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    hits = SearchHitSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    q = serializers.CharField()
    groups = SearchGroupSerializer(many=True)


class SearchAPIView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[SearchQuerySerializer], responses={200: SearchResultSerializer})
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        q = params.validated_data["q"]
        results = search_everything(user=request.user, q=q, limit_per_kind=params.validated_data["limit"])
        labels = search_kind_labels()
        body = {
            "q": q,
            "groups": [{"kind": kind, "label": labels.get(kind, kind), "hits": hits} for kind, hits in results.items()],
        }
        return Response(SearchResultSerializer(body).data)
