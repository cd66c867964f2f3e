"""API of the delivery app under /api/v1/delivery/: deliveries (list, detail, transitions), the owner
care calls due (list, record a call) and repair tickets (list, detail, intake, transitions). Views
parse input, call one service and serialise; lists cost a fixed number of queries."""

from django.utils import timezone
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from delivery import selectors, services
from delivery.models import Delivery, RepairTicket
from showroom.api.transitions import StateSerializerMixin, TransitionInputSerializer, TransitionViewSetMixin
from showroom.models import FollowUp, Store
from showroom.permissions import store_ids_for
from showroom.validators import mask_mobile


class DeliverySerializer(StateSerializerMixin, serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    consultant_name = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "store",
            "order",
            "customer",
            "customer_name",
            "consultant",
            "consultant_name",
            "vin",
            "vehicle_label",
            "state",
            "state_display",
            "available_transitions",
            "scheduled_at",
            "bay",
            "arrived_at",
            "handed_over_at",
            "arrival_expected_at",
            "destination",
            "first_service_date",
            "first_service_km",
            "satisfaction",
            "completed_at",
            "stock_move",
        ]
        read_only_fields = fields

    def get_consultant_name(self, obj) -> str:
        return obj.consultant.get_full_name() or obj.consultant.get_username()


class ScheduleInput(TransitionInputSerializer):
    at = serializers.DateTimeField()
    bay = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")


class HandOverInput(TransitionInputSerializer):
    signed_name = serializers.CharField(max_length=80)
    arrival_minutes = serializers.IntegerField(min_value=1, max_value=1440)
    destination = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    first_service_date = serializers.DateField(required=False, allow_null=True, default=None)
    first_service_km = serializers.IntegerField(required=False, allow_null=True, default=None)
    km_per_day = serializers.IntegerField(required=False, allow_null=True, default=None)
    satisfaction = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5, default=None)
    survey_note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    trade_in_vin = serializers.CharField(required=False, allow_blank=True, max_length=17, default="")


class ReasonInput(TransitionInputSerializer):
    reason = serializers.CharField(max_length=300)


def _simple(service):
    return lambda *, instance, user, note, data: service(delivery=instance, user=user, note=note)


class DeliveryViewSet(TransitionViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DeliverySerializer
    filterset_fields = ["state", "store"]
    transition_inputs = {"schedule": ScheduleInput, "hand_over": HandOverInput, "cancel": ReasonInput}
    transition_services = {
        "schedule": lambda *, instance, user, note, data: services.delivery_schedule(
            delivery=instance, user=user, note=note, **data
        ),
        "reschedule": lambda *, instance, user, note, data: services.delivery_reschedule(
            delivery=instance, user=user, note=note
        ),
        "prepare": _simple(services.delivery_prepare),
        "arrive": _simple(services.delivery_arrive),
        "hand_over": lambda *, instance, user, note, data: services.delivery_hand_over(
            delivery=instance, user=user, note=note, **data
        ),
        "complete": _simple(services.delivery_complete),
        "cancel": lambda *, instance, user, note, data: services.delivery_cancel(
            delivery=instance, user=user, reason=data["reason"]
        ),
    }

    def get_queryset(self):
        return selectors.deliveries_for(user=self.request.user).order_by("scheduled_at", "id")


class CareCallSerializer(serializers.ModelSerializer):
    delivery = serializers.IntegerField(source="object_id", read_only=True)
    assignee_name = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "delivery",
            "target_label",
            "plan",
            "kind",
            "title",
            "due_at",
            "sequence",
            "assignee",
            "assignee_name",
            "state",
        ]
        read_only_fields = fields

    def get_assignee_name(self, obj) -> str:
        return obj.assignee.get_full_name() or obj.assignee.get_username()


class CareCallInput(serializers.Serializer):
    reached = serializers.BooleanField()
    usage = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    connected_services = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    questions = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    unanswered = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    suggestions = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CareCallViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The owner-care calls due by the end of today in the user's stores."""

    serializer_class = CareCallSerializer
    queryset = FollowUp.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return FollowUp.objects.none()
        return selectors.care_calls_due(user=self.request.user, store_ids=store_ids_for(self.request.user))

    @action(detail=True, methods=["post"], url_path="record")
    def record(self, request, pk=None):
        followup = self.get_object()
        payload = CareCallInput(data=request.data)
        payload.is_valid(raise_exception=True)
        call = services.care_call_record(followup=followup, user=request.user, **payload.validated_data)
        return Response({"id": call.pk, "step": call.step, "reached": call.reached}, status=status.HTTP_201_CREATED)


