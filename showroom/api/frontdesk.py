"""The front desk and the duty roster over the API (``/api/v1/core/…``).

- ``frontdesk-visits/``: list (``?store=``, ``?day=YYYY-MM-DD``, ``?open=true``), create (a walk-in),
  detail; ``POST …/<id>/leave/`` (``left_at``), ``…/<id>/assign/`` (no body: the next consultant
  in turn; ``consultant`` and ``reason``: a manager's override), ``…/<id>/customer/`` (``customer``).
- ``frontdesk-calls/``: list (``?store=``, ``?day=``), create, detail.
- ``frontdesk-shifts/``: list (``?store=``, ``?day=``), detail with live counts,
  ``POST …/open/`` (``store``), ``POST …/<id>/close/`` (``next_receptionist``, ``note``).
- ``frontdesk-rosters/``: list (``?store=``, ``?day=``), detail, create = set a day's order
  (``store``, ``day``, ``consultants``: ids in order), ``GET …/today/?store=``,
  ``GET …/next_up/?store=&day=``, ``POST …/<id>/status/`` (``consultant``, ``status``).
- ``frontdesk-assignments/``: list (``?store=``, ``?day=``, ``?kind=``), detail.
- ``frontdesk-sources/?store=``: the store's list of visit sources.

Serializers parse and present; every rule is the services'. 403 not allowed, 404 another store.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.models import Assignment, Call, DutyRoster, ReceptionShift, RosterEntry, Visit, VisitSource
from showroom.permissions import has_role, store_ids_for
from showroom.roles import PERSONAL_DATA_ROLES
from showroom.selectors.followups import user_by_id
from showroom.selectors.frontdesk import (
    BOARD_READERS,
    MAX_ID,
    call_get,
    call_list,
    customer_for_store,
    day_bounds,
    db_id,
    frontdesk_may_read,
    local_today,
    shift_counts,
    shift_get,
    shift_visible,
    user_label,
    visit_get,
    visit_list,
    visit_source_for,
    visit_sources_for,
)
from showroom.selectors.roster import (
    assignment_visible,
    roster_get,
    roster_get_for_user,
    roster_rotation,
    roster_visible,
)
from showroom.selectors.stores import store_get_for_user
from showroom.services.frontdesk import (
    call_log,
    shift_close,
    shift_open,
    visit_customer_link,
    visit_leave,
    visit_log,
)
from showroom.services.roster import roster_assign, roster_set, roster_status_set
from showroom.validators import mask_mobile

DAY_PARAM = OpenApiParameter("day", OpenApiTypes.DATE, description="A local day (YYYY-MM-DD).")
STORE_PARAM = OpenApiParameter("store", OpenApiTypes.INT, description="One of your stores.")


def _day_param(request, *, default: dt.date | None = None) -> dt.date | None:
    raw = request.query_params.get("day", "")
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({"day": [_("Enter a date as YYYY-MM-DD.")]}) from exc


def _store_param(request, *, required: bool = False, value=None):
    raw = value if value is not None else request.query_params.get("store", "")
    if raw in ("", None):
        if required:
            raise ValidationError({"store": [_("Choose one of your stores.")]})
        return None
    store = store_get_for_user(user=request.user, store_id=raw)
    if not frontdesk_may_read(user=request.user, store=store):
        raise PermissionDenied(_("Your role does not use the front desk in this store."))
    return store


def _readable(request, obj):
    if not frontdesk_may_read(user=request.user, store=obj.store_id):
        raise PermissionDenied(_("Your role does not use the front desk in this store."))
    return obj


def _user_or_error(pk, field: str):
    if pk is None:
        return None
    user = user_by_id(pk)
    if user is None:
        raise ValidationError({field: [_("There is no such person.")]})
    return user


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user_label(user)}


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


class AssignmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    consultant_name = serializers.SerializerMethodField()
    decided_by_name = serializers.SerializerMethodField()
    reason_text = serializers.CharField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "store",
            "day",
            "consultant",
            "consultant_name",
            "visit",
            "kind",
            "kind_display",
            "reason_code",
            "reason",
            "reason_text",
            "details",
            "counts_for_fairness",
            "decided_by",
            "decided_by_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_consultant_name(self, obj) -> str:
        return user_label(obj.consultant)

    def get_decided_by_name(self, obj) -> str:
        return user_label(obj.decided_by)


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
        customer = None
        if data["customer"] is not None:
            customer = customer_for_store(store=store, pk=data["customer"])
            if customer is None:
                raise ValidationError({"customer": [_("Choose a customer of this store.")]})
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


# --- calls -------------------------------------------------------------------------------------


class CallSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    number = serializers.SerializerMethodField()
    customer_name = serializers.SerializerMethodField()
    consultant_name = serializers.SerializerMethodField()
    logged_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "store",
            "store_name",
            "at",
            "number",
            "question",
            "callback_agreed_at",
            "callback_note",
            "customer",
            "customer_name",
            "consultant",
            "consultant_name",
            "counted_shift",
            "logged_by",
            "logged_by_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_number(self, obj) -> str:
        # Lists mask the number; a detail shows it to the roles that need personal data.
        request = self.context.get("request")
        reveal = self.context.get("detail") and request and has_role(request.user, obj.store_id, PERSONAL_DATA_ROLES)
        return obj.number if reveal else mask_mobile(obj.number)

    def get_customer_name(self, obj) -> str | None:
        return obj.customer.name if obj.customer_id else None

    def get_consultant_name(self, obj) -> str | None:
        return user_label(obj.consultant) if obj.consultant_id else None

    def get_logged_by_name(self, obj) -> str:
        return user_label(obj.logged_by)


class CallCreateSerializer(serializers.Serializer):
    store = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    number = serializers.CharField(max_length=40)
    question = serializers.CharField(max_length=2000, allow_blank=True)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    callback_agreed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    callback_note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    customer = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID, default=None)
    consultant = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID, default=None)


class CallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Calls taken at the front desk, newest first."""

    serializer_class = CallSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Call.objects.none()
        return call_list(user=self.request.user, store=_store_param(self.request), day=_day_param(self.request))

    def get_object(self):
        return _readable(self.request, call_get(user=self.request.user, pk=self.kwargs["pk"]))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["detail"] = self.action != "list"
        return context

    @extend_schema(parameters=[STORE_PARAM, DAY_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CallCreateSerializer, responses={201: CallSerializer})
    def create(self, request, *args, **kwargs):
        payload = CallCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        store = store_get_for_user(user=request.user, store_id=data["store"])
        customer = None
        if data["customer"] is not None:
            customer = customer_for_store(store=store, pk=data["customer"])
            if customer is None:
                raise ValidationError({"customer": [_("Choose a customer of this store.")]})
        call = call_log(
            store=store,
            user=request.user,
            number=data["number"],
            question=data["question"],
            at=data["at"],
            callback_agreed_at=data["callback_agreed_at"],
            callback_note=data["callback_note"],
            customer=customer,
            consultant=_user_or_error(data["consultant"], "consultant"),
        )
        call = call_get(user=request.user, pk=call.pk)
        return Response(CallSerializer(call, context=self.get_serializer_context()).data, status=201)


# --- shifts ------------------------------------------------------------------------------------


class ShiftSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    receptionist_name = serializers.SerializerMethodField()
    is_open = serializers.BooleanField(read_only=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionShift
        fields = [
            "id",
            "store",
            "store_name",
            "receptionist",
            "receptionist_name",
            "opened_at",
            "closed_at",
            "is_open",
            "planned_minutes",
            "handed_to",
            "handover_note",
            "counts",
            "closed_by",
        ]
        read_only_fields = fields

    def get_receptionist_name(self, obj) -> str:
        return user_label(obj.receptionist)

    def get_counts(self, obj) -> dict:
        # A closed shift shows what it counted at its close; an open one (detail only) counts now.
        if obj.closed_at is None and self.context.get("detail"):
            return shift_counts(shift=obj)
        return obj.counts or {}


class ShiftOpenSerializer(serializers.Serializer):
    store = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ShiftCloseSerializer(serializers.Serializer):
    next_receptionist = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ShiftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Receptionist shifts, newest first; closing one returns its counts and hands open visits on."""

    serializer_class = ShiftSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReceptionShift.objects.none()
        qs = shift_visible(user=self.request.user, readable_only=True)
        store = _store_param(self.request)
        if store is not None:
            qs = qs.filter(store=store)
        day = _day_param(self.request)
        if day is not None:
            start, end = day_bounds(day)
            qs = qs.filter(opened_at__gte=start, opened_at__lt=end)
        return qs.order_by("-opened_at", "-id")

    def get_object(self):
        return _readable(self.request, shift_get(user=self.request.user, pk=self.kwargs["pk"]))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["detail"] = self.action != "list"
        return context

    @extend_schema(parameters=[STORE_PARAM, DAY_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ShiftOpenSerializer, responses={201: ShiftSerializer})
    @action(detail=False, methods=["post"])
    def open(self, request):
        payload = ShiftOpenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        store = store_get_for_user(user=request.user, store_id=payload.validated_data["store"])
        shift = shift_open(store=store, user=request.user)
        shift = shift_get(user=request.user, pk=shift.pk)
        return Response(ShiftSerializer(shift, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        request=ShiftCloseSerializer,
        responses={
            200: inline_serializer(
                "ShiftClosed",
                {
                    "shift": ShiftSerializer(),
                    "counts": serializers.DictField(),
                    "next_shift": ShiftSerializer(allow_null=True),
                },
            )
        },
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        shift = shift_get(user=request.user, pk=pk)
        payload = ShiftCloseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        counts = shift_close(
            shift=shift,
            user=request.user,
            next_receptionist=_user_or_error(data["next_receptionist"], "next_receptionist"),
            note=data["note"],
        )
        context = self.get_serializer_context()
        following = shift_get(user=request.user, pk=counts["handed_to"]) if counts.get("handed_to") else None
        return Response(
            {
                "shift": ShiftSerializer(shift_get(user=request.user, pk=pk), context=context).data,
                "counts": counts,
                "next_shift": ShiftSerializer(following, context=context).data if following else None,
            }
        )


# --- the roster --------------------------------------------------------------------------------


class RosterEntrySerializer(serializers.ModelSerializer):
    consultant_name = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = RosterEntry
        fields = ["id", "consultant", "consultant_name", "position", "status", "status_display", "status_changed_at"]
        read_only_fields = fields

    def get_consultant_name(self, obj) -> str:
        return user_label(obj.consultant)


class RosterSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    entries = RosterEntrySerializer(many=True, read_only=True)

    class Meta:
        model = DutyRoster
        fields = ["id", "store", "store_name", "day", "entries", "updated_at"]
        read_only_fields = fields


class RosterSetSerializer(serializers.Serializer):
    store = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    day = serializers.DateField(required=False, allow_null=True, default=None, help_text="Defaults to today.")
    consultants = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=60, allow_empty=True
    )


class RosterStatusSerializer(serializers.Serializer):
    consultant = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=RosterEntry.Status.choices)


class SkipSerializer(serializers.Serializer):
    consultant = serializers.SerializerMethodField()
    reason_code = serializers.CharField(source="code")
    reason = serializers.CharField(source="reason_text")

    def get_consultant(self, obj) -> dict:
        return _person(obj.entry.consultant)


NEXT_UP = inline_serializer(
    "NextUp",
    {
        "store": serializers.IntegerField(),
        "day": serializers.DateField(),
        "consultant": inline_serializer(
            "Person", {"id": serializers.IntegerField(), "name": serializers.CharField()}, allow_null=True
        ),
        "skips": SkipSerializer(many=True),
    },
)


class RosterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Duty rosters: each day's consultants in order with their status."""

    serializer_class = RosterSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DutyRoster.objects.none()
        qs = roster_visible(user=self.request.user).filter(store_id__in=store_ids_for(self.request.user, BOARD_READERS))
        store = _store_param(self.request)
        if store is not None:
            qs = qs.filter(store=store)
        day = _day_param(self.request)
        if day is not None:
            qs = qs.filter(day=day)
        return qs.order_by("-day", "store_id")

    def get_object(self):
        return _readable(self.request, roster_get_for_user(user=self.request.user, pk=self.kwargs["pk"]))

    @extend_schema(parameters=[STORE_PARAM, DAY_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=RosterSetSerializer, responses={200: RosterSerializer})
    def create(self, request, *args, **kwargs):
        """Set a day's consultants in order (managers)."""
        payload = RosterSetSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        store = store_get_for_user(user=request.user, store_id=data["store"])
        consultants = [_user_or_error(pk, "consultants") for pk in data["consultants"]]
        roster = roster_set(store=store, day=data["day"] or local_today(), consultants=consultants, user=request.user)
        return Response(RosterSerializer(roster_get_for_user(user=request.user, pk=roster.pk)).data)

    @extend_schema(parameters=[STORE_PARAM], responses={200: RosterSerializer})
    @action(detail=False, methods=["get"])
    def today(self, request):
        store = _store_param(request, required=True)
        roster = roster_get(store=store, day=local_today())
        if roster is None:
            return Response(
                {"id": None, "store": store.pk, "store_name": store.name, "day": local_today(), "entries": []}
            )
        roster.store = store
        return Response(RosterSerializer(roster).data)

    @extend_schema(parameters=[STORE_PARAM, DAY_PARAM], responses={200: NEXT_UP})
    @action(detail=False, methods=["get"], url_path="next_up")
    def next_up(self, request):
        """Who gets the next walk-in in turn, and who would be passed over and why (read-only)."""
        store = _store_param(request, required=True)
        day = _day_param(request, default=local_today())
        entry, skips = roster_rotation(store=store, day=day)
        return Response(
            {
                "store": store.pk,
                "day": day,
                "consultant": _person(entry.consultant) if entry else None,
                "skips": SkipSerializer(skips, many=True).data,
            }
        )

    @extend_schema(request=RosterStatusSerializer, responses={200: RosterSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        roster = roster_get_for_user(user=request.user, pk=pk)
        payload = RosterStatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        entry = next((e for e in roster.entries.all() if e.consultant_id == data["consultant"]), None)
        if entry is None:
            raise ValidationError({"consultant": [_("This consultant is not on the roster.")]})
        roster_status_set(entry=entry, status=data["status"], user=request.user)
        return Response(RosterSerializer(roster_get_for_user(user=request.user, pk=pk)).data)


# --- assignments and sources -------------------------------------------------------------------


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every assignment, skip and override of the duty roster, with its reason; newest first."""

    serializer_class = AssignmentSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        qs = assignment_visible(user=self.request.user)
        store = _store_param(self.request)
        if store is not None:
            qs = qs.filter(store=store)
        day = _day_param(self.request)
        if day is not None:
            qs = qs.filter(day=day)
        kind = self.request.query_params.get("kind", "")
        if kind:
            if kind not in Assignment.Kind.values:
                raise ValidationError({"kind": [_("Choose assigned, skipped, override or requested.")]})
            qs = qs.filter(kind=kind)
        return qs.order_by("-created_at", "-id")

    def get_object(self):
        found = (
            Assignment.objects.select_related("consultant", "decided_by")
            .filter(store_id__in=store_ids_for(self.request.user), pk=db_id(self.kwargs["pk"]) or 0)
            .first()
        )
        if found is None:
            raise Http404
        return _readable(self.request, found)

    @extend_schema(
        parameters=[STORE_PARAM, DAY_PARAM, OpenApiParameter("kind", OpenApiTypes.STR, enum=Assignment.Kind.values)]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class VisitSourceSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    is_default = serializers.SerializerMethodField()

    class Meta:
        model = VisitSource
        fields = ["id", "code", "name", "name_en", "label", "order", "is_default"]
        read_only_fields = fields

    def get_is_default(self, obj) -> bool:
        return obj.store_id is None


class VisitSourceViewSet(viewsets.GenericViewSet):
    """The store's list of visit sources (the defaults and the store's own)."""

    serializer_class = VisitSourceSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return VisitSource.objects.none()

    @extend_schema(parameters=[STORE_PARAM], responses={200: VisitSourceSerializer(many=True)})
    def list(self, request):
        store = _store_param(request, required=True)
        return Response(VisitSourceSerializer(visit_sources_for(store=store), many=True).data)
