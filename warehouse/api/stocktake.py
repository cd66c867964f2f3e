"""The API of the monthly stocktake under /api/v1/warehouse/stocktakes/.

Create (plan), then ``…/transitions/<step>/``: ``freeze``, ``start_count``, ``start_recount``,
``start_audit``, ``approve``, ``post`` (``confirm_moves``), ``close``, ``cancel``. The work inside
the steps: ``areas/`` (name, bins, leader, helpers), ``recount-team/`` (members), ``counts/`` (bin,
item, quantity — the blind count), ``count-sheet/?area=`` (bins and items, never the book),
``finish-area/`` (area), ``resolve/``, ``audits/`` (partner, bin, item, quantity),
``finish-audit/``, ``correct/``, ``explain/`` (line, cause, note, responsible),
``submit-adjustment/``, ``moves-since-count/``; ``progress/`` lists the open stocktakes' areas.
Every write calls one service."""

from django.contrib.auth import get_user_model
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.api.transitions import StateSerializerMixin, TransitionInputSerializer, TransitionViewSetMixin
from showroom.permissions import has_role, store_ids_for
from warehouse import selectors_stocktake as sel
from warehouse.api.serializers import DEC, bin_field, item_field, warehouse_field
from warehouse.api.views import _member
from warehouse.models import Stocktake, StocktakeAdjustment, StocktakeArea, StocktakeLine
from warehouse.models.stocktake import FINANCE, SUPERVISORS
from warehouse.services import stocktake as svc

User = get_user_model()


def user_field(**kw):
    return serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), **kw)


class AreaSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = StocktakeArea
        fields = ["id", "name", "leader", "state", "state_display", "audited_lines", "wrong_lines", "error_rate"]


class AdjustmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = StocktakeAdjustment
        fields = ["id", "kind", "number", "total", "posted_at"]


class StocktakeSerializer(StateSerializerMixin, serializers.ModelSerializer):
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    area_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Stocktake
        fields = [
            "id",
            "number",
            "store",
            "warehouse",
            "warehouse_name",
            "month",
            "scheduled",
            "count_start",
            "count_end",
            "audit_end",
            "area_count",
            "adjustment_decision",
            "state",
            "state_display",
            "available_transitions",
        ]


class StocktakeDetailSerializer(StocktakeSerializer):
    areas = AreaSerializer(many=True, read_only=True)
    adjustments = AdjustmentSerializer(many=True, read_only=True)
    seed = serializers.CharField(read_only=True)

    class Meta(StocktakeSerializer.Meta):
        fields = [*StocktakeSerializer.Meta.fields, "seed", "audit_drawn", "audit_finished", "areas", "adjustments"]


class PlanInput(serializers.Serializer):
    warehouse = warehouse_field()
    month = serializers.DateField(required=False, allow_null=True, default=None)


class PostInput(TransitionInputSerializer):
    confirm_moves = serializers.BooleanField(required=False, default=False)


class AreaInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    bins = bin_field(many=True)
    leader = user_field()
    helpers = user_field(many=True)


class TeamInput(serializers.Serializer):
    members = user_field(many=True)


class CountInput(serializers.Serializer):
    bin = bin_field()
    item = item_field()
    quantity = serializers.DecimalField(**DEC)


class AuditInput(CountInput):
    partner = user_field()


class LineQuantityInput(serializers.Serializer):
    line = serializers.IntegerField()
    quantity = serializers.DecimalField(**DEC)
    note = serializers.CharField(max_length=255, allow_blank=True, required=False, default="")


class StocktakeExplainInput(serializers.Serializer):
    line = serializers.IntegerField()
    cause = serializers.ChoiceField(choices=StocktakeLine.Cause.choices)
    note = serializers.CharField(max_length=255, allow_blank=True, required=False, default="")
    responsible = user_field(required=False, allow_null=True, default=None)


class AreaRefInput(serializers.Serializer):
    area = serializers.IntegerField()


