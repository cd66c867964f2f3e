"""Checklists API: templates (read-only) and runs (list, detail, start, answer).

``POST /api/v1/core/checklist-runs/`` ``{"template": "delivery.handover", "target_type":
"delivery.handover", "object_id": 7}`` starts a run (or returns the record's open run of that
list, 200 instead of 201). ``POST …/checklist-runs/<id>/answers/`` ``{"item": 12, "ticked": true |
"number": "0.5" | "choice": "keep", "note": "…"}`` (multipart with ``file`` for a photo or a
signature) answers one item and returns the run with its status per phase.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from showroom.models import ChecklistItem, ChecklistRun, ChecklistTemplate
from showroom.selectors.checklists import (
    MAX_ID,
    checklist_phases,
    checklist_run_get,
    checklist_run_list,
    checklist_run_reload,
    checklist_run_status,
    checklist_target_get,
    checklist_template_list,
    item_choice_options,
)
from showroom.selectors.stores import store_get_for_user
from showroom.services.checklists import checklist_answer, checklist_run_start


class ChecklistItemSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    section_label = serializers.CharField(read_only=True)
    choices = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "order",
            "section",
            "section_en",
            "section_label",
            "text",
            "text_en",
            "label",
            "kind",
            "required",
            "phase",
            "min_value",
            "max_value",
            "choices",
            "points",
        ]
        read_only_fields = fields

    def get_choices(self, obj) -> list[dict]:
        return [{"value": value, "label": label} for value, label in item_choice_options(obj)]


class ChecklistTemplateSerializer(serializers.ModelSerializer):
    # Codes are dotted ("delivery.handover"): a SlugField would publish a pattern they break.
    code = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "title", "title_en", "label", "source", "scored", "is_active", "items"]
        read_only_fields = fields


class ChecklistTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """The checklists seeded from the process documents, with their items in order."""

    serializer_class = ChecklistTemplateSerializer
    pagination_class = None  # nine lists; each with its items
    filter_backends = []

    def get_queryset(self):
        qs = checklist_template_list()
        code = self.request.query_params.get("code") if self.request else None
        return qs.filter(code=code) if code else qs


class ChecklistRunSerializer(serializers.ModelSerializer):
    template = serializers.CharField(source="template.code", read_only=True)
    template_label = serializers.CharField(source="template.label", read_only=True)
    store_name = serializers.CharField(source="store.name", read_only=True)
    target_type = serializers.SerializerMethodField()
    started_by = serializers.CharField(source="started_by.get_username", read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistRun
        fields = [
            "id",
            "template",
            "template_label",
            "store",
            "store_name",
            "target_type",
            "object_id",
            "target_label",
            "started_by",
            "started_at",
            "completed_at",
            "score",
            "state",
        ]
        read_only_fields = fields

    def get_target_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_state(self, obj) -> str:
        return "completed" if obj.completed_at else "in_progress"


class ChecklistAnswerOutSerializer(serializers.Serializer):
    ticked = serializers.BooleanField(allow_null=True)
    number = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    choice = serializers.CharField()
    file = serializers.FileField(allow_null=True, use_url=True)
    note = serializers.CharField()
    answered_by = serializers.CharField(source="answered_by.get_username")
    answered_at = serializers.DateTimeField()


class ChecklistRunDetailSerializer(ChecklistRunSerializer):
    phases = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    class Meta(ChecklistRunSerializer.Meta):
        fields = [*ChecklistRunSerializer.Meta.fields, "missing", "phases", "items"]
        read_only_fields = fields

    def _status(self, obj, phase=""):
        cache = self.context.setdefault("_status", {})
        key = (obj.pk, phase)
        if key not in cache:
            cache[key] = checklist_run_status(obj, phase)
        return cache[key]

    def get_missing(self, obj) -> list[str]:
        return self._status(obj).missing_labels

    def get_phases(self, obj) -> list[dict]:
        labels = dict(ChecklistItem.Phase.choices)
        out = []
        for phase in [*checklist_phases(obj.template), ""]:
            status = self._status(obj, phase)
            out.append(
                {
                    "phase": phase,
                    "label": str(labels.get(phase, "")) if phase else "",
                    "complete": status.complete,
                    "done": status.done,
                    "required": status.required,
                    "missing": status.missing_labels,
                    "points": status.points if status.scored else None,
                    "points_total": status.points_total if status.scored else None,
                    "score": str(status.score) if status.score is not None else None,
                }
            )
        return out

    def get_items(self, obj) -> list[dict]:
        request = self.context.get("request")
        rows = []
        for row in self._status(obj).rows:
            item = ChecklistItemSerializer(row.item).data
            answer = None
            if row.answer is not None:
                answer = ChecklistAnswerOutSerializer(row.answer, context={"request": request}).data
            rows.append({**item, "answer": answer, "ok": row.ok, "message": row.message if not row.ok else ""})
        return rows


class ChecklistRunStartSerializer(serializers.Serializer):
    template = serializers.CharField(max_length=60)
    target_type = serializers.CharField(max_length=120, help_text="app_label.model, e.g. showroom.store")
    object_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    store = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class ChecklistAnswerInSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    ticked = serializers.BooleanField(required=False, allow_null=True, default=None)
    # Parsed by the service (which accepts "1,234.5" and reports bounds); kept as text here.
    number = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40, default=None)
    choice = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ChecklistRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Runs of the user's stores. Filters: ``template`` (code), ``store``, ``complete`` (true/false),
    ``target_type`` with ``object_id``."""

    filter_backends = []
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "list":
            return ChecklistRunSerializer
        if self.action == "create":
            return ChecklistRunStartSerializer
        if self.action == "answers":
            return ChecklistAnswerInSerializer
        return ChecklistRunDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ChecklistRun.objects.none()
        params = self.request.query_params
        complete = {"true": True, "1": True, "false": False, "0": False}.get(params.get("complete", ""))
        store = params.get("store", "")
        object_id = params.get("object_id", "")
        return checklist_run_list(
            user=self.request.user,
            store_id=int(store) if store.isdigit() else None,
            template_code=params.get("template", ""),
            complete=complete,
            target_type=params.get("target_type", ""),
            object_id=int(object_id) if object_id.isdigit() else None,
        )

    def get_object(self):
        return checklist_run_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, run, status=200):
        return Response(ChecklistRunDetailSerializer(run, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        request=ChecklistRunStartSerializer,
        responses={200: ChecklistRunDetailSerializer, 201: ChecklistRunDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        payload = ChecklistRunStartSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        target = checklist_target_get(user=request.user, target_type=data["target_type"], object_id=data["object_id"])
        store = store_get_for_user(user=request.user, store_id=data["store"]) if data.get("store") else None
        run = checklist_run_start(template_code=data["template"], target=target, store=store, user=request.user)
        return self._detail(checklist_run_reload(run=run), status=201 if run.was_created else 200)

    @extend_schema(request=ChecklistAnswerInSerializer, responses={200: ChecklistRunDetailSerializer})
    @action(detail=True, methods=["post"], url_path="answers")
    def answers(self, request, pk=None):
        run = self.get_object()
        payload = ChecklistAnswerInSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        checklist_answer(
            run=run,
            item=data["item"],
            user=request.user,
            ticked=data["ticked"],
            number=data["number"],
            choice=data["choice"] or "",
            file=data["file"],
            note=data["note"] or "",
        )
        return self._detail(checklist_run_reload(run=run))
