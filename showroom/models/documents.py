from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from showroom.models.stores import Store


class DocumentSequence(models.Model):
    """The last number issued for one document type in one scope (a store or a project) and one
    year (0 for types numbered without a year). Incremented under a row lock in the same
    transaction as the record, so numbers are gap-free and never reused."""

    doc_type = models.CharField(_("document type"), max_length=20)
    scope = models.CharField(_("scope"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")
        constraints = [models.UniqueConstraint(fields=["doc_type", "scope", "year"], name="document_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.scope} {self.year}: {self.last_number}"


class Document(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    doc_type = models.CharField(_("document type"), max_length=20)
    number = models.CharField(_("number"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # The numbering scope the number was counted in (``store:<id>``, a project's scope, or
    # ``global``): two stores, or two projects, each have their own "X-2026-000001".
    scope = models.CharField(_("numbering scope"), max_length=60, blank=True, default="")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="documents")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "scope", "number", "version"], name="document_version_unique_in_scope"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"
