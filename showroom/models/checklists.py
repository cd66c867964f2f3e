from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from showroom.models.stores import Store


class ChecklistTemplate(models.Model):
    """A list from the process documents (wording in Chinese, with English labels)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    source = models.CharField(_("source in the process documents"), max_length=200, blank=True)
    scored = models.BooleanField(_("scored audit"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") and self.title_en else self.title


class ChecklistItem(models.Model):
    class Kind(models.TextChoices):
        TICK = "tick", _("Tick")
        NUMBER = "number", pgettext_lazy("checklist item kind", "Number")
        CHOICE = "choice", _("Choice")
        PHOTO = "photo", _("Photo")
        SIGNATURE = "signature", _("Signature")

    class Phase(models.TextChoices):
        NONE = "", _("Any time")
        BEFORE = "before", _("Before")
        AT = "at", _("At")
        AFTER = "after", _("After")

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    section = models.CharField(_("section"), max_length=120, blank=True)
    section_en = models.CharField(_("English section"), max_length=120, blank=True)
    text = models.CharField(_("text"), max_length=500)
    text_en = models.CharField(_("English text"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TICK)
    required = models.BooleanField(_("required"), default=True)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, blank=True, default="")
    min_value = models.DecimalField(_("minimum"), max_digits=12, decimal_places=3, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=12, decimal_places=3, null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=0)

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="checklist_item_order_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.text_en if (get_language() or "").startswith("en") and self.text_en else self.text

    @property
    def section_label(self) -> str:
        return self.section_en if (get_language() or "").startswith("en") and self.section_en else self.section


class ChecklistRun(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="runs")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="checklist_runs")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    target_label = models.CharField(_("about"), max_length=200, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("complete at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("checklist run")
        verbose_name_plural = _("checklist runs")
        indexes = [models.Index(fields=["content_type", "object_id", "template"])]

    def __str__(self) -> str:
        return f"{self.template} · {self.target_label}"


class ChecklistAnswer(models.Model):
    run = models.ForeignKey(ChecklistRun, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    ticked = models.BooleanField(_("ticked"), null=True, blank=True)
    number = models.DecimalField(_("number"), max_digits=12, decimal_places=3, null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=120, blank=True)
    file = models.FileField(_("photo or signature"), upload_to="checklists/%Y/%m/", blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [models.UniqueConstraint(fields=["run", "item"], name="checklist_answer_once")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.item_id}"
