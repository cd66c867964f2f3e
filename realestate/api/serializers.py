"""Serializers of the real-estate API: output shapes and typed input; the rules are the services'."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from realestate.models import (
    Contract,
    Custody,
    PaymentLine,
    PriceList,
    Project,
    Receipt,
    SmallDeposit,
    Subscription,
    Unit,
    VipCard,
)
from showroom.api.transitions import StateSerializerMixin
from showroom.selectors.customers import customer_personal_data_visible
from showroom.validators import mask_mobile


def person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class ProjectSerializer(StateSerializerMixin, serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "store",
            "store_name",
            "code",
            "name",
            "address",
            "state",
            "state_display",
            "fund_bank",
            "fund_account_name",
            "fund_account_no",
            "deed_tax_rate",
            "maintenance_fund_rate",
            "registration_fee",
            "small_deposit_limit",
            "small_deposit_days",
            "sign_within_days",
            "opened_at",
            "available_transitions",
        ]
        read_only_fields = fields


class UnitSerializer(StateSerializerMixin, serializers.ModelSerializer):
    building_name = serializers.CharField(source="building.name", read_only=True)
    holder_name = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "project",
            "building",
            "building_name",
            "floor",
            "number",
            "use",
            "built_area",
            "inner_area",
            "layout",
            "orientation",
            "state",
            "state_display",
            "holder",
            "holder_name",
            "changed_at",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_holder_name(self, obj) -> str | None:
        return person(obj.holder) if obj.holder_id else None


class CustomerMobileMixin(serializers.Serializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_mobile = serializers.SerializerMethodField()

    def get_customer_mobile(self, obj) -> str:
        # Lists always mask; a detail shows the number to the roles that need personal data.
        request = self.context.get("request")
        if self.context.get("detail") and customer_personal_data_visible(user=request.user, customer=obj.customer):
            return obj.customer.mobile
        return mask_mobile(obj.customer.mobile)


class SubscriptionSerializer(StateSerializerMixin, CustomerMobileMixin, serializers.ModelSerializer):
    unit_label = serializers.SerializerMethodField()
    consultant_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = [
            "id",
            "number",
            "store",
            "project",
            "unit",
            "unit_label",
            "customer",
            "customer_name",
            "customer_mobile",
            "consultant",
            "consultant_name",
            "price_list",
            "payment_method",
            "list_price_per_m2",
            "list_total",
            "method_discount_pct",
            "total_price",
            "deposit",
            "state",
            "state_display",
            "approved_at",
            "sign_due_on",
            "overdue",
            "cancel_reason",
            "created_at",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_unit_label(self, obj) -> str:
        return obj.unit.label

    def get_consultant_name(self, obj) -> str | None:
        return person(obj.consultant)

    def get_overdue(self, obj) -> bool:
        return obj.overdue_at is not None and obj.state == Subscription.State.APPROVED


class SubscriptionCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    mobile = serializers.CharField(max_length=30, help_text=_("The buyer's mobile; a known number finds the customer."))
    name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(required=False, default=False)
    payment_method = serializers.ChoiceField(choices=PriceList.Method.choices)
    deposit = serializers.DecimalField(max_digits=14, decimal_places=2)


class CancelInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, help_text=_("The reason."))


class PaymentLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentLine
        fields = ["id", "kind", "amount", "due_on"]
        read_only_fields = fields


class CustodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Custody
        fields = ["id", "item", "taken_at", "taken_by", "returned_at"]
        read_only_fields = fields


class ContractSerializer(StateSerializerMixin, serializers.ModelSerializer):
    unit_label = serializers.SerializerMethodField()
    customer_name = serializers.CharField(source="subscription.customer.name", read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "store",
            "project",
            "subscription",
            "unit_label",
            "customer_name",
            "state",
            "state_display",
            "total_price",
            "deed_tax",
            "maintenance_fund",
            "registration_fee",
            "loan_bank",
            "filing_number",
            "preregistration_certificate",
            "signed_at",
            "filed_at",
            "loan_disbursed_on",
            "handed_over_at",
            "handover_notice_at",
            "guarantee_given",
            "manual_given",
            "created_at",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_unit_label(self, obj) -> str:
        return obj.subscription.unit.label


class ContractDetailSerializer(ContractSerializer):
    payment_lines = PaymentLineSerializer(many=True, read_only=True)
    custody = CustodySerializer(many=True, read_only=True)
    copies = serializers.SerializerMethodField()
    invoices = serializers.SerializerMethodField()

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "payment_lines", "custody", "copies", "invoices"]
        read_only_fields = fields

    def get_invoices(self, obj) -> list[dict]:
        return [{"kind": i.kind, "number": i.number, "amount": str(i.amount)} for i in obj.invoices.all()]

    def get_copies(self, obj) -> list[dict]:
        return [{"holder": c.holder, "delivered_at": c.delivered_at} for c in obj.copies.all()]


class ScheduleLineInput(serializers.Serializer):
    kind = serializers.CharField(max_length=14)
    amount = serializers.CharField(max_length=20)
    due_on = serializers.CharField(max_length=10)


class ContractCreateSerializer(serializers.Serializer):
    subscription = serializers.IntegerField(min_value=1)
    loan_bank = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    schedule = ScheduleLineInput(many=True)


class FileInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    filing_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    certificate = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class HandOverStepSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    guarantee_given = serializers.BooleanField(required=False, default=False)
    manual_given = serializers.BooleanField(required=False, default=False)


class ContractInvoiceInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20)
    number = serializers.CharField(max_length=40, allow_blank=True)


class ContractLoanInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    on = serializers.DateField()


class CustodyInputSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=Custody.Item.choices)


class CopyInputSerializer(serializers.Serializer):
    holder = serializers.CharField(max_length=12)


class ReceiptSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    refunded = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = [
            "id",
            "number",
            "store",
            "project",
            "kind",
            "kind_display",
            "amount",
            "customer",
            "customer_name",
            "day",
            "taken_at",
            "taken_by",
            "fund_account",
            "subscription",
            "contract",
            "vip_card",
            "small_deposit",
            "refund_of",
            "refunded",
            "taken_back_at",
        ]
        read_only_fields = fields

    def get_refunded(self, obj) -> bool:
        return bool(getattr(obj, "is_refunded", False))


class HandOverInputSerializer(serializers.Serializer):
    store = serializers.IntegerField(min_value=1)
    day = serializers.DateField(required=False)


class VipCardSerializer(StateSerializerMixin, CustomerMobileMixin, serializers.ModelSerializer):
    class Meta:
        model = VipCard
        fields = [
            "id",
            "number",
            "sequence",
            "store",
            "project",
            "customer",
            "customer_name",
            "customer_mobile",
            "consultant",
            "amount",
            "agreement_no",
            "state",
            "state_display",
            "card_returned",
            "created_at",
            "available_transitions",
        ]
        read_only_fields = fields


class VipCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    customer = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    agreement_no = serializers.CharField(max_length=40, allow_blank=True)


class SmallDepositSerializer(StateSerializerMixin, CustomerMobileMixin, serializers.ModelSerializer):
    unit_label = serializers.SerializerMethodField()

    class Meta:
        model = SmallDeposit
        fields = [
            "id",
            "store",
            "project",
            "unit",
            "unit_label",
            "customer",
            "customer_name",
            "customer_mobile",
            "consultant",
            "amount",
            "state",
            "state_display",
            "expires_on",
            "created_at",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_unit_label(self, obj) -> str:
        return obj.unit.label


class SmallDepositCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    customer = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
