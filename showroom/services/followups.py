"""Writes of the followups engine.

A follow-up is a reminder for one user to do something about a record by a due time. Workflow apps
create them through ``followup_plan_schedule`` under a plan code they registered with
``register_followup_plan``; completing, missing or escalating one calls the plan's hook inside the
same transaction, so a plan can schedule its next step (and a failing hook rolls the step back).

``followups_tick`` (run by the beat every five minutes) notifies the assignee of each follow-up that
fell due and escalates those overdue by more than ``SHOWROOM["FOLLOWUP_ESCALATE_AFTER_MINUTES"]`` to
the store's manager. Each notice is claimed by a conditional UPDATE on the follow-up's row
(``notified_at`` / ``escalated_at`` still empty) taken under ``select_for_update(skip_locked=True)``,
so two ticks racing, or one tick run twice, notify and escalate once.
"""

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.models import FollowUp, Notification, Store
from showroom.permissions import has_role, roles_in
from showroom.registry import FollowUpPlan, followup_plan, register_followup_plan
from showroom.roles import GENERAL_MANAGER, SALES_MANAGER, SHOWROOM_MANAGER
from showroom.services.transitions import TransitionConflict, transition_run

logger = logging.getLogger(__name__)

MANUAL_PLAN = "manual"
register_followup_plan(FollowUpPlan(code=MANUAL_PLAN, label=gettext_lazy("One-off follow-up")))

EVENT_DONE, EVENT_MISSED, EVENT_ESCALATED = "done", "missed", "escalated"


def followup_user_may_work(*, followup, user) -> bool:
    """The assignee, or a manager of the follow-up's store, may complete, reschedule, miss or
    cancel it."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk == followup.assignee_id:
        return True
    return has_role(user, followup.store_id, (SHOWROOM_MANAGER, SALES_MANAGER, GENERAL_MANAGER))


def _lock_for_work(*, followup: FollowUp, user) -> FollowUp:
    """Lock the row, then refuse in this order: not allowed (403), no longer open (409). Input is
    checked after, so a closed follow-up answers 409 whatever was sent."""
    locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not followup_user_may_work(followup=locked, user=user):
        raise PermissionDenied(_("Only the person responsible or a manager of the store may do this."))
    if locked.state != FollowUp.State.OPEN:
        raise TransitionConflict(
            _("This follow-up is already closed (%(state)s).") % {"state": locked.get_state_display()},
            state=locked.state,
        )
    return locked


def _run_hook(followup: FollowUp, event: str) -> None:
    plan = followup_plan(followup.plan)
    if plan is not None and plan.hook is not None:
        plan.hook(followup=followup, event=event)


MAX_AHEAD = dt.timedelta(days=5 * 366)


def _aware_or_error(value, *, field: str, errors: dict) -> None:
    if not isinstance(value, dt.datetime):
        errors[field] = [_("Enter a date and time.")]
    elif timezone.is_naive(value):
        errors[field] = [_("Give the time with its time zone.")]
    elif value > timezone.now() + MAX_AHEAD:
        errors[field] = [_("Choose a time within the next five years.")]


@transaction.atomic
def followup_plan_schedule(
    *,
    plan_code: str,
    target: models.Model,
    store: Store,
    assignee,
    due_at: dt.datetime,
    kind: str,
    title: str,
    created_by=None,
    sequence: int = 1,
) -> FollowUp:
    """Schedule one follow-up of a plan about ``target`` for ``assignee`` (who must hold a role in
    the store) at ``due_at`` (an aware time)."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if followup_plan(plan_code) is None:
        errors["plan"] = [_("There is no follow-up plan “%(code)s”.") % {"code": plan_code}]
    if not title:
        errors["title"] = [_("Say what is to be done.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep it under 200 characters.")]
    if kind not in FollowUp.Kind.values:
        errors["kind"] = [_("Choose a call, a visit, a message or a task.")]
    _aware_or_error(due_at, field="due_at", errors=errors)
    if assignee is None or not getattr(assignee, "is_active", False) or not roles_in(assignee, store):
        errors["assignee"] = [_("The person responsible must work in this store.")]
    if target is None or target.pk is None:
        errors["target"] = [_("A follow-up needs a saved record to be about.")]
    elif getattr(target, "store_id", store.pk) != store.pk:
        errors["target"] = [_("The record belongs to another store.")]
    if sequence < 1:
        errors["sequence"] = [_("The step in the plan starts at 1.")]
    if errors:
        raise ValidationError(errors)
    return FollowUp.objects.create(
        store=store,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        target_label=str(target)[:200],
        plan=plan_code,
        kind=kind,
        title=title,
        due_at=due_at,
        assignee=assignee,
        sequence=sequence,
        created_by=created_by,
    )


