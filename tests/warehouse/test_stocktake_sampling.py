"""The sample draw of the audit (抽盘): 20 % of the bin locations from the shelves, 30 % of the
count-sheet lines, at least 50 % of the counted quantity covered, no line twice, replayable."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.services.stocktake import sample_draw
from warehouse.services.stocktake.audit import share_of

quantities = st.decimals(min_value=0, max_value=500, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def stock_shapes(draw):
    """Bins with 0–6 lines each; sometimes one line holds most of the quantity."""
    n_bins = draw(st.integers(min_value=1, max_value=25))
    bins, line_id = {}, 0
    for b in range(n_bins):
        lines = []
        for _n in range(draw(st.integers(min_value=0, max_value=6))):
            line_id += 1
            lines.append((line_id, draw(quantities)))
        bins[1000 + b] = lines
    if line_id and draw(st.booleans()):
        heavy = draw(st.sampled_from(sorted(bins)))
        line_id += 1
        bins[heavy].append((line_id, Decimal("100000.000")))
    return bins


@settings(max_examples=150, deadline=None)
@given(bins=stock_shapes(), seed=st.integers(min_value=0, max_value=2**62))
def test_the_draw_takes_its_shares_covers_half_and_replays(bins, seed):
    draw = sample_draw(bins=bins, seed=seed)
    all_lines = {i: q for lines in bins.values() for i, q in lines}
    # 20 % of the bin locations, drawn from the shelves; every line in them is audited
    assert len(draw.shelf_bins) == share_of(len(bins), 20)
    assert set(draw.shelf_bins) <= set(bins)
    assert set(draw.shelf_lines) == {i for b in draw.shelf_bins for i, _q in bins[b]}
    # 30 % of the count sheet (of what the shelves left), more when the cover needs it
    outside = len(all_lines) - len(draw.shelf_lines)
    assert len(draw.sheet_lines) >= min(share_of(len(all_lines), 30), outside)
    # no line drawn twice in one draw
    assert len(draw.lines) == len(set(draw.lines))
    assert set(draw.lines) <= set(all_lines)
    # together at least half the counted quantity
    total = sum(all_lines.values(), Decimal(0))
    covered = sum((all_lines[i] for i in draw.lines), Decimal(0))
    assert covered * 2 >= total
    # the same seed gives the same draw
    assert sample_draw(bins=bins, seed=seed) == draw


def test_one_item_holding_most_of_the_quantity_is_drawn_until_half_is_covered():
    bins = {b: [(b, Decimal("1"))] for b in range(1, 20)}
    bins[20] = [(20, Decimal("1000"))]
    draw = sample_draw(bins=bins, seed=1)
    assert 20 in draw.lines


def test_a_different_seed_gives_another_draw():
    bins = {b: [(b * 10 + i, Decimal(i + 1)) for i in range(4)] for b in range(1, 30)}
    assert sample_draw(bins=bins, seed=1) != sample_draw(bins=bins, seed=2)
