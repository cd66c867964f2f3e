"""Set-up API: the agreement and contract text versions (``agreement-templates/``: list with
``project`` and ``kind`` filters, detail, create a draft, transition ``submit``), the project's
rates (``projects/<id>/rates/``) and a unit's surveyed areas (``units/<id>/survey/``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from realestate import selectors, services
from realestate.models import AgreementTemplate, Project, Unit
from showroom.api.transitions import StateSerializerMixin
from showroom.permissions import store_ids_for

from .views import NamedTransitionsMixin, _detail_context


class AgreementTemplateSerializer(StateSerializerMixin, serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    clauses = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = AgreementTemplate
        fields = [
            "id",
            "project",
            "kind",
            "kind_display",
            "version",
            "title",
            "body",
            "clauses",
            "effective_from",
            "state",
            "state_display",
            "note",
            "created_at",
            "approved_at",
            "available_transitions",
        ]


class AgreementTemplateCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AgreementTemplate.Kind.choices)
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=50000)
    effective_from = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AgreementTemplateViewSet(
    NamedTransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AgreementTemplateSerializer
    transition_services = {
        "submit": lambda *, instance, user, note, data: services.agreement_template_submit(
            user=user, template=instance
        ),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgreementTemplate.objects.none()
        qs = AgreementTemplate.objects.filter(project__store_id__in=store_ids_for(self.request.user)).select_related(
            "project"
        )
        params = self.request.query_params
        if params.get("project", "").isdigit():
            qs = qs.filter(project_id=int(params["project"]))
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        return qs

    @extend_schema(request=AgreementTemplateCreateSerializer, responses={201: AgreementTemplateSerializer})
    def create(self, request, *args, **kwargs):
        """The sales manager drafts a new version of the subscription-agreement or contract text."""
        payload = AgreementTemplateCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        project = selectors.project_get_for_user(user=request.user, project_id=data.pop("project"))
        template = services.agreement_template_create(user=request.user, project=project, **data)
        template = self.get_queryset().get(pk=template.pk)
        return Response(AgreementTemplateSerializer(template, context=_detail_context(self)).data, status=201)


class RatesSerializer(serializers.ModelSerializer):
    """Input as text, so the service gives the field messages (a rate of 100 %, a day of 0)."""

    class Meta:
        model = Project
        fields = [
            "deed_tax_rate",
            "maintenance_fund_rate",
            "registration_fee",
            "small_deposit_limit",
            "small_deposit_days",
            "sign_within_days",
        ]


class RatesInputSerializer(serializers.Serializer):
    deed_tax_rate = serializers.CharField(max_length=20)
    maintenance_fund_rate = serializers.CharField(max_length=20)
    registration_fee = serializers.CharField(max_length=20)
    small_deposit_limit = serializers.CharField(max_length=20)
    small_deposit_days = serializers.CharField(max_length=10)
    sign_within_days = serializers.CharField(max_length=10)


class SurveySerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "built_area", "inner_area", "layout", "orientation", "state"]


class SurveyInputSerializer(serializers.Serializer):
    built_area = serializers.CharField(max_length=20)
    inner_area = serializers.CharField(max_length=20)
    layout = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    orientation = serializers.CharField(max_length=20)


def rates_update(*, request, project: Project) -> Response:
    payload = RatesInputSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    project = services.project_rates_update(user=request.user, project=project, **payload.validated_data)
    return Response(RatesSerializer(project).data)


def survey_update(*, request, unit: Unit) -> Response:
    payload = SurveyInputSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    unit = services.unit_survey_update(user=request.user, unit=unit, **payload.validated_data)
    return Response(SurveySerializer(unit).data)
