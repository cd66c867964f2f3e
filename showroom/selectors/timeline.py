"""A record's timeline: its transitions, approvals and (as the engines add theirs) follow-ups,
checklist runs and documents, in time order. Each engine adds one source; a source costs a fixed
number of queries whatever the record's history."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # transition, approval, decision, followup, checklist, document
    title: str
    detail: str = ""
    actor: str = ""
    state: str = ""
    url: str = ""
    extra: dict = field(default_factory=dict)


TimelineSource = Callable[[models.Model, ContentType], list[TimelineEntry]]
_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def _name(user) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


@register_timeline_source
def transitions_source(target: models.Model, ct: ContentType) -> list[TimelineEntry]:
    logs = StateLog.objects.filter(content_type=ct, object_id=target.pk).select_related("by").order_by("timestamp")
    field_choices = {}
    for f in target._meta.fields:
        if getattr(f, "choices", None) and f.name == "state":
            field_choices = dict(f.flatchoices)
    return [
        TimelineEntry(
            at=log.timestamp,
            kind="transition",
            title=str(field_choices.get(log.state, log.state)),
            detail=log.description or "",
            actor=_name(log.by),
            state=log.state,
            extra={
                "from": str(field_choices.get(log.source_state, log.source_state or "")),
                "transition": log.transition,
            },
        )
        for log in logs
    ]


@register_timeline_source
def approvals_source(target: models.Model, ct: ContentType) -> list[TimelineEntry]:
    from showroom.approval_kinds import kind_label
    from showroom.models import ApprovalRequest

    entries = []
    requests = (
        ApprovalRequest.objects.filter(content_type=ct, object_id=target.pk)
        .select_related("requester")
        .prefetch_related("decisions__decider", "decisions__role")
    )
    for req in requests:
        entries.append(
            TimelineEntry(
                at=req.created_at,
                kind="approval",
                title=_("Approval requested: %(kind)s") % {"kind": kind_label(req.kind)},
                detail=req.reason,
                actor=_name(req.requester),
                state=req.state,
            )
        )
        for decision in req.decisions.all():
            entries.append(
                TimelineEntry(
                    at=decision.decided_at,
                    kind="decision",
                    title=f"{kind_label(req.kind)}: {decision.get_decision_display()}",
                    detail=decision.note,
                    actor=f"{_name(decision.decider)} ({decision.role})",
                    state=decision.decision,
                )
            )
    return entries


def timeline_for(*, target: models.Model) -> list[TimelineEntry]:
    ct = ContentType.objects.get_for_model(target)
    entries: list[TimelineEntry] = []
    for source in _SOURCES:
        entries.extend(source(target, ct))
    return sorted(entries, key=lambda e: e.at)
