"""The vehicle catalogue under /api/v1/leads/: ``brands/``, ``models/``, ``trims/``, ``colours/``,
``prices/`` — read by everyone, written by sales managers."""

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from leads.models import (
    Brand,
    Colour,
    Trim,
    TrimColour,
    VehicleModel,
)
from leads.selectors import catalogue_get
from leads.services import (
    brand_create,
    brand_update,
    colour_create,
    colour_update,
    trim_colour_price_set,
    trim_create,
    trim_update,
    vehicle_model_create,
    vehicle_model_update,
)

# --- the catalogue ------------------------------------------------------------------------------


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "name", "is_own"]


class VehicleModelSerializer(serializers.ModelSerializer):
    brand_name = serializers.CharField(source="brand.name", read_only=True)

    class Meta:
        model = VehicleModel
        fields = ["id", "brand", "brand_name", "name", "segment", "consultant_discount_limit", "is_active"]


class TrimSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trim
        fields = ["id", "vehicle_model", "name", "list_price", "is_active"]


class ColourSerializer(serializers.ModelSerializer):
    class Meta:
        model = Colour
        fields = ["id", "vehicle_model", "name", "code"]


class PriceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrimColour
        fields = ["id", "trim", "colour", "list_price", "warehouse_item_id"]
        read_only_fields = ["id", "warehouse_item_id"]
        validators = []  # POST sets the price of a trim × colour, creating it the first time


class CatalogueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read by everyone signed in; created and changed through the catalogue services, which let
    only sales managers write (403 for others)."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    model = None
    #: (parsed data, user) -> saved object; (instance, parsed data, user) -> saved object
    create_service = None
    update_service = None

    def get_queryset(self):
        return self.queryset.all()

    def get_object(self):
        return catalogue_get(self.model, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        obj = type(self).create_service(dict(payload.validated_data), request.user)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        payload = self.get_serializer(instance, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        obj = type(self).update_service(instance, dict(payload.validated_data), request.user)
        return Response(self.get_serializer(obj).data)


def _brand_create(data, user):
    return brand_create(user=user, **data)


def _brand_update(instance, data, user):
    return brand_update(user=user, brand=instance, **data)


def _model_create(data, user):
    return vehicle_model_create(user=user, **data)


def _model_update(instance, data, user):
    return vehicle_model_update(user=user, vehicle_model=instance, **data)


def _trim_create(data, user):
    return trim_create(user=user, **data)


def _trim_update(instance, data, user):
    data.pop("vehicle_model", None)
    return trim_update(user=user, trim=instance, **data)


def _colour_create(data, user):
    return colour_create(user=user, **data)


def _colour_update(instance, data, user):
    data.pop("vehicle_model", None)
    return colour_update(user=user, colour=instance, **data)


def _price_set(data, user):
    return trim_colour_price_set(user=user, **data)


def _price_update(instance, data, user):
    return trim_colour_price_set(
        user=user, trim=instance.trim, colour=instance.colour, list_price=data.get("list_price", instance.list_price)
    )


class BrandViewSet(CatalogueViewSet):
    model = Brand
    queryset = Brand.objects.order_by("-is_own", "name")
    serializer_class = BrandSerializer
    filterset_fields = ["is_own"]
    create_service = staticmethod(_brand_create)
    update_service = staticmethod(_brand_update)


class VehicleModelViewSet(CatalogueViewSet):
    model = VehicleModel
    queryset = VehicleModel.objects.select_related("brand").order_by("brand__name", "name")
    serializer_class = VehicleModelSerializer
    filterset_fields = ["brand", "segment", "is_active"]
    create_service = staticmethod(_model_create)
    update_service = staticmethod(_model_update)


class TrimViewSet(CatalogueViewSet):
    model = Trim
    queryset = Trim.objects.order_by("vehicle_model_id", "list_price", "id")
    serializer_class = TrimSerializer
    filterset_fields = ["vehicle_model", "is_active"]
    create_service = staticmethod(_trim_create)
    update_service = staticmethod(_trim_update)


class ColourViewSet(CatalogueViewSet):
    model = Colour
    queryset = Colour.objects.order_by("vehicle_model_id", "name")
    serializer_class = ColourSerializer
    filterset_fields = ["vehicle_model"]
    create_service = staticmethod(_colour_create)
    update_service = staticmethod(_colour_update)


class PriceViewSet(CatalogueViewSet):
    """The list price of each trim × colour; POST sets one (creating it the first time)."""

    model = TrimColour
    queryset = TrimColour.objects.order_by("trim_id", "colour_id")
    serializer_class = PriceSerializer
    filterset_fields = ["trim", "colour", "trim__vehicle_model"]
    create_service = staticmethod(_price_set)
    update_service = staticmethod(_price_update)
