"""The API of car sales under /api/v1/leads/.

``quotes/``: list (filters ``state``, ``lead``), detail with ``available_transitions``, lines and
totals, create (a draft for a lead); ``POST …/<id>/lines/`` adds a line, ``DELETE
…/<id>/lines/<line>/`` removes one, ``PATCH …/<id>/`` changes the terms of a draft; transitions
``send`` (files the discount approval when above the consultant's limit), ``accept`` (answers the
order), ``reject``, ``revise`` (answers the new version). ``orders/``: list, detail, transitions
``pay_deposit`` (method, amount), ``allocate`` (vin), ``invoice`` (invoice_number, invoice_date),
``pay_in_full`` (method, amount), ``make_ready``, ``cancel`` (reason). ``appraisals/``: the
appraiser records one on a requested appraisal; ``…/<id>/answer/``. ``loan-calculator/``: the loan
schedule.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from leads.models import Appraisal, Order, Payment, Quote, QuoteLine, TrimColour
from leads.selectors import lead_get
from leads.selectors_sales import appraisal_get, appraisal_request_get, order_get, order_list, quote_get, quote_list
from leads.services.appraisals import appraisal_answer, appraisal_record
from leads.services.finance import loan_calculate
from leads.services.orders import (
    order_allocate,
    order_cancel,
    order_deposit_take,
    order_invoice,
    order_make_ready,
    order_pay,
)
from leads.services.quotes import (
    quote_accept,
    quote_create,
    quote_line_add,
    quote_line_remove,
    quote_reject,
    quote_revise,
    quote_send,
    quote_update,
)
from showroom.api.transitions import StateSerializerMixin, TransitionInputSerializer, TransitionViewSetMixin
from warehouse.models import Item


class QuoteLineSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = QuoteLine
        fields = ["id", "kind", "item", "description", "quantity", "unit_price", "amount"]
        read_only_fields = fields


class QuoteSerializer(StateSerializerMixin, serializers.ModelSerializer):
    customer_name = serializers.CharField(source="lead.customer.name", read_only=True)
    vehicle = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = [
            "id",
            "store",
            "lead",
            "customer_name",
            "consultant",
            "family",
            "version",
            "number",
            "trim_colour",
            "vehicle",
            "vin",
            "is_nev",
            "vehicle_price",
            "discount",
            "consultant_limit",
            "approved_discount",
            "trade_in",
            "invoice_date",
            "valid_until",
            "estimated_delivery",
            "language",
            "vehicle_net",
            "accessories_total",
            "services_total",
            "fees_total",
            "purchase_tax",
            "purchase_tax_relief",
            "trade_in_credit",
            "total",
            "state",
            "state_display",
            "sent_at",
            "created_at",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_vehicle(self, obj) -> str:
        return f"{obj.trim_colour.trim} · {obj.trim_colour.colour}"


class QuoteDetailSerializer(QuoteSerializer):
    lines = QuoteLineSerializer(many=True, read_only=True)
    order = serializers.SerializerMethodField()

    class Meta(QuoteSerializer.Meta):
        fields = [*QuoteSerializer.Meta.fields, "note", "lines", "order"]
        read_only_fields = fields

    def get_order(self, obj) -> int | None:
        order = Order.objects.filter(quote=obj).values_list("pk", flat=True).first()
        return order


class QuoteCreateSerializer(serializers.Serializer):
    lead = serializers.IntegerField(min_value=1)
    trim_colour = serializers.IntegerField(min_value=1)
    vin = serializers.CharField(required=False, allow_blank=True, max_length=17, default="")
    discount = serializers.CharField(required=False, max_length=20, default="0")
    trade_in = serializers.IntegerField(required=False, allow_null=True, default=None)
    invoice_date = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    language = serializers.CharField(required=False, max_length=8, default="zh-hans")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class QuoteUpdateSerializer(serializers.Serializer):
    vin = serializers.CharField(required=False, allow_blank=True, max_length=17)
    discount = serializers.CharField(required=False, max_length=20)
    trade_in = serializers.IntegerField(required=False, allow_null=True)
    invoice_date = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False)
    language = serializers.CharField(required=False, max_length=8)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LineInputSerializer(serializers.Serializer):
    # checked text, not an enum (the schema's enum names stay unique): the service refuses others
    kind = serializers.CharField(max_length=10, help_text="accessory, insurance, warranty, service or fee")
    item = serializers.IntegerField(min_value=1)
    quantity = serializers.CharField(required=False, max_length=20, default="1")
    unit_price = serializers.CharField(required=False, allow_null=True, max_length=20, default=None)
    description = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class SendInputSerializer(TransitionInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


def _trade_in(pk):
    return Appraisal.objects.filter(pk=pk).first() if pk else None


class QuoteViewSet(
    TransitionViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    transition_inputs = {"send": SendInputSerializer}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Quote.objects.none()
        params = self.request.query_params
        state = params.get("state", "")
        return quote_list(
            user=self.request.user,
            state=state if state in Quote.State.values else "",
            lead_id=params.get("lead") if str(params.get("lead", "")).isdigit() else None,
        )

    def get_object(self):
        return quote_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "create":
            return QuoteCreateSerializer
        if self.action in ("update", "partial_update"):
            return QuoteUpdateSerializer
        if self.action == "lines":
            return LineInputSerializer
        return QuoteSerializer if self.action == "list" else QuoteDetailSerializer

    @property
    def transition_services(self):
        return {
            "send": lambda *, instance, user, note, data: quote_send(
                quote=instance, user=user, reason=data.get("reason", "")
            ),
            "accept": self._accept,
            "reject": lambda *, instance, user, note, data: quote_reject(quote=instance, user=user, note=note),
            "revise": lambda *, instance, user, note, data: quote_revise(quote=instance, user=user),
        }

    def _accept(self, *, instance, user, note, data):
        quote_accept(quote=instance, user=user)
        return instance

    def _detail(self, quote, status_code=200):
        quote = quote_get(user=self.request.user, pk=quote.pk)
        return Response(QuoteDetailSerializer(quote, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=QuoteCreateSerializer, responses={201: QuoteDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = QuoteCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        lead = lead_get(user=request.user, pk=values.pop("lead"))
        trim_colour = TrimColour.objects.filter(pk=values.pop("trim_colour")).first()
        values["trade_in"] = _trade_in(values.pop("trade_in"))
        quote = quote_create(lead=lead, user=request.user, trim_colour=trim_colour, **values)
        return self._detail(quote, status.HTTP_201_CREATED)

    @extend_schema(request=QuoteUpdateSerializer, responses={200: QuoteDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        quote = self.get_object()
        data = QuoteUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "trade_in" in values:
            values["trade_in"] = _trade_in(values["trade_in"])
        quote = quote_update(quote=quote, user=request.user, **values)
        return self._detail(quote)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=LineInputSerializer, responses={201: QuoteDetailSerializer})
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        quote = self.get_object()
        data = LineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item = Item.objects.filter(pk=values.pop("item")).first()
        quote_line_add(quote=quote, user=request.user, item=item, **values)
        return self._detail(quote, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: QuoteDetailSerializer})
    @action(detail=True, methods=["delete"], url_path=r"lines/(?P<line_pk>[0-9]+)")
    def line_remove(self, request, pk=None, line_pk=None):
        quote = self.get_object()
        quote_line_remove(quote=quote, user=request.user, line_id=int(line_pk))
        return self._detail(quote)


# --- orders -------------------------------------------------------------------------------------


class PaymentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="deposit, balance or refund")

    class Meta:
        model = Payment
        fields = ["id", "kind", "method", "amount", "reference", "receipt_number", "at"]
        read_only_fields = fields


class OrderSerializer(StateSerializerMixin, serializers.ModelSerializer):
    customer_name = serializers.CharField(source="lead.customer.name", read_only=True)
    quote_number = serializers.CharField(source="quote.number", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "store",
            "lead",
            "quote",
            "quote_number",
            "customer_name",
            "consultant",
            "total",
            "deposit_due",
            "paid",
            "refunded",
            "vin",
            "allocated_at",
            "pickup_estimate",
            "invoice_number",
            "invoice_date",
            "state",
            "state_display",
            "created_at",
            "available_transitions",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    payments = PaymentSerializer(many=True, read_only=True)
    cancel_reason = serializers.CharField(read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "cancel_reason", "payments"]
        read_only_fields = fields


class MoneyInput(TransitionInputSerializer):
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    amount = serializers.CharField(required=False, allow_null=True, max_length=20, default=None)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")


class AllocateInput(TransitionInputSerializer):
    vin = serializers.CharField(max_length=17)


class InvoiceInput(TransitionInputSerializer):
    invoice_number = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    invoice_date = serializers.DateField(required=False, allow_null=True, default=None)


class CancelInput(TransitionInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


def _deposit(*, instance, user, note, data):
    return order_deposit_take(
        order=instance, user=user, method=data["method"], amount=data.get("amount"), reference=data.get("reference", "")
    ).order


class OrderViewSet(TransitionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    transition_inputs = {
        "pay_deposit": MoneyInput,
        "allocate": AllocateInput,
        "invoice": InvoiceInput,
        "pay_in_full": MoneyInput,
        "cancel": CancelInput,
    }
    transition_services = {
        "pay_deposit": _deposit,
        "allocate": lambda *, instance, user, note, data: order_allocate(order=instance, user=user, vin=data["vin"]),
        "invoice": lambda *, instance, user, note, data: order_invoice(
            order=instance, user=user, invoice_number=data["invoice_number"], invoice_date=data.get("invoice_date")
        ),
        "pay_in_full": lambda *, instance, user, note, data: order_pay(
            order=instance,
            user=user,
            method=data["method"],
            amount=data.get("amount") or "",
            reference=data["reference"],
        ),
        "make_ready": lambda *, instance, user, note, data: order_make_ready(order=instance, user=user),
        "cancel": lambda *, instance, user, note, data: order_cancel(
            order=instance, user=user, reason=data.get("reason") or note
        ),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        state = self.request.query_params.get("state", "")
        return order_list(user=self.request.user, state=state if state in Order.State.values else "")

    def get_object(self):
        return order_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return OrderSerializer if self.action == "list" else OrderDetailSerializer


# --- appraisals and the loan calculator ---------------------------------------------------------------


class TradeInAppraisalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appraisal
        fields = [
            "id",
            "request",
            "lead",
            "make",
            "model",
            "year",
            "mileage_km",
            "vin",
            "condition",
            "photos",
            "offer",
            "valid_until",
            "state",
            "appraiser",
            "appraised_at",
        ]
        read_only_fields = fields


class TradeInAppraisalInput(serializers.Serializer):
    request = serializers.IntegerField(min_value=1)
    make = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    model = serializers.CharField(required=False, allow_blank=True, max_length=80, default="")
    year = serializers.IntegerField(required=False, allow_null=True, default=None)
    mileage_km = serializers.IntegerField(required=False, allow_null=True, default=None)
    offer = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    valid_days = serializers.IntegerField(required=False, default=7)
    vin = serializers.CharField(required=False, allow_blank=True, max_length=17, default="")
    condition = serializers.ListField(child=serializers.DictField(), required=False, default=list)


class AnswerInput(serializers.Serializer):
    accepted = serializers.BooleanField()


class AppraisalViewSet(mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = TradeInAppraisalSerializer

    def get_queryset(self):
        return Appraisal.objects.none()

    def get_object(self):
        return appraisal_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=TradeInAppraisalInput, responses={201: TradeInAppraisalSerializer})
    def create(self, request, *args, **kwargs):
        data = TradeInAppraisalInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        appraisal_request = appraisal_request_get(user=request.user, pk=values.pop("request"))
        appraisal = appraisal_record(request=appraisal_request, user=request.user, **values)
        return Response(TradeInAppraisalSerializer(appraisal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerInput, responses={200: TradeInAppraisalSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        data = AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        appraisal = appraisal_answer(
            appraisal=self.get_object(), user=request.user, accepted=data.validated_data["accepted"]
        )
        return Response(TradeInAppraisalSerializer(appraisal).data)


class LoanInput(serializers.Serializer):
    price = serializers.CharField(max_length=20)
    down_payment = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=20, default=None)
    down_share = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=10, default=None)
    months = serializers.IntegerField()
    annual_rate = serializers.CharField(max_length=10)
    method = serializers.CharField(required=False, max_length=20, default="equal_instalment")


class LoanRowSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    payment = serializers.DecimalField(max_digits=14, decimal_places=2)
    principal = serializers.DecimalField(max_digits=14, decimal_places=2)
    interest = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)


class LoanOutput(serializers.Serializer):
    price = serializers.DecimalField(max_digits=14, decimal_places=2)
    down_payment = serializers.DecimalField(max_digits=14, decimal_places=2)
    principal = serializers.DecimalField(max_digits=14, decimal_places=2)
    months = serializers.IntegerField()
    annual_rate = serializers.DecimalField(max_digits=6, decimal_places=3)
    method = serializers.CharField()
    monthly_payment = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_interest = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_payment = serializers.DecimalField(max_digits=14, decimal_places=2)
    rows = LoanRowSerializer(many=True)


class LoanCalculatorView(APIView):
    @extend_schema(request=LoanInput, responses={200: LoanOutput})
    def post(self, request):
        data = LoanInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(LoanOutput(loan_calculate(**data.validated_data)).data)
