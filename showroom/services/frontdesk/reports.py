"""The daily and monthly front-desk reports: stored, then e-mailed once committed."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from showroom.models import FrontDeskReport, Store
from showroom.selectors.frontdesk import (
    frontdesk_day_counts,
    frontdesk_month_counts,
    previous_month,
    report_pdf_bytes,
    report_period_label,
    report_recipients,
)

logger = logging.getLogger("showroom.services.frontdesk")  # the name it had before the split


# --- reports -----------------------------------------------------------------------------------


def _store_report(*, store: Store, kind: str, day: dt.date, data: dict) -> FrontDeskReport:
    report, created = FrontDeskReport.objects.get_or_create(store=store, kind=kind, day=day, defaults={"data": data})
    if not created:
        report.data = data
        report.emailed_at = None
        report.save(update_fields=["data", "emailed_at", "updated_at"])
    transaction.on_commit(partial(frontdesk_report_email_send, report_id=report.pk))
    return report


def frontdesk_report_daily(*, store: Store, day: dt.date) -> FrontDeskReport:
    """The daily front-desk report (run by the beat at the store's closing time): the day's counts,
    stored, and e-mailed to the store's sales managers and marketing directors once committed."""
    return _store_report(
        store=store, kind=FrontDeskReport.Kind.DAILY, day=day, data=frontdesk_day_counts(store=store, day=day)
    )


def frontdesk_report_monthly(*, store: Store, day: dt.date) -> FrontDeskReport:
    """The monthly summary (run on the first day of a month): the previous month's counts."""
    first, _last = previous_month(day)
    return _store_report(
        store=store,
        kind=FrontDeskReport.Kind.MONTHLY,
        day=first,
        data=frontdesk_month_counts(store=store, day=first),
    )


def frontdesk_report_email_send(*, report_id: int) -> bool:
    """E-mail one stored report to the store's sales managers and marketing directors, once: the
    row is claimed before sending and released when sending fails. True when sent now."""
    now = timezone.now()
    if not FrontDeskReport.objects.filter(pk=report_id, emailed_at__isnull=True).update(emailed_at=now):
        return False
    report = FrontDeskReport.objects.select_related("store").get(pk=report_id)
    recipients = report_recipients(store=report.store)
    if not recipients:
        FrontDeskReport.objects.filter(pk=report_id).update(emailed_at=None)
        logger.info("front-desk report %s: the store has no sales manager or marketing director", report_id)
        return False
    with translation.override(django_settings.LANGUAGE_CODE):
        period = report_period_label(kind=report.kind, day=report.day)
        data = report.data
        subject = _("[%(app)s] Front-desk report %(period)s · %(store)s") % {
            "app": _("Showroom"),
            "period": period,
            "store": report.store.name,
        }
        body = "\n".join(
            [
                _("Visits: %(visits)s (first %(first)s, return %(return)s), %(people)s people")
                % {k: data.get(k, 0) for k in ("visits", "first", "return", "people")},
                _("Calls: %(calls)s, callbacks agreed: %(callbacks)s")
                % {k: data.get(k, 0) for k in ("calls", "callbacks")},
                "",
                _("The report with every breakdown is attached and on the reports page:"),
                _report_url(report),
            ]
        )
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=django_settings.DEFAULT_FROM_EMAIL,
        to=[u.email for u in recipients],
    )
    try:
        message.attach(
            f"frontdesk-{report.kind}-{report.day:%Y%m%d}.pdf",
            report_pdf_bytes(store=report.store, kind=report.kind, day=report.day, data=report.data),
            "application/pdf",
        )
    except Exception:
        logger.exception("front-desk report %s: the PDF could not be rendered; sent without it", report_id)
    try:
        message.send()
    except Exception:
        logger.exception("front-desk report %s: e-mail failed", report_id)
        FrontDeskReport.objects.filter(pk=report_id).update(emailed_at=None)
        return False
    return True


def _report_url(report: FrontDeskReport) -> str:
    base = getattr(django_settings, "SHOWROOM", {}).get("BASE_URL", "")
    if report.kind == FrontDeskReport.Kind.MONTHLY:
        query = f"?month={report.day:%Y-%m}"
    else:
        query = f"?day={report.day:%Y-%m-%d}"
    return f"{base}{reverse('frontdesk:reports')}{query}&store={report.store_id}"
