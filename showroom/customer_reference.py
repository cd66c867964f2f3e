"""What customer identity registers with the core: the ownership-transfer approval kinds and
their handler, and the nightly job that returns lapsed customers to the pool.

Imported by ``reference_engines`` and by the customer models module, like the front desk's. The
registered callables import the services when they run.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from showroom.registry import ApprovalKind, ScheduledJob, register_approval_kind, register_scheduled_job

LAPSE_JOB = "customers.ownership_lapse"


def _transfer_approved(*, request) -> None:
    from showroom.services.ownership import customer_transfer_approved

    customer_transfer_approved(request=request)


def _lapse_job(*, store, day: dt.date) -> None:
    from showroom.services.ownership import customers_ownership_lapse_job

    customers_ownership_lapse_job(store=store, day=day)


for _code, _label in (
    ("customers.ownership_transfer", _("Customer ownership transfer")),
    ("customers.ownership_transfer_property", _("Customer ownership transfer (property)")),
):
    register_approval_kind(ApprovalKind(code=_code, label=_label, unit="none", handler=_transfer_approved))

register_scheduled_job(
    ScheduledJob(
        code=LAPSE_JOB,
        label=_("Customers whose protection lapsed return to the pool"),
        func=_lapse_job,
        at="01:00",
    )
)
