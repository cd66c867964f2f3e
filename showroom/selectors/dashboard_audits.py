"""Reads of the process audits: a store's audits, one audit with its items by section, and the
monthly scores per consultant and per section with their trend. Also the dashboard's per-consultant
"audit score" column."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext_lazy

from showroom.checklist_templates.article_1 import ARTICLE_1_SECTIONS
from showroom.models import AuditAnswer, ChecklistRun, ProcessAudit
from showroom.permissions import store_ids_for
from showroom.registry import ConsultantFigure, register_consultant_figure, staff_score_sources
from showroom.selectors.dashboard import DASHBOARD_ROLES, percent
from showroom.selectors.dashboard_core import query_url
from showroom.selectors.frontdesk.common import day_bounds

GROOMING_TEMPLATES = ("staff.grooming",)


def audit_list(*, user, store_id: int, consultant_id: int | None = None, month: dt.date | None = None) -> QuerySet:
    qs = ProcessAudit.objects.filter(store_id=store_id, store_id__in=store_ids_for(user, DASHBOARD_ROLES))
    if consultant_id:
        qs = qs.filter(consultant_id=consultant_id)
    if month:
        first, last = _month_bounds(month)
        qs = qs.filter(interaction_at__gte=first, interaction_at__lt=last)
    return qs.select_related("consultant", "auditor", "customer").order_by("-interaction_at", "-id")


def audit_get(*, user, pk) -> ProcessAudit:
    try:
        return ProcessAudit.objects.select_related("consultant", "auditor", "customer", "visit", "store").get(
            pk=int(pk), store_id__in=store_ids_for(user, DASHBOARD_ROLES)
        )
    except (ProcessAudit.DoesNotExist, TypeError, ValueError, OverflowError) as exc:
        raise Http404 from exc


def audit_sections(*, audit: ProcessAudit) -> list[dict]:
    """The audit's items grouped by section, with each section's score (one query)."""
    sections: dict[int, dict] = {}
    for answer in audit.answers.select_related("item").order_by("item__order"):
        section = sections.setdefault(
            answer.section,
            {"number": answer.section, "title": answer.item.section_label, "answers": [], "score": 0, "max": 0},
        )
        section["answers"].append(answer)
        if answer.result and answer.result != AuditAnswer.Result.NOT_APPLICABLE:
            section["score"] += answer.points
            section["max"] += answer.max_points
    for section in sections.values():
        section["percent"] = percent(section["score"], section["max"])
    return [sections[k] for k in sorted(sections)]


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return day_bounds(first)[0], day_bounds(following)[0]


def _months(last: dt.date, count: int) -> list[dt.date]:
    months = []
    current = last.replace(day=1)
    for _i in range(count):
        months.append(current)
        current = (current - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def audit_monthly(*, store_ids: list[int], month: dt.date, months: int = 6) -> dict:
    """Completed audits' scores (percent of the points of applicable items) per consultant and per
    section for ``month`` and the ``months - 1`` before it (the trend), and the grooming self-check
    scores in the same months. Three queries."""
    shown = _months(month, months)
    start, end = _month_bounds(shown[0])[0], _month_bounds(shown[-1])[1]
    done = Q(audit__state=ProcessAudit.State.DONE, audit__store_id__in=store_ids)
    done &= Q(audit__interaction_at__gte=start, audit__interaction_at__lt=end)
    done &= ~Q(result=AuditAnswer.Result.NOT_APPLICABLE) & ~Q(result="")
    rows = (
        AuditAnswer.objects.filter(done)
        .annotate(m=TruncMonth("audit__interaction_at"))
        .values(
            "m",
            "section",
            "audit__consultant_id",
            "audit__consultant__first_name",
            "audit__consultant__last_name",
            "audit__consultant__username",
        )
        .annotate(points=Sum("points"), max=Sum("max_points"), audits=Count("audit_id", distinct=True))
    )
    people: dict[int, dict] = {}
    sections: dict[int, dict] = {
        n: {"number": n, "title": title, "months": defaultdict(lambda: [Decimal(0), Decimal(0)])}
        for n, (title, _en) in ARTICLE_1_SECTIONS.items()
    }
    for row in rows:
        m = row["m"].date() if isinstance(row["m"], dt.datetime) else row["m"]
        pid = row["audit__consultant_id"]
        name = f"{row['audit__consultant__first_name']} {row['audit__consultant__last_name']}".strip()
        person = people.setdefault(
            pid,
            {"id": pid, "name": name or row["audit__consultant__username"], "months": defaultdict(lambda: [0, 0])},
        )
        person["months"][m][0] += row["points"]
        person["months"][m][1] += row["max"]
        sections[row["section"]]["months"][m][0] += row["points"]
        sections[row["section"]]["months"][m][1] += row["max"]
    audits_per_month = dict(
        ProcessAudit.objects.filter(
            state=ProcessAudit.State.DONE, store_id__in=store_ids, interaction_at__gte=start, interaction_at__lt=end
        )
        .annotate(m=TruncMonth("interaction_at"))
        .values("m")
        .annotate(n=Count("id"))
        .values_list("m", "n")
    )
    grooming = _grooming(store_ids=store_ids, start=start, end=end)

    def series(months_data) -> list:
        return [percent(*months_data[m]) if m in months_data else None for m in shown]

    return {
        "months": shown,
        "month": shown[-1],
        "audits": [audits_per_month.get(_as_key(m, audits_per_month), 0) for m in shown],
        "consultants": sorted(
            ({"id": p["id"], "name": p["name"], "scores": series(p["months"])} for p in people.values()),
            key=lambda p: p["name"],
        ),
        "sections": [
            {"number": s["number"], "title": _section_title(s["number"]), "scores": series(s["months"])}
            for s in sections.values()
        ],
        "grooming": grooming,
    }


def _as_key(month: dt.date, data: dict):
    for key in data:
        if (key.date() if isinstance(key, dt.datetime) else key) == month:
            return key
    return month


def _section_title(number: int) -> str:
    from django.utils.translation import get_language

    title, title_en = ARTICLE_1_SECTIONS[number]
    return title_en if (get_language() or "").startswith("en") else title


def _grooming(*, store_ids, start, end) -> list[dict]:
    """The grooming self-check scores of the counter staff, by person and month (one query)."""
    rows = (
        ChecklistRun.objects.filter(
            store_id__in=store_ids,
            template__code__in=GROOMING_TEMPLATES,
            completed_at__isnull=False,
            score__isnull=False,
            started_at__gte=start,
            started_at__lt=end,
        )
        .annotate(m=TruncMonth("started_at"))
        .values("m", "started_by_id", "started_by__first_name", "started_by__last_name", "started_by__username")
        .annotate(total=Sum("score"), n=Count("id"))
        .order_by("started_by__username", "m")
    )
    people: dict[int, dict] = {}
    for row in rows:
        name = f"{row['started_by__first_name']} {row['started_by__last_name']}".strip()
        person = people.setdefault(row["started_by_id"], {"name": name or row["started_by__username"], "months": {}})
        m = row["m"].date() if isinstance(row["m"], dt.datetime) else row["m"]
        person["months"][m] = (row["total"] / row["n"]).quantize(Decimal("0.1"))
    found = list(people.values())
    for source in staff_score_sources():  # e.g. the jewellery counter's daily grooming checks
        found += source.rows(store_ids=store_ids, start=start, end=end)
    return sorted(found, key=lambda p: p["name"])


# --- the dashboard's column ---------------------------------------------------------------------


def _audit_values(*, store_ids, start, end) -> dict[int, Decimal]:
    rows = (
        ProcessAudit.objects.filter(
            store_id__in=store_ids, state=ProcessAudit.State.DONE, interaction_at__gte=start, interaction_at__lt=end
        )
        .values("consultant_id")
        .annotate(points=Sum("score"), max=Sum("max_score"))
    )
    return {row["consultant_id"]: percent(row["points"], row["max"]) for row in rows}


def _audit_url(*, store_ids, start, end, consultant_id) -> str:
    from django.utils import timezone

    return query_url("dashboard:audits", consultant=consultant_id, month=timezone.localtime(start).strftime("%Y-%m"))


register_consultant_figure(
    ConsultantFigure(
        code="core.audit_score",
        label=gettext_lazy("Audit score (%)"),
        order=90,
        values=_audit_values,
        list_url=_audit_url,
        average=True,
    )
)
