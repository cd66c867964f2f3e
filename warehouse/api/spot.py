"""The API of spot sales by weight under /api/v1/warehouse/spot-sheets/.

Create (negotiation), then ``…/transitions/<step>/``: ``issue``, ``approve``, ``weigh``
(``weights``: line, bin, gross, tare), ``notify`` (``company_account``), ``pay`` (``amount``,
``method``, ``reference``), ``verify`` (``checked_total``), ``sign``, ``release``, ``cancel``.
``spot-prices/`` lists the price list (writes: ``spot_price_set`` for the sales manager). Every
write calls one service."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from showroom.api.transitions import StateSerializerMixin, TransitionInputSerializer, TransitionViewSetMixin
from showroom.models import Store
from warehouse import selectors_spot as sel
from warehouse.api.sales_serializers import MONEY, PRICE, account_field
from warehouse.api.serializers import DEC, bin_field, item_field, warehouse_field
from warehouse.api.views import _member
from warehouse.models import CustomerClass, PaymentMethod, SpotDiscountRate, SpotPrice, SpotSheet, SpotSheetLine
from warehouse.services import (
    spot_notice_send,
    spot_payment_record,
    spot_price_set,
    spot_rate_set,
    spot_sheet_approve,
    spot_sheet_cancel,
    spot_sheet_create,
    spot_sheet_issue,
    spot_sheet_release,
    spot_sheet_sign,
    spot_sheet_verify,
    spot_sheet_weigh,
)


class SpotLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpotSheetLine
        fields = [
            "id",
            "item",
            "quantity",
            "unit_price",
            "list_price",
            "off_list",
            "bought_in",
            "purchase_price",
            "bin",
            "gross",
            "tare",
            "net",
            "amount",
        ]


class SpotSheetSerializer(StateSerializerMixin, serializers.ModelSerializer):
    customer_name = serializers.CharField(source="account.customer.name", read_only=True)
    line_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SpotSheet
        fields = [
            "id",
            "number",
            "store",
            "warehouse",
            "account",
            "customer_name",
            "customer_class",
            "freight",
            "freight_cost",
            "requirements",
            "price_state",
            "total",
            "paid_amount",
            "notice_number",
            "line_count",
            "state",
            "state_display",
            "available_transitions",
            "created_at",
        ]


class SpotSheetDetailSerializer(SpotSheetSerializer):
    lines = SpotLineSerializer(many=True, read_only=True)

    class Meta(SpotSheetSerializer.Meta):
        fields = [*SpotSheetSerializer.Meta.fields, "company_account", "lines"]


class SpotLineInput(serializers.Serializer):
    item = item_field()
    quantity = serializers.DecimalField(**DEC)
    unit_price = serializers.DecimalField(**PRICE, required=False, allow_null=True, default=None)
    bought_in = serializers.BooleanField(required=False, default=False)
    purchase_price = serializers.DecimalField(**PRICE, required=False, allow_null=True, default=None)


class SpotSheetInput(serializers.Serializer):
    warehouse = warehouse_field()
    account = account_field()
    freight = serializers.ChoiceField(choices=SpotSheet.Freight.choices)
    freight_cost = serializers.DecimalField(**MONEY, required=False, default=0)
    requirements = serializers.CharField(required=False, allow_blank=True, default="")
    lines = SpotLineInput(many=True)


class WeightInput(serializers.Serializer):
    line = serializers.PrimaryKeyRelatedField(queryset=SpotSheetLine.objects.all())
    bin = bin_field()
    gross = serializers.DecimalField(**DEC)
    tare = serializers.DecimalField(**DEC)


class WeighInput(TransitionInputSerializer):
    weights = WeightInput(many=True)


class NoticeInput(TransitionInputSerializer):
    company_account = serializers.CharField(max_length=120)


class PayInput(TransitionInputSerializer):
    amount = serializers.DecimalField(**MONEY)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, default="transfer")
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)


class VerifyInput(TransitionInputSerializer):
    checked_total = serializers.DecimalField(**MONEY)


def _svc(func):
    def run(*, instance, user, note, data):
        if "weights" in data:
            data["weights"] = [dict(w) for w in data["weights"]]
        return func(sheet=instance, user=user, note=note, **data)

    return run


class SpotSheetViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    transition_services = {
        "issue": _svc(spot_sheet_issue),
        "approve": _svc(spot_sheet_approve),
        "weigh": _svc(spot_sheet_weigh),
        "notify": _svc(spot_notice_send),
        "pay": _svc(spot_payment_record),
        "verify": _svc(spot_sheet_verify),
        "sign": _svc(spot_sheet_sign),
        "release": _svc(spot_sheet_release),
        "cancel": _svc(spot_sheet_cancel),
    }
    transition_inputs = {"weigh": WeighInput, "notify": NoticeInput, "pay": PayInput, "verify": VerifyInput}

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        rows = sel.spot_sheet_list(user=self.request.user, state=self.request.query_params.get("state", ""))
        return rows if self.action == "list" else rows.prefetch_related("lines")

    def get_serializer_class(self):
        return SpotSheetSerializer if self.action == "list" else SpotSheetDetailSerializer

    @extend_schema(request=SpotSheetInput, responses={201: SpotSheetDetailSerializer})
    def create(self, request):
        data = SpotSheetInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["lines"] = [dict(line) for line in values["lines"]]
        sheet = spot_sheet_create(user=request.user, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=sheet.pk)).data, status=status.HTTP_201_CREATED)


class SpotPriceSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = SpotPrice
        fields = ["id", "store", "item", "item_code", "unit_price", "updated_at"]


class SpotPriceInput(serializers.Serializer):
    store = serializers.PrimaryKeyRelatedField(queryset=Store.objects.all())
    item = item_field()
    unit_price = serializers.DecimalField(**PRICE)


class SpotPriceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SpotPriceSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.spot_price_list(user=self.request.user).order_by("item__code")

    @extend_schema(request=SpotPriceInput, responses={201: SpotPriceSerializer})
    def create(self, request):
        data = SpotPriceInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        row = spot_price_set(user=request.user, **data.validated_data)
        return Response(SpotPriceSerializer(row).data, status=status.HTTP_201_CREATED)


class SpotRateSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = SpotDiscountRate
        fields = ["id", "store", "item", "item_code", "customer_class", "rate", "updated_at"]


class SpotRateInput(serializers.Serializer):
    store = serializers.PrimaryKeyRelatedField(queryset=Store.objects.all())
    item = item_field()
    customer_class = serializers.ChoiceField(choices=CustomerClass.choices)
    rate = serializers.DecimalField(max_digits=5, decimal_places=4)


class SpotRateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The discount-rate table (折率表); the sales manager sets a cell (an existing cell is replaced)."""

    serializer_class = SpotRateSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.spot_rate_list(user=self.request.user).order_by("item__code", "customer_class")

    @extend_schema(request=SpotRateInput, responses={201: SpotRateSerializer})
    def create(self, request):
        data = SpotRateInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        row = spot_rate_set(user=request.user, **data.validated_data)
        return Response(SpotRateSerializer(row).data, status=status.HTTP_201_CREATED)
