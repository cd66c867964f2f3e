"""The front desk's reference data (the default visit sources), and what the engine registers with
the core: the daily and monthly report jobs, the report sections and the demo seeder.

Imported when the models load (``showroom/models/frontdesk.py``) and by ``reference_engines``, so
the web server, the worker and ``manage.py`` all know them. Nothing here imports a model at
module level; the registered callables import the services when they run.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from showroom import demo_frontdesk  # noqa: F401  (registers the "frontdesk" demo seeder)
from showroom.reference import reference_step
from showroom.registry import (
    ReportSectionEntry,
    ScheduledJob,
    register_report_section,
    register_scheduled_job,
)

# (code, name, English name): the seed's "来店(电)客户登记表" sources; stores add or hide theirs.
DEFAULT_VISIT_SOURCES = [
    ("web", "网络", "Web"),
    ("referral", "朋友介绍", "Referral"),
    ("passing_by", "路过", "Passing by"),
    ("event", "车展/活动", "Car show / event"),
    ("advertising", "广告", "Advertising"),
    ("existing_customer", "老客户", "Existing customer"),
    ("other", "其他", "Other"),
]


@reference_step("visit_sources")
def ensure_visit_sources() -> None:
    """Create the default sources that are missing (one query when all exist); an edited or
    deactivated default is left as it is."""
    from showroom.models import VisitSource

    have = set(VisitSource.objects.filter(store__isnull=True).values_list("code", flat=True))
    missing = [
        VisitSource(store=None, code=code, name=name, name_en=name_en, order=(index + 1) * 10)
        for index, (code, name, name_en) in enumerate(DEFAULT_VISIT_SOURCES)
        if code not in have
    ]
    if missing:
        VisitSource.objects.bulk_create(missing, ignore_conflicts=True)


# --- scheduled jobs ----------------------------------------------------------------------------

DAILY_JOB = "frontdesk.daily_report"
MONTHLY_JOB = "frontdesk.monthly_report"


def _daily_report_job(*, store, day: dt.date) -> None:
    from showroom.services.frontdesk import frontdesk_report_daily

    frontdesk_report_daily(store=store, day=day)


def _monthly_report_job(*, store, day: dt.date) -> None:
    from showroom.services.frontdesk import frontdesk_report_monthly

    frontdesk_report_monthly(store=store, day=day)


def first_of_month(day: dt.date) -> bool:
    return day.day == 1


register_scheduled_job(
    ScheduledJob(
        code=DAILY_JOB,
        label=_("Front-desk daily report"),
        func=_daily_report_job,
        at="closing",
        store_kinds=("car",),
    )
)
register_scheduled_job(
    ScheduledJob(
        code=MONTHLY_JOB,
        label=_("Front-desk monthly summary"),
        func=_monthly_report_job,
        at="08:00",
        store_kinds=("car",),
        on_day=first_of_month,
    )
)


# --- report sections ---------------------------------------------------------------------------


def _traffic_section(*, store, day: dt.date) -> dict:
    from showroom.selectors.frontdesk import frontdesk_section_traffic

    return frontdesk_section_traffic(store=store, day=day)


def _roster_section(*, store, day: dt.date) -> dict:
    from showroom.selectors.roster import roster_section

    return roster_section(store=store, day=day)


register_report_section(
    ReportSectionEntry(
        code="frontdesk.traffic",
        title=_("Front desk: visits and calls"),
        template="showroom/frontdesk/_section_traffic.html",
        func=_traffic_section,
        order=10,
    )
)
register_report_section(
    ReportSectionEntry(
        code="frontdesk.roster",
        title=_("Duty roster: assignments and skips"),
        template="showroom/frontdesk/_section_roster.html",
        func=_roster_section,
        order=20,
    )
)
