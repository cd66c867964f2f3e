from django_filters import rest_framework as filters
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from showroom.api.customer_identity import CustomerIdentityActions
from showroom.models import Customer
from showroom.selectors.customers import (
    customer_get,
    customer_list,
    customer_owner_live,
    customer_personal_data_visible,
)
from showroom.selectors.stores import store_get_for_user
from showroom.services.customers import customer_create, customer_update
from showroom.services.privacy import personal_data_reveal_log
from showroom.validators import mask_id_number, mask_mobile


class CustomerSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    mobile = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [
            "id",
            "store",
            "store_name",
            "name",
            "mobile",
            "id_number",
            "gender",
            "source",
            "consent_given",
            "consent_at",
            "notes",
            "owner",
            "owner_name",
            "owned_until",
            "last_contact_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _reveal(self, obj) -> bool:
        # Lists always mask; a detail reveals to the roles that need personal data.
        request = self.context.get("request")
        return bool(self.context.get("detail")) and customer_personal_data_visible(user=request.user, customer=obj)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self._reveal(instance):
            # Every full number the API hands out is logged: who, when, which customer.
            personal_data_reveal_log(user=self.context["request"].user, customer=instance, channel="api")
        return data

    def get_mobile(self, obj) -> str:
        return obj.mobile if self._reveal(obj) else mask_mobile(obj.mobile)

    def get_owner(self, obj) -> int | None:
        owner = customer_owner_live(customer=obj)
        return owner.pk if owner else None

    def get_owner_name(self, obj) -> str:
        owner = customer_owner_live(customer=obj)
        return (owner.get_full_name() or owner.get_username()) if owner else ""

    def get_id_number(self, obj) -> str:
        return obj.id_number if self._reveal(obj) else mask_id_number(obj.id_number)


class CustomerCreateSerializer(serializers.Serializer):
    # Validation of the values themselves is the service's; this only parses types.
    store = serializers.IntegerField()
    name = serializers.CharField(max_length=80)
    mobile = serializers.CharField(max_length=30)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    gender = serializers.ChoiceField(choices=Customer.Gender.choices, required=False, default="")
    source = serializers.ChoiceField(choices=Customer.Source.choices, required=False, default="walk_in")
    consent_given = serializers.BooleanField(required=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class CustomerUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    mobile = serializers.CharField(max_length=30, required=False)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    gender = serializers.ChoiceField(choices=Customer.Gender.choices, required=False)
    source = serializers.ChoiceField(choices=Customer.Source.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class CustomerFilter(filters.FilterSet):
    store = filters.NumberFilter(field_name="store_id")
    source = filters.ChoiceFilter(choices=Customer.Source.choices)
    gender = filters.ChoiceFilter(choices=Customer.Gender.choices)
    created_after = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Customer
        fields = ["store", "source", "gender", "created_after", "created_before"]


class CustomerViewSet(
    CustomerIdentityActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    search_fields = []  # search goes through the selector (name or phone digits)
    ordering_fields = ["created_at", "name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Customer.objects.none()
        return customer_list(user=self.request.user, search=self.request.query_params.get("q", ""))

    def get_object(self):
        return customer_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["detail"] = self.action != "list"
        return context

    def get_serializer_class(self):
        if self.action == "create":
            return CustomerCreateSerializer
        if self.action in ("update", "partial_update"):
            return CustomerUpdateSerializer
        return CustomerSerializer

    def create(self, request, *args, **kwargs):
        payload = CustomerCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        store = store_get_for_user(user=request.user, store_id=data.pop("store"))
        customer = customer_create(user=request.user, store=store, **data)
        return Response(CustomerSerializer(customer, context=self.get_serializer_context()).data, status=201)

    def update(self, request, *args, **kwargs):
        customer = self.get_object()
        payload = CustomerUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        payload.is_valid(raise_exception=True)
        customer = customer_update(user=request.user, customer=customer, **payload.validated_data)
        return Response(CustomerSerializer(customer, context=self.get_serializer_context()).data)