@transaction.atomic
def followup_complete(*, followup: FollowUp, user, outcome: str, result_code: str = "") -> FollowUp:
    """Done, with what came of it. The plan's hook runs with "done" (it may schedule the next)."""
    followup = _lock_for_work(followup=followup, user=user)
    outcome = (outcome or "").strip()
    result_code = (result_code or "").strip()
    errors = {}
    if not outcome:
        errors["outcome"] = [_("Say what came of it.")]
    if len(result_code) > 40:
        errors["result_code"] = [_("Keep the result code under 40 characters.")]
    if errors:
        raise ValidationError(errors)

    def stamp(obj: FollowUp) -> None:
        obj.outcome = outcome
        obj.result_code = result_code
        obj.done_at = timezone.now()

    followup = transition_run(
        instance=followup, name="complete", user=user, note=outcome, lock=False, before_save=stamp
    )
    _run_hook(followup, EVENT_DONE)
    return followup


@transaction.atomic
def followup_reschedule(*, followup: FollowUp, user, due_at: dt.datetime, reason: str) -> FollowUp:
    """Move the due time to a later moment, with a reason (logged as the transition's note). The
    follow-up is reminded and escalated again from its new due time."""
    followup = _lock_for_work(followup=followup, user=user)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the follow-up is moved.")]
    _aware_or_error(due_at, field="due_at", errors=errors)
    if "due_at" not in errors and due_at <= timezone.now():
        errors["due_at"] = [_("Choose a time in the future.")]
    if errors:
        raise ValidationError(errors)

    def move(obj: FollowUp) -> None:
        obj.due_at = due_at
        obj.notified_at = None
        obj.escalated_at = None
        obj.escalated_to = None

    return transition_run(instance=followup, name="reschedule", user=user, note=reason, lock=False, before_save=move)


@transaction.atomic
def followup_miss(*, followup: FollowUp, user, note: str = "") -> FollowUp:
    """It did not happen. The plan's hook runs with "missed"."""
    followup = _lock_for_work(followup=followup, user=user)
    followup = transition_run(instance=followup, name="miss", user=user, note=(note or "").strip(), lock=False)
    _run_hook(followup, EVENT_MISSED)
    return followup


