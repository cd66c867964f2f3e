"""The duty roster and its assignments over the API (``frontdesk-rosters/``,
``frontdesk-assignments/``)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.api.frontdesk.common import (
    DAY_PARAM,
    STORE_PARAM,
    _day_param,
    _person,
    _readable,
    _store_param,
    _user_or_error,
)
from showroom.models import Assignment, DutyRoster, RosterEntry
from showroom.permissions import store_ids_for
from showroom.selectors.frontdesk import BOARD_READERS, MAX_ID, db_id, local_today, user_label
from showroom.selectors.roster import (
    assignment_visible,
    roster_get,
    roster_get_for_user,
    roster_rotation,
    roster_visible,
)
from showroom.selectors.stores import store_get_for_user
from showroom.services.roster import roster_set, roster_status_set

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


# --- assignments ------------------------------------------------------------------------------


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
