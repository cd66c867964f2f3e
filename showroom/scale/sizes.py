"""How big each ``seed_scale`` size is. ``large`` is the issue's figure; ``medium`` about a tenth of it;
``small`` the 1,000-lead baseline the flat benchmarks compare against; ``tiny`` is for the test suite."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    staff: int
    customers: int
    leads: int
    followups: int
    test_drives: int
    items: int
    moves: int
    projects: int
    units_per_project: int

    @property
    def moves_per_item(self) -> int:
        return max(2, self.moves // self.items)


SIZES = {
    s.name: s
    for s in (
        # A project's grid keeps its 2,000 units at every size but tiny: the grid's figure is
        # compared across sizes, so only the number of *other* projects grows.
        Size("tiny", 12, 50, 100, 500, 20, 20, 200, 1, 96),
        Size("small", 20, 500, 1_000, 5_000, 200, 100, 5_000, 1, 2_000),
        Size("medium", 60, 50_000, 100_000, 500_000, 20_000, 10_000, 500_000, 2, 2_000),
        Size("large", 200, 500_000, 1_000_000, 5_000_000, 200_000, 100_000, 5_000_000, 20, 2_000),
    )
}
