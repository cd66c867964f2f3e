"""The front desk's entries in a customer's timeline (registered when imported)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Call, Customer, Visit
from showroom.selectors.frontdesk.common import user_label
from showroom.selectors.timeline import TimelineEntry, register_timeline_source
from showroom.validators import mask_mobile

# --- a customer's timeline ---------------------------------------------------------------------


@register_timeline_source
def frontdesk_source(target: models.Model, ct: ContentType) -> list[TimelineEntry]:
    """A customer's visits and calls at the front desk (no query for any other record)."""
    if not isinstance(target, Customer):
        return []
    entries: list[TimelineEntry] = []
    for visit in Visit.objects.filter(customer=target).select_related("consultant", "logged_by", "source"):
        detail = _("%(n)s people · %(purpose)s · %(source)s") % {
            "n": visit.party_size,
            "purpose": visit.get_purpose_display(),
            "source": visit.source.label,
        }
        if visit.consultant_id:
            detail += " · " + _("with %(name)s") % {"name": user_label(visit.consultant)}
        entries.append(
            TimelineEntry(
                at=visit.arrived_at,
                kind="visit",
                title=_("Visited the showroom") if not visit.first_visit else _("First visit to the showroom"),
                detail=detail,
                actor=user_label(visit.logged_by),
                url=reverse("frontdesk:board") + f"?day={timezone.localtime(visit.arrived_at).date():%Y-%m-%d}",
            )
        )
    for call in Call.objects.filter(customer=target).select_related("logged_by"):
        entries.append(
            TimelineEntry(
                at=call.at,
                kind="call",
                title=_("Called the front desk from %(number)s") % {"number": mask_mobile(call.number)},
                detail=call.question,
                actor=user_label(call.logged_by),
            )
        )
    return entries
