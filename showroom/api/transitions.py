"""The transitions convention, implemented once for every state machine's API.

A viewset mixes in ``TransitionViewSetMixin``; its serializer mixes in
``StateSerializerMixin``. Detail responses carry ``state`` and ``available_transitions`` (the
ones this user may run now); lists carry only ``state``, so their query count stays flat.
``POST …/<id>/transitions/<name>/`` with ``{"note": "…", …}`` runs one transition through the
viewset's named service when it declares one, else through the generic ``transition_run``.
"""

from collections.abc import Callable

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.services.transitions import transition_run, transitions_available


class TransitionInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


def state_labels(model) -> dict[str, str]:
    """The model's states and their labels in the active language: one table per list, where
    Django's get_state_display hashes the lazy choices on every row (a tenth of a list's time)."""
    return {value: str(label) for value, label in model._meta.get_field("state").flatchoices}


class StateSerializerMixin(serializers.Serializer):
    state = serializers.CharField(read_only=True)
    state_display = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    def get_state_display(self, obj) -> str:
        # one table per serializer: a list's rows share their child serializer
        labels = getattr(self, "_state_labels", None)
        if labels is None:
            labels = self._state_labels = state_labels(type(obj))
        return labels.get(obj.state, str(obj.state))

    def get_available_transitions(self, obj) -> list[str] | None:
        if not self.context.get("detail"):
            return None
        request = self.context.get("request")
        return transitions_available(instance=obj, user=request.user if request else None)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("detail"):
            data.pop("available_transitions", None)
        return data


class TransitionViewSetMixin:
    #: transition name -> service(instance=, user=, note=, data=) returning the saved instance.
    transition_services: dict[str, Callable] = {}
    #: transition name -> serializer class for the extra input a transition takes.
    transition_inputs: dict[str, type[serializers.Serializer]] = {}

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["detail"] = self.action not in ("list",)
        return context

    @extend_schema(
        request=TransitionInputSerializer,
        responses={200: None, 400: None, 403: None, 404: None, 409: None},
        description="Run one transition of this record's state machine.",
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transitions(self, request, pk=None, name=None):
        instance = self.get_object()
        input_class = self.transition_inputs.get(name, TransitionInputSerializer)
        payload = input_class(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        note = data.pop("note", "")
        service = self.transition_services.get(name)
        if service is not None:
            obj = service(instance=instance, user=request.user, note=note, data=data)
        else:
            obj = transition_run(instance=instance, name=name, user=request.user, note=note, **data)
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data)


__all__ = ["StateSerializerMixin", "TransitionInputSerializer", "TransitionViewSetMixin", "inline_serializer"]
