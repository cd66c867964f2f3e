"""The real-estate documents: VIP card (numbered per project, no year), payment slip (PS),
subscription agreement (SA), sales contract (SC, five copies) and receipt (RC). They print on the
core's generic slip; every payment document prints the fund-supervision account."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from showroom.money import format_cny
from showroom.registry import DocumentType, register_document_type


def _unit_text(unit) -> str:
    return gettext("%(building)s, floor %(floor)s, unit %(number)s · %(layout)s · %(area)s m²") % {
        "building": unit.building.name,
        "floor": unit.floor,
        "number": unit.number,
        "layout": unit.layout,
        "area": unit.built_area,
    }


def _fund(project) -> str:
    return f"{project.fund_bank} · {project.fund_account_name} · {project.fund_account_no}"


def _clauses(template) -> dict:
    """The clauses of the agreement or contract text version the record was made under."""
    if template is None:
        return {}
    return {
        "clauses": template.clauses,
        "clauses_title": template.title,
        "clauses_version": template.version,
        "clauses_from": template.effective_from.isoformat(),
    }


def vip_context(*, target) -> dict:
    return {
        "fields": [
            (gettext("VIP number"), target.number),
            (gettext("Project"), target.project.name),
            (gettext("Buyer"), target.customer.name),
            (gettext("Amount"), format_cny(target.amount)),
            (gettext("Pre-registration agreement"), target.agreement_no),
        ],
        "notes": gettext("The VIP number sets the order in which buyers choose at the opening."),
    }


def slip_context(*, target) -> dict:
    sub = target
    return {
        "fields": [
            (gettext("Buyer"), sub.customer.name),
            (gettext("Unit"), _unit_text(sub.unit)),
            (gettext("Price"), format_cny(sub.total_price)),
            (gettext("Deposit to pay"), format_cny(sub.deposit)),
            (gettext("Pay into the fund-supervision account"), _fund(sub.project)),
        ],
        "signatures": [gettext("Sales assistant"), gettext("Cashier")],
    }


def agreement_context(*, target) -> dict:
    sub = target
    return {
        "fields": [
            (gettext("Buyer"), sub.customer.name),
            (gettext("Project"), sub.project.name),
            (gettext("Unit"), _unit_text(sub.unit)),
            (gettext("List price per m²"), format_cny(sub.list_price_per_m2)),
            (gettext("List total"), format_cny(sub.list_total)),
            (gettext("Payment method"), sub.get_payment_method_display()),
            (gettext("Payment-method discount"), f"{sub.method_discount_pct}%"),
            (gettext("Price"), format_cny(sub.total_price)),
            (gettext("Deposit"), format_cny(sub.deposit)),
            (gettext("Formal contract due by"), sub.sign_due_on.isoformat() if sub.sign_due_on else ""),
            (gettext("Price list version"), sub.price_list.version),
            (gettext("Fund-supervision account"), _fund(sub.project)),
        ],
        "notes": gettext("The buyer signs the formal contract at the sales office within %(days)s days.")
        % {"days": sub.project.sign_within_days},
        "signatures": [gettext("Buyer"), gettext("Consultant"), gettext("Sales manager")],
        **_clauses(sub.agreement_template),
    }


def contract_context(*, target) -> dict:
    contract = target
    sub = contract.subscription
    rows = [
        [line.get_kind_display(), line.due_on.isoformat(), format_cny(line.amount)]
        for line in contract.payment_lines.all()
    ]
    return {
        "fields": [
            (gettext("Buyer"), sub.customer.name),
            (gettext("Project"), contract.project.name),
            (gettext("Unit"), _unit_text(sub.unit)),
            (gettext("Price"), format_cny(contract.total_price)),
            (gettext("Deed tax"), format_cny(contract.deed_tax)),
            (gettext("Maintenance fund"), format_cny(contract.maintenance_fund)),
            (gettext("Registration fee"), format_cny(contract.registration_fee)),
            (gettext("Lending bank"), contract.loan_bank),
            (gettext("Fund-supervision account"), _fund(contract.project)),
        ],
        "columns": [gettext("Payment schedule"), gettext("Due on"), gettext("Amount")],
        "rows": rows,
        "numeric_columns": [2],
        "signatures": [gettext("Buyer"), gettext("Sales manager"), gettext("Cashier")],
        **_clauses(contract.agreement_template),
    }


def receipt_context(*, target) -> dict:
    receipt = target
    return {
        "fields": [
            (gettext("Payer"), receipt.customer.name),
            (gettext("Project"), receipt.project.name),
            (gettext("For"), receipt.get_kind_display()),
            (gettext("Amount"), format_cny(receipt.amount)),
            (gettext("Paid into"), receipt.fund_account),
            (gettext("Taken at"), f"{timezone.localtime(receipt.taken_at):%Y-%m-%d %H:%M}"),
            (gettext("Against receipt"), receipt.refund_of.number if receipt.refund_of_id else ""),
        ],
        "signatures": [gettext("Cashier"), gettext("Payer")],
    }


def register() -> None:
    register_document_type(
        DocumentType(
            code="realestate.vip",
            prefix="VIP",
            label=_("VIP card"),
            template="showroom/generic.html",
            scope="project",
            yearly=False,
            context=vip_context,
            scope_of=lambda *, target: f"project:{target.project_id}",
        )
    )
    register_document_type(
        DocumentType(
            code="realestate.slip",
            prefix="PS",
            label=_("Payment slip"),
            template="showroom/generic.html",
            context=slip_context,
        )
    )
    register_document_type(
        DocumentType(
            code="realestate.agreement",
            prefix="SA",
            label=_("Subscription agreement"),
            template="realestate/agreement.html",
            context=agreement_context,
        )
    )
    register_document_type(
        DocumentType(
            code="realestate.contract",
            prefix="SC",
            label=_("Commodity housing sales contract"),
            template="realestate/agreement.html",
            context=contract_context,
            copies=(_("Buyer"), _("Housing bureau"), _("Developer"), _("Lending bank"), _("Mortgage guarantor")),
        )
    )
    register_document_type(
        DocumentType(
            code="realestate.receipt",
            prefix="RC",
            label=_("Receipt"),
            template="showroom/generic.html",
            context=receipt_context,
        )
    )
