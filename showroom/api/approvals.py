from django_filters import rest_framework as filters
from rest_framework import mixins, serializers, viewsets

from showroom.api.transitions import StateSerializerMixin, TransitionViewSetMixin
from showroom.approval_kinds import kind_label
from showroom.models import ApprovalDecision, ApprovalRequest
from showroom.selectors.approvals import approval_get, approval_inbox, approval_my_requests
from showroom.services.approvals import (
    approval_approve,
    approval_escalate,
    approval_reject,
    approval_withdraw,
)


class DecisionSerializer(serializers.ModelSerializer):
    decider = serializers.CharField(source="decider.get_username", read_only=True)
    role = serializers.CharField(source="role.code", read_only=True)

    class Meta:
        model = ApprovalDecision
        fields = ["step", "role", "decider", "decision", "note", "decided_at"]


class ApprovalSerializer(StateSerializerMixin, serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    store_name = serializers.CharField(source="store.name", read_only=True)
    requester = serializers.CharField(source="requester.get_username", read_only=True)
    waiting_for = serializers.CharField(source="routed_role.code", read_only=True, default=None)
    target_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "kind",
            "kind_label",
            "store",
            "store_name",
            "target_type",
            "object_id",
            "target_label",
            "value",
            "unit",
            "reason",
            "requester",
            "state",
            "state_display",
            "step",
            "steps_total",
            "waiting_for",
            "created_at",
            "decided_at",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_kind_label(self, obj) -> str:
        return str(kind_label(obj.kind))


class ApprovalDetailSerializer(ApprovalSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta(ApprovalSerializer.Meta):
        fields = [*ApprovalSerializer.Meta.fields, "decisions"]
        read_only_fields = fields


class ApprovalFilter(filters.FilterSet):
    box = filters.ChoiceFilter(choices=[("inbox", "inbox"), ("mine", "mine")], method="noop")
    kind = filters.CharFilter(method="noop")
    store = filters.NumberFilter(method="noop")
    older_than_days = filters.NumberFilter(method="noop")
    state = filters.ChoiceFilter(choices=ApprovalRequest.State.choices, method="noop")

    class Meta:
        model = ApprovalRequest
        fields = []

    def noop(self, queryset, name, value):
        return queryset  # applied by the selector in get_queryset


def _service(func):
    def run(*, instance, user, note, data):
        return func(request=instance, user=user, note=note)

    return run


class ApprovalViewSet(
    TransitionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """``?box=inbox`` (default): requests waiting for me; ``?box=mine``: my requests."""

    filterset_class = ApprovalFilter
    ordering_fields = ["created_at"]
    transition_services = {
        "approve": _service(approval_approve),
        "reject": _service(approval_reject),
        "escalate": _service(approval_escalate),
        "withdraw": _service(approval_withdraw),
    }

    def get_serializer_class(self):
        return ApprovalSerializer if self.action == "list" else ApprovalDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ApprovalRequest.objects.none()
        params = self.request.query_params
        if self.action != "list":
            from showroom.selectors.approvals import approval_visible

            return approval_visible(user=self.request.user).prefetch_related("decisions__decider", "decisions__role")
        if params.get("box") == "mine":
            return approval_my_requests(
                user=self.request.user, state=params.get("state", ""), kind=params.get("kind", "")
            )
        older = params.get("older_than_days")
        store = params.get("store")
        return approval_inbox(
            user=self.request.user,
            kind=params.get("kind", ""),
            store_id=int(store) if store and store.isdigit() else None,
            older_than_days=int(older) if older and older.isdigit() else None,
        )

    def get_object(self):
        return approval_get(user=self.request.user, pk=self.kwargs["pk"])
