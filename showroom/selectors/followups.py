"""Reads of the followups engine: my follow-ups in buckets, one follow-up in the user's stores, the
manager a follow-up escalates to, notifications, and the follow-ups source of a record's timeline.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.models import FollowUp, Membership, Notification, Store
from showroom.permissions import store_ids_for
from showroom.registry import followup_plan
from showroom.roles import GENERAL_MANAGER, SALES_MANAGER, SHOWROOM_MANAGER
from showroom.selectors.timeline import TimelineEntry, register_timeline_source

OVERDUE, TODAY, UPCOMING = "overdue", "today", "upcoming"
BUCKETS = (
    (OVERDUE, gettext_lazy("Overdue")),
    (TODAY, gettext_lazy("Today")),
    (UPCOMING, gettext_lazy("Upcoming")),
)
BUCKET_CODES = tuple(code for code, _label in BUCKETS)


def start_of_tomorrow(now: dt.datetime) -> dt.datetime:
    """Midnight at the start of the next local day (Asia/Shanghai), as an aware time."""
    local = timezone.localtime(now)
    tomorrow = local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time.min, tzinfo=local.tzinfo)


def _bucket_q(bucket: str, *, now: dt.datetime, tomorrow: dt.datetime) -> Q:
    return {
        OVERDUE: Q(due_at__lt=now),
        TODAY: Q(due_at__gte=now, due_at__lt=tomorrow),
        UPCOMING: Q(due_at__gte=tomorrow),
    }[bucket]


def _base() -> QuerySet[FollowUp]:
    return FollowUp.objects.select_related("store", "assignee", "content_type")


def followup_visible(*, user) -> QuerySet[FollowUp]:
    """Every follow-up of the stores the user holds a membership in."""
    return _base().filter(store_id__in=store_ids_for(user))


def followup_get(*, user, pk) -> FollowUp:
    """One follow-up of the user's stores; 404 for anything else (never confirm it exists)."""
    try:
        return followup_visible(user=user).get(pk=int(pk))
    except (FollowUp.DoesNotExist, TypeError, ValueError, OverflowError) as exc:
        raise Http404 from exc


