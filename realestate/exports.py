"""How the real-estate lists export (CSV/XLSX through the core's one mechanism)."""

from django.utils.translation import gettext_lazy as _

from showroom.exports import register_columns_export
from showroom.templatetags.showroom_tags import person

register_columns_export(
    code="realestate.subscriptions",
    basename="subscriptions",
    columns=[
        (_("Number"), str),
        (_("Unit"), lambda s: f"{s.unit.building.name}-{s.unit.number}"),
        (_("Buyer"), "customer.name"),
        (_("Consultant"), lambda s: person(s.consultant)),
        (_("Price"), "total_price"),
        (_("State"), "get_state_display"),
        (_("Overdue"), lambda s: _("yes") if s.overdue_at else ""),
        (_("Contract due by"), "sign_due_on"),
    ],
)
