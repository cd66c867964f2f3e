"""The monthly stocktake (article 3, 仓库盘点流程): the freeze in the ledger's write path, the blind
count with no double counting and nothing missed, the audit's error rate, and posting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from showroom.models import ApprovalRequest
from showroom.services.approvals import approval_approve
from showroom.services.transitions import TransitionConflict
from tests.warehouse import stocktake_helpers
from warehouse.models import (
    BinBalance,
    StockLevel,
    StockMove,
    Stocktake,
    StocktakeArea,
    StocktakeAuditLine,
    StocktakeLine,
)
from warehouse.services import StockConflict, transfer_create, transfer_dispatch
from warehouse.services import stocktake as svc

pytestmark = pytest.mark.django_db
# The stocktake fixtures (``staff``, ``stock``, ``st``) live beside the tests that use them.
st, staff, stock = stocktake_helpers.st, stocktake_helpers.staff, stocktake_helpers.stock


def test_the_window_is_the_months_last_two_days_in_shanghai_time():
    start, end, audit_end = svc.stocktake_window(month=dt.date(2026, 2, 1))
    assert (start.day, start.hour, end.day, end.hour, audit_end.hour) == (27, 20, 28, 12, 18)
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert svc.is_second_to_last_day(dt.date(2026, 12, 30)) and not svc.is_second_to_last_day(dt.date(2026, 12, 31))


def test_the_monthly_job_plans_one_per_warehouse_with_counts_switched_on(personas, wh):
    wh.w2.monthly_counts = False  # a car-delivery warehouse switched it off
    wh.w2.save()
    svc.stocktake_month_job(store=personas.store_a, day=dt.date(2026, 12, 30))
    svc.stocktake_month_job(store=personas.store_a, day=dt.date(2026, 12, 30))  # safe twice
    rows = list(Stocktake.objects.values_list("warehouse_id", "scheduled", "state"))
    assert rows == [(wh.w1.pk, True, "planned")]


def test_freezing_refuses_receipts_outbound_and_transfers_naming_the_stocktake(personas, wh, st, put_in, take_out):
    s = st.frozen()
    with pytest.raises(StockConflict, match="frozen for stocktake"):
        put_in(wh.bolt, wh.w1, wh.a, 5, kind=StockMove.Kind.RECEIPT)
    with pytest.raises(StockConflict, match="frozen"):
        take_out(wh.bolt, wh.w1, wh.a, 5)
    transfer = transfer_create(
        user=personas.warehouse_keeper,
        from_warehouse=wh.w1,
        to_warehouse=wh.w2,
        to_bin=wh.c,
        lines=[{"item": wh.bolt, "from_bin": wh.a, "quantity": 3}],
    )
    with pytest.raises(StockConflict, match="receipts, outbound slips and transfers"):
        transfer_dispatch(transfer=transfer, user=personas.warehouse_keeper, confirmed=[3])
    # nothing moved in W1, and W2 is not frozen
    assert BinBalance.objects.get(warehouse=wh.w1, bin=wh.a, item=wh.bolt).quantity == 100
    put_in(wh.bolt, wh.w2, wh.c, 5, kind=StockMove.Kind.RECEIPT)
    assert StockLevel.objects.get(warehouse=wh.w2, item=wh.bolt).quantity == 5
    assert st.reload(s).state == "frozen"


def test_a_second_entry_for_the_same_bin_and_item_is_refused(wh, st, staff):
    s = st.counting()
    svc.stocktake_count_record(stocktake=s, user=staff[0], bin=wh.a, item=wh.bolt, quantity="99")
    with pytest.raises(TransitionConflict, match="already counted in this round"):
        svc.stocktake_count_record(stocktake=s, user=staff[1], bin=wh.a, item=wh.bolt, quantity="100")
    line = StocktakeLine.objects.get(stocktake=s, bin=wh.a, item=wh.bolt)
    assert line.first_quantity == Decimal("99") and line.counts.count() == 1


def test_an_area_with_an_uncounted_bin_cannot_finish(wh, st, staff):
    s = st.counting()
    area = StocktakeArea.objects.get(stocktake=s, name="B 区")
    with pytest.raises(TransitionConflict, match="B-01"):
        svc.stocktake_area_finish(area=area, user=staff[1])
    svc.stocktake_count_record(stocktake=s, user=staff[1], bin=wh.b, item=st.nut, quantity="40")
    assert svc.stocktake_area_finish(area=area, user=staff[1]).state == "counted"
    # a finished area takes no more entries
    with pytest.raises(TransitionConflict):
        svc.stocktake_count_record(stocktake=s, user=staff[1], bin=wh.b, item=wh.bolt, quantity="1")


def test_counting_starts_only_when_every_bin_with_stock_is_in_an_area(personas, wh, st, staff):
    s = st.frozen()
    svc.stocktake_area_set(
        stocktake=s, user=personas.warehouse_supervisor, name="A", bins=[wh.a], leader=staff[0], helpers=staff[1:3]
    )
    svc.stocktake_recount_team_set(stocktake=s, user=personas.warehouse_supervisor, members=staff[2:6])
    with pytest.raises(TransitionConflict, match="B-01"):
        svc.stocktake_count_start(stocktake=s, user=personas.warehouse_supervisor)
    with pytest.raises(ValidationError):
        svc.stocktake_area_set(
            stocktake=s, user=personas.warehouse_supervisor, name="B", bins=[wh.b], leader=staff[0], helpers=staff[1:2]
        )


def test_the_recount_disagreement_is_resolved_by_the_supervisor_with_its_cause(personas, wh, st, staff):
    s = st.recounting(bolts="98")
    svc.stocktake_count_record(stocktake=s, user=staff[3], bin=wh.a, item=wh.bolt, quantity="97")
    svc.stocktake_count_record(stocktake=s, user=staff[4], bin=wh.b, item=st.nut, quantity="40")
    with pytest.raises(TransitionConflict, match="resolves"):
        svc.stocktake_audit_start(stocktake=s, user=personas.finance)
    line = StocktakeLine.objects.get(stocktake=s, bin=wh.a)
    assert line.disputed and line.final_quantity is None
    with pytest.raises(ValidationError):
        svc.stocktake_line_resolve(line=line, user=personas.warehouse_supervisor, quantity="97", note="")
    svc.stocktake_line_resolve(line=line, user=personas.warehouse_supervisor, quantity="97", note="初盘漏数一箱")
    s = svc.stocktake_audit_start(stocktake=s, user=personas.finance)
    assert s.state == "sample_audit" and s.audit_lines.exists()


def _area_with_audits(s, *, audited, wrong):
    area = s.areas.get(name="A 区")
    line = s.lines.get(area=area)
    s.audit_lines.all().delete()
    rows = []
    for n in range(audited):
        target = (
            line
            if n == 0
            else StocktakeLine.objects.create(
                stocktake=s, area=area, bin=line.bin, item=_item(n), expected=1, first_quantity=1, final_quantity=1
            )
        )
        rows.append(
            StocktakeAuditLine(
                stocktake=s, line=target, source="sheet", sheet_quantity=1, audited_quantity=1, wrong=n < wrong
            )
        )
    StocktakeAuditLine.objects.bulk_create(rows)
    return area


def _item(n):
    from tests.warehouse.factories import ItemFactory

    return ItemFactory(code=f"AUD{n:04d}")


@pytest.mark.parametrize(("wrong", "back"), [(2, True), (1, False)])
def test_an_area_above_one_percent_wrong_goes_back_to_a_full_recount(personas, st, wrong, back):
    """2 wrong lines in 150 audited is 1.33 % (above 1 %): full recount; 1 in 150 (0.67 %) is not."""
    s = st.auditing()
    area = _area_with_audits(s, audited=150, wrong=wrong)
    svc.stocktake_audit_finish(stocktake=s, user=personas.finance)
    area.refresh_from_db()
    assert area.audited_lines == 150 and area.wrong_lines == wrong
    assert area.error_rate == (Decimal(wrong) / 150).quantize(Decimal("0.0001"))
    assert (area.state == "full_recount") is back
    assert area.recount_pass == (1 if back else 0)


def test_a_full_recount_replaces_the_areas_counts_before_approval(personas, wh, st, staff):
    s = st.auditing(bolts="100")
    area = _area_with_audits(s, audited=150, wrong=2)
    svc.stocktake_audit_finish(stocktake=s, user=personas.finance)
    with pytest.raises(TransitionConflict, match="fully recounted"):
        svc.stocktake_approve(stocktake=s, user=personas.finance)
    for line in StocktakeLine.objects.filter(area=area):
        svc.stocktake_count_record(
            stocktake=s, user=personas.warehouse_supervisor, bin=line.bin, item=line.item, quantity="1"
        )
    assert svc.stocktake_area_finish(area=area, user=personas.warehouse_supervisor).state == "recounted"
    assert StocktakeLine.objects.get(stocktake=s, item=wh.bolt).final_quantity == 1


def test_an_audit_difference_makes_the_supervisor_correct_the_line(personas, wh, st):
    s = st.auditing()
    audit = s.audit_lines.select_related("line").first()
    svc.stocktake_audit_record(
        stocktake=s,
        user=personas.finance,
        partner=personas.cashier,
        bin=audit.line.bin,
        item=audit.line.item,
        quantity=audit.sheet_quantity + 1,
    )
    line = StocktakeLine.objects.get(pk=audit.line_id)
    assert line.needs_correction
    with pytest.raises(TransitionConflict):
        svc.stocktake_audit_record(
            stocktake=s, user=personas.finance, partner=personas.cashier, bin=line.bin, item=line.item, quantity=1
        )
    for other in s.audit_lines.filter(audited_quantity__isnull=True).select_related("line"):
        svc.stocktake_audit_record(
            stocktake=s,
            user=personas.finance,
            partner=personas.cashier,
            bin=other.line.bin,
            item=other.line.item,
            quantity=other.sheet_quantity,
        )
    svc.stocktake_line_correct(
        line=line, user=personas.warehouse_supervisor, quantity=audit.sheet_quantity + 1, note="复点确认"
    )
    assert StocktakeLine.objects.get(pk=line.pk).final_quantity == audit.sheet_quantity + 1
    with pytest.raises(TransitionConflict, match=r"already corrected|Only a line"):
        svc.stocktake_line_correct(line=line, user=personas.warehouse_supervisor, quantity=1, note="再次")
    svc.stocktake_audit_finish(stocktake=s, user=personas.finance)
    # one wrong line of the few in its area is far above 1 %: the area is recounted in full
    area = StocktakeLine.objects.get(pk=line.pk).area
    area.refresh_from_db()
    assert area.state == "full_recount"
    with pytest.raises(TransitionConflict, match="fully recounted"):
        svc.stocktake_approve(stocktake=s, user=personas.finance)
    for each in StocktakeLine.objects.filter(area=area):
        svc.stocktake_count_record(
            stocktake=s, user=personas.warehouse_supervisor, bin=each.bin, item=each.item, quantity="5"
        )
    svc.stocktake_area_finish(area=area, user=personas.warehouse_supervisor)
    assert svc.stocktake_approve(stocktake=s, user=personas.finance).state == "approved"


def _explain_and_approve(personas, s):
    for line in s.lines.all():
        if line.difference:
            svc.stocktake_line_explain(
                line=line,
                user=personas.warehouse_supervisor,
                cause="negligence" if line.difference < 0 else "document_error",
                responsible=personas.warehouse_keeper if line.difference < 0 else None,
            )
    svc.stocktake_adjustment_submit(stocktake=s, user=personas.warehouse_supervisor)
    request = ApprovalRequest.objects.get(object_id=s.pk, kind="warehouse.stock_adjustment")
    approval_approve(request=request, user=personas.finance)
    approval_approve(request=ApprovalRequest.objects.get(pk=request.pk), user=personas.general_manager)


def test_posting_makes_every_balance_equal_the_counted_quantity_with_one_move_per_difference(personas, wh, st):
    s = st.approved(bolts="97", nuts="42")
    slips = {a.kind: a for a in s.adjustments.all()}
    assert slips["deficit"].total == Decimal("-30.00") and slips["surplus"].total == Decimal("4.00")
    assert slips["deficit"].number.startswith("AS-")
    # the freeze lifted with approval
    assert not st.reload(s).is_frozen
    with pytest.raises(TransitionConflict, match="not approved"):
        svc.stocktake_post(stocktake=s, user=personas.finance)
    with pytest.raises(ValidationError):
        svc.stocktake_line_explain(
            line=s.lines.get(item=wh.bolt), user=personas.warehouse_supervisor, cause="negligence"
        )
    _explain_and_approve(personas, s)
    assert st.reload(s).adjustment_decision == "approved"
    before = StockMove.objects.count()
    s = svc.stocktake_post(stocktake=s, user=personas.finance)
    assert s.state == "adjusted"
    assert StockMove.objects.count() == before + 2
    for line in s.lines.all():
        assert BinBalance.objects.get(warehouse=wh.w1, bin=line.bin, item=line.item).quantity == line.final_quantity
    moves = StockMove.objects.filter(kind="adjustment").order_by("quantity")
    assert [m.quantity for m in moves] == [Decimal("-3"), Decimal("2")]
    assert moves[0].value == Decimal("-30.00") and moves[1].value == Decimal("4.00")
    s = svc.stocktake_close(stocktake=s, user=personas.warehouse_supervisor)
    assert s.state == "closed" and s.number.startswith("SK-")
    # the report renders (two copies, signed by the supervisor and finance)
    from showroom.models import Document
    from showroom.services.documents import document_render

    for doc in Document.objects.filter(doc_type__in=("SK", "AS")):
        assert document_render(document_id=doc.pk).state == "ready"


def test_moves_since_counting_are_shown_and_must_be_confirmed_before_posting(personas, wh, st, take_out):
    s = st.approved(bolts="97", nuts="40")
    _explain_and_approve(personas, s)
    take_out(wh.bolt, wh.w1, wh.a, 10)  # business resumed after approval
    with pytest.raises(TransitionConflict, match="1 stock moves") as refused:
        svc.stocktake_post(stocktake=s, user=personas.finance)
    assert "BOLT -10" in refused.value.missing[0]
    svc.stocktake_post(stocktake=s, user=personas.finance, confirm_moves=True)
    assert BinBalance.objects.get(warehouse=wh.w1, bin=wh.a, item=wh.bolt).quantity == 87


def test_steps_out_of_order_are_conflicts(personas, st):
    s = st.plan()
    for step in (svc.stocktake_count_start, svc.stocktake_recount_start, svc.stocktake_audit_start):
        with pytest.raises(TransitionConflict):
            step(stocktake=s, user=personas.warehouse_supervisor)
    with pytest.raises(TransitionConflict):
        svc.stocktake_approve(stocktake=s, user=personas.finance)
    with pytest.raises(TransitionConflict):
        svc.stocktake_close(stocktake=s, user=personas.finance)
    with pytest.raises(TransitionConflict, match="already has its monthly"):
        st.plan(scheduled=True) and st.plan(scheduled=True)
