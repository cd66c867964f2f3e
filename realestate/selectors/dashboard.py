"""The real-estate dashboard: the sales-control summary (units and area per state, per building),
the period's subscriptions, contracts and collections, approvals waiting, quota use per change
kind and project, subscriptions overdue for signing and lent documents not back; plus the record
lists every figure links to. A fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from realestate.models import Contract, Custody, Project, Receipt, Subscription, Unit
from realestate.models.sales import LIVE_SUBSCRIPTION_STATES
from showroom.approval_kinds import KINDS, kind_label, quota_group
from showroom.models import ApprovalDecision, ApprovalRequest, AuthorityRule

ZERO = Decimal("0")
HUNDRED = Decimal("100")
PERIODS = ("today", "week", "month", "custom")
# The delayed-signing kinds count the project's units; every other quota counts its
# subscriptions (live or contracted) — as the quota counters registered with the approvals engine.
UNIT_QUOTA_KINDS = {"realestate.delay_keep_discount", "realestate.delay_lose_discount"}
POPULATION_STATES = [*LIVE_SUBSCRIPTION_STATES, Subscription.State.CONTRACTED]


def dashboard_period(*, period: str, day: dt.date, start: dt.date | None, end: dt.date | None):
    """(period, first day, the day after the last): today, the week from Monday, the month, or a
    custom range (both ends inclusive, swapped when reversed; today when either is missing)."""
    if period == "week":
        first = day - dt.timedelta(days=day.weekday())
        return period, first, first + dt.timedelta(days=7)
    if period == "month":
        first = day.replace(day=1)
        return period, first, (first + dt.timedelta(days=32)).replace(day=1)
    if period == "custom" and start and end:
        start, end = min(start, end), max(start, end)
        return period, start, end + dt.timedelta(days=1)
    return "today", day, day + dt.timedelta(days=1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _units(store_ids) -> dict:
    """Count and built-up area per state, per building and in total (one query)."""
    rows = (
        Unit.objects.filter(store_id__in=store_ids)
        .values("project_id", "project__name", "building_id", "building__name", "building__order", "state")
        .annotate(n=Count("pk"), area=Sum("built_area"))
        .order_by("project__name", "building__order", "building__name")
    )
    states = list(Unit.State.choices)
    buildings: dict[int, dict] = {}
    totals = {code: {"count": 0, "area": ZERO} for code, _l in states}
    for row in rows:
        entry = buildings.setdefault(
            row["building_id"],
            {
                "id": row["building_id"],
                "project": row["project_id"],
                "name": f"{row['project__name']} · {row['building__name']}",
                "cells": {code: {"count": 0, "area": ZERO} for code, _l in states},
                "count": 0,
                "area": ZERO,
            },
        )
        cell = entry["cells"][row["state"]]
        cell["count"], cell["area"] = row["n"], row["area"] or ZERO
        entry["count"] += row["n"]
        entry["area"] += row["area"] or ZERO
        totals[row["state"]]["count"] += row["n"]
        totals[row["state"]]["area"] += row["area"] or ZERO
    for entry in buildings.values():
        entry["cells"] = [(code, entry["cells"][code]) for code, _l in states]
    return {
        "states": states,
        "buildings": list(buildings.values()),
        "totals": [(code, label, totals[code]) for code, label in states],
        "count": sum(t["count"] for t in totals.values()),
        "area": sum((t["area"] for t in totals.values()), ZERO),
    }


def _rules(store_ids) -> dict[int, list[AuthorityRule]]:
    """Per store, the realestate rules with a quota, a store's own rule replacing the general one
    for the same kind, step and role (as the approvals engine resolves them)."""
    rows = list(
        AuthorityRule.objects.filter(kind__startswith="realestate.", quota__isnull=False, is_active=True)
        .filter(Q(store_id__in=store_ids) | Q(store__isnull=True))
        .select_related("role")
        .order_by("kind", "step", "role__rank")
    )
    per_store: dict[int, list[AuthorityRule]] = {}
    for store_id in store_ids:
        chosen: dict[tuple, AuthorityRule] = {}
        for rule in rows:
            if rule.store_id not in (None, store_id):
                continue
            key = (rule.kind, rule.step, rule.role_id)
            if key not in chosen or (chosen[key].store_id is None and rule.store_id is not None):
                chosen[key] = rule
        per_store[store_id] = list(chosen.values())
    return per_store


def _quota(store_ids, projects: list[Project]) -> list[dict]:
    """Per project, per quota group of change kinds and per level: requests approved at that level
    (or at any level for the delayed-signing quota) against the project's population and the
    quota. Four queries."""
    if not projects:
        return []
    scopes = {f"project:{p.pk}": p for p in projects}
    decisions = (
        ApprovalDecision.objects.filter(
            decision=ApprovalDecision.Decision.APPROVED,
            request__state=ApprovalRequest.State.APPROVED,
            request__kind__startswith="realestate.",
            request__quota_scope__in=list(scopes),
            request__store_id__in=store_ids,
        )
        .values_list("request__kind", "request__quota_scope", "role_id", "request_id")
        .distinct()
    )
    by_level: dict[tuple, set] = defaultdict(set)
    by_group: dict[tuple, set] = defaultdict(set)
    for kind, scope, role_id, request_id in decisions:
        group = quota_group(kind)
        by_level[(group, scope, role_id)].add(request_id)
        by_group[(group, scope)].add(request_id)
    subscriptions = dict(
        Subscription.objects.filter(project__in=projects, state__in=POPULATION_STATES)
        .values_list("project_id")
        .annotate(n=Count("pk"))
    )
    units = dict(Unit.objects.filter(project__in=projects).values_list("project_id").annotate(n=Count("pk")))
    rules = _rules(sorted({p.store_id for p in projects}))
    floor = int(settings.SHOWROOM["QUOTA_FLOOR"])
    rows = []
    for project in projects:
        scope = f"project:{project.pk}"
        seen = set()
        for rule in rules.get(project.store_id, []):
            group = quota_group(rule.kind)
            if (group, rule.role_id) in seen:
                continue
            seen.add((group, rule.role_id))
            population = (units if rule.kind in UNIT_QUOTA_KINDS else subscriptions).get(project.pk, 0)
            counted_ids = (
                by_group[(group, scope)]
                if rule.quota_counts == AuthorityRule.QuotaCounts.ALL_LEVELS
                else by_level[(group, scope, rule.role_id)]
            )
            counted = len(counted_ids)
            # The engine divides by at least the quota floor, so a young project is not blocked
            # by its first request; the dashboard shows the share the engine will use.
            share = (Decimal(counted) * HUNDRED / Decimal(max(population, floor))).quantize(Decimal("0.1"))
            kinds = sorted(code for code in KINDS if quota_group(code) == group)
            rows.append(
                {
                    "project": project,
                    "group": group,
                    "kinds": kinds,
                    "label": " / ".join(str(kind_label(code)) for code in kinds),
                    "role": rule.role,
                    "all_levels": rule.quota_counts == AuthorityRule.QuotaCounts.ALL_LEVELS,
                    "counted": counted,
                    "population": population,
                    "share": share,
                    "quota": rule.quota,
                    "over": share > rule.quota,
                }
            )
    return rows


def dashboard_build(*, store_ids: list[int], start: dt.date, end: dt.date, now: dt.datetime | None = None) -> dict:
    """Every figure of the dashboard for the stores and the period [start, end)."""
    now = now or timezone.now()
    begin, finish = _aware(start), _aware(end)
    projects = list(Project.objects.filter(store_id__in=store_ids).order_by("name"))
    reviewed = (
        Subscription.objects.filter(store_id__in=store_ids, approved_at__gte=begin, approved_at__lt=finish)
        .exclude(state=Subscription.State.CANCELLED)
        .aggregate(n=Count("pk"), amount=Sum("total_price"))
    )
    signed = Contract.objects.filter(store_id__in=store_ids, signed_at__gte=begin, signed_at__lt=finish).aggregate(
        n=Count("pk"), amount=Sum("total_price")
    )
    collected = Receipt.objects.filter(store_id__in=store_ids, taken_at__gte=begin, taken_at__lt=finish).aggregate(
        n=Count("pk"), amount=Sum("amount")
    )
    waiting = list(
        ApprovalRequest.objects.filter(
            store_id__in=store_ids, kind__startswith="realestate.", state=ApprovalRequest.State.PENDING
        )
        .select_related("routed_role", "requester")
        .order_by("created_at", "pk")
    )
    for request in waiting:
        request.age_days = (now - request.created_at).days
        request.kind_label = kind_label(request.kind)
    overdue = Subscription.objects.filter(
        store_id__in=store_ids, state=Subscription.State.APPROVED, overdue_at__isnull=False
    ).count()
    lent = Custody.objects.filter(contract__store_id__in=store_ids, returned_at__isnull=True).count()
    return {
        "units": _units(store_ids),
        "subscriptions": {"count": reviewed["n"], "amount": reviewed["amount"] or ZERO},
        "contracts": {"count": signed["n"], "amount": signed["amount"] or ZERO},
        "collections": {"count": collected["n"], "amount": collected["amount"] or ZERO},
        "waiting": waiting,
        "quota": _quota(store_ids, projects),
        "overdue": overdue,
        "lent": lent,
    }


# --- the record lists the figures link to ---------------------------------------------------------


def dashboard_units(*, store_ids, building_id=None, state: str = ""):
    qs = Unit.objects.filter(store_id__in=store_ids).select_related("building", "project", "holder")
    if building_id:
        qs = qs.filter(building_id=building_id)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("project__name", "building__order", "building__name", "-floor", "number")


def dashboard_contracts(*, store_ids, start: dt.date, end: dt.date):
    return (
        Contract.objects.filter(store_id__in=store_ids, signed_at__gte=_aware(start), signed_at__lt=_aware(end))
        .select_related("subscription__unit__building", "subscription__customer", "project")
        .order_by("signed_at", "pk")
    )


def dashboard_receipts(*, store_ids, start: dt.date, end: dt.date):
    return (
        Receipt.objects.filter(store_id__in=store_ids, taken_at__gte=_aware(start), taken_at__lt=_aware(end))
        .select_related("customer", "project")
        .order_by("taken_at", "pk")
    )


def dashboard_lent(*, store_ids):
    return (
        Custody.objects.filter(contract__store_id__in=store_ids, returned_at__isnull=True)
        .select_related("contract__subscription__customer", "contract__subscription__unit__building", "taken_by")
        .order_by("taken_at", "pk")
    )


def dashboard_approved(*, store_ids, project_id: int, kinds: list[str], role_id: int | None):
    """The approved requests a quota figure counts (``role_id`` None: approved at any level)."""
    decisions = ApprovalDecision.objects.filter(
        decision=ApprovalDecision.Decision.APPROVED,
        request__state=ApprovalRequest.State.APPROVED,
        request__kind__in=kinds,
        request__quota_scope=f"project:{project_id}",
        request__store_id__in=store_ids,
    )
    if role_id:
        decisions = decisions.filter(role_id=role_id)
    return (
        ApprovalRequest.objects.filter(pk__in=decisions.values("request_id"))
        .select_related("requester")
        .order_by("-decided_at", "-pk")
    )
