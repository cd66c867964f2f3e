"""The warehouse API under /api/v1/warehouse/.

``items/`` (list, detail, create; ``…/<id>/card/``: stock per warehouse, serials, last moves,
active reservations), ``warehouses/``, ``stock/`` (stock on hand: filters ``warehouse``,
``category``, ``item``, ``q``, ``below_reorder``; reserved vs available, serials, value),
``moves/`` (filters ``item``, ``warehouse``; ``…/<id>/reverse/``), ``reservations/`` (create,
``…/<id>/release/``), ``purchase-orders/``, ``receipts/`` (``…/<id>/inspect/``), ``transfers/``,
``other-receipts/`` (each with ``…/<id>/transitions/<name>/``) and ``month-close/``.
Every write calls one service; errors use the core's one error body.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from showroom.api.transitions import TransitionViewSetMixin
from showroom.permissions import store_ids_for
from warehouse import selectors
from warehouse.api import serializers as s
from warehouse.models import GoodsReceiptLine, Item, Reservation, StockMove
from warehouse.services import (
    goods_receipt_approve,
    goods_receipt_cancel,
    goods_receipt_create,
    goods_receipt_open_slip,
    item_create,
    month_end_close,
    other_receipt_approve,
    other_receipt_cancel,
    other_receipt_create,
    purchase_order_approve,
    purchase_order_cancel,
    purchase_order_create,
    receipt_line_inspect,
    stock_move_reverse,
    stock_release,
    stock_reserve,
    transfer_cancel,
    transfer_create,
    transfer_dispatch,
    transfer_receive,
)


def _member(request) -> None:
    if not store_ids_for(request.user):
        raise PermissionDenied


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class ItemViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ItemSerializer
    filterset_fields = ["tracking", "category", "external_ref"]
    search_fields = ["code", "name", "specification"]

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return Item.objects.select_related("category").order_by("code")

    @extend_schema(request=s.ItemCreateSerializer, responses={201: s.ItemSerializer})
    def create(self, request):
        data = s.ItemCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item = item_create(user=request.user, **values)
        return Response(s.ItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: None})
    @action(detail=True, methods=["get"])
    def card(self, request, pk=None):
        item = self.get_object()
        card = selectors.item_card(user=request.user, item=item)
        return Response(
            {
                "item": s.ItemSerializer(item).data,
                "levels": [
                    {
                        "warehouse": lv.warehouse_id,
                        "warehouse_name": lv.warehouse.name,
                        "quantity": str(lv.quantity),
                        "reserved": str(lv.reserved),
                        "available": str(lv.available),
                        "value": str(lv.value),
                    }
                    for lv in card["levels"]
                ],
                "serials": s.SerialSerializer(card["serials"], many=True).data,
                "moves": s.StockMoveSerializer(card["moves"], many=True).data,
                "reservations": s.ReservationSerializer(card["reservations"], many=True).data,
            }
        )


class WarehouseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.WarehouseSerializer

    def get_queryset(self):
        return selectors.warehouse_list(user=self.request.user).prefetch_related("bins")


class StockViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.StockLevelSerializer
    filter_backends: list = []

    def get_queryset(self):
        p = self.request.query_params
        return selectors.stock_level_list(
            user=self.request.user,
            warehouse_id=_int(p.get("warehouse")),
            category_id=_int(p.get("category")),
            item_id=_int(p.get("item")),
            q=(p.get("q") or "").strip()[:60],
            below_reorder=p.get("below_reorder") in ("1", "true"),
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        context = self.get_serializer_context() | {"serials": selectors.serials_in_stock(levels=page)}
        return self.get_paginated_response(s.StockLevelSerializer(page, many=True, context=context).data)


class MoveViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.StockMoveSerializer
    filter_backends: list = []

    def get_queryset(self):
        p = self.request.query_params
        return selectors.move_list(
            user=self.request.user, item_id=_int(p.get("item")), warehouse_id=_int(p.get("warehouse"))
        ).order_by("-created_at", "-id")

    @extend_schema(request=s.ReverseInputSerializer, responses={201: s.StockMoveSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        move = self.get_object()
        data = s.ReverseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _keeper(request, move.warehouse.store_id)
        reversal = stock_move_reverse(move=move, user=request.user, reason=data.validated_data["reason"])
        reversal = StockMove.objects.select_related("bin", "serial", "created_by").get(pk=reversal.pk)
        return Response(s.StockMoveSerializer(reversal).data, status=status.HTTP_201_CREATED)


def _keeper(request, store_id: int) -> None:
    from showroom import roles as r
    from showroom.permissions import has_role

    if not has_role(request.user, store_id, (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR)):
        raise PermissionDenied


class ReservationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ReservationSerializer
    filterset_fields = ["item", "warehouse", "state"]

    def get_queryset(self):
        return selectors.reservation_list(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=s.ReservationInputSerializer, responses={201: s.ReservationSerializer})
    def create(self, request):
        data = s.ReservationInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        reservation = stock_reserve(user=request.user, **data.validated_data)
        return Response(s.ReservationSerializer(reservation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ReservationSerializer})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        reservation = stock_release(reservation=self.get_object(), user=request.user)
        return Response(s.ReservationSerializer(Reservation.objects.get(pk=reservation.pk)).data)


def _note_service(func, key: str):
    def run(*, instance, user, note, data):
        return func(**{key: instance}, user=user, note=note, **data)

    return run


class PurchaseOrderViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    filterset_fields = ["state", "warehouse", "supplier"]
    search_fields = ["number"]
    transition_services = {
        "approve": _note_service(purchase_order_approve, "order"),
        "cancel": _note_service(purchase_order_cancel, "order"),
    }

    def get_queryset(self):
        rows = selectors.purchase_order_list(user=self.request.user)
        if self.action != "list":
            rows = rows.prefetch_related("lines")
        return rows

    def get_serializer_class(self):
        return s.PurchaseOrderSerializer if self.action == "list" else s.PurchaseOrderDetailSerializer

    @extend_schema(request=s.PurchaseOrderInputSerializer, responses={201: s.PurchaseOrderDetailSerializer})
    def create(self, request):
        data = s.PurchaseOrderInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        order = purchase_order_create(user=request.user, **data.validated_data)
        order = self.get_queryset().get(pk=order.pk)
        return Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)


class ReceiptViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    filterset_fields = ["state", "warehouse", "supplier"]
    search_fields = ["number", "note_number"]
    transition_services = {
        "open_slip": _note_service(goods_receipt_open_slip, "receipt"),
        "approve": _note_service(goods_receipt_approve, "receipt"),
        "cancel": _note_service(goods_receipt_cancel, "receipt"),
    }

    def get_queryset(self):
        rows = selectors.goods_receipt_list(user=self.request.user)
        if self.action != "list":
            rows = rows.prefetch_related("lines__order_line__order")
        return rows

    def get_serializer_class(self):
        return s.GoodsReceiptSerializer if self.action == "list" else s.GoodsReceiptDetailSerializer

    @extend_schema(request=s.GoodsReceiptInputSerializer, responses={201: s.GoodsReceiptDetailSerializer})
    def create(self, request):
        data = s.GoodsReceiptInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        receipt = goods_receipt_create(user=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=receipt.pk)).data, status=201)

    @extend_schema(request=s.InspectInputSerializer, responses={200: s.GoodsReceiptDetailSerializer})
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        receipt = self.get_object()
        data = s.InspectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        line = GoodsReceiptLine.objects.filter(pk=values.pop("line"), receipt=receipt).first()
        if line is None:
            raise Http404
        receipt_line_inspect(line=line, user=request.user, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=receipt.pk)).data)


class TransferViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    filterset_fields = ["state"]
    transition_inputs = {"dispatch": s.ConfirmInputSerializer, "receive": s.ConfirmInputSerializer}
    transition_services = {
        "dispatch": _note_service(transfer_dispatch, "transfer"),
        "receive": _note_service(transfer_receive, "transfer"),
        "cancel": _note_service(transfer_cancel, "transfer"),
    }

    def get_queryset(self):
        rows = selectors.transfer_list(user=self.request.user)
        if self.action != "list":
            rows = rows.prefetch_related("lines__serial")
        return rows

    def get_serializer_class(self):
        return s.TransferSerializer if self.action == "list" else s.TransferDetailSerializer

    @extend_schema(request=s.TransferInputSerializer, responses={201: s.TransferDetailSerializer})
    def create(self, request):
        data = s.TransferInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        transfer = transfer_create(user=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=transfer.pk)).data, status=201)


class OtherReceiptViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.OtherReceiptSerializer
    filterset_fields = ["state", "kind"]
    transition_services = {
        "approve": _note_service(other_receipt_approve, "receipt"),
        "cancel": _note_service(other_receipt_cancel, "receipt"),
    }

    def get_queryset(self):
        return selectors.other_receipt_list(user=self.request.user).prefetch_related("lines")

    @extend_schema(request=s.OtherReceiptInputSerializer, responses={201: s.OtherReceiptSerializer})
    def create(self, request):
        data = s.OtherReceiptInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        receipt = other_receipt_create(user=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=receipt.pk)).data, status=201)


class MonthCloseView(APIView):
    @extend_schema(request=s.MonthCloseInputSerializer, responses={201: None})
    def post(self, request):
        data = s.MonthCloseInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        close = month_end_close(user=request.user, **data.validated_data)
        return Response(
            {"id": close.pk, "month": close.month, "postings": close.postings.count()}, status=status.HTTP_201_CREATED
        )
