"""Signing fees, numbered receipts, the cashier's locked report, the agreement and contract PDFs."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from realestate import services
from realestate.models import CashierDay, Contract, Project, Receipt, Subscription, Unit
from realestate.pricing import signing_fees
from showroom.models import ChecklistTemplate, Document
from showroom.services.checklists import checklist_answer, checklist_run_start
from showroom.services.documents import document_render
from showroom.services.transitions import TransitionConflict
from tests.realestate.conftest import subscribe_through

pytestmark = pytest.mark.django_db


def test_deed_tax_fund_and_fee_are_rounded_half_up_to_the_cent():
    project = Project(deed_tax_rate=Decimal("3"), maintenance_fund_rate=Decimal("1"), registration_fee=Decimal("80"))
    fees = signing_fees(total=Decimal("1234567.50"), project=project)
    # 3 % of 1,234,567.50 = 37,037.025 → 37,037.03; 1 % = 12,345.675 → 12,345.68
    assert fees == {
        "deed_tax": Decimal("37037.03"),
        "maintenance_fund": Decimal("12345.68"),
        "registration_fee": Decimal("80.00"),
    }
    project.deed_tax_rate = Decimal("1.5")
    assert signing_fees(total=Decimal("100.30"), project=project)["deed_tax"] == Decimal("1.50")  # 1.5045


def _contract(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer, deposit="50000")
    total = sub.total_price
    return services.contract_create(
        user=personas.sales_assistant,
        subscription=sub,
        schedule=[
            {"kind": "down_payment", "amount": str(total - Decimal("1000000")), "due_on": timezone.localdate()},
            {"kind": "loan", "amount": "1000000", "due_on": (timezone.localdate() + dt.timedelta(days=60)).isoformat()},
        ],
        loan_bank="中国建设银行",
    )


def test_the_contract_carries_the_fees_schedule_and_five_copies(personas, site, buyer):
    contract = _contract(personas, site, buyer)
    # unit 101: (20,000 + 500) × 100 = 2,050,000, full payment −3 % = 1,988,500
    assert contract.total_price == Decimal("1988500.00")
    assert (contract.deed_tax, contract.maintenance_fund, contract.registration_fee) == (
        Decimal("59655.00"),
        Decimal("19885.00"),
        Decimal("80.00"),
    )
    assert contract.number.startswith("SC-")
    assert contract.copies.count() == 5 and contract.payment_lines.count() == 2


def test_a_schedule_that_does_not_add_up_is_refused(personas, site, buyer):
    from django.core.exceptions import ValidationError

    sub = subscribe_through(personas, site["units"][0], buyer)
    with pytest.raises(ValidationError) as refused:
        services.contract_create(
            user=personas.sales_assistant,
            subscription=sub,
            schedule=[{"kind": "full_payment", "amount": "1", "due_on": timezone.localdate()}],
        )
    assert "schedule" in refused.value.message_dict
    assert not Contract.objects.exists()


def test_collect_sign_file_and_hand_over(personas, site, buyer):
    contract = _contract(personas, site, buyer)
    contract = services.contract_collect(user=personas.cashier, contract=contract)
    kinds = sorted(contract.receipts.values_list("kind", flat=True))
    assert kinds == ["deed_tax", "down_payment", "maintenance_fund", "registration_fee"]
    # the deposit receipt was taken back
    assert Receipt.objects.get(kind="deposit").taken_back_at is not None
    # the manager cannot sign before the contract-documents checklist is complete
    with pytest.raises(TransitionConflict) as refused:
        services.contract_sign(user=personas.sales_manager, contract=contract)
    assert "身份证" in " ".join(refused.value.missing) or refused.value.missing
    run = checklist_run_start(template_code="realestate.contract_documents", target=contract, user=personas.consultant)
    for item in ChecklistTemplate.objects.get(code="realestate.contract_documents").items.all():
        checklist_answer(run=run, item=item, user=personas.consultant, ticked=True)
    contract = services.contract_sign(user=personas.sales_manager, contract=Contract.objects.get(pk=contract.pk))
    assert Unit.objects.get(pk=site["units"][0].pk).state == Unit.State.SIGNED
    assert Subscription.objects.get(pk=contract.subscription_id).state == Subscription.State.CONTRACTED
    services.contract_file(user=personas.sales_assistant, contract=contract, filing_number="备-001", certificate="预-9")
    assert Unit.objects.get(pk=site["units"][0].pk).state == Unit.State.FILED
    # invoices: the final one waits for the loan; each kind once; the receipts are taken back
    contract = Contract.objects.get(pk=contract.pk)
    deed = services.contract_invoice_issue(user=personas.cashier, contract=contract, kind="deed_tax", number="FP-1")
    assert deed.amount == contract.deed_tax
    assert Receipt.objects.get(kind="deed_tax").taken_back_at is not None
    with pytest.raises(TransitionConflict):
        services.contract_invoice_issue(user=personas.cashier, contract=contract, kind="deed_tax", number="FP-2")
    services.contract_invoice_issue(user=personas.cashier, contract=contract, kind="payment", number="FP-3")
    with pytest.raises(TransitionConflict):
        services.contract_invoice_issue(user=personas.cashier, contract=contract, kind="final", number="FP-4")
    with pytest.raises(PermissionDenied):
        services.contract_invoice_issue(user=personas.consultant, contract=contract, kind="final", number="FP-4")
    services.contract_loan_record(user=personas.cashier, contract=contract, amount="1000000", on=timezone.localdate())
    final = services.contract_invoice_issue(user=personas.cashier, contract=contract, kind="final", number="FP-4")
    assert final.amount == contract.total_price
    with pytest.raises(TransitionConflict):  # the notice comes first
        services.contract_hand_over(
            user=personas.consultant, contract=contract, guarantee_given=True, manual_given=True
        )
    services.contract_handover_notice(user=personas.sales_assistant, contract=Contract.objects.get(pk=contract.pk))
    services.contract_hand_over(
        user=personas.consultant,
        contract=Contract.objects.get(pk=contract.pk),
        guarantee_given=True,
        manual_given=True,
    )
    assert Unit.objects.get(pk=site["units"][0].pk).state == Unit.State.HANDED_OVER


def test_receipts_are_numbered_and_the_report_is_locked_after_the_handover(personas, site, buyer):
    project = site["project"]
    first = services.receipt_take(user=personas.cashier, project=project, customer=buyer, kind="vip", amount="20000")
    second = services.receipt_take(user=personas.cashier, project=project, customer=buyer, kind="vip", amount="5000.5")
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"RC-{year}-000001", f"RC-{year}-000002")
    assert second.amount == Decimal("5000.50") and "1205016600008888" in second.fund_account
    # only the cashier takes money
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.receipt_take(user=personas.consultant, project=project, customer=buyer, kind="vip", amount="1")
    services.receipt_refund(user=personas.cashier, receipt=second)
    report = services.cashier_day_hand_over(user=personas.cashier, store=project.store, day=timezone.localdate())
    assert (report.received, report.refunded, report.count) == (Decimal("25000.50"), Decimal("5000.50"), 3)
    # after the handover: no new receipt, no refund, no second handover for the day
    with pytest.raises(TransitionConflict, match="handed over"):
        services.receipt_take(user=personas.cashier, project=project, customer=buyer, kind="vip", amount="1")
    with pytest.raises(TransitionConflict):
        services.receipt_refund(user=personas.cashier, receipt=first)
    with pytest.raises(TransitionConflict):
        services.cashier_day_hand_over(user=personas.cashier, store=project.store, day=timezone.localdate())
    assert Receipt.objects.count() == 3
    assert CashierDay.objects.get().received == Decimal("25000.50")


def _pdf_text(target, doc_type) -> str:
    document = Document.objects.get(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk, doc_type=doc_type
    )
    rendered = document_render(document_id=document.pk)
    assert rendered.state == Document.State.READY, rendered.error
    with rendered.file.open("rb") as fh:
        content = fh.read()
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_agreement_and_contract_pdfs_carry_buyer_unit_price_and_schedule(personas, site, buyer, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    contract = _contract(personas, site, buyer)
    agreement = _pdf_text(contract.subscription, "realestate.agreement")
    for text in ("张伟", "1号楼", "101", "1,988,500.00", "1205016600008888"):
        assert text.replace(" ", "") in agreement.replace(" ", ""), text
    pdf = _pdf_text(contract, "realestate.contract")
    flat = pdf.replace(" ", "")
    for text in ("张伟", "1号楼", "101", "1,988,500.00", "988,500.00", "1,000,000.00", "59,655.00"):
        assert text in flat, text
    # one page set per copy: buyer, bureau, developer, bank, guarantor
    assert (
        len(PdfReader(io.BytesIO(Document.objects.filter(doc_type="realestate.contract").get().file.read())).pages) >= 5
    )
