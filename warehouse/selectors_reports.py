"""The nightly stock report's figures: set-based SQL over the balances, corrected by the moves
after the cutoff, never a Python loop over rows.

Every function takes the warehouses of one store and the report's cutoff (the end of the day
reported, an aware datetime) and runs one statement. Balances as of the cutoff are the
``StockLevel`` rows less what moved after the cutoff (the job runs at 02:00, so only the moves of
the first two hours of the next day are taken back out); the index ``stock_move_wh_day``
(warehouse, created_at) serves those and the day's movements, and the index (item, warehouse,
created_at) the "no movement for 90 days" anti-join. The SQL is portable (PostgreSQL and the
embedded SQLite): lists of ids are expanded into ``IN (…)`` placeholders, dates are parameters.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from warehouse.models import Item, ItemCategory, Serial, StockLevel, StockMove, Warehouse

ZERO = Decimal("0")
CENT = Decimal("0.01")
QTY = Decimal("0.001")
IDLE_DAYS = 90
#: Upper bounds (days, inclusive) of the age buckets of serial-tracked units in stock.
AGE_BUCKETS = (30, 90, 180, 365)

_T = {
    "move": StockMove._meta.db_table,
    "level": StockLevel._meta.db_table,
    "item": Item._meta.db_table,
    "category": ItemCategory._meta.db_table,
    "serial": Serial._meta.db_table,
    "warehouse": Warehouse._meta.db_table,
}


def _dec(value, exp: Decimal = CENT) -> Decimal:
    """A database number as a Decimal (SQLite returns floats for sums of decimals)."""
    if value is None:
        return ZERO.quantize(exp)
    return Decimal(str(value)).quantize(exp, rounding=ROUND_HALF_UP)


def _in(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids)) or "NULL"


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _balances_cte(ids: list[int]) -> tuple[str, list]:
    """``bal``: (warehouse_id, item_id, quantity, value) as of the cutoff (the first parameter
    the caller appends), for every level of the warehouses."""
    sql = f"""
        WITH later AS (
            SELECT m.warehouse_id, m.item_id, SUM(m.quantity) AS q, SUM(m.value) AS v
            FROM {_T["move"]} m
            WHERE m.warehouse_id IN ({_in(ids)}) AND m.created_at >= %s
            GROUP BY m.warehouse_id, m.item_id
        ),
        bal AS (
            SELECT l.warehouse_id, l.item_id,
                   l.quantity - COALESCE(later.q, 0) AS quantity,
                   l.value - COALESCE(later.v, 0) AS value
            FROM {_T["level"]} l
            LEFT JOIN later ON later.warehouse_id = l.warehouse_id AND later.item_id = l.item_id
            WHERE l.warehouse_id IN ({_in(ids)})
        )
    """
    return sql, [*ids]


def _balance_params(ids: list[int], cutoff: dt.datetime) -> list:
    return [*ids, cutoff, *ids]


def report_warehouse_totals(*, warehouse_ids: list[int], cutoff: dt.datetime) -> dict[int, dict]:
    """Per warehouse: item lines in stock, their quantity and value as of the cutoff."""
    cte, _ = _balances_cte(warehouse_ids)
    sql = f"""{cte}
        SELECT warehouse_id, COUNT(*), SUM(quantity), SUM(value) FROM bal
        WHERE quantity <> 0 OR value <> 0
        GROUP BY warehouse_id
    """
    found = {
        wid: {"lines": lines, "quantity": _dec(q, QTY), "value": _dec(v)}
        for wid, lines, q, v in _rows(sql, _balance_params(warehouse_ids, cutoff))
    }
    return {
        wid: found.get(wid, {"lines": 0, "quantity": ZERO.quantize(QTY), "value": ZERO.quantize(CENT)})
        for wid in warehouse_ids
    }


def report_category_totals(*, warehouse_ids: list[int], cutoff: dt.datetime) -> list[dict]:
    """Per warehouse and category (none last): item lines in stock and their value."""
    cte, _ = _balances_cte(warehouse_ids)
    sql = f"""{cte}
        SELECT bal.warehouse_id, c.id, c.name, COUNT(*), SUM(bal.value)
        FROM bal
        JOIN {_T["item"]} i ON i.id = bal.item_id
        LEFT JOIN {_T["category"]} c ON c.id = i.category_id
        WHERE bal.quantity <> 0 OR bal.value <> 0
        GROUP BY bal.warehouse_id, c.id, c.name
        ORDER BY bal.warehouse_id, CASE WHEN c.code IS NULL THEN 1 ELSE 0 END, MIN(c.code)
    """
    return [
        {"warehouse_id": wid, "category_id": cid, "category": name or "", "lines": lines, "value": _dec(v)}
        for wid, cid, name, lines, v in _rows(sql, _balance_params(warehouse_ids, cutoff))
    ]


def report_item_balances(*, warehouse_ids: list[int], cutoff: dt.datetime) -> Iterator[tuple]:
    """Every item line in stock as of the cutoff, in warehouse and item-code order: (warehouse_id,
    code, name, category, unit, quantity, value, reorder point). Streamed (a server-side cursor on
    PostgreSQL) because the spreadsheet lists them all."""
    cte, _ = _balances_cte(warehouse_ids)
    sql = f"""{cte}
        SELECT bal.warehouse_id, i.code, i.name, c.name, i.unit, bal.quantity, bal.value, i.reorder_point
        FROM bal
        JOIN {_T["item"]} i ON i.id = bal.item_id
        LEFT JOIN {_T["category"]} c ON c.id = i.category_id
        WHERE bal.quantity <> 0 OR bal.value <> 0
        ORDER BY bal.warehouse_id, i.code
    """
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, _balance_params(warehouse_ids, cutoff))
        while batch := cursor.fetchmany(2000):
            yield from batch


def report_day_moves(*, warehouse_ids: list[int], start: dt.datetime, cutoff: dt.datetime) -> list[dict]:
    """The day's movements per warehouse and kind: moves, quantity in, quantity out, value."""
    sql = f"""
        SELECT m.warehouse_id, m.kind, COUNT(*),
               SUM(CASE WHEN m.quantity > 0 THEN m.quantity ELSE 0 END),
               SUM(CASE WHEN m.quantity < 0 THEN -m.quantity ELSE 0 END),
               SUM(m.value)
        FROM {_T["move"]} m
        WHERE m.warehouse_id IN ({_in(warehouse_ids)}) AND m.created_at >= %s AND m.created_at < %s
        GROUP BY m.warehouse_id, m.kind
        ORDER BY m.warehouse_id, m.kind
    """
    return [
        {
            "warehouse_id": wid,
            "kind": kind,
            "moves": n,
            "quantity_in": _dec(q_in, QTY),
            "quantity_out": _dec(q_out, QTY),
            "value": _dec(v),
        }
        for wid, kind, n, q_in, q_out, v in _rows(sql, [*warehouse_ids, start, cutoff])
    ]


