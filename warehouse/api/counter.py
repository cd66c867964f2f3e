"""The API of counter sales under /api/v1/warehouse/.

- ``counter-receipts/``: list (``?state=``), detail, create (the receipt, numbered CR), then
  ``…/transitions/pick/`` (``picks``: line, item, serial, bin, quantity — a pick that differs from
  the receipt is 409) and ``…/transitions/cancel/``.
- ``counter-questions/``: list, create (the callback follow-up), ``…/answer/``.
- ``counter-replenishment-list/?warehouse=<id>``: the items sold out or under their reorder point.
- ``counter-replenishments/``: list, create (the counter leader confirms the list), ``…/process/``
  (the warehouse supervisor); ``counter-replenishment-lines/<id>/order/`` (purchasing: supplier,
  unit cost, expected date).

Every write calls one service."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from showroom.api.transitions import StateSerializerMixin, TransitionInputSerializer, TransitionViewSetMixin
from showroom.models import Store
from showroom.permissions import has_role
from showroom.roles import PERSONAL_DATA_ROLES
from showroom.validators import mask_mobile
from warehouse import selectors_counter as sel
from warehouse.api.sales_serializers import MONEY, PRICE
from warehouse.api.serializers import COST, DEC, ScopedPK, bin_field, item_field, warehouse_field
from warehouse.api.views import _member
from warehouse.models import (
    CounterQuestion,
    CounterReceipt,
    CounterReceiptLine,
    CounterReplenishment,
    CounterReplenishmentLine,
    PaymentMethod,
    StockLevel,
    Supplier,
    Warehouse,
)
from warehouse.services import (
    counter_question_answer,
    counter_question_record,
    counter_receipt_cancel,
    counter_receipt_create,
    counter_receipt_pick,
    counter_replenishment_confirm,
    counter_replenishment_order,
    counter_replenishment_process,
)


class CounterReceiptLineSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = CounterReceiptLine
        fields = ["id", "item", "item_code", "model", "serial", "quantity", "unit_price", "amount", "bin", "move"]


# Choice fields are plain text here (the services refuse other values with 400), so the schema does
# not gain a second enum name for the warehouse's payment methods or another "state" enum.
PAYMENT_HELP = "cash, card or transfer"


class CounterReceiptSerializer(StateSerializerMixin, serializers.ModelSerializer):
    line_count = serializers.IntegerField(read_only=True)
    payment_method = serializers.CharField(read_only=True, help_text=PAYMENT_HELP)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)

    class Meta:
        model = CounterReceipt
        fields = [
            "id",
            "number",
            "store",
            "warehouse",
            "warehouse_name",
            "customer_name",
            "payment_method",
            "total",
            "received",
            "line_count",
            "state",
            "state_display",
            "available_transitions",
            "created_at",
        ]


def _reveal(context, store_id: int) -> bool:
    """Personal data (contact, address) in full: on a detail, for the roles that need it."""
    request = context.get("request")
    return bool(context.get("detail") and request and has_role(request.user, store_id, PERSONAL_DATA_ROLES))


class CounterReceiptDetailSerializer(CounterReceiptSerializer):
    lines = CounterReceiptLineSerializer(many=True, read_only=True)
    customer_address = serializers.SerializerMethodField()
    customer_contact = serializers.SerializerMethodField()

    def get_customer_address(self, obj) -> str:
        return obj.customer_address if _reveal(self.context, obj.store_id) else ("****" if obj.customer_address else "")

    def get_customer_contact(self, obj) -> str:
        return obj.customer_contact if _reveal(self.context, obj.store_id) else mask_mobile(obj.customer_contact)

    class Meta(CounterReceiptSerializer.Meta):
        fields = [
            *CounterReceiptSerializer.Meta.fields,
            "customer",
            "customer_company",
            "customer_address",
            "customer_contact",
            "picked_at",
            "lines",
        ]


class CounterReceiptLineInput(serializers.Serializer):
    item = item_field()
    model = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    serial = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    quantity = serializers.DecimalField(**DEC, required=False, default="1")
    unit_price = serializers.DecimalField(**PRICE, required=False, allow_null=True, default=None)


class CounterReceiptInput(serializers.Serializer):
    warehouse = warehouse_field()
    lines = CounterReceiptLineInput(many=True)
    payment_method = serializers.CharField(default=PaymentMethod.CASH, max_length=10, help_text=PAYMENT_HELP)
    received = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    customer_mobile = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    customer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    customer_company = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    customer_address = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    customer_contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


class CounterPickLineInput(serializers.Serializer):
    line = serializers.PrimaryKeyRelatedField(queryset=CounterReceiptLine.objects.all())
    item = item_field()
    serial = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    bin = bin_field()
    quantity = serializers.DecimalField(**DEC, required=False, allow_null=True, default=None)


class CounterPickInput(TransitionInputSerializer):
    picks = CounterPickLineInput(many=True)


def _pick(*, instance, user, note, data):
    return counter_receipt_pick(receipt=instance, user=user, note=note, picks=[dict(p) for p in data["picks"]])


def _cancel(*, instance, user, note, data):
    return counter_receipt_cancel(receipt=instance, user=user, note=note)


class CounterReceiptViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    transition_services = {"pick": _pick, "cancel": _cancel}
    transition_inputs = {"pick": CounterPickInput}

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        rows = sel.counter_receipt_list(user=self.request.user, state=self.request.query_params.get("state", ""))
        return rows if self.action == "list" else rows.prefetch_related("lines__item")

    def get_serializer_class(self):
        return CounterReceiptSerializer if self.action == "list" else CounterReceiptDetailSerializer

    @extend_schema(request=CounterReceiptInput, responses={201: CounterReceiptDetailSerializer})
    def create(self, request):
        data = CounterReceiptInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["lines"] = [dict(line) for line in values["lines"]]
        receipt = counter_receipt_create(user=request.user, **values)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=receipt.pk)).data, status=status.HTTP_201_CREATED
        )


class CounterQuestionSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text="open or answered")
    customer_contact = serializers.SerializerMethodField()

    def get_customer_contact(self, obj) -> str:
        # Lists mask the number; a detail shows it to the roles that need personal data.
        return obj.customer_contact if _reveal(self.context, obj.store_id) else mask_mobile(obj.customer_contact)

    due_at = serializers.DateTimeField(source="followup.due_at", read_only=True, default=None)
    asked_by_name = serializers.CharField(source="asked_by.get_full_name", read_only=True)

    class Meta:
        model = CounterQuestion
        fields = [
            "id",
            "store",
            "customer_name",
            "customer_contact",
            "product",
            "question",
            "state",
            "answer",
            "followup",
            "due_at",
            "asked_by",
            "asked_by_name",
            "created_at",
            "answered_at",
        ]


class CounterQuestionInput(serializers.Serializer):
    store = ScopedPK(queryset=Store.objects.all(), store_path="pk")
    question = serializers.CharField(max_length=4000)
    customer_contact = serializers.CharField(max_length=60)
    customer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    product = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class CounterAnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)


class CounterQuestionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CounterQuestionSerializer

    def get_serializer_context(self):
        return super().get_serializer_context() | {"detail": self.action != "list"}

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.counter_question_list(user=self.request.user, state=self.request.query_params.get("state", ""))

    @extend_schema(request=CounterQuestionInput, responses={201: CounterQuestionSerializer})
    def create(self, request):
        data = CounterQuestionInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        row = counter_question_record(user=request.user, **data.validated_data)
        row = self.get_queryset().get(pk=row.pk)
        return Response(CounterQuestionSerializer(row, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=CounterAnswerInput, responses={200: CounterQuestionSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        question = self.get_object()
        data = CounterAnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = counter_question_answer(question=question, user=request.user, answer=data.validated_data["answer"])
        row = self.get_queryset().get(pk=row.pk)
        return Response(CounterQuestionSerializer(row, context=self.get_serializer_context()).data)


class CounterReplenishmentRowSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    on_hand = serializers.DecimalField(source="quantity", read_only=True, **DEC)
    available = serializers.DecimalField(read_only=True, **DEC)
    reorder_point = serializers.DecimalField(source="item.reorder_point", read_only=True, **DEC)

    class Meta:
        model = StockLevel
        fields = ["item", "item_code", "item_name", "on_hand", "reserved", "available", "reorder_point"]


def _warehouse_of(request) -> Warehouse:
    raw = request.query_params.get("warehouse", "")
    if not raw.isdigit():
        raise serializers.ValidationError({"warehouse": ["Name the counter's warehouse (?warehouse=<id>)."]})
    try:
        return sel.counter_warehouses(user=request.user).get(pk=int(raw))
    except Warehouse.DoesNotExist as exc:
        raise Http404 from exc


@extend_schema(parameters=[OpenApiParameter("warehouse", int, required=True)])
class ReplenishmentListView(generics.ListAPIView):
    """The replenishment list of one counter: items sold out or under their reorder point."""

    serializer_class = CounterReplenishmentRowSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StockLevel.objects.none()
        _member(self.request)
        return sel.replenishment_rows(warehouse=_warehouse_of(self.request))


class CounterReplenishmentLineSerializer(serializers.ModelSerializer):
    supply = serializers.CharField(read_only=True, help_text="waiting, from_stock, purchasing or ordered")
    item_code = serializers.CharField(source="item.code", read_only=True)
    to_purchase = serializers.DecimalField(read_only=True, **DEC)

    class Meta:
        model = CounterReplenishmentLine
        fields = [
            "id",
            "item",
            "item_code",
            "on_hand",
            "reorder_point",
            "quantity",
            "from_stock",
            "to_purchase",
            "supply",
            "purchase_request",
            "purchase_order",
            "expected_on",
        ]


class CounterReplenishmentSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text="sent or processed")
    line_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CounterReplenishment
        fields = ["id", "store", "warehouse", "day", "state", "line_count", "created_at", "processed_at"]


class CounterReplenishmentDetailSerializer(CounterReplenishmentSerializer):
    lines = CounterReplenishmentLineSerializer(many=True, read_only=True)

    class Meta(CounterReplenishmentSerializer.Meta):
        fields = [*CounterReplenishmentSerializer.Meta.fields, "lines"]


class CounterReplenishmentConfirmInput(serializers.Serializer):
    warehouse = warehouse_field()
    quantities = serializers.DictField(child=serializers.DecimalField(**DEC), required=False, default=dict)


class CounterReplenishmentProcessInput(serializers.Serializer):
    from_stock = serializers.DictField(child=serializers.DecimalField(**DEC), required=False, default=dict)


class CounterReplenishmentOrderInput(serializers.Serializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    unit_cost = serializers.DecimalField(**COST)
    expected_on = serializers.DateField()


class CounterReplenishmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        rows = sel.counter_replenishment_list(user=self.request.user)
        return rows if self.action == "list" else rows.prefetch_related("lines__item")

    def get_serializer_class(self):
        return CounterReplenishmentSerializer if self.action == "list" else CounterReplenishmentDetailSerializer

    @extend_schema(request=CounterReplenishmentConfirmInput, responses={201: CounterReplenishmentDetailSerializer})
    def create(self, request):
        data = CounterReplenishmentConfirmInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        row = counter_replenishment_confirm(user=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data, status=201)

    @extend_schema(request=CounterReplenishmentProcessInput, responses={200: CounterReplenishmentDetailSerializer})
    @action(detail=True, methods=["post"])
    def process(self, request, pk=None):
        replenishment = self.get_object()
        data = CounterReplenishmentProcessInput(data=request.data)
        data.is_valid(raise_exception=True)
        counter_replenishment_process(replenishment=replenishment, user=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=replenishment.pk)).data)


class ReplenishmentOrderView(APIView):
    """Purchasing orders a replenishment line the warehouse lacks, with the expected date."""

    @extend_schema(request=CounterReplenishmentOrderInput, responses={200: CounterReplenishmentLineSerializer})
    def post(self, request, pk: int):
        _member(request)
        try:
            line = sel.counter_replenishment_line_get(user=request.user, pk=pk)
        except CounterReplenishmentLine.DoesNotExist as exc:
            raise Http404 from exc
        data = CounterReplenishmentOrderInput(data=request.data)
        data.is_valid(raise_exception=True)
        counter_replenishment_order(line=line, user=request.user, **data.validated_data)
        line.refresh_from_db()
        return Response(CounterReplenishmentLineSerializer(line).data)
