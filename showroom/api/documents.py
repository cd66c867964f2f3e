"""Documents API: read-only. ``/api/v1/core/documents/?content_type=leads.quote&object_id=12``
lists a record's documents (every version) with their download links; the content type is given
as ``app_label.model`` or as its id. Only documents of the caller's stores are visible."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from showroom.models import Document
from showroom.selectors.documents import document_download_url, document_type_label, document_visible


class ContentTypeField(forms.CharField):
    """``app_label.model`` or a content type id."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            if value.isdigit():
                return ContentType.objects.get_for_id(int(value))
            app_label, _dot, model = value.lower().partition(".")
            return ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist as exc:
            raise forms.ValidationError(_("Unknown record type “%(value)s”.") % {"value": value}) from exc


class ContentTypeFilter(filters.Filter):
    field_class = ContentTypeField


class DocumentFilter(filters.FilterSet):
    content_type = ContentTypeFilter(
        field_name="content_type", help_text=gettext_lazy("The record's type: app_label.model or its id.")
    )
    object_id = filters.NumberFilter(field_name="object_id", min_value=1)
    doc_type = filters.CharFilter(field_name="doc_type")
    number = filters.CharFilter(field_name="number")
    state = filters.ChoiceFilter(field_name="state", choices=Document.State.choices)

    class Meta:
        model = Document
        fields = ["content_type", "object_id", "doc_type", "number", "state"]


class DocumentSerializer(serializers.ModelSerializer):
    doc_type_label = serializers.SerializerMethodField()
    store_name = serializers.CharField(source="store.name", read_only=True)
    target_type = serializers.SerializerMethodField()
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    created_by = serializers.CharField(source="created_by.get_username", read_only=True, default=None)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "doc_type",
            "doc_type_label",
            "number",
            "version",
            "store",
            "store_name",
            "target_type",
            "content_type",
            "object_id",
            "state",
            "state_display",
            "pages",
            "sha256",
            "download_url",
            "created_by",
            "created_at",
            "rendered_at",
        ]
        read_only_fields = fields

    def get_doc_type_label(self, obj) -> str:
        return document_type_label(obj.doc_type)

    def get_target_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_download_url(self, obj) -> str | None:
        url = document_download_url(obj)
        if not url:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """A record's documents: filter by ``content_type`` and ``object_id``. ``download_url`` is set
    once the PDF is ready (``state`` goes ``pending`` → ``ready``, or ``failed``)."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    search_fields = ["number"]
    ordering_fields = ["created_at", "number", "version"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Document.objects.none()
        return document_visible(user=self.request.user).order_by("doc_type", "number", "-version")
