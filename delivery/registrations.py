"""What the delivery app registers with the core: the checklist guards, the follow-up plans, the
document types HF / TL / RT, the dashboard's funnel step, cards and audit scorers (article 1,
sections 7 and 8), the daily report section, the demo seeder and the menu.

The checklist templates ``delivery.pre_delivery`` (article 1, 7.1–7.6) and ``delivery.handover``
(7.7–7.30 by phase) are the core's reference data (``showroom/checklist_templates``); they are
reused here, never duplicated.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from showroom.registry import (
    AuditScorer,
    AuditVerdict,
    ChecklistGuard,
    DashboardMetricEntry,
    DocumentType,
    FollowUpPlan,
    FunnelStep,
    ReportSectionEntry,
    register_audit_scorer,
    register_checklist_guard,
    register_dashboard_metric,
    register_document_type,
    register_followup_plan,
    register_funnel_step,
    register_report_section,
)

DELIVERY = "delivery.delivery"
PRE_DELIVERY = "delivery.pre_delivery"
HANDOVER = "delivery.handover"


def _plans() -> None:
    from delivery.services import care, deliveries, repairs

    for code, label, hook in (
        (deliveries.PLAN_AGREE, _("Agree the handover time"), None),
        (deliveries.PLAN_DAY_BEFORE, _("Day before the handover"), None),
        (deliveries.PLAN_ON_THE_DAY, _("Handover day: arrival time"), None),
        (deliveries.PLAN_SAFE_ARRIVAL, _("Safe-arrival call"), None),
        (deliveries.PLAN_LETTER, _("Thank-you letter"), None),
        (care.PLAN_CARE, _("Owner care"), care.care_hook),
        (care.PLAN_QUESTION, _("Owner's question"), None),
        (care.PLAN_CARE_ESCALATED, _("Owner care missed"), None),
        (care.PLAN_REFERRAL_THANKS, _("Thanks for a referral"), None),
        (repairs.PLAN_TELL_CUSTOMER, _("Repair: tell the customer"), None),
        (repairs.PLAN_VENDOR_PROGRESS, _("Repair: vendor progress"), None),
    ):
        register_followup_plan(FollowUpPlan(code=code, label=label, hook=hook))


# --- dashboard -------------------------------------------------------------------------------


def _handed_over(*, store_ids, start, end) -> int:
    from delivery.selectors import handed_over_count

    return handed_over_count(store_ids=store_ids, start=start, end=end)


def _handed_over_url(*, store_ids, start, end) -> str:
    from showroom.selectors.dashboard_core import period_dates, query_url

    first, last = period_dates(start, end)
    return query_url("delivery:list", handed_from=first.isoformat(), handed_to=last.isoformat())


def _care_on_time(*, store_ids, start, end) -> int:
    from delivery.selectors import care_on_time_count

    return care_on_time_count(store_ids=store_ids, start=start, end=end)


def _breaches(*, store_ids, start, end) -> int:
    from delivery.selectors import repair_breaches_count

    return repair_breaches_count(store_ids=store_ids, start=start, end=end)


def _section(*, store, day) -> dict:
    from delivery.selectors import delivery_day_section

    return delivery_day_section(store=store, day=day)


# --- audit scorers: article 1, 7.1–7.30 from the delivery's checklists, 8.x from owner care ------------


def _audit_delivery(audit):
    from delivery.models import Delivery

    if not audit.customer_id:
        return None
    return (
        Delivery.objects.filter(store_id=audit.store_id, customer_id=audit.customer_id)
        .exclude(state=Delivery.State.CANCELLED)
        .order_by("-id")
        .first()
    )


def _checklist_scorer(template_code: str, order: int):
    def score(*, audit, settings) -> AuditVerdict | None:
        from showroom.models import ChecklistAnswer
        from showroom.selectors.checklists import checklist_answer_check

        delivery = _audit_delivery(audit)
        if delivery is None:
            return None
        answer = (
            ChecklistAnswer.objects.filter(
                run__content_type=ContentType.objects.get_for_model(delivery),
                run__object_id=delivery.pk,
                run__template__code=template_code,
                item__order=order,
            )
            .select_related("item")
            .order_by("-run__started_at")
            .first()
        )
        if answer is None:
            return AuditVerdict(passed=False, evidence=gettext("Not checked on the delivery's checklist."))
        passed, _why = checklist_answer_check(item=answer.item, answer=answer)
        return AuditVerdict(
            passed=passed,
            evidence=gettext("Delivery checklist: %(state)s")
            % {"state": gettext("confirmed") if passed else gettext("not confirmed")},
        )

    return score


def _care_scorer(field: str):
    def score(*, audit, settings) -> AuditVerdict | None:
        from delivery.models import CareCall

        delivery = _audit_delivery(audit)
        if delivery is None or delivery.state != "completed":
            return None
        calls = CareCall.objects.filter(delivery=delivery, reached=True)
        if not calls.exists():
            return AuditVerdict(passed=False, evidence=gettext("No care call has reached the owner yet."))
        passed = calls.exclude(**{field: ""}).exists() if field else True
        return AuditVerdict(passed=passed, evidence=gettext("From the recorded care calls."))

    return score


def _letter_sent(*, audit, settings) -> AuditVerdict | None:
    from showroom.models import Document

    delivery = _audit_delivery(audit)
    if delivery is None or delivery.state != "completed":
        return None
    passed = Document.objects.filter(
        doc_type="TL", content_type=ContentType.objects.get_for_model(delivery), object_id=delivery.pk
    ).exists()
    return AuditVerdict(passed=passed, evidence=gettext("Thank-you letter issued.") if passed else "")


def _audit_scorers() -> None:
    for n in range(1, 7):
        register_audit_scorer(AuditScorer(f"7.{n}", _("Delivery checklist"), _checklist_scorer(PRE_DELIVERY, n)))
    for n in range(7, 31):
        register_audit_scorer(AuditScorer(f"7.{n}", _("Delivery checklist"), _checklist_scorer(HANDOVER, n - 6)))
    register_audit_scorer(AuditScorer("8.1", _("Care calls: how the car is used"), _care_scorer("usage")))
    register_audit_scorer(AuditScorer("8.2", _("Care calls: connected services"), _care_scorer("connected_services")))
    register_audit_scorer(AuditScorer("8.3", _("Care calls: suggestions recorded"), _care_scorer("suggestions")))
    register_audit_scorer(AuditScorer("8.9", _("Care calls recorded"), _care_scorer("")))
    register_audit_scorer(AuditScorer("8.10", _("Care by phone"), _care_scorer("")))
    register_audit_scorer(AuditScorer("8.12", _("Thank-you letter"), _letter_sent))


def register() -> None:
    from delivery import documents

    _plans()
    register_checklist_guard(ChecklistGuard(model=DELIVERY, transition="prepare", checklist_code=PRE_DELIVERY))
    register_checklist_guard(
        ChecklistGuard(model=DELIVERY, transition="hand_over", checklist_code=HANDOVER, phase="before")
    )
    register_checklist_guard(
        ChecklistGuard(model=DELIVERY, transition="hand_over", checklist_code=HANDOVER, phase="at")
    )
    for code, prefix, label, template, context in (
        ("HF", "HF", _("Handover form"), "delivery/handover.html", documents.handover_context),
        ("TL", "TL", _("Thank-you letter"), "delivery/thank_you.html", documents.thank_you_context),
        ("RT", "RT", _("Repair intake"), "delivery/intake.html", documents.intake_context),
    ):
        register_document_type(DocumentType(code=code, prefix=prefix, label=label, template=template, context=context))
    register_funnel_step(
        FunnelStep(
            code="delivery.deliveries",
            label=_("Deliveries"),
            order=60,
            count=_handed_over,
            list_url=_handed_over_url,
            daily=True,
        )
    )
    for code, label, func, url, order in (
        ("delivery.handed_over", _("Cars handed over"), _handed_over, "delivery:list", 60),
        ("delivery.care_on_time", _("Care calls on time"), _care_on_time, "delivery:care", 61),
        ("delivery.repair_breaches", _("Repairs past 7 days"), _breaches, "delivery:repairs", 62),
    ):
        register_dashboard_metric(
            DashboardMetricEntry(
                code=code,
                label=label,
                func=func,
                list_url_name=url,
                order=order,
                # repairs are the counter shop's desk as much as the dealership's
                store_kinds=("car", "counter") if url == "delivery:repairs" else ("car",),
            )
        )
    register_report_section(
        ReportSectionEntry(
            code="delivery.day",
            title=_("Deliveries and after-sales"),
            template="delivery/_report_section.html",
            func=_section,
            order=50,
        )
    )
    _audit_scorers()
