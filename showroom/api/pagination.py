from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from showroom.pagination import CappedPaginator


class Pagination(PageNumberPagination):
    """Pages of 25 (up to 200 with ``page_size``). ``count`` stops at ``COUNT_CAP``
    (``count_capped`` is then true): counting years of a store's rows on every page would make
    every list as slow as its table is long."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        # A view may read its page's rows its own way (``page_rows``, e.g. as values).
        self._page_rows = getattr(view, "page_rows", None)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, queryset, page_size):
        return CappedPaginator(queryset, page_size, page_rows=self._page_rows)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_capped": paginator.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "More rows match than the count shows: narrow the filters.",
        }
        response["required"] = [*response.get("required", []), "count_capped"]
        return response