def report_day_move_lines(*, warehouse_ids: list[int], start: dt.datetime, cutoff: dt.datetime) -> Iterator[tuple]:
    """The day's moves one by one for the spreadsheet: (warehouse_id, created_at, code, name, kind,
    quantity, value, document)."""
    sql = f"""
        SELECT m.warehouse_id, m.created_at, i.code, i.name, m.kind, m.quantity, m.value, m.source_label
        FROM {_T["move"]} m JOIN {_T["item"]} i ON i.id = m.item_id
        WHERE m.warehouse_id IN ({_in(warehouse_ids)}) AND m.created_at >= %s AND m.created_at < %s
        ORDER BY m.warehouse_id, m.created_at, m.id
    """
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [*warehouse_ids, start, cutoff])
        while batch := cursor.fetchmany(2000):
            yield from batch


def report_below_reorder(*, warehouse_ids: list[int], cutoff: dt.datetime, limit: int | None = None) -> list[dict]:
    """Item lines whose balance as of the cutoff is below the item's reorder point."""
    cte, _ = _balances_cte(warehouse_ids)
    sql = f"""{cte}
        SELECT bal.warehouse_id, i.id, i.code, i.name, i.unit, bal.quantity, i.reorder_point
        FROM bal JOIN {_T["item"]} i ON i.id = bal.item_id
        WHERE bal.quantity < i.reorder_point
        ORDER BY bal.warehouse_id, i.code
        {"LIMIT %s" if limit else ""}
    """
    params = _balance_params(warehouse_ids, cutoff) + ([limit] if limit else [])
    return [
        {
            "warehouse_id": wid,
            "item_id": iid,
            "code": code,
            "name": name,
            "unit": unit,
            "quantity": _dec(q, QTY),
            "reorder_point": _dec(rp, QTY),
        }
        for wid, iid, code, name, unit, q, rp in _rows(sql, params)
    ]


