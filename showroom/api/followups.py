"""Follow-ups and notifications over the API.

``/api/v1/core/followups/``: my follow-ups (``?state=``, ``?bucket=overdue|today|upcoming``,
``?plan=``), detail with ``available_transitions``, create (a one-off follow-up about a customer of
my store) and ``POST …/<id>/transitions/<name>/`` for complete (``outcome``), reschedule
(``due_at``, ``reason``), miss and cancel (``reason``, or ``note``).
``/api/v1/core/notifications/``: mine, newest first (``?unread=true``), ``…/<id>/read/``,
``…/read_all/`` and ``…/unread_count/``.
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.api.transitions import StateSerializerMixin, TransitionInputSerializer, TransitionViewSetMixin
from showroom.models import FollowUp, Notification
from showroom.selectors.customers import customer_get
from showroom.selectors.followups import (
    BUCKET_CODES,
    followup_get,
    followup_my_list,
    followup_plan_label,
    followup_visible,
    notification_get,
    notification_kind,
    notification_list,
    notification_unread_count,
    user_by_id,
)
from showroom.services.followups import (
    MANUAL_PLAN,
    followup_cancel,
    followup_complete,
    followup_miss,
    followup_plan_schedule,
    followup_reschedule,
    notification_mark_all_read,
    notification_mark_read,
)


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class FollowUpSerializer(StateSerializerMixin, serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    plan_label = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    target_type = serializers.CharField(source="content_type.model", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    bucket = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "store",
            "store_name",
            "plan",
            "plan_label",
            "sequence",
            "kind",
            "kind_display",
            "title",
            "target_type",
            "object_id",
            "target_label",
            "due_at",
            "bucket",
            "assignee",
            "assignee_name",
            "state",
            "state_display",
            "outcome",
            "result_code",
            "done_at",
            "notified_at",
            "escalated_at",
            "escalated_to",
            "created_at",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_plan_label(self, obj) -> str:
        return followup_plan_label(obj.plan)

    def get_assignee_name(self, obj) -> str | None:
        return _name(obj.assignee)

    def get_bucket(self, obj) -> str | None:
        # Annotated by the "my follow-ups" selector; open follow-ups only.
        return getattr(obj, "bucket", None) if obj.state == FollowUp.State.OPEN else None


class FollowUpCreateSerializer(serializers.Serializer):
    # Types only; the rules (assignee in the store, aware due time, …) are the service's.
    customer = serializers.IntegerField(help_text=_("A customer of one of your stores."))
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices, default=FollowUp.Kind.CALL)
    title = serializers.CharField(max_length=200)
    due_at = serializers.DateTimeField()
    assignee = serializers.IntegerField(required=False, help_text=_("Defaults to you."))


class CompleteInputSerializer(TransitionInputSerializer):
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    result_code = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")


class RescheduleInputSerializer(TransitionInputSerializer):
    due_at = serializers.DateTimeField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReasonInputSerializer(TransitionInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class FollowUpFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=FollowUp.State.choices, method="noop")
    bucket = filters.ChoiceFilter(choices=[(code, code) for code in BUCKET_CODES], method="noop")
    plan = filters.CharFilter(method="noop")

    class Meta:
        model = FollowUp
        fields = []

    def noop(self, queryset, name, value):
        return queryset  # applied by the selector in get_queryset


def _complete(*, instance, user, note, data):
    return followup_complete(
        followup=instance,
        user=user,
        outcome=data.get("outcome") or note,
        result_code=data.get("result_code", ""),
    )


def _reschedule(*, instance, user, note, data):
    return followup_reschedule(followup=instance, user=user, due_at=data["due_at"], reason=data.get("reason") or note)


def _miss(*, instance, user, note, data):
    return followup_miss(followup=instance, user=user, note=data.get("reason") or note)


def _cancel(*, instance, user, note, data):
    return followup_cancel(followup=instance, user=user, reason=data.get("reason") or note)


class FollowUpViewSet(
    TransitionViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """My follow-ups: open ones by default, overdue first, then today's, then upcoming ones."""

    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    ordering_fields = ["due_at"]
    transition_services = {
        "complete": _complete,
        "reschedule": _reschedule,
        "miss": _miss,
        "cancel": _cancel,
    }
    transition_inputs = {
        "complete": CompleteInputSerializer,
        "reschedule": RescheduleInputSerializer,
        "miss": ReasonInputSerializer,
        "cancel": ReasonInputSerializer,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return FollowUp.objects.none()
        if self.action != "list":
            return followup_visible(user=self.request.user)
        params = self.request.query_params
        state = params.get("state", FollowUp.State.OPEN)
        return followup_my_list(
            user=self.request.user,
            bucket=params.get("bucket") or None,
            state=state if state in FollowUp.State.values else FollowUp.State.OPEN,
            plan=params.get("plan", ""),
        )

    def get_object(self):
        return followup_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "create":
            return FollowUpCreateSerializer
        return FollowUpSerializer

    @extend_schema(request=FollowUpCreateSerializer, responses={201: FollowUpSerializer})
    def create(self, request, *args, **kwargs):
        payload = FollowUpCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        customer = customer_get(user=request.user, pk=data["customer"])
        assignee = user_by_id(data["assignee"]) if "assignee" in data else request.user
        followup = followup_plan_schedule(
            plan_code=MANUAL_PLAN,
            target=customer,
            store=customer.store,
            assignee=assignee,
            due_at=data["due_at"],
            kind=data["kind"],
            title=data["title"],
            created_by=request.user,
        )
        followup = followup_visible(user=request.user).get(pk=followup.pk)
        return Response(FollowUpSerializer(followup, context=self.get_serializer_context()).data, status=201)


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "key", "kind", "title", "body", "url", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_kind(self, obj) -> str:
        return notification_kind(obj.key)

    def get_unread(self, obj) -> bool:
        return obj.read_at is None


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(method="noop")

    class Meta:
        model = Notification
        fields = []

    def noop(self, queryset, name, value):
        return queryset  # applied by the selector in get_queryset


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My notifications, newest first."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        raw = self.request.query_params.get("unread", "").lower()
        unread = {"true": True, "1": True, "false": False, "0": False}.get(raw)
        return notification_list(user=self.request.user, unread=unread)

    def get_object(self):
        return notification_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None, responses={200: inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})}
    )
    @action(detail=False, methods=["post"], url_path="read_all")
    def read_all(self, request):
        return Response({"marked": notification_mark_all_read(user=request.user)})

    @extend_schema(responses={200: inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})})
    @action(detail=False, methods=["get"], url_path="unread_count")
    def unread_count(self, request):
        return Response({"unread": notification_unread_count(user=request.user)})
