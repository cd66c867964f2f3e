"""The sales-control grid's cells, rendered in one pass per floor: at 2,000 units the template
engine's per-variable cost dominated the page (measured in bench/realestate_grid.py)."""

from django import template
from django.utils.html import format_html, format_html_join

from showroom.money import format_cny

register = template.Library()


@register.simple_tag
def grid_cells(cells, unit_url: str):
    """One ``<td>`` per unit of a floor: a button coloured by state that loads the unit's panel."""
    return format_html_join(
        "",
        '<td class="p-1"><button type="button" class="re-unit re-{} btn btn-sm w-100 text-start" data-unit="{}" '
        'data-state="{}" hx-get="{}{}/" hx-target="#unit-panel" hx-swap="innerHTML" title="{}">'
        '<strong>{}</strong><span class="d-block small">{} m² · {}</span></button></td>',
        (
            (
                cell["unit"].state,
                cell["unit"].pk,
                cell["unit"].state,
                unit_url,
                cell["unit"].pk,
                format_html("{} · {}", cell["state_label"], cell["holder"]) if cell["holder"] else cell["state_label"],
                cell["unit"].number,
                cell["unit"].built_area,
                format_cny(cell["total"]),
            )
            for cell in cells
        ),
    )
