"""The test-drive API under /api/v1/testdrive/.

``vehicles/`` and ``routes/``: the demo fleet and the routes of my stores (managers create and
change them). ``bookings/``: list (filters ``state``, ``vehicle``, ``consultant``, ``store``,
``day_from``, ``day_to``), detail with ``available_transitions``, create (from a lead: with a
car, route and start it is scheduled at once, else requested), ``POST …/<id>/transitions/<name>/``
for ``schedule``, ``check_in`` (multipart: the licence image), ``start``, ``complete`` (the
feedback), ``cancel`` and ``no_show``; ``bookings/calendar/`` (a store's cars × days × slots) and
``bookings/alternatives/`` (free cars and slots when the wanted one is taken).
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from showroom.api.transitions import StateSerializerMixin, TransitionViewSetMixin
from showroom.selectors.frontdesk import local_today
from showroom.selectors.stores import store_get_for_user
from testdrive.models import Booking, DemoVehicle, Feedback, Route
from testdrive.selectors import (
    booking_alternatives,
    booking_get,
    booking_list,
    calendar,
    route_get,
    route_list,
    vehicle_get,
    vehicle_list,
)
from testdrive.services import (
    booking_book,
    booking_cancel,
    booking_check_in,
    booking_complete,
    booking_no_show,
    booking_request,
    booking_schedule,
    booking_start,
    route_create,
    vehicle_create,
    vehicle_update,
)

# --- fleet and routes ---------------------------------------------------------------------------


class VehicleSerializer(serializers.ModelSerializer):
    vehicle_model_name = serializers.CharField(source="vehicle_model.__str__", read_only=True)
    trim_name = serializers.CharField(source="trim.name", read_only=True)
    colour_name = serializers.CharField(source="colour.name", read_only=True)

    class Meta:
        model = DemoVehicle
        fields = [
            "id",
            "store",
            "vin",
            "plate",
            "vehicle_model",
            "vehicle_model_name",
            "trim",
            "trim_name",
            "colour",
            "colour_name",
            "odometer_km",
            "fuel_level",
            "status",
            "signage_fitted",
        ]
        read_only_fields = fields


class VehicleCreateSerializer(serializers.Serializer):
    store = serializers.IntegerField(min_value=1)
    vin = serializers.CharField(max_length=40)
    plate = serializers.CharField(max_length=20)
    vehicle_model = serializers.IntegerField(min_value=1)
    trim = serializers.IntegerField(min_value=1)
    colour = serializers.IntegerField(min_value=1)
    odometer_km = serializers.IntegerField(min_value=0, max_value=2_000_000, default=0)
    fuel_level = serializers.DecimalField(max_digits=4, decimal_places=2, min_value=0, max_value=1, default=1)
    signage_fitted = serializers.BooleanField(default=False)


class VehicleUpdateSerializer(serializers.Serializer):
    status = serializers.CharField(required=False, max_length=20)
    signage_fitted = serializers.BooleanField(required=False)
    fuel_level = serializers.DecimalField(max_digits=4, decimal_places=2, required=False)
    odometer_km = serializers.IntegerField(required=False, min_value=0, max_value=2_000_000)


def _catalogue_row(model, pk, field: str):
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise serializers.ValidationError({field: [_("No such entry in the catalogue.")]})
    return row


class VehicleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = VehicleSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DemoVehicle.objects.none()
        store = self.request.query_params.get("store")
        return vehicle_list(user=self.request.user, store_id=int(store) if str(store).isdigit() else None)

    def get_object(self):
        return vehicle_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=VehicleCreateSerializer, responses={201: VehicleSerializer})
    def create(self, request, *args, **kwargs):
        from leads.models import Colour, Trim, VehicleModel

        payload = VehicleCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        store = store_get_for_user(user=request.user, store_id=data.pop("store"))
        data["vehicle_model"] = _catalogue_row(VehicleModel, data["vehicle_model"], "vehicle_model")
        data["trim"] = _catalogue_row(Trim, data["trim"], "trim")
        data["colour"] = _catalogue_row(Colour, data["colour"], "colour")
        vehicle = vehicle_create(store=store, user=request.user, **data)
        return Response(VehicleSerializer(vehicle).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VehicleUpdateSerializer, responses={200: VehicleSerializer})
    def partial_update(self, request, *args, **kwargs):
        vehicle = self.get_object()
        payload = VehicleUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        vehicle = vehicle_update(vehicle=vehicle, user=request.user, **payload.validated_data)
        return Response(VehicleSerializer(vehicle_get(user=request.user, pk=vehicle.pk)).data)


class RouteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Route
        fields = ["id", "store", "name", "description", "distance_km", "expected_minutes", "is_active"]
        read_only_fields = fields


class RouteCreateSerializer(serializers.Serializer):
    store = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    distance_km = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0)
    expected_minutes = serializers.IntegerField(min_value=1, max_value=600)
    map_image = serializers.ImageField(required=False, allow_null=True, default=None)


class RouteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = RouteSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Route.objects.none()
        return route_list(user=self.request.user)

    def get_object(self):
        return route_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=RouteCreateSerializer, responses={201: RouteSerializer})
    def create(self, request, *args, **kwargs):
        payload = RouteCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        store = store_get_for_user(user=request.user, store_id=data.pop("store"))
        route = route_create(store=store, user=request.user, **data)
        return Response(RouteSerializer(route).data, status=status.HTTP_201_CREATED)


# --- bookings -----------------------------------------------------------------------------------


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = [
            "handling",
            "comfort",
            "space",
            "noise",
            "features",
            "overall",
            "comments",
            "ready_to_talk_price",
            "customer_confirmed_at",
        ]
        read_only_fields = fields


class BookingSerializer(StateSerializerMixin, serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    consultant_name = serializers.SerializerMethodField()
    vehicle_plate = serializers.CharField(source="vehicle.plate", read_only=True, default=None)
    route_name = serializers.CharField(source="route.name", read_only=True, default=None)

    class Meta:
        model = Booking
        fields = [
            "id",
            "store",
            "lead",
            "customer",
            "customer_name",
            "consultant",
            "consultant_name",
            "wanted_model",
            "vehicle",
            "vehicle_plate",
            "route",
            "route_name",
            "slot_start",
            "slot_end",
            "state",
            "state_display",
            "started_at",
            "ended_at",
            "short_drive",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_consultant_name(self, obj) -> str:
        return obj.consultant.get_full_name() or obj.consultant.get_username()


class BookingDetailSerializer(BookingSerializer):
    feedback = serializers.SerializerMethodField()
    has_licence_image = serializers.SerializerMethodField()

    class Meta(BookingSerializer.Meta):
        fields = [
            *BookingSerializer.Meta.fields,
            "note",
            "licence_class",
            "licence_expiry",
            "has_licence_image",
            "signed_name",
            "signed_at",
            "checked_in_at",
            "start_odometer_km",
            "end_odometer_km",
            "short_reason",
            "cancel_reason",
            "feedback",
        ]
        read_only_fields = fields

    def get_feedback(self, obj) -> dict | None:
        feedback = getattr(obj, "feedback", None) if obj.state == Booking.State.COMPLETED else None
        return FeedbackSerializer(feedback).data if feedback is not None else None

    def get_has_licence_image(self, obj) -> bool:
        return bool(obj.licence_image)


class BookingCreateSerializer(serializers.Serializer):
    lead = serializers.IntegerField(min_value=1)
    vehicle = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    route = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    start = serializers.DateTimeField(required=False, allow_null=True, default=None)
    end = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ScheduleInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    vehicle = serializers.IntegerField(min_value=1)
    route = serializers.IntegerField(min_value=1)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(required=False, allow_null=True, default=None)


class CheckInInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    licence_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    licence_class = serializers.CharField(max_length=4, required=False, allow_blank=True, default="")
    licence_expiry = serializers.DateField(required=False, allow_null=True, default=None)
    licence_image = serializers.FileField(required=False, allow_null=True, default=None)
    signature = serializers.CharField(required=False, allow_blank=True, max_length=2_000_000, default="")
    signed_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    signed_confirmed = serializers.BooleanField(required=False, default=False)


class OdometerInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    odometer_km = serializers.IntegerField(
        min_value=0, max_value=2_000_000, required=False, allow_null=True, default=None
    )


class CompleteInput(OdometerInput):
    handling = serializers.IntegerField(required=False, allow_null=True, default=None)
    comfort = serializers.IntegerField(required=False, allow_null=True, default=None)
    space = serializers.IntegerField(required=False, allow_null=True, default=None)
    noise = serializers.IntegerField(required=False, allow_null=True, default=None)
    features = serializers.IntegerField(required=False, allow_null=True, default=None)
    overall = serializers.IntegerField(required=False, allow_null=True, default=None)
    comments = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    ready_to_talk_price = serializers.CharField(required=False, allow_blank=True, max_length=10, default="")
    customer_confirmed = serializers.BooleanField(required=False, default=False)
    short_reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    grade_to = serializers.CharField(required=False, allow_blank=True, max_length=1, default="")


class AlternativesQuery(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    vehicle_model = serializers.IntegerField(required=False, min_value=1, max_value=2**62)


class ReasonInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


def _schedule(*, instance, user, note, data):
    return booking_schedule(
        booking=instance,
        user=user,
        vehicle=vehicle_get(user=user, pk=data["vehicle"]),
        route=route_get(user=user, pk=data["route"]),
        start=data["start"],
        end=data.get("end"),
        note=note,
    )


def _check_in(*, instance, user, note, data):
    return booking_check_in(booking=instance, user=user, note=note, **data)


def _start(*, instance, user, note, data):
    return booking_start(booking=instance, user=user, odometer_km=data.get("odometer_km"), note=note)


def _complete(*, instance, user, note, data):
    odometer = data.pop("odometer_km", None)
    short_reason = data.pop("short_reason", "")
    grade_to = data.pop("grade_to", "")
    return booking_complete(
        booking=instance,
        user=user,
        odometer_km=odometer,
        feedback=data,
        short_reason=short_reason,
        grade_to=grade_to,
        note=note,
    )


def _cancel(*, instance, user, note, data):
    return booking_cancel(booking=instance, user=user, reason=note)


def _no_show(*, instance, user, note, data):
    return booking_no_show(booking=instance, user=user, note=note)


def _date(value, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError as exc:
        raise serializers.ValidationError({"day": [_("Give the day as YYYY-MM-DD.")]}) from exc


class BookingViewSet(
    TransitionViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    transition_services = {
        "schedule": _schedule,
        "check_in": _check_in,
        "start": _start,
        "complete": _complete,
        "cancel": _cancel,
        "no_show": _no_show,
    }
    transition_inputs = {
        "schedule": ScheduleInput,
        "check_in": CheckInInput,
        "start": OdometerInput,
        "complete": CompleteInput,
        "cancel": ReasonInput,
        "no_show": ReasonInput,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        params = self.request.query_params

        def num(name):
            value = params.get(name, "")
            return int(value) if value.isdigit() and len(value) < 18 else None

        day_from = _date(params.get("day_from"), None) if params.get("day_from") else None
        day_to = _date(params.get("day_to"), None) if params.get("day_to") else None
        state = params.get("state", "")
        return booking_list(
            user=self.request.user,
            store_id=num("store"),
            state=state if state in Booking.State.values else "",
            vehicle_id=num("vehicle"),
            consultant_id=num("consultant"),
            day_from=day_from,
            day_to=day_to,
        )

    def get_object(self):
        return booking_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return BookingSerializer if self.action == "list" else BookingDetailSerializer

    @extend_schema(request=BookingCreateSerializer, responses={201: BookingDetailSerializer})
    def create(self, request, *args, **kwargs):
        payload = BookingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        from leads.selectors import lead_get

        lead = lead_get(user=request.user, pk=data["lead"])
        if data["vehicle"] or data["route"] or data["start"]:
            booking = booking_book(
                lead=lead,
                user=request.user,
                vehicle=vehicle_get(user=request.user, pk=data["vehicle"]) if data["vehicle"] else None,
                route=route_get(user=request.user, pk=data["route"]) if data["route"] else None,
                start=data["start"],
                end=data["end"],
                note=data["note"],
            )
        else:
            booking = booking_request(lead=lead, user=request.user, note=data["note"])
        booking = booking_get(user=request.user, pk=booking.pk)
        return Response(
            BookingDetailSerializer(booking, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("store", int, required=True),
            OpenApiParameter("day", str, description="YYYY-MM-DD, default today"),
            OpenApiParameter("days", int, description="1 (day) to 7 (week)"),
            OpenApiParameter("vehicle", int),
        ],
        responses={200: None},
    )
    @action(detail=False, methods=["get"])
    def calendar(self, request):
        """A store's cars × days × slots: each slot free or naming the booking that holds it."""
        params = request.query_params
        store = store_get_for_user(user=request.user, store_id=params.get("store"))
        day = _date(params.get("day"), local_today())
        days = int(params["days"]) if params.get("days", "").isdigit() and len(params["days"]) < 3 else 1
        vehicle = params.get("vehicle", "")
        rows = calendar(
            user=request.user,
            store=store,
            start_day=day,
            days=days,
            vehicle_id=int(vehicle) if vehicle.isdigit() and len(vehicle) < 18 else None,
        )
        return Response(
            [
                {
                    "vehicle": {
                        "id": row.vehicle.pk,
                        "plate": row.vehicle.plate,
                        "model": str(row.vehicle.vehicle_model),
                    },
                    "days": [
                        {
                            "day": vday.day.isoformat(),
                            "slots": [
                                {
                                    "start": slot.start.isoformat(),
                                    "end": slot.end.isoformat(),
                                    "free": slot.free,
                                    "booking": slot.booking.pk if slot.booking else None,
                                }
                                for slot in vday.slots
                            ],
                        }
                        for vday in row.days
                    ],
                }
                for row in rows
            ]
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("store", int, required=True),
            OpenApiParameter("vehicle_model", int),
            OpenApiParameter("start", str, required=True),
            OpenApiParameter("end", str, required=True),
        ],
        responses={200: None},
    )
    @action(detail=False, methods=["get"])
    def alternatives(self, request):
        """Other cars free at that time (the wanted model first) and the wanted model's next free slots."""
        params = request.query_params
        store = store_get_for_user(user=request.user, store_id=params.get("store"))
        checked = AlternativesQuery(data=params)
        checked.is_valid(raise_exception=True)
        found = booking_alternatives(
            user=request.user,
            store=store,
            vehicle_model_id=checked.validated_data.get("vehicle_model"),
            start=checked.validated_data["start"],
            end=checked.validated_data["end"],
        )
        return Response(
            [
                {
                    "vehicle": alt.vehicle.pk,
                    "plate": alt.vehicle.plate,
                    "model": str(alt.vehicle.vehicle_model),
                    "start": alt.start.isoformat(),
                    "end": alt.end.isoformat(),
                    "same_model": alt.same_model,
                }
                for alt in found
            ]
        )


__all__ = ["BookingViewSet", "RouteViewSet", "VehicleViewSet"]
