"""What the jewellery counter day brings to the core: the opening routine's checklist guard, the
menu entries and the demo seeder. Called once from ``WarehouseConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from showroom import roles as r
from showroom.navigation import MenuEntry, register_menu_entry
from showroom.registry import ChecklistGuard, register_checklist_guard, register_seeder

COUNTER_READERS = frozenset({r.CONSULTANT, r.SALES_ASSISTANT, r.COUNTER_LEADER, r.SHOWROOM_MANAGER, r.GENERAL_MANAGER})


def _seed(*, stdout) -> None:
    from warehouse.demo_jewellery import seed

    seed(stdout=stdout)


def register_jewellery() -> None:
    from showroom.registry import StaffScoreSource, register_staff_score_source
    from warehouse.selectors_jewellery import grooming_scores_by_month

    # 纳入月度绩效考核: the daily grooming scores appear in the core's monthly performance view.
    register_staff_score_source(StaffScoreSource(code="warehouse.grooming", rows=grooming_scores_by_month))
    # 七、9点开门: the counter opens only when the core's opening routine (篇4 四至七) is complete.
    register_checklist_guard(
        ChecklistGuard(model="warehouse.counterday", transition="open", checklist_code="counter.opening")
    )
    for entry in (
        MenuEntry("warehouse", _("Jewellery counter day"), "warehouse:jewellery", COUNTER_READERS, 150),
        MenuEntry("warehouse", _("Grooming scores"), "warehouse:jewellery_grooming", COUNTER_READERS, 155),
    ):
        register_menu_entry(entry)
    register_seeder("jewellery", _seed, depends_on=["core"])
