"""A paginator whose count stops at ``COUNT_CAP``: a store's list of years of leads, customers or
stock moves would otherwise count every matching row on every page view (linear in the table, the
one query of a list page that grows with the data). Past the cap the page says "more than", and
the pages beyond it are reached by narrowing the filters, which is what a user does anyway."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """``page_rows``, when given, turns a page's slice of the queryset into the rows to show (say
    ``.values(...)``): the count stays on the plain queryset, without the joins those rows need."""

    cap = COUNT_CAP

    def __init__(self, object_list, per_page, *args, page_rows=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.page_rows = page_rows

    def _get_page(self, object_list, number, paginator):
        if self.page_rows is not None:
            object_list = self.page_rows(object_list)
        return super()._get_page(object_list, number, paginator)

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        # order_by(): the count needs no sort; values("pk"): an index-only scan can answer it —
        # unless the rows are groups or distinct values, whose identity is their selected columns.
        if rows.query.group_by is None and not rows.query.distinct:
            rows = rows.values("pk")
        return rows.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def count_capped(self) -> bool:
        """True when more rows match than were counted: the total shown is "more than ``cap``"."""
        return self._counted > self.cap
