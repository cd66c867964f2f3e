"""The API's filter backend: django-filter's, skipped when the request names none of the
filterset's filters. An unfiltered list (the usual first page) then builds no filter form:
building and validating it was an eighth of a list request's time, to return the queryset as it
came (django-filter leaves a queryset alone for every empty filter value; tests/showroom/
test_api_filters.py holds a filter given, misspelt or absent to that)."""

from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            # a prefix: range filters take their name with a suffix (created_after, price_min)
            param.startswith(name)
            for param in request.query_params
            for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
