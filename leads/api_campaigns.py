"""The base-customer campaigns API under /api/v1/leads/.

``owners/``: the owners of the stores where I am a manager (filters ``store``, ``vehicle_model``,
``due_from``, ``due_to``, ``bought_elsewhere``, ``q``); ``POST owners/import/`` (multipart:
``store``, ``file``) answers 201 with the import's counts, or 400 with each bad row's error and
nothing imported; ``POST owners/<id>/bought_elsewhere/`` (``brand``, ``model``, ``reason_id``,
``note``). ``campaigns/``: list, detail (with the distribution), create, and
``POST campaigns/<id>/launch/``.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from leads.models import Campaign, Owner
from leads.selectors_campaigns import campaign_get, campaign_list, campaign_overview, owner_get, owner_list
from leads.services import campaign_create, campaign_launch, owner_mark_bought_elsewhere, owners_import
from showroom.selectors.stores import store_get_for_user
from showroom.validators import mask_mobile


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


# --- owners -------------------------------------------------------------------------------------


class OwnerSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_mobile = serializers.SerializerMethodField()
    vehicle_model_name = serializers.SerializerMethodField()
    sold_by_name = serializers.SerializerMethodField()
    has_open_lead = serializers.BooleanField(read_only=True)

    class Meta:
        model = Owner
        fields = [
            "id",
            "store",
            "customer",
            "customer_name",
            "customer_mobile",
            "vehicle_model",
            "vehicle_model_name",
            "model_text",
            "purchase_date",
            "last_service_date",
            "mileage_km",
            "sold_by",
            "sold_by_name",
            "replacement_due",
            "bought_elsewhere",
            "has_open_lead",
        ]
        read_only_fields = fields

    def get_customer_mobile(self, obj) -> str:
        return mask_mobile(obj.customer.mobile)

    def get_vehicle_model_name(self, obj) -> str | None:
        return str(obj.vehicle_model) if obj.vehicle_model_id else None

    def get_sold_by_name(self, obj) -> str | None:
        return _name(obj.sold_by)


class OwnerQuerySerializer(serializers.Serializer):
    store = serializers.IntegerField(required=False, min_value=1)
    vehicle_model = serializers.IntegerField(required=False, min_value=1)
    due_from = serializers.DateField(required=False)
    due_to = serializers.DateField(required=False)
    bought_elsewhere = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ImportInputSerializer(serializers.Serializer):
    store = serializers.IntegerField(min_value=1)
    file = serializers.FileField()


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    customers_created = serializers.IntegerField()
    customers_found = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)


class BoughtElsewhereInputSerializer(serializers.Serializer):
    brand = serializers.CharField(allow_blank=True, max_length=200)
    model = serializers.CharField(allow_blank=True, max_length=200)
    reason_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class OwnerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OwnerSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Owner.objects.none()
        query = OwnerQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return owner_list(
            user=self.request.user,
            store_id=data.get("store"),
            vehicle_model_id=data.get("vehicle_model"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            bought_elsewhere=data.get("bought_elsewhere"),
            search=data.get("q", ""),
        )

    def get_object(self):
        return owner_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request={"multipart/form-data": ImportInputSerializer},
        responses={201: ImportReportSerializer, 400: ImportReportSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_(self, request):
        """Import owners from a CSV or XLSX file: all rows or none."""
        payload = ImportInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        store = store_get_for_user(user=request.user, store_id=payload.validated_data["store"])
        upload = payload.validated_data["file"]
        report = owners_import(store=store, user=request.user, file=upload, filename=upload.name)
        body = report.as_dict()
        if not report.ok:
            body = {
                "code": "invalid",
                "detail": _("The file has errors; nothing was imported."),
                **body,
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=BoughtElsewhereInputSerializer, responses={200: OwnerSerializer})
    @action(detail=True, methods=["post"])
    def bought_elsewhere(self, request, pk=None):
        owner = self.get_object()
        payload = BoughtElsewhereInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        owner_mark_bought_elsewhere(owner=owner, user=request.user, **payload.validated_data)
        owner = owner_list(user=request.user).get(pk=owner.pk)
        return Response(OwnerSerializer(owner).data)


# --- campaigns ----------------------------------------------------------------------------------


class CampaignSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    created_by_name = serializers.SerializerMethodField()
    lead_count = serializers.IntegerField(read_only=True)
    open_lead_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "store",
            "store_name",
            "name",
            "talking_points",
            "due_from",
            "due_to",
            "visit_on",
            "distribution",
            "lead_count",
            "open_lead_count",
            "created_by",
            "created_by_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_created_by_name(self, obj) -> str | None:
        return _name(obj.created_by)


class DistributionSerializer(serializers.Serializer):
    consultant = serializers.IntegerField(source="consultant_id")
    consultant_name = serializers.CharField(source="name")
    leads = serializers.IntegerField()


class CampaignDetailSerializer(CampaignSerializer):
    owners_due = serializers.SerializerMethodField()
    to_launch = serializers.SerializerMethodField()
    distribution = serializers.SerializerMethodField()
    leads = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "owners_due", "to_launch", "distribution", "leads"]
        read_only_fields = fields

    def _overview(self, obj):
        if not hasattr(obj, "_overview"):
            obj._overview = campaign_overview(campaign=obj)
        return obj._overview

    def get_owners_due(self, obj) -> int:
        return len(self._overview(obj).owners)

    def get_to_launch(self, obj) -> int:
        return self._overview(obj).to_launch

    @extend_schema_field(DistributionSerializer(many=True))
    def get_distribution(self, obj) -> list[dict]:
        return DistributionSerializer(self._overview(obj).distribution, many=True).data

    def get_leads(self, obj) -> list[int]:
        return [lead.pk for lead in self._overview(obj).leads]


class CampaignCreateSerializer(serializers.Serializer):
    store = serializers.IntegerField(min_value=1)
    name = serializers.CharField(allow_blank=True, max_length=400)
    talking_points = serializers.CharField(allow_blank=True, max_length=8000)
    due_from = serializers.DateField()
    due_to = serializers.DateField()
    visit_on = serializers.DateField()


class LaunchResultSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.IntegerField())
    skipped = serializers.IntegerField()
    campaign = CampaignDetailSerializer()


class CampaignViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Campaign.objects.none()
        store = self.request.query_params.get("store")
        store_id = int(store) if store and store.isdigit() and len(store) < 19 else None
        return campaign_list(user=self.request.user, store_id=store_id)

    def get_object(self):
        return campaign_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "create":
            return CampaignCreateSerializer
        return CampaignSerializer if self.action == "list" else CampaignDetailSerializer

    def _detail(self, campaign, status_code=200):
        campaign = campaign_get(user=self.request.user, pk=campaign.pk)
        return Response(CampaignDetailSerializer(campaign).data, status=status_code)

    @extend_schema(request=CampaignCreateSerializer, responses={201: CampaignDetailSerializer})
    def create(self, request, *args, **kwargs):
        payload = CampaignCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        store = store_get_for_user(user=request.user, store_id=data.pop("store"))
        campaign = campaign_create(store=store, user=request.user, **data)
        return self._detail(campaign, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: LaunchResultSerializer})
    @action(detail=True, methods=["post"])
    def launch(self, request, pk=None):
        """Open the campaign's leads (again: only for owners without an open lead)."""
        result = campaign_launch(campaign=self.get_object(), user=request.user)
        campaign = campaign_get(user=request.user, pk=result.campaign.pk)
        return Response(
            {
                "created": [lead.pk for lead in result.created],
                "skipped": result.skipped,
                "campaign": CampaignDetailSerializer(campaign).data,
            }
        )
