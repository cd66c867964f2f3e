"""The monthly reminder: the housing-bureau data entry is due before the 27th (篇6: 每月27日前建委网数据录入)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.services.followups import notification_send


def bureau_entry_reminder_job(*, store, day: dt.date) -> None:
    users = (
        get_user_model()
        .objects.filter(
            memberships__store=store,
            memberships__role__code__in=[r.SALES_ASSISTANT, r.SALES_MANAGER],
            memberships__is_active=True,
        )
        .distinct()
    )
    for user in users:
        notification_send(
            user=user,
            key=f"realestate.bureau_entry.{store.pk}.{day:%Y-%m}",
            title=_("Housing-bureau data entry due before the 27th"),
            body=_("Enter this month's sales in the housing bureau's system before %(day)s.")
            % {"day": day.replace(day=27).isoformat()},
        )
