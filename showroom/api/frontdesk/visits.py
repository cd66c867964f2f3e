"""The front desk's walk-ins over the API (``frontdesk-visits/``)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.api.frontdesk.common import (
    DAY_PARAM,
    STORE_PARAM,
    _customer_or_error,
    _day_param,
    _readable,
    _store_param,
    _user_or_error,
)
from showroom.api.frontdesk.roster import AssignmentSerializer
from showroom.models import Visit
from showroom.selectors.frontdesk import MAX_ID, customer_for_store, user_label, visit_get, visit_list, visit_source_for
from showroom.selectors.stores import store_get_for_user
from showroom.services.frontdesk import visit_customer_link, visit_leave, visit_log
from showroom.services.roster import roster_assign

# --- visits ------------------------------------------------------------------------------------


class VisitSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    purpose_display = serializers.CharField(source="get_purpose_display", read_only=True)
    source_code = serializers.CharField(source="source.code", read_only=True)
    source_label = serializers.CharField(source="source.label", read_only=True)
    customer_name = serializers.SerializerMethodField()
    consultant_name = serializers.SerializerMethodField()
    logged_by_name = serializers.SerializerMethodField()
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "store",
            "store_name",
            "arrived_at",
            "left_at",
            "is_open",
            "party_size",
            "purpose",
            "purpose_display",
            "first_visit",
            "source",
            "source_code",
            "source_label",
            "licence_plate",
            "customer",
            "customer_name",
            "consultant",
            "consultant_name",
            "notes",
            "counted_shift",
            "current_shift",
            "logged_by",
            "logged_by_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_customer_name(self, obj) -> str | None:
        return obj.customer.name if obj.customer_id else None

    def get_consultant_name(self, obj) -> str | None:
        return user_label(obj.consultant) if obj.consultant_id else None

    def get_logged_by_name(self, obj) -> str:
        return user_label(obj.logged_by)


class VisitCreateSerializer(serializers.Serializer):
    # Types only; what is valid (the source on the store's list, a plate, today's time) is the
    # service's.
    store = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    party_size = serializers.IntegerField(default=1)
    purpose = serializers.ChoiceField(choices=Visit.Purpose.choices, default=Visit.Purpose.LOOK)
    first_visit = serializers.BooleanField(default=True)
    source = serializers.CharField(max_length=40, help_text="A source's id or code (see frontdesk-sources).")
    arrived_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    licence_plate = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    customer = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID, default=None)
    consultant = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        default=None,
        help_text="The consultant the customer asked for (takes nobody's turn).",
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    customer_mobile = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        default="",
        help_text="Names the customer: a known number finds them, a new one registers them (name and consent).",
    )
    customer_name = serializers.CharField(required=False, allow_blank=True, max_length=80, default="")
    customer_consent = serializers.BooleanField(required=False, default=False)


class LeaveSerializer(serializers.Serializer):
    left_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class AssignSerializer(serializers.Serializer):
    consultant = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        default=None,
        help_text="Empty: the next consultant in turn. Given: a manager's override, with a reason.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CustomerLinkSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Walk-ins of the stores where you use the front desk, newest first."""

    serializer_class = VisitSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        request = self.request
        return visit_list(
            user=request.user,
            store=_store_param(request),
            day=_day_param(request),
            open_only=request.query_params.get("open", "").lower() in ("1", "true"),
        )

    def get_object(self):
        return _readable(self.request, visit_get(user=self.request.user, pk=self.kwargs["pk"]))

    @extend_schema(parameters=[STORE_PARAM, DAY_PARAM, OpenApiParameter("open", OpenApiTypes.BOOL)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        payload = VisitCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        store = store_get_for_user(user=request.user, store_id=data["store"])
        customer = _customer_or_error(store=store, pk=data["customer"])
        visit = visit_log(
            store=store,
            user=request.user,
            party_size=data["party_size"],
            purpose=data["purpose"],
            first_visit=data["first_visit"],
            source=visit_source_for(store=store, value=data["source"]),
            arrived_at=data["arrived_at"],
            licence_plate=data["licence_plate"],
            customer=customer,
            consultant=_user_or_error(data["consultant"], "consultant"),
            notes=data["notes"],
            customer_mobile=data["customer_mobile"],
            customer_name=data["customer_name"],
            customer_consent=data["customer_consent"],
        )
        visit = visit_get(user=request.user, pk=visit.pk)
        return Response(VisitSerializer(visit).data, status=201)

    @extend_schema(request=LeaveSerializer, responses={200: VisitSerializer})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        visit = visit_get(user=request.user, pk=pk)
        payload = LeaveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        visit_leave(visit=visit, user=request.user, left_at=payload.validated_data["left_at"])
        return Response(VisitSerializer(visit_get(user=request.user, pk=pk)).data)

    @extend_schema(request=AssignSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        visit = visit_get(user=request.user, pk=pk)
        payload = AssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        assignment = roster_assign(
            store=visit.store,
            user=request.user,
            visit=visit,
            consultant=_user_or_error(data["consultant"], "consultant"),
            reason=data["reason"],
        )
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(request=CustomerLinkSerializer, responses={200: VisitSerializer})
    @action(detail=True, methods=["post"])
    def customer(self, request, pk=None):
        visit = visit_get(user=request.user, pk=pk)
        payload = CustomerLinkSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        customer = customer_for_store(store=visit.store, pk=payload.validated_data["customer"])
        visit_customer_link(visit=visit, user=request.user, customer=customer)
        return Response(VisitSerializer(visit_get(user=request.user, pk=pk)).data)
