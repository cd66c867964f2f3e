"""The visitors' API: intention records (with the credit/ownership checks and the manager's
spot-check) and the consultants' work logs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from realestate import selectors, services
from realestate.models import Intention, SpotCheck, WorkLog
from realestate.selectors.visitors import intentions_for_user
from showroom.permissions import store_ids_for
from showroom.selectors.customers import customer_get
from showroom.selectors.stores import store_get_for_user


class IntentionSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    # Checked text, not an enum: the leads' "grade" would collide in the schema's enum names.
    grade = serializers.CharField(read_only=True, help_text=_("A, B, C or D."))

    class Meta:
        model = Intention
        fields = [
            "id",
            "store",
            "project",
            "customer",
            "customer_name",
            "consultant",
            "visit",
            "grade",
            "layouts",
            "area_from",
            "area_to",
            "budget",
            "notes",
            "credit_checked_on",
            "ownership_checked_on",
            "work_log",
            "created_at",
        ]
        read_only_fields = fields


class IntentionCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    customer = serializers.IntegerField(min_value=1)
    grade = serializers.CharField(max_length=1)
    layouts = serializers.CharField(max_length=200, allow_blank=True)
    area_from = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    area_to = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ChecksInputSerializer(serializers.Serializer):
    credit_on = serializers.DateField(required=False, allow_null=True, default=None)
    ownership_on = serializers.DateField(required=False, allow_null=True, default=None)


class SpotCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpotCheck
        fields = ["id", "intention", "checked_by", "checked_at", "confirmed", "note"]
        read_only_fields = fields


class SpotCheckInputSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IntentionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Intention records of the user's stores (filters ``project``, ``grade``, ``mine=1``)."""

    serializer_class = IntentionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Intention.objects.none()
        params = self.request.query_params
        qs = intentions_for_user(user=self.request.user, mine=params.get("mine") == "1")
        if params.get("project", "").isdigit():
            qs = qs.filter(project_id=int(params["project"]))
        if params.get("grade"):
            qs = qs.filter(grade=params["grade"])
        return qs

    @extend_schema(request=IntentionCreateSerializer, responses={201: IntentionSerializer})
    def create(self, request, *args, **kwargs):
        payload = IntentionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        project = selectors.project_get_for_user(user=request.user, project_id=data.pop("project"))
        customer = customer_get(user=request.user, pk=data.pop("customer"))
        intention = services.intention_record(user=request.user, project=project, customer=customer, **data)
        return Response(IntentionSerializer(self.get_queryset().get(pk=intention.pk)).data, status=201)

    @extend_schema(request=ChecksInputSerializer, responses={200: IntentionSerializer})
    @action(detail=True, methods=["post"])
    def checks(self, request, pk=None):
        """The credit and ownership checks done, with their dates."""
        intention = self.get_object()  # another store's record is a 404 whatever the body holds
        payload = ChecksInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        intention = services.intention_checks_record(user=request.user, intention=intention, **payload.validated_data)
        return Response(IntentionSerializer(intention).data)

    @extend_schema(request=SpotCheckInputSerializer, responses={201: SpotCheckSerializer})
    @action(detail=True, methods=["post"])
    def spot_check(self, request, pk=None):
        """The sales manager's spot-check of an A customer."""
        intention = self.get_object()  # another store's record is a 404 whatever the body holds
        payload = SpotCheckInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        check = services.spot_check_record(user=request.user, intention=intention, **payload.validated_data)
        return Response(SpotCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class WorkLogSerializer(serializers.ModelSerializer):
    intentions = serializers.IntegerField(source="intention_count", read_only=True)

    class Meta:
        model = WorkLog
        fields = ["id", "store", "consultant", "day", "summary", "submitted_at", "intentions"]
        read_only_fields = fields


class WorkLogCreateSerializer(serializers.Serializer):
    store = serializers.IntegerField(min_value=1)
    summary = serializers.CharField(allow_blank=True, help_text=_("What you did today."))


class WorkLogViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Work logs of the user's stores (filter ``day``); a consultant submits today's once."""

    serializer_class = WorkLogSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WorkLog.objects.none()
        from django.db.models import Count

        qs = (
            WorkLog.objects.filter(store_id__in=store_ids_for(self.request.user))
            .annotate(intention_count=Count("intentions"))
            .order_by("-day", "consultant_id", "pk")
        )
        if self.request.query_params.get("day"):
            qs = qs.filter(day=self.request.query_params["day"])
        return qs

    @extend_schema(request=WorkLogCreateSerializer, responses={201: WorkLogSerializer})
    def create(self, request, *args, **kwargs):
        payload = WorkLogCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        store = store_get_for_user(user=request.user, store_id=payload.validated_data["store"])
        log = services.work_log_submit(user=request.user, store=store, summary=payload.validated_data["summary"])
        return Response(WorkLogSerializer(self.get_queryset().get(pk=log.pk)).data, status=201)
