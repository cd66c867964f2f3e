"""The printed documents of the stocktake: the stocktake report SK (《盘点单》 as approved, printed
一式二份 for the warehouse supervisor and the finance supervisor to sign, 各持1份) and the
adjustment slips AS (《盘盈单》 / 《盘亏单》)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.registry import DocumentType, register_document_type
from warehouse.documents import _money, _q


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def stocktake_report_context(*, target) -> dict:
    stocktake = target
    lines = list(
        stocktake.lines.select_related("bin", "item", "responsible", "adjustment_line").order_by(
            "bin__code", "item__code"
        )
    )
    diffs = [ln for ln in lines if ln.difference]
    areas = list(stocktake.areas.select_related("leader").order_by("name"))
    return {
        "fields": [
            (_("Warehouse"), stocktake.warehouse.name),
            (_("Month"), stocktake.month.strftime("%Y-%m")),
            (_("Counting window"), f"{stocktake.count_start:%Y-%m-%d %H:%M} – {stocktake.audit_end:%Y-%m-%d %H:%M}"),
            (_("Lines counted"), str(len(lines))),
            (_("Differences"), str(len(diffs))),
            (_("Warehouse supervisor"), _name(stocktake.supervisor)),
            (_("Approved by (finance)"), _name(stocktake.approved_by)),
        ]
        + [(slip.get_kind_display(), f"{slip.number} {_money(slip.total)}") for slip in stocktake.adjustments.all()],
        "areas": [
            (
                a.name,
                _name(a.leader),
                a.get_state_display(),
                f"{a.wrong_lines}/{a.audited_lines}",
                "" if a.error_rate is None else f"{a.error_rate * 100:.2f}%",
            )
            for a in areas
        ],
        "columns": [_("Bin"), _("Item"), _("Book"), _("Counted"), _("Difference"), _("Value"), _("Cause")],
        "numeric_columns": [2, 3, 4, 5],
        "rows": [
            [
                ln.bin.code,
                f"{ln.item.code} {ln.item.name}",
                _q(ln.expected),
                _q(ln.final_quantity),
                _q(ln.difference),
                _money(getattr(getattr(ln, "adjustment_line", None), "value", None)),
                ln.get_cause_display()
                + (f" ({ln.cause_note})" if ln.cause_note else "")
                + (f" — {_name(ln.responsible)}" if ln.responsible_id else ""),
            ]
            for ln in diffs
        ],
        "signatures": [_("Warehouse supervisor"), _("Finance supervisor")],
    }


def adjustment_slip_context(*, target) -> dict:
    slip = target
    rows = list(slip.lines.select_related("line__bin", "line__item", "line__responsible").order_by("id"))
    return {
        "fields": [
            (_("Warehouse"), slip.stocktake.warehouse.name),
            (_("Month"), slip.stocktake.month.strftime("%Y-%m")),
            (_("Value"), _money(slip.total)),
        ],
        "columns": [_("Bin"), _("Item"), _("Difference"), _("Unit cost"), _("Value"), _("Cause")],
        "numeric_columns": [2, 3, 4],
        "rows": [
            [
                r.line.bin.code,
                f"{r.line.item.code} {r.line.item.name}",
                _q(r.quantity),
                _money(r.unit_cost),
                _money(r.value),
                r.line.get_cause_display() + (f" — {_name(r.line.responsible)}" if r.line.responsible_id else ""),
            ]
            for r in rows
        ],
        "signatures": [_("Warehouse supervisor"), _("Finance")],
    }


def register_stocktake_documents() -> None:
    register_document_type(
        DocumentType(
            code="SK",
            prefix="SK",
            label=gettext_lazy("Stocktake report"),
            template="warehouse/stocktake_report.html",
            copies=(gettext_lazy("Copy 1: warehouse supervisor"), gettext_lazy("Copy 2: finance")),
            context=stocktake_report_context,
        )
    )
    register_document_type(
        DocumentType(
            code="AS",
            prefix="AS",
            label=gettext_lazy("Adjustment slip"),
            template="showroom/generic.html",
            context=adjustment_slip_context,
        )
    )