class SheetLineSerializer(serializers.ModelSerializer):
    bin_code = serializers.CharField(source="bin.code", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    counted = serializers.BooleanField(source="counted_now", read_only=True)

    class Meta:
        model = StocktakeLine
        fields = ["id", "bin", "bin_code", "item", "item_code", "item_name", "counted"]


def _svc(func, **fixed):
    def run(*, instance, user, note, data):
        return func(stocktake=instance, user=user, note=note, **data, **fixed)

    return run


class StocktakeViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    transition_services = {
        "freeze": _svc(svc.stocktake_freeze),
        "start_count": _svc(svc.stocktake_count_start),
        "start_recount": _svc(svc.stocktake_recount_start),
        "start_audit": _svc(svc.stocktake_audit_start),
        "approve": _svc(svc.stocktake_approve),
        "post": _svc(svc.stocktake_post),
        "close": _svc(svc.stocktake_close),
        "cancel": _svc(svc.stocktake_cancel),
    }
    transition_inputs = {"post": PostInput}

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        q = self.request.query_params
        warehouse = q.get("warehouse", "")
        rows = sel.stocktake_list(
            user=self.request.user,
            state=q.get("state", ""),
            warehouse_id=int(warehouse) if warehouse.isdigit() else None,
            month=q.get("month", ""),
        )
        return rows if self.action == "list" else rows.prefetch_related("areas", "adjustments")

    def get_serializer_class(self):
        return StocktakeSerializer if self.action == "list" else StocktakeDetailSerializer

    def _detail(self, stocktake):
        return Response(self.get_serializer(self.get_queryset().get(pk=stocktake.pk)).data)

    def _line(self, stocktake, pk) -> StocktakeLine:
        line = StocktakeLine.objects.filter(stocktake=stocktake, pk=pk).first()
        if line is None:
            raise Http404
        return line

    @extend_schema(request=PlanInput, responses={201: StocktakeDetailSerializer})
    def create(self, request):
        data = PlanInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        stocktake = svc.stocktake_plan(user=request.user, **data.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=stocktake.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=AreaInput, responses={201: AreaSerializer})
    @action(detail=True, methods=["post"])
    def areas(self, request, pk=None):
        stocktake = self.get_object()
        data = AreaInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        area = svc.stocktake_area_set(stocktake=stocktake, user=request.user, **data.validated_data)
        return Response(AreaSerializer(area).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TeamInput, responses={200: StocktakeDetailSerializer})
    @action(detail=True, methods=["post"], url_path="recount-team")
    def recount_team(self, request, pk=None):
        stocktake = self.get_object()
        data = TeamInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        stocktake = svc.stocktake_recount_team_set(
            stocktake=stocktake, user=request.user, members=data.validated_data["members"]
        )
        return self._detail(stocktake)

    @extend_schema(request=CountInput, responses={201: None})
    @action(detail=True, methods=["post"])
    def counts(self, request, pk=None):
        stocktake = self.get_object()
        data = CountInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        entry = svc.stocktake_count_record(stocktake=stocktake, user=request.user, **data.validated_data)
        return Response({"id": entry.pk, "round": entry.round, "line": entry.line_id}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: SheetLineSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="count-sheet")
    def count_sheet(self, request, pk=None):
        stocktake = self.get_object()
        area_id = request.query_params.get("area", "")
        area = stocktake.areas.filter(pk=int(area_id)).first() if area_id.isdigit() else None
        if area is None:
            raise Http404
        now = sel.current_round(stocktake=stocktake, area=area)
        if now is None:
            return Response([])
        rows = sel.stocktake_count_sheet(area=area, round_=now[0], pass_no=now[1])
        return Response(SheetLineSerializer(rows, many=True).data)

    @extend_schema(request=AreaRefInput, responses={200: AreaSerializer})
    @action(detail=True, methods=["post"], url_path="finish-area")
    def finish_area(self, request, pk=None):
        stocktake = self.get_object()
        data = AreaRefInput(data=request.data)
        data.is_valid(raise_exception=True)
        area = stocktake.areas.filter(pk=data.validated_data["area"]).first()
        if area is None:
            raise Http404
        return Response(AreaSerializer(svc.stocktake_area_finish(area=area, user=request.user)).data)

    @extend_schema(request=LineQuantityInput, responses={200: None})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        stocktake = self.get_object()
        data = LineQuantityInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        line = svc.stocktake_line_resolve(
            line=self._line(stocktake, v["line"]), user=request.user, quantity=v["quantity"], note=v["note"]
        )
        return Response({"line": line.pk, "final_quantity": line.final_quantity})

    @extend_schema(request=LineQuantityInput, responses={200: None})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        stocktake = self.get_object()
        data = LineQuantityInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        line = svc.stocktake_line_correct(
            line=self._line(stocktake, v["line"]), user=request.user, quantity=v["quantity"], note=v["note"]
        )
        return Response({"line": line.pk, "final_quantity": line.final_quantity})

    @extend_schema(request=AuditInput, responses={201: None})
    @action(detail=True, methods=["post"])
    def audits(self, request, pk=None):
        stocktake = self.get_object()
        data = AuditInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        audit = svc.stocktake_audit_record(stocktake=stocktake, user=request.user, **data.validated_data)
        return Response({"id": audit.pk, "wrong": audit.wrong}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: StocktakeDetailSerializer})
    @action(detail=True, methods=["post"], url_path="finish-audit")
    def finish_audit(self, request, pk=None):
        return self._detail(svc.stocktake_audit_finish(stocktake=self.get_object(), user=request.user))

    @extend_schema(request=StocktakeExplainInput, responses={200: None})
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        stocktake = self.get_object()
        data = StocktakeExplainInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        line = svc.stocktake_line_explain(
            line=self._line(stocktake, v["line"]),
            user=request.user,
            cause=v["cause"],
            note=v["note"],
            responsible=v["responsible"],
        )
        return Response({"line": line.pk, "cause": line.cause})

    @extend_schema(request=TransitionInputSerializer, responses={201: None})
    @action(detail=True, methods=["post"], url_path="submit-adjustment")
    def submit_adjustment(self, request, pk=None):
        stocktake = self.get_object()
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = svc.stocktake_adjustment_submit(
            stocktake=stocktake, user=request.user, note=data.validated_data["note"]
        )
        return Response({"approval": approval.pk}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: None})
    @action(detail=True, methods=["get"], url_path="moves-since-count")
    def moves_since_count(self, request, pk=None):
        stocktake = self.get_object()
        if not has_role(request.user, stocktake.store_id, (*SUPERVISORS, *FINANCE)):
            return Response(status=status.HTTP_403_FORBIDDEN)
        moves = sel.stocktake_moves_since_count(stocktake=stocktake)
        return Response(
            [
                {
                    "id": m.pk,
                    "at": m.created_at,
                    "item": m.item.code,
                    "bin": m.bin.code,
                    "kind": m.kind,
                    "quantity": m.quantity,
                }
                for m in moves
            ]
        )

    @extend_schema(responses={200: None})
    @action(detail=False, methods=["get"])
    def progress(self, request):
        _member(request)
        rows = sel.stocktake_progress(store_ids=store_ids_for(request.user))
        return Response([{k: v for k, v in row.items() if k != "stocktake"} for row in rows])
