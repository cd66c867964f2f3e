"""Versioned texts of the subscription agreement (认购协议书) and the sales contract (商品房买卖合同):
a version takes effect after its approval (marketing director, then general manager), from a
date; a subscription or contract keeps the version it was made under."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.permissions import role_permission


class AgreementTemplate(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", _("Subscription agreement")
        CONTRACT = "contract", _("Sales contract")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(
        "realestate.Project", on_delete=models.CASCADE, related_name="agreement_templates", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=120)
    # One clause a paragraph (blank lines between clauses); printed as numbered clauses.
    body = models.TextField(_("clauses"))
    effective_from = models.DateField(_("effective from"))
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["project", "kind", "-version"]
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "version"], name="re_agreement_template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_kind_display()} v{self.version}"

    @property
    def store_id(self) -> int:
        return self.project.store_id

    @property
    def clauses(self) -> list[str]:
        return [part.strip() for part in self.body.replace("\r\n", "\n").split("\n\n") if part.strip()]

    @transition(field=state, source=State.DRAFT, target=State.PENDING, permission=role_permission(r.SALES_MANAGER))
    def submit(self):
        pass

    @transition(field=state, source=State.PENDING, target=State.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=State.PENDING, target=State.REJECTED)
    def reject(self):
        pass