class RepairTicketSerializer(StateSerializerMixin, serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_mobile = serializers.SerializerMethodField()
    age_days = serializers.SerializerMethodField()

    class Meta:
        model = RepairTicket
        fields = [
            "id",
            "store",
            "number",
            "customer",
            "customer_name",
            "customer_mobile",
            "contact",
            "product",
            "model",
            "serial",
            "accessories",
            "defects",
            "fault",
            "sale_source",
            "sale_date",
            "warranty_months",
            "in_warranty",
            "vendor",
            "vendor_promised_date",
            "diagnosis",
            "price",
            "consent",
            "repaired",
            "warranty_after_days",
            "state",
            "state_display",
            "available_transitions",
            "state_since",
            "age_days",
            "created_at",
        ]
        read_only_fields = fields

    def get_customer_mobile(self, obj) -> str:
        return mask_mobile(obj.customer.mobile)

    def get_age_days(self, obj) -> int:
        return (timezone.now() - obj.state_since).days


class IntakeInput(serializers.Serializer):
    store = serializers.IntegerField()
    customer_mobile = serializers.CharField(max_length=20)
    customer_name = serializers.CharField(required=False, allow_blank=True, max_length=80, default="")
    consent_given = serializers.BooleanField(required=False, default=False)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    product = serializers.CharField(max_length=120)
    model = serializers.CharField(max_length=120)
    serial = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    accessories = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    defects = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    fault = serializers.CharField(max_length=2000)
    declared_sale_date = serializers.DateField(required=False, allow_null=True, default=None)
    declared_warranty_months = serializers.IntegerField(required=False, allow_null=True, default=None)


class VendorInput(TransitionInputSerializer):
    vendor = serializers.CharField(max_length=120)
    promised_date = serializers.DateField()


class QuoteInput(TransitionInputSerializer):
    diagnosis = serializers.CharField(max_length=2000)
    price = serializers.CharField(max_length=20)


class ConsentInput(TransitionInputSerializer):
    agreed = serializers.BooleanField()


class BackInput(TransitionInputSerializer):
    accessories_ok = serializers.BooleanField()
    serial_ok = serializers.BooleanField()


class ReadyInput(TransitionInputSerializer):
    warranty_after_days = serializers.IntegerField(required=False, allow_null=True, default=None)


def _ticket(service, **extra):
    return lambda *, instance, user, note, data: service(ticket=instance, user=user, note=note, **data)


class RepairTicketViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RepairTicketSerializer
    filterset_fields = ["state", "store", "in_warranty"]
    transition_inputs = {
        "send_to_vendor": VendorInput,
        "quote": QuoteInput,
        "approve_repair": ConsentInput,
        "receive_back": BackInput,
        "make_ready": ReadyInput,
    }
    transition_services = {
        "send_to_vendor": _ticket(services.repair_send_to_vendor),
        "quote": lambda *, instance, user, note, data: services.repair_quote_record(
            ticket=instance, user=user, note=note, **data
        ),
        "approve_repair": _ticket(services.repair_consent),
        "start_warranty_repair": _ticket(services.repair_start_warranty),
        "receive_back": _ticket(services.repair_receive_back),
        "make_ready": _ticket(services.repair_make_ready),
        "collect": _ticket(services.repair_collect),
    }

    def get_queryset(self):
        return selectors.repair_tickets_for(user=self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        return IntakeInput if self.action == "create" else RepairTicketSerializer

    def create(self, request, *args, **kwargs):
        payload = IntakeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        store = Store.objects.filter(pk=data.pop("store"), pk__in=store_ids_for(request.user)).first()
        if store is None:
            return Response({"store": ["Choose one of your stores."]}, status=status.HTTP_400_BAD_REQUEST)
        ticket = services.repair_intake(store=store, user=request.user, **data)
        ticket = self.get_queryset().get(pk=ticket.pk)
        context = {**self.get_serializer_context(), "detail": True}
        return Response(RepairTicketSerializer(ticket, context=context).data, status=status.HTTP_201_CREATED)
