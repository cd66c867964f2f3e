"""The front desk's calls over the API (``frontdesk-calls/``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
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
from showroom.models import Call
from showroom.permissions import has_role
from showroom.roles import PERSONAL_DATA_ROLES
from showroom.selectors.frontdesk import MAX_ID, call_get, call_list, user_label
from showroom.selectors.stores import store_get_for_user
from showroom.services.frontdesk import call_log
from showroom.validators import mask_mobile

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
        customer = _customer_or_error(store=store, pk=data["customer"])
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
