"""The leads API under /api/v1/leads/.

``leads/``: the leads of my stores (filters ``state``, ``grade``, ``consultant``,
``vehicle_model``, ``store``, ``created_from``, ``created_to``, ``q``), ``leads/mine/`` (my open
leads, overdue first), detail with ``available_transitions``, create, partial update (needs
analysis, vehicle of interest, budget, timeline), ``POST …/<id>/transitions/<name>/`` (contact,
visit, drive, quote, win, reactivate; lose and sleep are refused: a lead is lost through
``…/lost_request/`` and goes dormant by itself), and the actions ``contacts``, ``grade``,
``plan_confirm``, ``lost_request``, ``objections``, ``test_drive`` and ``appraisal``.
The vehicle catalogue is in ``leads.api_catalogue``.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from leads.models import (
    AppraisalRequest,
    GradeRule,
    Lead,
    LeadContact,
    LeadObjection,
)
from leads.selectors import lead_get, lead_list, lead_my_list
from leads.services import (
    lead_appraisal_request,
    lead_contact_record,
    lead_create,
    lead_grade_set,
    lead_lost_request,
    lead_objection_add,
    lead_plan_confirm,
    lead_test_drive_offer,
    lead_transition,
    lead_update,
    lost_request_pending,
)
from showroom.api.transitions import StateSerializerMixin, TransitionViewSetMixin, state_labels
from showroom.models import Customer
from showroom.selectors.customers import customer_get, customer_personal_data_visible
from showroom.selectors.followups import user_by_id
from showroom.selectors.stores import store_get_for_user
from showroom.validators import mask_mobile


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


# --- leads: output ------------------------------------------------------------------------------


class LeadSerializer(StateSerializerMixin, serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_mobile = serializers.SerializerMethodField()
    consultant_name = serializers.SerializerMethodField()
    vehicle_model_name = serializers.SerializerMethodField()
    next_followup_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "store",
            "store_name",
            "customer",
            "customer_name",
            "customer_mobile",
            "consultant",
            "consultant_name",
            "created_by",
            "source",
            "vehicle_model",
            "vehicle_model_name",
            "trim",
            "budget",
            "purchase_timeline",
            "grade",
            "state",
            "state_display",
            "last_contact_at",
            "next_followup_at",
            "created_at",
            "updated_at",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_customer_mobile(self, obj) -> str:
        # Lists always mask; a detail shows the number to the roles that need personal data.
        request = self.context.get("request")
        if self.context.get("detail") and customer_personal_data_visible(user=request.user, customer=obj.customer):
            return obj.customer.mobile
        return mask_mobile(obj.customer.mobile)

    def get_consultant_name(self, obj) -> str | None:
        return _name(obj.consultant)

    def get_vehicle_model_name(self, obj) -> str | None:
        return str(obj.vehicle_model) if obj.vehicle_model_id else None


# --- leads: list rows ---------------------------------------------------------------------------
# A list's rows are read as values and written directly: DRF's walk over twenty fields of six model
# instances a row (and building those fields each request) was most of the lead list API's time.
# LeadSerializer above stays the schema; tests/leads/test_api_list_rows.py holds the rows equal to
# what it gives.
_ROW_COLUMNS = (
    "id",
    "store_id",
    "store__name",
    "customer_id",
    "customer__name",
    "customer__mobile",
    "consultant_id",
    "consultant__first_name",
    "consultant__last_name",
    "consultant__username",
    "created_by_id",
    "source",
    "vehicle_model_id",
    "vehicle_model__name",
    "vehicle_model__brand__name",
    "trim_id",
    "budget",
    "purchase_timeline",
    "grade",
    "state",
    "last_contact_at",
    "next_followup_at",
    "created_at",
    "updated_at",
)
# DRF's own formatting of money; times as DRF writes them in its default format: ISO 8601 in the
# current time zone, UTC written as "Z".
_MONEY = serializers.DecimalField(max_digits=12, decimal_places=2)


def _at(value, tz):
    if value is None:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def lead_row_values(queryset):
    """``queryset`` (lead_list's or lead_my_list's) reading only the list rows' columns."""
    return queryset.values(*_ROW_COLUMNS)


def lead_rows(values) -> list[dict]:
    """The API's list rows from ``lead_row_values`` rows."""
    states = state_labels(Lead)
    tz = timezone.get_current_timezone()  # once, not per value: a context-local lookup each time
    rows = []
    for v in values:
        consultant = f"{v['consultant__first_name']} {v['consultant__last_name']}".strip()
        rows.append(
            {
                "id": v["id"],
                "store": v["store_id"],
                "store_name": v["store__name"],
                "customer": v["customer_id"],
                "customer_name": v["customer__name"],
                "customer_mobile": mask_mobile(v["customer__mobile"]),
                "consultant": v["consultant_id"],
                "consultant_name": consultant or v["consultant__username"],
                "created_by": v["created_by_id"],
                "source": v["source"],
                "vehicle_model": v["vehicle_model_id"],
                "vehicle_model_name": (
                    f"{v['vehicle_model__brand__name']} {v['vehicle_model__name']}" if v["vehicle_model_id"] else None
                ),
                "trim": v["trim_id"],
                "budget": None if v["budget"] is None else _MONEY.to_representation(v["budget"]),
                "purchase_timeline": v["purchase_timeline"],
                "grade": v["grade"],
                "state": v["state"],
                "state_display": states.get(v["state"], v["state"]),
                "last_contact_at": _at(v["last_contact_at"], tz),
                "next_followup_at": _at(v["next_followup_at"], tz),
                "created_at": _at(v["created_at"], tz),
                "updated_at": _at(v["updated_at"], tz),
            }
        )
    return rows


