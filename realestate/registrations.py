"""Everything the real-estate app registers with the core, called from ``AppConfig.ready()``."""

import calendar

from django.utils.translation import gettext_lazy as _

from showroom import roles as r
from showroom.approval_kinds import KINDS, QUOTA_GROUPS
from showroom.navigation import MenuEntry, register_menu_entry
from showroom.registry import (
    ApprovalKind,
    ChecklistGuard,
    DashboardMetricEntry,
    FollowUpPlan,
    ScheduledJob,
    register_approval_kind,
    register_checklist_guard,
    register_dashboard_metric,
    register_followup_plan,
    register_scheduled_job,
)

PROPERTY = ("property",)
# Quotas of the seed: rename 30 % and extra discounts 15/30 % of the project's subscriptions; the
# delayed signing 15 % of the project's units (篇7 6.2.4, 7.2.2, 11.2.3).
UNIT_QUOTA_KINDS = {"realestate.delay_keep_discount", "realestate.delay_lose_discount"}


def _project_id(request) -> int | None:
    scope = request.quota_scope or ""
    if scope.startswith("project:"):
        try:
            return int(scope.split(":", 1)[1])
        except ValueError:
            return None
    return None


def subscriptions_counter(*, request) -> int:
    from realestate.models import Subscription
    from realestate.models.sales import LIVE_SUBSCRIPTION_STATES

    project_id = _project_id(request)
    if project_id is None:
        return 0
    states = [*LIVE_SUBSCRIPTION_STATES, Subscription.State.CONTRACTED]
    return Subscription.objects.filter(project_id=project_id, state__in=states).count()


def units_counter(*, request) -> int:
    from realestate.models import Unit

    project_id = _project_id(request)
    return Unit.objects.filter(project_id=project_id).count() if project_id else 0


def _price_approved(*, request) -> None:
    """One kind for price lists and the agreement/contract texts; each handler ignores the other's
    targets."""
    from realestate.services.agreements import agreement_change_approved
    from realestate.services.projects import price_change_approved

    price_change_approved(request=request)
    agreement_change_approved(request=request)


def _price_rejected(*, request) -> None:
    from realestate.services.agreements import agreement_change_rejected
    from realestate.services.projects import price_change_rejected

    price_change_rejected(request=request)
    agreement_change_rejected(request=request)


def _change_approved(*, request) -> None:
    from realestate.services.changes import change_approved

    change_approved(request=request)


def _change_rejected(*, request) -> None:
    from realestate.services.changes import change_rejected

    change_rejected(request=request)


def _signing(*, store, day) -> None:
    from realestate.services import signing_deadlines_job

    signing_deadlines_job(store=store, day=day)


def _custody(*, store, day) -> None:
    from realestate.services import custody_overdue_job

    custody_overdue_job(store=store, day=day)


def _small_deposits(*, store, day) -> None:
    from realestate.services import small_deposit_lapse_job

    small_deposit_lapse_job(store=store, day=day)


def _callers(*, store, day) -> None:
    from realestate.services.visitors import callers_assign_job

    callers_assign_job(store=store, day=day)


def _grade_hook(*, followup, event) -> None:
    from realestate.services.visitors import grade_followup_hook

    grade_followup_hook(followup=followup, event=event)


def _bureau_entry(*, store, day) -> None:
    from realestate.services.reminders import bureau_entry_reminder_job

    bureau_entry_reminder_job(store=store, day=day)


def _before_27th(day) -> bool:
    """The housing-bureau data entry is due before the 27th: remind on the 20th (or the month's
    last working day before, for short months this is always inside the month)."""
    return day.day == min(20, calendar.monthrange(day.year, day.month)[1])


def _metric(name):
    def func(*, store_ids, start, end):
        from realestate import selectors

        return getattr(selectors, name)(store_ids=store_ids, start=start, end=end)

    return func