@transaction.atomic
def followup_cancel(*, followup: FollowUp, user, reason: str) -> FollowUp:
    """No longer needed; the reason is logged as the transition's note."""
    followup = _lock_for_work(followup=followup, user=user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the follow-up is cancelled.")]})
    return transition_run(instance=followup, name="cancel", user=user, note=reason, lock=False)


# --- notifications ------------------------------------------------------------------------------


def notification_send(
    *, user, key: str, title: str, body: str, url: str = "", now: dt.datetime | None = None
) -> Notification:
    """Create the notice for ``key``, or raise the existing one again (a follow-up that falls due
    again after a reschedule reuses its key: one row per follow-up and event, never two). Apps
    notify through this too, so every notice can be e-mailed and is never sent twice."""
    now = now or timezone.now()
    notification, created = Notification.objects.get_or_create(
        user=user, key=key, defaults={"title": title[:200], "body": body, "url": url}
    )
    if not created:
        Notification.objects.filter(pk=notification.pk).update(
            title=title[:200], body=body, url=url, created_at=now, read_at=None, emailed_at=None
        )
    if user.email:
        transaction.on_commit(partial(notification_email_send, notification_id=notification.pk))
    return notification


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification by e-mail, once: the row is claimed before sending and released again
    when the mail server refuses it. True when it was sent now."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=now)
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    if not notification.user.email:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        return False
    try:
        send_mail(
            subject=f"[{_('Showroom')}] {notification.title}",
            message=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
    except Exception:
        logger.exception("e-mail for notification %s failed", notification_id)
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        return False
    return True


@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    if notification.user_id != user.pk:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- the tick -----------------------------------------------------------------------------------


def _lock_open(pk: int, **conditions) -> FollowUp | None:
    """The open follow-up ``pk`` locked for this transaction when it still meets ``conditions``;
    None when another tick holds it or already handled it."""
    return (
        FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("store", "assignee")
        .filter(pk=pk, state=FollowUp.State.OPEN, **conditions)
        .first()
    )


def _when(followup: FollowUp) -> str:
    return timezone.localtime(followup.due_at).strftime("%Y-%m-%d %H:%M")


def _notify_due(*, pk: int, now: dt.datetime) -> bool:
    with transaction.atomic():
        followup = _lock_open(pk, notified_at__isnull=True, due_at__lte=now)
        if followup is None:
            return False
        # The claim: only the tick whose UPDATE changes the row sends the notice.
        if not FollowUp.objects.filter(pk=pk, state=FollowUp.State.OPEN, notified_at__isnull=True).update(
            notified_at=now
        ):
            return False
        followup.notified_at = now
        with translation.override(settings.LANGUAGE_CODE):
            body = _("%(kind)s due %(due)s · about %(about)s") % {
                "kind": followup.get_kind_display(),
                "due": _when(followup),
                "about": followup.target_label or "—",
            }
        notification_send(
            user=followup.assignee,
            key=f"followup:{pk}:due",
            title=followup.title,
            body=body,
            url=reverse("followups:detail", args=[pk]),
            now=now,
        )
    return True


def _escalate(*, pk: int, now: dt.datetime, before: dt.datetime, manager) -> bool:
    with transaction.atomic():
        followup = _lock_open(pk, escalated_at__isnull=True, due_at__lt=before)
        if followup is None:
            return False
        if not FollowUp.objects.filter(pk=pk, state=FollowUp.State.OPEN, escalated_at__isnull=True).update(
            escalated_at=now, escalated_to=manager
        ):
            return False
        followup.escalated_at = now
        followup.escalated_to = manager
        assignee = followup.assignee.get_full_name() or followup.assignee.get_username()
        with translation.override(settings.LANGUAGE_CODE):
            body = _("%(assignee)s has not done this %(kind)s, due %(due)s · about %(about)s") % {
                "assignee": assignee,
                "kind": followup.get_kind_display().lower(),
                "due": _when(followup),
                "about": followup.target_label or "—",
            }
        notification_send(
            user=manager,
            key=f"followup:{pk}:escalated",
            title=followup.title,
            body=body,
            url=reverse("followups:detail", args=[pk]),
            now=now,
        )
        _run_hook(followup, EVENT_ESCALATED)
    return True


def followups_tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Notify the assignee of every open follow-up that fell due, once, and escalate those overdue
    by more than the configured minutes to the store's manager, once. Each follow-up is handled in
    its own transaction, so one failing hook leaves the others done (and is retried next tick)."""
    from showroom.selectors.followups import followup_manager_for

    now = now or timezone.now()
    done = {"notified": 0, "escalated": 0}
    due = FollowUp.objects.filter(state=FollowUp.State.OPEN, notified_at__isnull=True, due_at__lte=now)
    for pk in due.order_by("due_at", "id").values_list("pk", flat=True):
        try:
            if _notify_due(pk=pk, now=now):
                done["notified"] += 1
        except (OperationalError, InterfaceError):
            raise  # the database is gone, not this follow-up: the task retries the whole sweep
        except Exception:
            logger.exception("notifying follow-up %s failed; the next tick tries again", pk)

    before = now - dt.timedelta(minutes=int(settings.SHOWROOM["FOLLOWUP_ESCALATE_AFTER_MINUTES"]))
    overdue = (
        FollowUp.objects.filter(state=FollowUp.State.OPEN, escalated_at__isnull=True, due_at__lt=before)
        .select_related("store")
        .order_by("due_at", "id")
    )
    managers: dict[tuple[int, int], object] = {}
    for followup in overdue:
        key = (followup.store_id, followup.assignee_id)
        if key not in managers:
            managers[key] = followup_manager_for(followup=followup)
        manager = managers[key]
        if manager is None:
            logger.warning("follow-up %s is overdue but store %s has no manager", followup.pk, followup.store_id)
            continue
        try:
            if _escalate(pk=followup.pk, now=now, before=before, manager=manager):
                done["escalated"] += 1
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            logger.exception("escalating follow-up %s failed; the next tick tries again", followup.pk)
    return done
