"""The receptionist's shifts over the API (``frontdesk-shifts/``)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.api.frontdesk.common import DAY_PARAM, STORE_PARAM, _day_param, _readable, _store_param, _user_or_error
from showroom.models import ReceptionShift
from showroom.selectors.frontdesk import MAX_ID, day_bounds, shift_counts, shift_get, shift_visible, user_label
from showroom.selectors.stores import store_get_for_user
from showroom.services.frontdesk import shift_close, shift_open

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