class ObjectionSerializer(serializers.ModelSerializer):
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = LeadObjection
        fields = ["id", "objection", "answer", "resolved", "recorded_by", "recorded_by_name", "recorded_at"]
        read_only_fields = fields

    def get_recorded_by_name(self, obj) -> str | None:
        return _name(obj.recorded_by)


class ContactSerializer(serializers.ModelSerializer):
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = LeadContact
        fields = ["id", "kind", "summary", "at", "automatic", "recorded_by", "recorded_by_name", "recorded_at"]
        read_only_fields = fields

    def get_recorded_by_name(self, obj) -> str | None:
        return _name(obj.recorded_by)


class AppraisalSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppraisalRequest
        fields = ["id", "car_details", "licence_plate", "state", "requested_by", "requested_at"]
        read_only_fields = fields


class LeadDetailSerializer(LeadSerializer):
    objections = ObjectionSerializer(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    appraisals = AppraisalSerializer(many=True, read_only=True)
    lost_reason_text = serializers.CharField(source="lost_reason.text", read_only=True, default=None)
    pending_lost_request = serializers.SerializerMethodField()

    class Meta(LeadSerializer.Meta):
        fields = [
            *LeadSerializer.Meta.fields,
            "usage",
            "passengers",
            "body_type",
            "key_criteria",
            "models_compared",
            "trade_in",
            "trade_in_details",
            "test_drive",
            "plan_confirmed_at",
            "plan_confirmed_by",
            "plan_note",
            "lost_competitor_brand",
            "lost_competitor_model",
            "lost_reason",
            "lost_reason_text",
            "pending_lost_request",
            "objections",
            "contacts",
            "appraisals",
        ]
        read_only_fields = fields

    def get_pending_lost_request(self, obj) -> int | None:
        pending = lost_request_pending(lead=obj) if obj.is_open else None
        return pending.pk if pending is not None else None


# --- leads: input -------------------------------------------------------------------------------


class NeedsInputMixin(serializers.Serializer):
    # Types only; what is allowed (trim of the model, limits) is the service's.
    source = serializers.ChoiceField(choices=Customer.Source.choices, required=False)
    vehicle_model = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    trim = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    purchase_timeline = serializers.ChoiceField(choices=Lead.Timeline.choices, required=False)
    usage = serializers.CharField(required=False, allow_blank=True, max_length=200)
    passengers = serializers.IntegerField(required=False, allow_null=True)
    body_type = serializers.CharField(required=False, allow_blank=True, max_length=60)
    key_criteria = serializers.CharField(required=False, allow_blank=True, max_length=300)
    models_compared = serializers.CharField(required=False, allow_blank=True, max_length=300)
    trade_in = serializers.BooleanField(required=False)
    trade_in_details = serializers.CharField(required=False, allow_blank=True, max_length=300)


class LeadCreateSerializer(NeedsInputMixin):
    store = serializers.IntegerField(min_value=1)
    customer = serializers.IntegerField(min_value=1, help_text=_("A customer of the store."))
    consultant = serializers.IntegerField(required=False, min_value=1, help_text=_("Defaults to you."))
    grade = serializers.ChoiceField(
        choices=GradeRule.Grade.choices, required=False, help_text=_("Defaults to the timeline's grade.")
    )


class LeadUpdateSerializer(NeedsInputMixin):
    pass


class ContactInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=10)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class GradeInputSerializer(serializers.Serializer):
    grade = serializers.CharField(max_length=1)


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class LostInputSerializer(serializers.Serializer):
    # Blank allowed here: the service answers each missing field in the user's words.
    competitor_brand = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    competitor_model = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    reason_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ObjectionInputSerializer(serializers.Serializer):
    objection = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    answer = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    resolved = serializers.BooleanField(required=False, default=False)


class TestDriveInputSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()


class AppraisalInputSerializer(serializers.Serializer):
    car_details = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    licence_plate = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")


class ApprovalRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.CharField()


class LeadFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=Lead.State.choices)
    grade = filters.ChoiceFilter(choices=GradeRule.Grade.choices)
    consultant = filters.NumberFilter(field_name="consultant_id")
    vehicle_model = filters.NumberFilter(field_name="vehicle_model_id")
    store = filters.NumberFilter(field_name="store_id")
    created_from = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_to = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    q = filters.CharFilter(method="noop", help_text=_("Customer name or phone digits."))

    class Meta:
        model = Lead
        fields = ["state", "grade", "consultant", "vehicle_model", "store", "created_from", "created_to", "q"]

    def noop(self, queryset, name, value):
        return queryset  # applied by the selector in get_queryset