def register() -> None:
    from realestate.documents import register as register_documents

    for code, (label, unit) in KINDS.items():
        if not code.startswith("realestate."):
            continue
        counter = units_counter if code in UNIT_QUOTA_KINDS else subscriptions_counter
        is_price = code == "realestate.price_change"
        register_approval_kind(
            ApprovalKind(
                code=code,
                label=label,
                unit=unit,
                handler=_price_approved if is_price else _change_approved,
                on_rejected=_price_rejected if is_price else _change_rejected,
                quota_counter=counter,
                quota_group=QUOTA_GROUPS.get(code, ""),
            )
        )
    register_checklist_guard(
        ChecklistGuard(model="realestate.project", transition="open", checklist_code="realestate.public_notice")
    )
    register_checklist_guard(
        ChecklistGuard(model="realestate.contract", transition="sign", checklist_code="realestate.contract_documents")
    )
    register_documents()
    for grade, label in (
        ("A", _("Property customer grade A")),
        ("B", _("Property customer grade B")),
        ("C", _("Property customer grade C")),
        ("D", _("Property customer grade D")),
    ):
        register_followup_plan(FollowUpPlan(code=f"realestate.grade.{grade}", label=label, hook=_grade_hook))
    register_followup_plan(FollowUpPlan(code="realestate.caller", label=_("Call back a caller who did not visit")))
    register_followup_plan(FollowUpPlan(code="realestate.signing", label=_("Formal contract due")))
    register_scheduled_job(
        ScheduledJob(
            code="realestate.signing_deadlines",
            label=_("Subscriptions: contract reminder (day 5) and overdue (day 8)"),
            func=_signing,
            at="09:00",
            store_kinds=PROPERTY,
        )
    )
    register_scheduled_job(
        ScheduledJob(
            code="realestate.custody",
            label=_("Buyer's ID card and seal not back after 3 days"),
            func=_custody,
            at="09:00",
            store_kinds=PROPERTY,
        )
    )
    register_scheduled_job(
        ScheduledJob(
            code="realestate.callers",
            label=_("Yesterday's callers who did not visit, to the sales supervisors"),
            func=_callers,
            at="08:30",
            store_kinds=PROPERTY,
        )
    )
    register_scheduled_job(
        ScheduledJob(
            code="realestate.small_deposits",
            label=_("Small deposits past their days: the unit is available again"),
            func=_small_deposits,
            at="00:30",
            store_kinds=PROPERTY,
        )
    )
    register_scheduled_job(
        ScheduledJob(
            code="realestate.bureau_entry",
            label=_("Housing-bureau data entry due before the 27th"),
            func=_bureau_entry,
            at="09:00",
            store_kinds=PROPERTY,
            on_day=_before_27th,
        )
    )
    for code, label, name, url, order in (
        (
            "realestate.subscriptions",
            _("Subscriptions reviewed"),
            "metric_subscriptions",
            "realestate:subscriptions",
            60,
        ),
        ("realestate.contracts", _("Contracts signed"), "metric_contracts", "realestate:subscriptions", 61),
        ("realestate.collections", _("Collections (¥)"), "metric_collections", "realestate:cashier", 62),
        ("realestate.available", _("Units available now"), "metric_units_available", "realestate:projects", 59),
        ("realestate.overdue", _("Subscriptions overdue for signing"), "metric_overdue", "realestate:report", 63),
        ("realestate.lent", _("Lent ID cards and seals not back"), "metric_lent", "realestate:report", 64),
    ):
        register_dashboard_metric(
            DashboardMetricEntry(
                code=code, label=label, func=_metric(name), list_url_name=url, order=order, store_kinds=("property",)
            )
        )
    sellers = frozenset(
        {
            r.CONSULTANT,
            r.SALES_ASSISTANT,
            r.SALES_MANAGER,
            r.CASHIER,
            r.MARKETING_DIRECTOR,
            r.GENERAL_MANAGER,
            r.RECEPTIONIST,
            r.SALES_SUPERVISOR,
        }
    )
    for entry in (
        MenuEntry("realestate", _("Sales-control grid"), "realestate:projects", sellers, 10),
        MenuEntry("realestate", _("Subscriptions"), "realestate:subscriptions", sellers, 20),
        MenuEntry("realestate", _("Change requests"), "realestate:changes", sellers | {r.FINANCE}, 25),
        MenuEntry(
            "realestate", _("Cashier"), "realestate:cashier", frozenset({r.CASHIER, r.FINANCE, r.SALES_MANAGER}), 30
        ),
        MenuEntry(
            "realestate",
            _("Visitors"),
            "realestate:visitors",
            frozenset({r.CONSULTANT, r.SALES_SUPERVISOR, r.SALES_MANAGER}),
            15,
        ),
        MenuEntry(
            "realestate",
            _("Sales report"),
            "realestate:report",
            frozenset({r.SALES_MANAGER, r.SALES_SUPERVISOR, r.MARKETING_DIRECTOR, r.GENERAL_MANAGER, r.FINANCE}),
            40,
        ),
        MenuEntry(
            "realestate",
            _("Real-estate dashboard"),
            "realestate:dashboard",
            frozenset({r.SALES_MANAGER, r.MARKETING_DIRECTOR, r.GENERAL_MANAGER}),
            5,
        ),
        MenuEntry("realestate", _("New project"), "realestate:project_new", frozenset({r.SALES_MANAGER}), 50),
    ):
        register_menu_entry(entry)