def report_idle(
    *, warehouse_ids: list[int], cutoff: dt.datetime, days: int = IDLE_DAYS, limit: int | None = None
) -> list[dict]:
    """Item lines in stock at the cutoff that did not move in that warehouse for ``days`` days
    before it (no move at or after cutoff − days), with their last move."""
    since = cutoff - dt.timedelta(days=days)
    cte, _ = _balances_cte(warehouse_ids)
    sql = f"""{cte}
        SELECT bal.warehouse_id, i.id, i.code, i.name, i.unit, bal.quantity, bal.value,
               (SELECT MAX(m2.created_at) FROM {_T["move"]} m2
                 WHERE m2.item_id = bal.item_id AND m2.warehouse_id = bal.warehouse_id AND m2.created_at < %s)
        FROM bal JOIN {_T["item"]} i ON i.id = bal.item_id
        WHERE bal.quantity > 0
          AND NOT EXISTS (
              SELECT 1 FROM {_T["move"]} m
              WHERE m.item_id = bal.item_id AND m.warehouse_id = bal.warehouse_id
                AND m.created_at >= %s AND m.created_at < %s)
        ORDER BY bal.warehouse_id, i.code
        {"LIMIT %s" if limit else ""}
    """
    params = [*_balance_params(warehouse_ids, cutoff), cutoff, since, cutoff] + ([limit] if limit else [])
    return [
        {
            "warehouse_id": wid,
            "item_id": iid,
            "code": code,
            "name": name,
            "unit": unit,
            "quantity": _dec(q, QTY),
            "value": _dec(v),
            "last_move": last,
        }
        for wid, iid, code, name, unit, q, v, last in _rows(sql, params)
    ]


def report_counts(*, warehouse_ids: list[int], cutoff: dt.datetime, days: int = IDLE_DAYS) -> dict[int, dict]:
    """Per warehouse: how many lines are below reorder point and how many are idle (one query),
    so the summary stays exact when the PDF lists only the first rows."""
    since = cutoff - dt.timedelta(days=days)
    cte, _ = _balances_cte(warehouse_ids)
    sql = f"""{cte}
        SELECT bal.warehouse_id,
               SUM(CASE WHEN bal.quantity < i.reorder_point THEN 1 ELSE 0 END),
               SUM(CASE WHEN bal.quantity > 0 AND NOT EXISTS (
                       SELECT 1 FROM {_T["move"]} m
                       WHERE m.item_id = bal.item_id AND m.warehouse_id = bal.warehouse_id
                         AND m.created_at >= %s AND m.created_at < %s) THEN 1 ELSE 0 END)
        FROM bal JOIN {_T["item"]} i ON i.id = bal.item_id
        GROUP BY bal.warehouse_id
    """
    found = {
        wid: {"below_reorder": int(b or 0), "idle": int(i or 0)}
        for wid, b, i in _rows(sql, [*_balance_params(warehouse_ids, cutoff), since, cutoff])
    }
    return {wid: found.get(wid, {"below_reorder": 0, "idle": 0}) for wid in warehouse_ids}


def age_bucket_labels() -> list[str]:
    edges = [0, *AGE_BUCKETS]
    labels = [f"{lo + (1 if lo else 0)}–{hi}" for lo, hi in itertools.pairwise(edges)]
    return [*labels, f">{AGE_BUCKETS[-1]}"]


def report_serial_ages(*, warehouse_ids: list[int], cutoff: dt.datetime) -> list[dict]:
    """Serial-tracked units in stock per warehouse and item, counted by age in that warehouse
    (days since the move that brought each one in), in the buckets of ``AGE_BUCKETS``."""
    bounds = [cutoff - dt.timedelta(days=d) for d in AGE_BUCKETS]
    cases = []
    lower = None
    for index, bound in enumerate(bounds):
        cond = "m.created_at >= %s" if lower is None else "m.created_at >= %s AND m.created_at < %s"
        cases.append(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS b{index}")
        lower = bound
    cases.append(f"SUM(CASE WHEN m.created_at < %s THEN 1 ELSE 0 END) AS b{len(bounds)}")
    params: list = [bounds[0]]
    for previous, bound in itertools.pairwise(bounds):
        params += [bound, previous]
    params.append(bounds[-1])
    sql = f"""
        SELECT s.warehouse_id, i.code, i.name, COUNT(*), MIN(m.created_at), {", ".join(cases)}
        FROM {_T["serial"]} s
        JOIN {_T["item"]} i ON i.id = s.item_id
        JOIN {_T["move"]} m ON m.id = s.last_move_id
        WHERE s.state = 'in_stock' AND s.warehouse_id IN ({_in(warehouse_ids)})
        GROUP BY s.warehouse_id, i.code, i.name
        ORDER BY s.warehouse_id, i.code
    """
    return [
        {
            "warehouse_id": row[0],
            "code": row[1],
            "name": row[2],
            "units": row[3],
            "oldest": row[4],
            "buckets": [int(n or 0) for n in row[5:]],
        }
        for row in _rows(sql, [*params, *warehouse_ids])
    ]