def _transition(name):
    def run(*, instance, user, note, data):
        return lead_transition(lead=instance, name=name, user=user, note=note)

    return run


class LeadViewSet(
    TransitionViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = LeadFilter
    ordering_fields = ["created_at", "grade", "last_contact_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    transition_services = {
        name: _transition(name) for name in ("contact", "visit", "drive", "quote", "win", "reactivate", "lose", "sleep")
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Lead.objects.none()
        if self.action == "mine":
            return lead_my_list(user=self.request.user)
        return lead_list(user=self.request.user, search=self.request.query_params.get("q", ""))

    def get_object(self):
        return lead_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "create":
            return LeadCreateSerializer
        if self.action in ("update", "partial_update"):
            return LeadUpdateSerializer
        return LeadSerializer if self.action in ("list", "mine") else LeadDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["detail"] = self.action not in ("list", "mine")
        return context

    def _detail(self, lead, status_code=200):
        lead = lead_get(user=self.request.user, pk=lead.pk)
        return Response(LeadDetailSerializer(lead, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=LeadCreateSerializer, responses={201: LeadDetailSerializer})
    def create(self, request, *args, **kwargs):
        payload = LeadCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        store = store_get_for_user(user=request.user, store_id=data.pop("store"))
        customer = customer_get(user=request.user, pk=data.pop("customer"))
        consultant_id = data.pop("consultant", None)
        consultant = user_by_id(consultant_id) if consultant_id else None
        if consultant_id and consultant is None:
            raise serializers.ValidationError({"consultant": [_("No such user.")]})
        lead = lead_create(user=request.user, store=store, customer=customer, consultant=consultant, **data)
        return self._detail(lead, status.HTTP_201_CREATED)

    @extend_schema(request=LeadUpdateSerializer, responses={200: LeadDetailSerializer})
    def update(self, request, *args, **kwargs):
        lead = self.get_object()
        payload = LeadUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        lead = lead_update(lead=lead, user=request.user, **payload.validated_data)
        return self._detail(lead)

    @extend_schema(responses={200: LeadSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def mine(self, request):
        """My open leads: overdue follow-up first, then by grade, then by the next follow-up."""
        return self.get_paginated_response(lead_rows(self.paginate_queryset(self.get_queryset())))

    def list(self, request, *args, **kwargs):
        return self.get_paginated_response(lead_rows(self.paginate_queryset(self.filter_queryset(self.get_queryset()))))

    def page_rows(self, page):
        # the paginator counts the leads; only the page's 25 are read, as values (lead_rows)
        return lead_row_values(page)

    @extend_schema(request=ContactInputSerializer, responses={201: ContactSerializer})
    @action(detail=True, methods=["post"])
    def contacts(self, request, pk=None):
        lead = self.get_object()
        payload = ContactInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        contact = lead_contact_record(lead=lead, user=request.user, **payload.validated_data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GradeInputSerializer, responses={200: LeadDetailSerializer})
    @action(detail=True, methods=["post"])
    def grade(self, request, pk=None):
        lead = self.get_object()
        payload = GradeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._detail(lead_grade_set(lead=lead, grade=payload.validated_data["grade"], user=request.user))

    @extend_schema(request=NoteInputSerializer, responses={200: LeadDetailSerializer})
    @action(detail=True, methods=["post"])
    def plan_confirm(self, request, pk=None):
        lead = self.get_object()
        payload = NoteInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._detail(lead_plan_confirm(lead=lead, user=request.user, note=payload.validated_data["note"]))

    @extend_schema(request=LostInputSerializer, responses={201: ApprovalRefSerializer})
    @action(detail=True, methods=["post"])
    def lost_request(self, request, pk=None):
        """Ask the showroom manager to confirm the lead is lost; it is lost once approved."""
        lead = self.get_object()
        payload = LostInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        approval = lead_lost_request(lead=lead, user=request.user, **payload.validated_data)
        return Response(
            {"id": approval.pk, "kind": approval.kind, "state": approval.state}, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ObjectionInputSerializer, responses={201: ObjectionSerializer})
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        lead = self.get_object()
        payload = ObjectionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        objection = lead_objection_add(lead=lead, user=request.user, **payload.validated_data)
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TestDriveInputSerializer, responses={200: LeadDetailSerializer})
    @action(detail=True, methods=["post"])
    def test_drive(self, request, pk=None):
        lead = self.get_object()
        payload = TestDriveInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._detail(
            lead_test_drive_offer(lead=lead, user=request.user, accepted=payload.validated_data["accepted"])
        )

    @extend_schema(request=AppraisalInputSerializer, responses={201: AppraisalSerializer})
    @action(detail=True, methods=["post"])
    def appraisal(self, request, pk=None):
        lead = self.get_object()
        payload = AppraisalInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        appraisal = lead_appraisal_request(lead=lead, user=request.user, **payload.validated_data)
        return Response(AppraisalSerializer(appraisal).data, status=status.HTTP_201_CREATED)
