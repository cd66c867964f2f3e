"""The PDF contexts of the delivery app's document types: the handover acceptance form (HF), the
owner's thank-you letter (TL) and the repair intake receipt (RT)."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext

from showroom.models import ChecklistAnswer, ChecklistRun, Membership
from showroom.pdf import pdf_language
from showroom.roles import GENERAL_MANAGER

PRE_DELIVERY = "delivery.pre_delivery"
HANDOVER = "delivery.handover"


def in_document_language(func):
    """Build the context in the documents' language (labels and checklist items print in Chinese)."""

    def wrapper(*, target) -> dict:
        with translation.override(pdf_language()):
            return func(target=target)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _answer_text(answer: ChecklistAnswer) -> str:
    item = answer.item
    if item.kind == "tick":
        return "✓" if answer.ticked else "✗"
    if item.kind == "number":
        return f"{answer.number.normalize():f}" if answer.number is not None else ""
    if item.kind == "choice":
        for choice in item.choices or []:
            if choice.get("value") == answer.choice:
                return choice.get("label") or answer.choice
        return answer.choice
    return gettext("signed") if answer.file else ""


def delivery_checked_items(*, delivery) -> list[tuple[str, str, str]]:
    """(checklist, item, answer) of the delivery's latest run of each delivery checklist (two
    queries)."""
    ct = ContentType.objects.get_for_model(delivery)
    runs = {}
    for run in (
        ChecklistRun.objects.filter(content_type=ct, object_id=delivery.pk, template__code__in=(PRE_DELIVERY, HANDOVER))
        .select_related("template")
        .order_by("started_at", "id")
    ):
        runs[run.template.code] = run
    answers = (
        ChecklistAnswer.objects.filter(run__in=list(runs.values()))
        .select_related("item", "run__template")
        .order_by("run__template__code", "item__order")
    )
    order = {PRE_DELIVERY: 0, HANDOVER: 1}
    rows = sorted(answers, key=lambda a: (order[a.run.template.code], a.item.order))
    return [(a.run.template.label, f"{a.item.order}. {a.item.label}", _answer_text(a)) for a in rows]


@in_document_language
def handover_context(*, target) -> dict:
    delivery = target
    order = delivery.order
    fields = [
        (gettext("Customer"), delivery.customer.name),
        (gettext("Car"), delivery.vehicle_label),
        (gettext("VIN"), delivery.vin),
        (gettext("Order"), str(order)),
        (gettext("Handed over at"), _when(delivery.handed_over_at)),
        (gettext("Consultant"), delivery.consultant.get_full_name() or delivery.consultant.get_username()),
        (
            gettext("First service"),
            f"{delivery.first_service_date or ''} · {delivery.first_service_km or ''} km",
        ),
        (gettext("Owner survey"), f"{delivery.satisfaction or '—'}/5 {delivery.survey_note}".strip()),
        (gettext("Signed by the customer"), delivery.signed_name),
    ]
    return {
        "fields": fields,
        "columns": [gettext("Checklist"), gettext("Item"), gettext("Confirmed")],
        "rows": delivery_checked_items(delivery=delivery),
        "notes": gettext(
            "The customer confirms that each item above was explained and checked with him, and accepts the car."
        ),
        "signatures": [gettext("Customer"), gettext("Consultant")],
    }


def general_manager_name(*, store_id: int) -> str:
    membership = (
        Membership.objects.filter(store_id=store_id, role__code=GENERAL_MANAGER, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if membership is None:
        return gettext("General manager")
    return membership.user.get_full_name() or membership.user.get_username()


@in_document_language
def thank_you_context(*, target) -> dict:
    delivery = target
    return {
        "delivery": delivery,
        "customer_name": delivery.customer.name,
        "car": delivery.vehicle_label,
        "vin": delivery.vin,
        "handed_over": timezone.localtime(delivery.handed_over_at).date() if delivery.handed_over_at else None,
        "first_service_date": delivery.first_service_date,
        "first_service_km": delivery.first_service_km,
        "consultant": delivery.consultant.get_full_name() or delivery.consultant.get_username(),
        "gm_name": general_manager_name(store_id=delivery.store_id),
        "store": delivery.store,
    }


@in_document_language
def intake_context(*, target) -> dict:
    ticket = target
    if ticket.in_warranty:
        warranty = gettext("In warranty (sold %(day)s, %(months)s months): the repair is free") % {
            "day": ticket.sale_date,
            "months": ticket.warranty_months,
        }
    else:
        warranty = gettext("Out of warranty: the repair is charged; we quote after the vendor's check")
    return {
        "fields": [
            (gettext("Customer"), ticket.customer.name),
            (gettext("Contact"), ticket.contact),
            (gettext("Product"), f"{ticket.product} · {ticket.model}"),
            (gettext("Serial number"), ticket.serial),
            (gettext("Accessories handed in"), ticket.accessories or "—"),
            (gettext("Visible defects"), ticket.defects or "—"),
            (gettext("Fault as described"), ticket.fault),
            (gettext("Sold by us"), ticket.get_sale_source_display()),
            (gettext("Warranty"), warranty),
            (gettext("Received at"), _when(ticket.created_at)),
        ],
        "notes": gettext("Bring this receipt to collect the product. We call you with the deadline and the cost."),
        "signatures": [gettext("Customer"), gettext("Received by")],
    }
