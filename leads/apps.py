from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("Leads")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Everything the leads app brings to the core, registered once here.
        from leads import (  # noqa: F401  (seeder, menu entries)
            demo,
            demo_campaigns,
            navigation,
            receivers,
            reference,
            selectors,
        )
        from leads.services import (
            LOST_KIND,
            LOST_KIND_LABEL,
            leads_dormant_job,
            leads_unrecorded_contacts_notify,
            lost_lead_approved,
            lost_lead_rejected,
            register_grade_plans,
        )
        from showroom.registry import (
            ApprovalKind,
            ScheduledJob,
            register_approval_kind,
            register_scheduled_job,
        )

        register_approval_kind(
            ApprovalKind(
                code=LOST_KIND,
                label=LOST_KIND_LABEL,
                unit="none",
                handler=lost_lead_approved,
                on_rejected=lost_lead_rejected,
            )
        )
        register_grade_plans()
        register_scheduled_job(
            ScheduledJob(
                code="leads.unrecorded_contacts",
                label=_("Leads touched today without a recorded contact"),
                func=leads_unrecorded_contacts_notify,
                at="closing",
                store_kinds=("car",),
            )
        )
        register_scheduled_job(
            ScheduledJob(
                code="leads.dormant",
                label=_("Leads without contact go dormant"),
                func=leads_dormant_job,
                at="01:00",
                store_kinds=("car",),
            )
        )
        receivers.connect()
        from leads.services.merge import leads_customer_merge
        from showroom.registry import register_customer_merge_hook

        register_customer_merge_hook("leads", leads_customer_merge)
        from leads import (  # noqa: F401  (seeder, purchase-tax rules)
            demo_sales,
            reference_sales,
            search,
        )
        from leads.registrations_sales import register as register_sales

        register_sales()
        from leads.dashboard import register as register_dashboard
        from leads.dashboard_sales import register as register_sales_dashboard

        register_dashboard()
        register_sales_dashboard()