def followup_my_list(
    *,
    user,
    bucket: str | None = None,
    state: str | None = FollowUp.State.OPEN,
    plan: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[FollowUp]:
    """The user's own follow-ups (open ones unless ``state`` says otherwise), overdue first, then
    today's, then upcoming ones; each row carries ``bucket``. Ordering by due time gives exactly
    that order, the most overdue at the top."""
    now = now or timezone.now()
    tomorrow = start_of_tomorrow(now)
    qs = followup_visible(user=user).filter(assignee=user)
    if state:
        qs = qs.filter(state=state)
    if plan:
        qs = qs.filter(plan=plan)
    if bucket in BUCKET_CODES:
        qs = qs.filter(_bucket_q(bucket, now=now, tomorrow=tomorrow))
    return qs.annotate(
        bucket=Case(
            When(due_at__lt=now, then=Value(OVERDUE)),
            When(due_at__lt=tomorrow, then=Value(TODAY)),
            default=Value(UPCOMING),
            output_field=models.CharField(),
        )
    ).order_by("due_at", "id")


def followup_bucket(*, followup: FollowUp, now: dt.datetime | None = None) -> str:
    """The bucket of one follow-up (the same rule as the list's annotation)."""
    now = now or timezone.now()
    if followup.due_at < now:
        return OVERDUE
    return TODAY if followup.due_at < start_of_tomorrow(now) else UPCOMING


def followup_bucket_counts(*, user, now: dt.datetime | None = None) -> dict[str, int]:
    """How many open follow-ups the user has in each bucket, and in all (one query)."""
    now = now or timezone.now()
    tomorrow = start_of_tomorrow(now)
    counts = FollowUp.objects.filter(
        assignee=user, state=FollowUp.State.OPEN, store_id__in=store_ids_for(user)
    ).aggregate(**{code: Count("pk", filter=_bucket_q(code, now=now, tomorrow=tomorrow)) for code in BUCKET_CODES})
    counts["all"] = sum(counts.values())
    return counts


def followup_plan_label(code: str) -> str:
    plan = followup_plan(code)
    return str(plan.label) if plan is not None else code


def followup_manager_roles(store: Store) -> tuple[str, ...]:
    """Who "the assignee's manager" is, in order of preference: the showroom manager (for a
    property sales site, the sales manager), then the other of the two, then the general manager."""
    if store.kind == Store.Kind.PROPERTY_SITE:
        return (SALES_MANAGER, SHOWROOM_MANAGER, GENERAL_MANAGER)
    return (SHOWROOM_MANAGER, SALES_MANAGER, GENERAL_MANAGER)


def followup_manager_for(*, followup: FollowUp):
    """The user an overdue follow-up is escalated to: the first active member of the store holding
    the preferred manager role who is not the assignee; None when the store has none (one query)."""
    wanted = followup_manager_roles(followup.store)
    rows = (
        Membership.objects.filter(
            store_id=followup.store_id,
            is_active=True,
            role__code__in=wanted,
            user__is_active=True,
        )
        .exclude(user_id=followup.assignee_id)
        .select_related("user", "role")
        .order_by("id")
    )
    best = None
    for membership in rows:
        rank = wanted.index(membership.role.code)
        if best is None or rank < best[0]:
            best = (rank, membership.user)
    return best[1] if best else None


# --- notifications ------------------------------------------------------------------------------

_NOTIFICATION_KINDS = {
    "due": gettext_lazy("Follow-up due"),
    "escalated": gettext_lazy("Overdue follow-up escalated to you"),
}


def notification_kind(key: str) -> str:
    """A short label for the notice, in the reader's language, from its key ("followup:12:due")."""
    suffix = key.rsplit(":", 1)[-1] if key else ""
    return str(_NOTIFICATION_KINDS.get(suffix, _("Notification")))


def notification_list(*, user, unread: bool | None = None) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs.order_by("-created_at", "-id")


def notification_unread_for(*, user) -> QuerySet[Notification]:
    return notification_list(user=user, unread=True)


def notification_unread_count(*, user) -> int:
    """One query: the number on the bell."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_get(*, user, pk) -> Notification:
    try:
        return Notification.objects.get(user=user, pk=int(pk))
    except (Notification.DoesNotExist, TypeError, ValueError, OverflowError) as exc:
        raise Http404 from exc


# --- the timeline -------------------------------------------------------------------------------


def _name(user) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


@register_timeline_source
def followups_source(target: models.Model, ct: ContentType) -> list[TimelineEntry]:
    """Each follow-up about the record: when it was planned (and for when), and its outcome."""
    rows = (
        FollowUp.objects.filter(content_type=ct, object_id=target.pk)
        .select_related("assignee", "created_by")
        .order_by("created_at", "id")
    )
    entries: list[TimelineEntry] = []
    for fu in rows:
        url = reverse("followups:detail", args=[fu.pk])
        entries.append(
            TimelineEntry(
                at=fu.created_at,
                kind="followup",
                title=_("Follow-up planned: %(title)s") % {"title": fu.title},
                detail=_("%(kind)s due %(due)s, assigned to %(assignee)s")
                % {
                    "kind": fu.get_kind_display(),
                    "due": timezone.localtime(fu.due_at).strftime("%Y-%m-%d %H:%M"),
                    "assignee": _name(fu.assignee),
                },
                actor=_name(fu.created_by) if fu.created_by_id else _("system"),
                state=fu.state,
                url=url,
            )
        )
        if fu.state == FollowUp.State.DONE and fu.done_at:
            entries.append(
                TimelineEntry(
                    at=fu.done_at,
                    kind="followup",
                    title=_("Follow-up done: %(title)s") % {"title": fu.title},
                    detail=fu.outcome,
                    state=fu.state,
                    url=url,
                )
            )
    return entries


def user_by_id(pk) -> models.Model | None:
    """An active user by id (for the API's optional assignee), or None."""
    try:
        return get_user_model().objects.get(pk=int(pk), is_active=True)
    except (get_user_model().DoesNotExist, TypeError, ValueError, OverflowError):
        return None


# The demo seeder registers itself on import; apps.ready() imports this module at start-up.
from showroom import demo_followups  # noqa: E402,F401
