"""Reads of the duty roster: a day's roster, the round-robin rule (who is next up, and who is
passed over and why), the day's assignments and the fairness summary per consultant.

The rule, shared by ``roster_next_up`` (read-only) and ``roster_assign`` (which records it):
start after the consultant who was last assigned in turn that day (or at the top of the roster),
go round the roster once, and take the first consultant who is available and has no follow-up
overdue by more than the store's ``overdue_skip_hours``; everyone passed over on the way is a skip
with its reason. Because each assignment starts where the previous one stopped, the day's turns
(assignments plus skips) go round the roster evenly: a consultant can only fall behind by a turn
that was recorded as a skip.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from showroom.models import Assignment, DutyRoster, FollowUp, FrontDeskSettings, RosterEntry, Store
from showroom.permissions import store_ids_for
from showroom.selectors.customers import customer_owner_live
from showroom.selectors.frontdesk import (
    BOARD_READERS,
    db_id,
    frontdesk_settings_get,
    local_today,
    user_label,
)


@dataclass(frozen=True)
class Skip:
    entry: RosterEntry
    code: str  # Assignment.ReasonCode
    details: dict = field(default_factory=dict)

    @property
    def reason_text(self) -> str:
        return Assignment(reason_code=self.code, details=self.details).reason_text


def roster_get(*, store: Store | int, day: dt.date) -> DutyRoster | None:
    """The store's roster of ``day`` with its entries and their consultants (two queries)."""
    store_id = store if isinstance(store, int) else store.pk
    return DutyRoster.objects.filter(store_id=store_id, day=day).prefetch_related(_entries_prefetch()).first()


def _entries_prefetch():
    from django.db.models import Prefetch

    return Prefetch("entries", queryset=RosterEntry.objects.select_related("consultant").order_by("position", "id"))


def roster_visible(*, user) -> QuerySet[DutyRoster]:
    return (
        DutyRoster.objects.select_related("store")
        .prefetch_related(_entries_prefetch())
        .filter(store_id__in=store_ids_for(user))
    )


