from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom.models.stores import Role, Store


class AuthorityRule(models.Model):
    """Who may decide which kind of request, at which step, up to which limit, with which quota.

    A rule with a store applies to that store only and takes precedence over the rule for the
    same kind, step and role without a store. ``limit`` empty means no limit.
    """

    class QuotaCounts(models.TextChoices):
        LEVEL = "level", _("Requests approved at this level")
        ALL_LEVELS = "all", _("Requests approved at any level")

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    step = models.PositiveSmallIntegerField(_("step"), default=1)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="authority_rules", verbose_name=_("role"))
    limit = models.DecimalField(_("limit"), max_digits=14, decimal_places=4, null=True, blank=True)
    quota = models.DecimalField(
        _("quota (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Largest share of the population that may be approved at this level, in percent."),
    )
    quota_counts = models.CharField(
        _("quota counts"), max_length=5, choices=QuotaCounts.choices, default=QuotaCounts.LEVEL
    )
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="authority_rules",
        verbose_name=_("store"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "step", "role__rank"]
        verbose_name = _("authority rule")
        verbose_name_plural = _("authority rules")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "step", "role", "store"], name="authority_rule_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        limit = "∞" if self.limit is None else f"{self.limit.normalize():f}"
        return f"{self.kind} #{self.step} {self.role.code} ≤ {limit}"


class ApprovalRequest(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Unit(models.TextChoices):
        PERCENT = "percent", _("percent")
        AMOUNT = "amount", _("amount (CNY)")
        DAYS = "days", _("days")
        QUANTITY = "quantity", _("quantity")
        NONE = "none", _("no value")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="approval_requests", verbose_name=_("store")
    )
    kind = models.CharField(_("kind"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    target_label = models.CharField(_("about"), max_length=200, blank=True)
    value = models.DecimalField(_("requested value"), max_digits=14, decimal_places=4, default=0)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.NONE)
    reason = models.TextField(_("reason"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approval_requests",
        verbose_name=_("requester"),
    )
    state = FSMField(_("state"), default=State.PENDING, choices=State.choices, protected=True)
    step = models.PositiveSmallIntegerField(_("current step"), default=1)
    steps_total = models.PositiveSmallIntegerField(_("steps"), default=1)
    routed_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("waiting for")
    )
    quota_scope = models.CharField(_("quota scope"), max_length=80, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [
            models.Index(fields=["store", "state", "routed_role"]),
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["requester", "-created_at"]),
            models.Index(fields=["kind", "quota_scope", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    # The permission callables live in services (they need the authority matrix); the
    # transitions only move the state. ``approve`` stays pending until the last step.
    @transition(
        field=state,
        source=State.PENDING,
        target=RETURN_VALUE(State.PENDING, State.APPROVED),
        permission=lambda instance, user: instance.user_may_decide(user),
    )
    def approve(self, *, final: bool):
        return self.State.APPROVED if final else self.State.PENDING

    @transition(
        field=state,
        source=State.PENDING,
        target=State.REJECTED,
        permission=lambda instance, user: instance.user_may_decide(user),
    )
    def reject(self):
        pass

    @transition(
        field=state,
        source=State.PENDING,
        target=State.PENDING,
        permission=lambda instance, user: instance.user_may_decide(user),
    )
    def escalate(self):
        pass

    @transition(
        field=state,
        source=State.PENDING,
        target=State.WITHDRAWN,
        permission=lambda instance, user: user is not None and user.pk == instance.requester_id,
    )
    def withdraw(self):
        pass

    def user_may_decide(self, user) -> bool:
        from showroom.services.approvals import approval_user_may_decide

        return approval_user_may_decide(request=self, user=user)


class ApprovalDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ESCALATED = "escalated", _("Escalated")

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="decisions")
    step = models.PositiveSmallIntegerField(_("step"))
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+", verbose_name=_("as"))
    decider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        indexes = [models.Index(fields=["role", "decision"])]

    def __str__(self) -> str:
        return f"{self.request_id} #{self.step} {self.decision}"
