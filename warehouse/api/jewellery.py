"""The API of the jewellery counter day under /api/v1/warehouse/.

``jewellery-counters/``, ``jewellery-trays/`` (``?counter=``), ``counter-days/`` (create: counter,
date; ``…/opening-count/``, ``…/explain/``, ``…/sales/``, ``…/roster/``, ``…/lunch-rotations/``,
``…/after-lunch-count/``, ``…/closing-count/``, ``…/counts/``; ``…/transitions/open|lunch_start|close/``),
``counter-sales/`` (``…/confirm/``), ``counter-attendance/`` (create: clock in),
``grooming-checks/`` (create: the duty manager's score; ``monthly/?month=YYYY-MM``) and
``trade-customers/``. Every write calls one service."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.api.transitions import TransitionViewSetMixin
from showroom.permissions import store_ids_for
from warehouse import selectors_jewellery as sel
from warehouse.api import jewellery_serializers as s
from warehouse.api.views import _int, _member
from warehouse.services import jewellery as jw
from warehouse.services import jewellery_staff as staff


def _svc(func):
    def run(*, instance, user, note, data):
        return func(day=instance, user=user, note=note, **data)

    return run


class CounterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CounterSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.counter_list(user=self.request.user)


class TrayViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TraySerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.tray_list(user=self.request.user, counter_id=_int(self.request.query_params.get("counter")))


class CounterDayViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    transition_services = {
        "open": _svc(jw.counter_day_open),
        "lunch_start": _svc(jw.counter_lunch_start),
        "close": _svc(jw.counter_day_close),
    }

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        date = self.request.query_params.get("date")
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError:
            day = None
        return sel.counter_day_list(user=self.request.user, date=day)

    def get_serializer_class(self):
        return s.CounterDaySerializer if self.action == "list" else s.CounterDayDetailSerializer

    def _detail(self, day, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=day.pk)).data, status=code)

    def _input(self, cls):
        data = cls(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _counts(self, values) -> list[dict]:
        return [dict(line) for line in values.pop("counts")]

    @extend_schema(request=s.DayInput, responses={201: s.CounterDayDetailSerializer})
    def create(self, request):
        values = self._input(s.DayInput)
        day = jw.counter_day_start(user=request.user, counter=values["counter"], date=values["date"])
        return self._detail(day, status.HTTP_201_CREATED)

    @extend_schema(request=s.OpeningInput, responses={201: s.TrayCountSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="opening-count")
    def opening_count(self, request, pk=None):
        day = self.get_object()
        values = self._input(s.OpeningInput)
        counts = jw.counter_opening_record(day=day, user=request.user, counts=self._counts(values), **values)
        return Response(s.TrayCountSerializer(counts, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CountsInput, responses={201: s.TrayCountSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="after-lunch-count")
    def after_lunch_count(self, request, pk=None):
        day = self.get_object()
        values = self._input(s.CountsInput)
        counts = jw.counter_after_lunch_record(day=day, user=request.user, counts=self._counts(values))
        return Response(s.TrayCountSerializer(counts, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CountsInput, responses={201: s.TrayCountSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="closing-count")
    def closing_count(self, request, pk=None):
        day = self.get_object()
        values = self._input(s.CountsInput)
        counts = jw.counter_closing_record(day=day, user=request.user, counts=self._counts(values))
        return Response(s.TrayCountSerializer(counts, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.TrayCountSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def counts(self, request, pk=None):
        day = self.get_object()
        return Response(s.TrayCountSerializer(sel.day_counts(day=day), many=True).data)

    @extend_schema(request=s.ExplainInput, responses={200: s.CounterDayDetailSerializer})
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        day = self.get_object()
        values = self._input(s.ExplainInput)
        return self._detail(jw.counter_difference_explain(day=day, user=request.user, **values))

    @extend_schema(request=s.SaleInput, responses={201: s.CounterSaleSerializer})
    @action(detail=True, methods=["post"])
    def sales(self, request, pk=None):
        day = self.get_object()
        sale = jw.counter_sale_record(day=day, user=request.user, **self._input(s.SaleInput))
        return Response(s.CounterSaleSerializer(sale).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RosterInput, responses={200: None})
    @action(detail=True, methods=["post"])
    def roster(self, request, pk=None):
        day = self.get_object()
        values = self._input(s.RosterInput)
        rows = jw.counter_roster_set(day=day, user=request.user, entries=[dict(e) for e in values["entries"]])
        return Response([{"user": row.user_id, "station": row.station} for row in rows])

    @extend_schema(request=s.RotationInput, responses={201: None})
    @action(detail=True, methods=["post"], url_path="lunch-rotations")
    def lunch_rotations(self, request, pk=None):
        day = self.get_object()
        rotation = jw.lunch_rotation_add(day=day, user=request.user, **self._input(s.RotationInput))
        return Response(
            {
                "id": rotation.pk,
                "starts_at": rotation.starts_at,
                "ends_at": rotation.ends_at,
                "away": sorted(rotation.away.values_list("pk", flat=True)),
            },
            status=status.HTTP_201_CREATED,
        )


class CounterSaleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CounterSaleSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.counter_sale_list(user=self.request.user, day_id=_int(self.request.query_params.get("day")))

    @extend_schema(request=s.ConfirmInput, responses={201: s.TrayCountSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        sale = self.get_object()
        data = s.ConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        count = jw.counter_sale_confirm(sale=sale, user=request.user, **data.validated_data)
        return Response(s.TrayCountSerializer(count).data, status=status.HTTP_201_CREATED)


class AttendanceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AttendanceSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        date = self.request.query_params.get("date")
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError:
            day = None
        return sel.attendance_list(user=self.request.user, date=day)

    @extend_schema(request=s.ClockInInput, responses={201: s.AttendanceSerializer})
    def create(self, request):
        data = s.ClockInInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        row = staff.attendance_clock_in(user=request.user, store=data.validated_data["store"])
        return Response(s.AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)


class GroomingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.GroomingCheckSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.grooming_check_list(user=self.request.user)

    @extend_schema(request=s.GroomingInput, responses={201: s.GroomingCheckSerializer})
    def create(self, request):
        data = s.GroomingInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        check = staff.grooming_score_record(user=request.user, **data.validated_data)
        return Response(s.GroomingCheckSerializer(check).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="YYYY-MM")],
        responses={200: serializers.ListSerializer(child=serializers.DictField())},
    )
    # A month's totals per person, not a page of checks: no paginator around them.
    @action(detail=False, methods=["get"], pagination_class=None)
    def monthly(self, request):
        _member(request)
        try:
            month = dt.date.fromisoformat(f"{request.query_params.get('month', '')}-01")
        except ValueError:
            month = timezone.localdate().replace(day=1)
        rows = sel.grooming_monthly_scores(store_ids=store_ids_for(request.user), month=month)
        return Response([{**row, "average": str(row["average"])} for row in rows])


class TradeCustomerViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TradeCustomerSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.trade_customer_list(user=self.request.user)

    @extend_schema(request=s.TradeCustomerInput, responses={201: s.TradeCustomerSerializer})
    def create(self, request):
        data = s.TradeCustomerInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        row = staff.trade_customer_register(user=request.user, **data.validated_data)
        return Response(s.TradeCustomerSerializer(row).data, status=status.HTTP_201_CREATED)