def roster_get_for_user(*, user, pk) -> DutyRoster:
    number = db_id(pk)
    found = roster_visible(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


def roster_entry_get(*, user, pk) -> RosterEntry:
    number = db_id(pk)
    found = (
        RosterEntry.objects.select_related("roster__store", "consultant")
        .filter(pk=number, roster__store_id__in=store_ids_for(user))
        .first()
        if number
        else None
    )
    if found is None:
        raise Http404
    return found


def _overdue_counts(*, store_id: int, consultant_ids: list[int], now: dt.datetime, hours: int) -> dict[int, int]:
    """Per consultant, the open follow-ups of the store overdue by more than ``hours`` (one query)."""
    if not consultant_ids:
        return {}
    before = now - dt.timedelta(hours=hours)
    rows = (
        FollowUp.objects.filter(
            store_id=store_id, state=FollowUp.State.OPEN, assignee_id__in=consultant_ids, due_at__lt=before
        )
        .values("assignee_id")
        .annotate(n=Count("id"))
        .values_list("assignee_id", "n")
    )
    return dict(rows)


def _last_assigned_consultant(*, store_id: int, day: dt.date) -> int | None:
    return (
        Assignment.objects.filter(store_id=store_id, day=day, kind=Assignment.Kind.ASSIGNED)
        .order_by("-created_at", "-id")
        .values_list("consultant_id", flat=True)
        .first()
    )


def roster_rotation(
    *,
    store: Store,
    day: dt.date,
    entries: list[RosterEntry] | None = None,
    now: dt.datetime | None = None,
    settings: FrontDeskSettings | None = None,
) -> tuple[RosterEntry | None, list[Skip]]:
    """Who gets the next walk-in in turn, and who is passed over before him with the reason (two
    queries given the entries and settings). None when nobody can take one now."""
    now = now or timezone.now()
    if entries is None:
        roster = roster_get(store=store, day=day)
        entries = list(roster.entries.all()) if roster is not None else []
    if not entries:
        return None, []
    settings = settings or frontdesk_settings_get(store=store)
    last = _last_assigned_consultant(store_id=store.pk, day=day)
    start = 0
    for index, entry in enumerate(entries):
        if entry.consultant_id == last:
            start = index + 1
            break
    ordered = entries[start:] + entries[:start]
    overdue = _overdue_counts(
        store_id=store.pk,
        consultant_ids=[e.consultant_id for e in ordered if e.status == RosterEntry.Status.AVAILABLE],
        now=now,
        hours=settings.overdue_skip_hours,
    )
    skips: list[Skip] = []
    for entry in ordered:
        if entry.status == RosterEntry.Status.AWAY:
            skips.append(Skip(entry, Assignment.ReasonCode.AWAY))
        elif entry.status == RosterEntry.Status.WITH_CUSTOMER:
            skips.append(Skip(entry, Assignment.ReasonCode.WITH_CUSTOMER))
        elif overdue.get(entry.consultant_id):
            skips.append(
                Skip(
                    entry,
                    Assignment.ReasonCode.OVERDUE,
                    {"overdue": overdue[entry.consultant_id], "hours": settings.overdue_skip_hours},
                )
            )
        else:
            return entry, skips
    return None, skips


def roster_next_up(*, store: Store, day: dt.date | None = None):
    """The consultant who gets the next walk-in in turn (the same rule as ``roster_assign``,
    read-only), or None."""
    entry, _skips = roster_rotation(store=store, day=day or local_today())
    return entry.consultant if entry is not None else None


def assignment_list(*, store: Store, day: dt.date | None = None, kind: str = "") -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related("consultant", "decided_by", "visit").filter(store=store)
    if day is not None:
        qs = qs.filter(day=day)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def assignment_visible(*, user) -> QuerySet[Assignment]:
    return Assignment.objects.select_related("store", "consultant", "decided_by", "visit").filter(
        store_id__in=store_ids_for(user, BOARD_READERS)
    )


@dataclass
class FairnessRow:
    consultant_id: int
    name: str
    position: int | None
    status: str
    status_display: str
    assigned: int = 0
    override: int = 0
    requested: int = 0
    skipped: int = 0
    skipped_by: dict = field(default_factory=dict)

    @property
    def turns(self) -> int:
        return self.assigned + self.skipped


def roster_fairness(*, store: Store, day: dt.date) -> dict:
    """Per consultant of the day (on the roster, or assigned anything): walk-ins in turn, by a
    manager's override, asked for by the customer, and turns skipped by reason; and the spread of
    walk-ins in turn among those on the roster (three queries)."""
    roster = roster_get(store=store, day=day)
    rows: dict[int, FairnessRow] = {}
    status_labels = dict(RosterEntry.Status.choices)
    for entry in roster.entries.all() if roster is not None else []:
        rows[entry.consultant_id] = FairnessRow(
            consultant_id=entry.consultant_id,
            name=user_label(entry.consultant),
            position=entry.position,
            status=entry.status,
            status_display=str(status_labels.get(entry.status, entry.status)),
        )
    counts = (
        Assignment.objects.filter(store=store, day=day)
        .values("consultant_id", "consultant__first_name", "consultant__last_name", "consultant__username", "kind")
        .annotate(n=Count("id"))
    )
    skipped_by: dict[int, dict[str, int]] = defaultdict(dict)
    for row in counts:
        cid = row["consultant_id"]
        if cid not in rows:
            name = f"{row['consultant__first_name']} {row['consultant__last_name']}".strip()
            rows[cid] = FairnessRow(
                consultant_id=cid, name=name or row["consultant__username"], position=None, status="", status_display=""
            )
        setattr(rows[cid], row["kind"], getattr(rows[cid], row["kind"]) + row["n"])
    for row in (
        Assignment.objects.filter(store=store, day=day, kind=Assignment.Kind.SKIPPED)
        .values("consultant_id", "reason_code")
        .annotate(n=Count("id"))
    ):
        skipped_by[row["consultant_id"]][row["reason_code"]] = row["n"]
    labels = dict(Assignment.ReasonCode.choices)
    for cid, by_code in skipped_by.items():
        rows[cid].skipped_by = {str(labels.get(code, code)): n for code, n in by_code.items()}
    ordered = sorted(rows.values(), key=lambda row: (row.position is None, row.position or 0, row.name))
    on_roster = [row.assigned for row in ordered if row.position is not None]
    turns = [row.turns for row in ordered if row.position is not None]
    return {
        "rows": ordered,
        "spread": (max(on_roster) - min(on_roster)) if on_roster else 0,
        "turn_spread": (max(turns) - min(turns)) if turns else 0,
        "assigned": sum(row.assigned for row in ordered),
        "skipped": sum(row.skipped for row in ordered),
        "overrides": sum(row.override + row.requested for row in ordered),
    }


def roster_section(*, store: Store, day: dt.date) -> dict:
    """The context of the "duty roster" section of a store's daily report."""
    return {
        "fairness": roster_fairness(store=store, day=day),
        "assignments": list(assignment_list(store=store, day=day).order_by("created_at", "id")),
    }


@dataclass(frozen=True)
class OwnerDuty:
    """A returning customer's owner and whether he can take the customer today."""

    owner: object | None
    entry: RosterEntry | None

    @property
    def on_duty(self) -> bool:
        return self.entry is not None and self.entry.status != RosterEntry.Status.AWAY


def owner_duty(*, store: Store, customer, day: dt.date | None = None) -> OwnerDuty:
    """Who owns ``customer`` now and his roster entry of the day (one query when owned): a
    returning customer goes to the owner when he is on duty, to a stand-in when he is away."""
    owner = customer_owner_live(customer=customer) if customer is not None else None
    if owner is None:
        return OwnerDuty(owner=None, entry=None)
    entry = (
        RosterEntry.objects.filter(roster__store=store, roster__day=day or local_today(), consultant_id=owner.pk)
        .select_related("consultant")
        .first()
    )
    return OwnerDuty(owner=owner, entry=entry)
