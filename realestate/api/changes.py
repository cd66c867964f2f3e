"""Changes and the mortgage calculator in the API.

``changes/`` (list with filters ``state``, ``kind``, ``project``, ``subscription``; create with
``subscription``, ``kind`` and the kind's fields; actions ``swap_receipts`` (cashier),
``bureau`` (assistant: data restore; after filing the waiver and the filing-cancellation number),
``compute_refund`` (finance), ``pay_refund`` (cashier)). Approving and rejecting are the core's
``/api/v1/approvals/`` endpoints. ``calculator/`` is public (no login, no store data); with
``subscription=<id>`` (logged in) the price is the subscription's.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from realestate import selectors
from realestate.models import ChangeRequest, Unit
from realestate.mortgage import mortgage_compute
from realestate.selectors.changes import changes_for_user
from realestate.services import changes as ch
from showroom.api.transitions import StateSerializerMixin
from showroom.selectors.customers import customer_get


class ChangeRequestSerializer(StateSerializerMixin, serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    unit_label = serializers.CharField(source="subscription.unit.label", read_only=True)
    waiting_for = serializers.CharField(source="approval.routed_role.code", read_only=True, default=None)

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "subscription",
            "project",
            "unit_label",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "reason",
            "approval",
            "waiting_for",
            "created_at",
            "decided_at",
            "done_at",
            "new_customer",
            "discount_pct",
            "discount_amount",
            "old_unit",
            "new_unit",
            "new_subscription",
            "delay_days",
            "keep_discount",
            "after_contract",
            "after_filing",
            "deductions",
            "data_restored_at",
            "waiver_signed_at",
            "filing_cancelled_at",
            "filing_cancel_number",
            "principal_paid",
            "taxes_refunded",
            "refund_amount",
            "receipts_swapped_at",
        ]
        read_only_fields = fields


class ChangeCreateSerializer(serializers.Serializer):
    subscription = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ChangeRequest.Kind.choices)
    reason = serializers.CharField(allow_blank=True, default="")
    new_customer = serializers.IntegerField(required=False)
    percent = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    new_unit = serializers.IntegerField(required=False)
    days = serializers.IntegerField(required=False)
    keep_discount = serializers.BooleanField(required=False, default=True)
    deductions = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0)


class BureauInputSerializer(serializers.Serializer):
    waiver_signed = serializers.BooleanField(required=False, default=False)
    filing_cancel_number = serializers.CharField(required=False, allow_blank=True, default="")


def change_request_dispatch(*, user, data: dict) -> ChangeRequest:
    """Call the kind's request service with the fields it takes (shared with the pages)."""
    sub = selectors.subscription_get_for_user(user=user, pk=data["subscription"])
    kind = data["kind"]
    reason = data.get("reason", "")
    if kind == ChangeRequest.Kind.RENAME:
        customer = None
        if data.get("new_customer"):
            customer = customer_get(user=user, pk=data["new_customer"])
        return ch.change_rename_request(user=user, subscription=sub, new_customer=customer, reason=reason)
    if kind == ChangeRequest.Kind.EXTRA_DISCOUNT:
        return ch.change_discount_request(user=user, subscription=sub, percent=data.get("percent"), reason=reason)
    if kind == ChangeRequest.Kind.EXCHANGE:
        unit = Unit.objects.filter(pk=data.get("new_unit") or 0, store_id=sub.store_id).first()
        return ch.change_exchange_request(user=user, subscription=sub, new_unit=unit, reason=reason)
    if kind == ChangeRequest.Kind.DELAY:
        return ch.change_delay_request(
            user=user,
            subscription=sub,
            days=data.get("days"),
            keep_discount=bool(data.get("keep_discount", True)),
            reason=reason,
        )
    return ch.change_cancel_request(user=user, subscription=sub, reason=reason, deductions=data.get("deductions") or 0)


class ChangeRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ChangeRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChangeRequest.objects.none()
        params = self.request.query_params

        def number(key):
            value = params.get(key, "")
            return int(value) if value.isdigit() else None

        return changes_for_user(
            user=self.request.user,
            state=params.get("state", ""),
            kind=params.get("kind", ""),
            project_id=number("project"),
            subscription_id=number("subscription"),
        )

    def _out(self, change, status=200):
        return Response(ChangeRequestSerializer(self.get_queryset().get(pk=change.pk)).data, status=status)

    @extend_schema(request=ChangeCreateSerializer, responses={201: ChangeRequestSerializer})
    def create(self, request):
        """Ask for a change; it enters the approval matrix."""
        payload = ChangeCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        change = change_request_dispatch(user=request.user, data=payload.validated_data)
        return self._out(change, status=201)

    @extend_schema(request=None, responses={200: ChangeRequestSerializer})
    @action(detail=True, methods=["post"])
    def swap_receipts(self, request, pk=None):
        return self._out(ch.change_receipts_swap(user=request.user, change=self.get_object()))

    @extend_schema(request=BureauInputSerializer, responses={200: ChangeRequestSerializer})
    @action(detail=True, methods=["post"])
    def bureau(self, request, pk=None):
        payload = BureauInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        change = ch.cancellation_bureau_record(user=request.user, change=self.get_object(), **payload.validated_data)
        return self._out(change)

    @extend_schema(request=None, responses={200: ChangeRequestSerializer})
    @action(detail=True, methods=["post"])
    def compute_refund(self, request, pk=None):
        return self._out(ch.cancellation_refund_compute(user=request.user, change=self.get_object()))

    @extend_schema(request=None, responses={200: ChangeRequestSerializer})
    @action(detail=True, methods=["post"])
    def pay_refund(self, request, pk=None):
        return self._out(ch.cancellation_refund_pay(user=request.user, change=self.get_object()))


def schedule_payload(result) -> dict:
    return {
        "price": str(result.price),
        "down_payment": str(result.down_payment),
        "loan": str(result.loan),
        "parts": [
            {"kind": p.label, "principal": str(p.principal), "rate": str(p.annual_rate_percent), "months": p.months}
            for p in result.parts
        ],
        "first_payment": str(result.first_payment),
        "total_interest": str(result.total_interest),
        "total_payment": str(result.total_payment),
        "rows": [
            {
                "month": row.month,
                "payment": str(row.payment),
                "principal": str(row.principal),
                "interest": str(row.interest),
                "balance": str(row.balance),
            }
            for row in result.schedule.rows
        ],
    }


class CalculatorView(APIView):
    """The mortgage calculator: public; ``subscription`` (logged in) takes that price."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: None, 400: None})
    def get(self, request):
        data = request.query_params.dict()
        if data.get("subscription"):
            if not request.user.is_authenticated:
                raise NotAuthenticated
            sub = selectors.subscription_get_for_user(user=request.user, pk=data["subscription"])
            data["price"] = str(sub.total_price)
        return Response(schedule_payload(mortgage_compute(data=data)))
