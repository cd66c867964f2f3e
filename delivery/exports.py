"""How the delivery lists export (CSV/XLSX through the core's one mechanism)."""

from django.utils.translation import gettext_lazy as _

from showroom.exports import register_columns_export
from showroom.templatetags.showroom_tags import person

register_columns_export(
    code="delivery.deliveries",
    basename="deliveries",
    columns=[
        (_("Customer"), "customer.name"),
        (_("VIN"), "vin"),
        (_("Car"), "vehicle_label"),
        (_("Consultant"), lambda d: person(d.consultant)),
        (_("Handover time"), lambda d: d.handed_over_at or d.scheduled_at),
        (_("State"), "get_state_display"),
    ],
)
register_columns_export(
    code="delivery.repairs",
    basename="repair-tickets",
    columns=[
        (_("Number"), "number"),
        (_("Customer"), "customer.name"),
        (_("Product"), "product"),
        (_("Model"), "model"),
        (_("Serial number"), "serial"),
        (_("In warranty"), lambda t: _("yes") if t.in_warranty else _("no")),
        (_("State"), "get_state_display"),
        (_("In this state since"), "state_since"),
        (_("Received"), "created_at"),
        (_("Collected"), "collected_at"),
    ],
)
